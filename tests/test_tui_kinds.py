"""Every kind of item answered through the item screen by keyboard (Textual's Pilot), and the
texts with placeholders that each session stores; checked against what storage holds.

The instrument is tests/data/instruments/all_kinds.yaml, in this order: teacher_helps (true5,
with {Leerkracht} and {hij_zij}), gender (nominal, 4 options), age (number 6..14, "jaar"),
school_mark (1-10 labelled at its ends), favourite_subject (text, one line, at most 40
characters), wish (text box, at most 200 characters).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea

from instruments import Instrument, load_instrument
from storage import DataFolder, SchoolClass, Session, Study, Wave, WriteFailed
from tui.app import PupilApp
from tui.launch import make_app
from tui.screens import FarewellScreen, IntroductionScreen, ItemScreen, NameCheckScreen, PracticeScreen, ReviewScreen
from tui.widgets.choice import AnswerButton, RatingButton
from tui.widgets.fields import NumberAnswer
from pilot import pilot_test

ALL_KINDS = Path(__file__).parent / "data" / "instruments" / "all_kinds.yaml"
JUF_PUPIL = "FNWW4F"  # class 6a of the demo study: teacher_term juf
MEESTER_PUPIL = "7V7NJA"  # class 7b: teacher_term meester
ORDER = ["teacher_helps", "gender", "age", "school_mark", "favourite_subject", "wish"]


@pytest.fixture
def all_kinds() -> Instrument:
    return load_instrument(ALL_KINDS)


def kinds_study(folder: DataFolder, teacher_term_7b: str | None = None) -> Study:
    """The demo study with one wave that gives pupils the all-kinds instrument."""
    study = folder.study()
    classes = study.classes
    if teacher_term_7b is not None:
        classes = [c.model_copy(update={"teacher_term": teacher_term_7b}) if c.id == "7b" else c for c in classes]
        assert all(isinstance(c, SchoolClass) for c in classes)
    return study.model_copy(update={"classes": classes, "waves": [Wave(id="w1", instruments={"pupil": ["all_kinds"]})]})


def kinds_app(folder: DataFolder, instrument: Instrument, language: str = "nl", teacher_term_7b: str | None = None) -> PupilApp:
    study = kinds_study(folder, teacher_term_7b)
    return make_app(folder, study, "w1", language, instruments={"all_kinds": instrument}, return_after=None)


def shown(app: PupilApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).content)


def item_on_screen(app: PupilApp) -> str:
    screen = app.screen
    assert isinstance(screen, ItemScreen)
    return screen.item.id


async def start_items(pilot: Pilot, code: str = MEESTER_PUPIL) -> None:
    """Log in: "Ja" at the name check, Enter past the practice item (new pupils) and the introduction."""
    await pilot.press(*code, "enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, NameCheckScreen)
    await pilot.press("1")
    await pilot.pause()
    if isinstance(pilot.app.screen, PracticeScreen):
        await pilot.press("enter")
        await pilot.pause()
    assert isinstance(pilot.app.screen, IntroductionScreen)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ItemScreen)


async def keys(pilot: Pilot, *pressed: str) -> None:
    await pilot.press(*pressed)
    await pilot.pause()


async def type_text(pilot: Pilot, typed: str) -> None:
    await keys(pilot, *typed)


async def go_to(pilot: Pilot, item: str) -> None:
    """Skip unanswered items with Enter (fields are empty, so nothing is saved) up to `item`."""
    while item_on_screen(pilot.app) != item:
        await keys(pilot, "enter")


def field_value(app: PupilApp) -> str:
    areas = app.screen.query(TextArea)
    return areas.first().text if areas else app.screen.query_one(Input).value


def only_session(folder: DataFolder) -> Session:
    paths = list(folder.session_paths())
    assert len(paths) == 1, paths
    return Session(paths[0])


@pilot_test
async def test_keyboard_only_answers_every_kind_and_storage_holds_values_of_the_right_type(demo_folder: DataFolder, all_kinds: Instrument) -> None:
    app = kinds_app(demo_folder, all_kinds)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_items(pilot)
        seen = []
        seen.append(item_on_screen(app))
        await keys(pilot, "4", "enter")  # "waar"
        seen.append(item_on_screen(app))
        await keys(pilot, "2", "enter")  # "meisje"
        seen.append(item_on_screen(app))
        await type_text(pilot, "9")
        await keys(pilot, "enter")
        seen.append(item_on_screen(app))
        await keys(pilot, "7", "enter")
        seen.append(item_on_screen(app))
        await type_text(pilot, "rekenen en taal")
        await keys(pilot, "enter")
        seen.append(item_on_screen(app))
        await type_text(pilot, "meer gym")
        await keys(pilot, "enter")  # a text box takes Enter as a new line
        await type_text(pilot, "en een moestuin")
        await keys(pilot, "tab", "enter")  # Tab to "volgende", Enter presses it: the last item, so done
        assert isinstance(app.screen, FarewellScreen)

    assert seen == ORDER
    session = only_session(demo_folder)
    answers = session.answers()
    assert answers == {
        "teacher_helps": 4, "gender": 2, "age": 9, "school_mark": 7,
        "favourite_subject": "rekenen en taal", "wish": "meer gym\nen een moestuin",
    }
    assert {item: type(value) for item, value in answers.items()} == {
        "teacher_helps": int, "gender": int, "age": int, "school_mark": int, "favourite_subject": str, "wish": str,
    }
    assert [a.item for a in session.history()] == ORDER  # one record each: nothing saved twice
    assert session.finished
    assert all(all_kinds.answer_problem(all_kinds.item(item), value) is None for item, value in answers.items())


@pilot_test
async def test_key_0_chooses_the_tenth_number_of_a_rating_and_marks_it_without_colour(demo_folder: DataFolder, all_kinds: Instrument) -> None:
    app = kinds_app(demo_folder, all_kinds)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_items(pilot)
        await go_to(pilot, "school_mark")
        assert "0 = 10" in shown(app, "#keys-hint")
        await keys(pilot, "0")
        chosen = [b for b in app.screen.query(RatingButton) if b.has_class("-chosen")]
        assert [(b.value, str(b.label)) for b in chosen] == [(10, "▶10◀")]
        await keys(pilot, "3")
        chosen = [b for b in app.screen.query(RatingButton) if b.has_class("-chosen")]
        assert [(b.value, str(b.label)) for b in chosen] == [(3, "▶3◀")]
        assert len(app.screen.query(RatingButton)) == 10
        ends = [str(label.content) for label in app.screen.query(".rating-low, .rating-high").results(Static)]
        assert ends == ["↑ heel slecht", "heel goed ↑"]

    assert [(a.item, a.value) for a in only_session(demo_folder).history()] == [("school_mark", 10), ("school_mark", 3)]


@pilot_test
async def test_a_number_outside_the_range_is_refused_kindly_and_not_stored(demo_folder: DataFolder, all_kinds: Instrument) -> None:
    app = kinds_app(demo_folder, all_kinds)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_items(pilot)
        await go_to(pilot, "age")
        await type_text(pilot, "x-1.5")  # only digits reach the field
        assert field_value(app) == "15"
        await keys(pilot, "enter")
        assert item_on_screen(app) == "age"
        assert shown(app, ".field-message") == "⚠  Kies een getal van 6 tot 14."
        await keys(pilot, "backspace", "backspace", "5", "escape")  # 5 is too small to leave by going back too
        assert item_on_screen(app) == "age"
        assert only_session(demo_folder).history() == []
        await keys(pilot, "backspace")
        await type_text(pilot, "14")
        await keys(pilot, "enter")
        assert item_on_screen(app) == "school_mark"

    assert [(a.item, a.value) for a in only_session(demo_folder).history()] == [("age", 14)]


@pilot_test
async def test_left_and_right_move_the_cursor_in_a_field_and_do_not_change_the_item(demo_folder: DataFolder, all_kinds: Instrument) -> None:
    app = kinds_app(demo_folder, all_kinds)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_items(pilot)
        await go_to(pilot, "age")
        await type_text(pilot, "2")
        await keys(pilot, "left", "left", "1", "right", "right")
        assert (item_on_screen(app), field_value(app)) == ("age", "12")
        await go_to(pilot, "favourite_subject")
        await type_text(pilot, "gm")
        await keys(pilot, "left")
        await type_text(pilot, "y")
        await keys(pilot, "right", "left")
        assert (item_on_screen(app), field_value(app)) == ("favourite_subject", "gym")
    assert only_session(demo_folder).answers() == {"age": 12}


@pilot_test
async def test_coming_back_shows_the_stored_number_and_text_and_leaving_unchanged_saves_nothing(demo_folder: DataFolder, all_kinds: Instrument) -> None:
    app = kinds_app(demo_folder, all_kinds)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_items(pilot)
        await go_to(pilot, "age")
        await type_text(pilot, "9")
        await keys(pilot, "enter", "enter")  # age, then past the rating without an answer
        await type_text(pilot, "taal")
        await keys(pilot, "enter")
        await type_text(pilot, "meer gym")
        await keys(pilot, "escape")  # back: what is typed is saved on leaving
        assert (item_on_screen(app), field_value(app)) == ("favourite_subject", "taal")
        await keys(pilot, "escape", "left")  # back past the rating to the number
        assert (item_on_screen(app), field_value(app)) == ("age", "9")
        assert app.screen.query_one(NumberAnswer).query_one(Input).has_focus
        await keys(pilot, "enter", "enter", "enter")  # forward again, changing nothing
        assert (item_on_screen(app), field_value(app)) == ("wish", "meer gym")

    history = [(a.item, a.value) for a in only_session(demo_folder).history()]
    assert history == [("age", 9), ("favourite_subject", "taal"), ("wish", "meer gym")]


@pilot_test
async def test_emptying_a_field_clears_the_earlier_answer_in_the_audit_trail(demo_folder: DataFolder, all_kinds: Instrument) -> None:
    app = kinds_app(demo_folder, all_kinds)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_items(pilot)
        await go_to(pilot, "favourite_subject")
        await type_text(pilot, "taal")
        await keys(pilot, "enter", "escape")  # saved, then back from the text box
        assert field_value(app) == "taal"
        await keys(pilot, *["backspace"] * 4)
        await type_text(pilot, "   ")  # only spaces: no answer
        await keys(pilot, "enter")
        assert item_on_screen(app) == "wish"

    session = only_session(demo_folder)
    assert [(a.item, a.value) for a in session.history()] == [("favourite_subject", "taal"), ("favourite_subject", None)]
    assert session.answers() == {"favourite_subject": None}


@pilot_test
async def test_open_text_stops_at_its_maximum_length_typed_or_pasted(demo_folder: DataFolder, all_kinds: Instrument) -> None:
    app = kinds_app(demo_folder, all_kinds)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_items(pilot)
        await go_to(pilot, "favourite_subject")
        await type_text(pilot, "a" * 45)
        assert field_value(app) == "a" * 40
        await keys(pilot, "enter")
        box = app.screen.query_one(TextArea)
        await type_text(pilot, "begin ")
        box.post_message(events.Paste("b" * 250))  # pasting goes through the same limit
        await pilot.pause()
        await type_text(pilot, "c")
        assert box.text == "begin " + "b" * 194
        assert shown(app, ".text-count") == "200 van 200 tekens"
        await keys(pilot, "escape")

    answers = only_session(demo_folder).answers()
    assert answers == {"favourite_subject": "a" * 40, "wish": "begin " + "b" * 194}


@pilot_test
async def test_a_typed_answer_that_could_not_be_saved_keeps_the_pupil_on_the_item(
    demo_folder: DataFolder, all_kinds: Instrument, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(self: Session, item: str, value: object, shown_ms: int | None = None) -> None:
        raise WriteFailed(f"{self.path}: no space left on device")

    app = kinds_app(demo_folder, all_kinds)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_items(pilot)
        await go_to(pilot, "age")
        monkeypatch.setattr(Session, "record", disk_full)
        await type_text(pilot, "9")
        await keys(pilot, "enter")
        assert item_on_screen(app) == "age"
        assert "NIET opgeslagen" in shown(app, "#save-problem")
    assert only_session(demo_folder).history() == []


@pilot_test
async def test_a_value_the_instrument_refuses_is_never_stored(
    demo_folder: DataFolder, all_kinds: Instrument, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a widget that got its range wrong: Instrument.answer_problem stops the value at the door
    monkeypatch.setattr(NumberAnswer, "pending", lambda self: 15)
    app = kinds_app(demo_folder, all_kinds)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_items(pilot)
        await go_to(pilot, "age")
        await keys(pilot, "enter")
        assert item_on_screen(app) == "age"
        assert "NIET opgeslagen" in shown(app, "#save-problem")
    assert only_session(demo_folder).history() == []


@pilot_test
async def test_a_nominal_choice_is_buttons_with_their_keys(demo_folder: DataFolder, all_kinds: Instrument) -> None:
    app = kinds_app(demo_folder, all_kinds)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_items(pilot)
        await go_to(pilot, "gender")
        labels = [str(b.label) for b in app.screen.query(AnswerButton)]
        assert labels == ["1  jongen", "2  meisje", "3  anders", "4  zeg ik liever niet"]
        await keys(pilot, "4", "5")  # 5 is no option here
        chosen = [str(b.label) for b in app.screen.query(AnswerButton) if b.has_class("-chosen")]
        assert chosen == ["▶ 4  zeg ik liever niet ◀"]
    assert only_session(demo_folder).answers() == {"gender": 4}


HELPS = {
    ("nl", "meester"): "De meester ziet het als ik iets niet snap. Dan helpt hij mij.",
    ("nl", "juf"): "De juf ziet het als ik iets niet snap. Dan helpt zij mij.",
    ("en", "meester"): "The teacher sees when I do not understand something. Then he helps me.",
}


@pytest.mark.parametrize(("language", "term", "code"), [("nl", "meester", MEESTER_PUPIL), ("nl", "juf", JUF_PUPIL), ("en", "meester", MEESTER_PUPIL)])
@pilot_test
async def test_placeholders_are_filled_from_the_class_stored_and_shown(
    demo_folder: DataFolder, all_kinds: Instrument, language: str, term: str, code: str
) -> None:
    app = kinds_app(demo_folder, all_kinds, language)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_items(pilot, code)
        assert shown(app, "#item-text") == HELPS[language, term]

    texts = only_session(demo_folder).meta.item_texts
    assert texts["teacher_helps"] == HELPS[language, term]
    # every item's text is stored; those without placeholders as written
    assert texts == {item.id: HELPS[language, term] if item.id == "teacher_helps" else item.text.get(language) for item in all_kinds.items}


@pilot_test
async def test_a_resumed_session_shows_the_text_it_stored_even_when_the_class_changed(demo_folder: DataFolder, all_kinds: Instrument) -> None:
    first = kinds_app(demo_folder, all_kinds)
    async with first.run_test(size=(80, 24)) as pilot:
        await start_items(pilot)
        assert shown(first, "#item-text") == HELPS["nl", "meester"]
        first.exit()  # stopped before answering

    # between the two days the researcher set class 7b to "juf": the session keeps what was read
    again = kinds_app(demo_folder, all_kinds, teacher_term_7b="juf")
    async with again.run_test(size=(80, 24)) as pilot:
        await start_items(pilot)
        assert shown(again, "#item-text") == HELPS["nl", "meester"]
    assert only_session(demo_folder).meta.item_texts["teacher_helps"] == HELPS["nl", "meester"]


@pilot_test
async def test_ctrl_enter_leaves_a_text_box_where_the_terminal_sends_it(demo_folder: DataFolder, all_kinds: Instrument) -> None:
    app = kinds_app(demo_folder, all_kinds)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_items(pilot)
        await go_to(pilot, "wish")
        await type_text(pilot, "niets")
        await keys(pilot, "ctrl+enter")
        assert isinstance(app.screen, ReviewScreen)  # the last item is left: the five skipped on the way are listed
    assert only_session(demo_folder).answers() == {"wish": "niets"}
