"""Around the items: the name check after a valid code, the practice item for a new pupil,
the review of skipped items before finishing, the shuffled order as stored, and resuming.
Driven through Textual's Pilot and checked against the files on disk."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets import Input, Static

from pilot import pilot_test, settle
from instruments import load_instrument
from storage import DataFolder, Session, Study, Wave, roster
from storage.demo_roster import DEMO_PUPILS
from test_tui_pilot import PUPIL, app_for, item_on_screen, motivation, only_session, shown, type_code
from tui.app import PupilApp
from tui.launch import make_app
from tui.screens import (
    CodeEntryScreen,
    FarewellScreen,
    IntroductionScreen,
    ItemScreen,
    NameCheckScreen,
    PracticeScreen,
    ReviewScreen,
)
from tui.screens.practice import PRACTICE_ID
from tui.screens.review import ReviewButton
from tui.widgets.choice import AnswerButton

CLASSMATE = "FK33XF"  # Daan, in PUPIL's class (6a)
ALL_KINDS = Path(__file__).parent / "data" / "instruments" / "all_kinds.yaml"


async def press(pilot: Pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.pause()


async def confirm(pilot: Pilot, code: str = PUPIL) -> None:
    """Type the code and answer "Ja" at the name check."""
    await type_code(pilot, code)
    assert isinstance(pilot.app.screen, NameCheckScreen)
    await press(pilot, "1")


async def to_items(pilot: Pilot, code: str = PUPIL) -> None:
    """A new pupil: name check, practice item, introduction, then the first item."""
    await confirm(pilot, code)
    assert isinstance(pilot.app.screen, PracticeScreen)
    await press(pilot, "enter")
    assert isinstance(pilot.app.screen, IntroductionScreen)
    await press(pilot, "enter")
    assert isinstance(pilot.app.screen, ItemScreen)


def files_under(root: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file() and path.name != "klaspeil.owner"}


def chosen(app: PupilApp) -> list[int]:
    return [button.value for button in app.screen.query(AnswerButton) if button.has_class("-chosen")]


def review_list(app: PupilApp) -> list[str]:
    """The captions of the skipped items on the review screen, top to bottom."""
    assert isinstance(app.screen, ReviewScreen)
    return [button.caption for button in app.screen.query(ReviewButton) if button.item_id is not None]


# -- the name check ----------------------------------------------------------------------
@pilot_test
async def test_the_name_check_asks_with_the_first_name_from_the_key_file(demo_folder: DataFolder) -> None:
    app = app_for(demo_folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_code(pilot, PUPIL)
        assert isinstance(app.screen, NameCheckScreen)
        assert shown(app, "#name-question") == "Ben jij Emma?"
        assert list(demo_folder.session_paths()) == []  # nothing opened before the pupil says yes
        await pilot.click("#name-yes")  # the mouse works too
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen)
    assert only_session(demo_folder).meta.respondent == PUPIL


@pilot_test
async def test_a_classmates_code_declined_at_the_name_check_returns_to_a_clean_code_entry_and_stores_nothing(demo_folder: DataFolder) -> None:
    app = app_for(demo_folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_code(pilot, CLASSMATE)
        assert shown(app, "#name-question") == "Ben jij Daan?"
        await press(pilot, "n")  # "Nee"
        assert isinstance(app.screen, CodeEntryScreen)
        assert app.screen.query_one("#code", Input).value == ""
        assert "Typ dan je eigen code. Kijk goed op je kaartje." in shown(app, "#code-message")
        assert "Daan" not in shown(app, "#code-message")
        assert len(app.screen_stack) == 2  # the default screen and this code entry: nothing behind it
        await confirm(pilot, PUPIL)  # now the pupil's own code
        assert isinstance(app.screen, PracticeScreen)
    assert not (demo_folder.root / "sessions" / "demo" / "w1" / CLASSMATE).exists()
    assert [Session(path).meta.respondent for path in demo_folder.session_paths()] == [PUPIL]


@pilot_test
async def test_without_a_name_for_the_code_there_is_no_name_check(demo_folder: DataFolder) -> None:
    roster.key_path(demo_folder).unlink()  # a study whose codes were made without a class list
    app = app_for(demo_folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_code(pilot, PUPIL)
        assert isinstance(app.screen, PracticeScreen)


@pilot_test
async def test_the_first_name_is_on_screen_only_never_in_a_session(demo_folder: DataFolder) -> None:
    app = app_for(demo_folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_items(pilot)
        for _ in range(9):
            await press(pilot, "3", "enter")
        assert isinstance(app.screen, FarewellScreen)
    data = b"".join(files_under(demo_folder.root / "sessions").values())
    assert b"Emma" not in data and b"de Vries" not in data


def test_the_demo_gets_made_up_names_in_a_private_key_file_once(demo_folder: DataFolder, tmp_path: Path) -> None:
    path = roster.key_path(demo_folder)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    names = roster.load_key(demo_folder)
    study = demo_folder.study()
    assert set(names) == {code for school_class in study.classes for code in school_class.pupils}
    assert names[PUPIL].first_name == "Emma" == DEMO_PUPILS["6a"][PUPIL][0]

    path.write_text('{"classes": {"6a": {"FNWW4F": {"first_name": "Sanne", "last_name": "Kok"}}}}')
    demo_folder.install_demo()  # a folder with its own key file keeps it
    assert roster.load_key(demo_folder)[PUPIL].first_name == "Sanne"

    other = DataFolder(tmp_path / "other")
    other.ensure()
    other.study_path.write_text(demo_folder.study_path.read_text().replace("title: klaspeil demo", "title: onze school"))
    other.install_demo()  # not the demo study: its codes get no made-up names
    assert not roster.key_path(other).exists()


# -- the practice item -------------------------------------------------------------------
@pilot_test
async def test_the_practice_item_looks_and_answers_like_an_item_and_stores_nothing(demo_folder: DataFolder) -> None:
    app = app_for(demo_folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await confirm(pilot)
        assert isinstance(app.screen, PracticeScreen)
        before = files_under(demo_folder.root)
        assert shown(app, "#progress") == "Dit is een oefenvraag. Je antwoord telt niet mee."
        assert shown(app, "#item-text") == "Ik eet graag pannenkoeken."
        scale = motivation(app).response_scales[0]  # true5: the scale of the first item
        labels = [str(button.label) for button in app.screen.query(AnswerButton)]
        assert labels == [f"{n}  {scale.labels[n].nl}" for n in scale.values]
        await press(pilot, "4")
        assert chosen(app) == [4]
        await pilot.click(list(app.screen.query(AnswerButton))[1])
        await pilot.pause()
        assert chosen(app) == [2]
        assert files_under(demo_folder.root) == before  # chosen on screen, stored nowhere
        await press(pilot, "enter")
        assert isinstance(app.screen, IntroductionScreen)
        await press(pilot, "enter")
        assert shown(app, "#progress") == "vraag 1 van 9"  # the practice item is not counted
        assert chosen(app) == []  # its answer does not carry over to the first item
        for _ in range(9):
            await press(pilot, "5", "enter")
        assert isinstance(app.screen, FarewellScreen)
    session = only_session(demo_folder)
    assert set(session.answers()) == {item.id for item in motivation(app).items}
    assert not any(PRACTICE_ID.encode() in data for data in files_under(demo_folder.root / "sessions").values())


@pilot_test
async def test_a_pupil_who_comes_back_gets_no_practice_item(demo_folder: DataFolder) -> None:
    first = app_for(demo_folder)
    async with first.run_test(size=(80, 24)) as pilot:
        await to_items(pilot)
        await press(pilot, "2", "enter")
        first.exit()
    again = app_for(demo_folder)
    async with again.run_test(size=(80, 24)) as pilot:
        await confirm(pilot)
        assert isinstance(again.screen, IntroductionScreen)


def study_with(folder: DataFolder, *instrument_ids: str) -> Study:
    """The demo study with one wave that gives pupils these instruments, in this order."""
    return folder.study().model_copy(update={"waves": [Wave(id="w1", instruments={"pupil": list(instrument_ids)})]})


@pilot_test
async def test_practice_comes_once_before_the_first_questionnaire_and_not_on_a_return(demo_folder: DataFolder) -> None:
    study = study_with(demo_folder, "pupil_motivation", "pupil_need_support")
    first = make_app(demo_folder, study, "w1", return_after=None)
    async with first.run_test(size=(80, 24)) as pilot:
        await to_items(pilot)
        for _ in range(9):
            await press(pilot, "3", "enter")
        assert isinstance(first.screen, IntroductionScreen)  # the second questionnaire: no practice again
        assert shown(first, "#intro-title") == first.instruments[1].title.nl
        first.exit()  # stopped before its first item

    again = make_app(demo_folder, study, "w1", return_after=None)
    async with again.run_test(size=(80, 24)) as pilot:
        await confirm(pilot)  # the first questionnaire is finished: this pupil has practised
        assert isinstance(again.screen, IntroductionScreen)
        assert shown(again, "#intro-title") == again.instruments[1].title.nl


@pilot_test
async def test_no_practice_when_the_first_questionnaire_has_no_answer_buttons(demo_folder: DataFolder) -> None:
    kinds = load_instrument(ALL_KINDS)
    typed_only = kinds.model_copy(
        update={"sections": [s.model_copy(update={"items": [i for i in s.items if i.kind != "options"]}) for s in kinds.sections]}
    )
    assert typed_only.items and all(item.kind != "options" for item in typed_only.items)
    app = make_app(demo_folder, study_with(demo_folder, "all_kinds"), "w1", instruments={"all_kinds": typed_only}, return_after=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await confirm(pilot)
        assert isinstance(app.screen, IntroductionScreen)


# -- the review of skipped items ---------------------------------------------------------
@pilot_test
async def test_the_review_lists_the_skipped_items_and_answering_one_shrinks_it(demo_folder: DataFolder) -> None:
    app = app_for(demo_folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_items(pilot)
        order = only_session(demo_folder).meta.item_order
        sentence = {item.id: item.text.nl for item in motivation(app).items}
        for number in range(1, 10):
            await press(pilot, *(["enter"] if number in (2, 5) else [str(number % 5 + 1), "enter"]))
        assert review_list(app) == [f"vraag 2:  {sentence[order[1]]}", f"vraag 5:  {sentence[order[4]]}"]
        assert shown(app, "#review-title") == "Je hebt 2 vragen overgeslagen."

        await press(pilot, "up")  # from Klaar to the last skipped item: vraag 5
        assert "▶" in str(app.screen.query_one(".review-item:last-of-type", ReviewButton).label)
        await press(pilot, "enter")
        assert isinstance(app.screen, ItemScreen)
        assert item_on_screen(app) == order[4] and shown(app, "#progress") == "vraag 5 van 9"
        await press(pilot, "4", "enter")  # answered; next leads back to the review
        assert review_list(app) == [f"vraag 2:  {sentence[order[1]]}"]
        assert shown(app, "#review-title") == "Je hebt 1 vraag overgeslagen."
        assert only_session(demo_folder).answers()[order[4]] == 4

        await pilot.click(".review-item")  # vraag 2, with the mouse; then next without answering it
        await pilot.pause()
        assert item_on_screen(app) == order[1]
        await press(pilot, "enter")
        assert review_list(app) == [f"vraag 2:  {sentence[order[1]]}"]

        await press(pilot, "enter")  # Klaar has the focus: finished with vraag 2 still skipped
        assert isinstance(app.screen, FarewellScreen)
    session = only_session(demo_folder)
    assert session.finished
    assert set(session.answers()) == set(order) - {order[1]}


@pilot_test
async def test_a_long_sentence_in_the_review_is_shown_whole_at_80x24(demo_folder: DataFolder) -> None:
    app = make_app(demo_folder, study_with(demo_folder, "pupil_diversity"), "w1", return_after=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_items(pilot)
        screen = app.screen
        assert isinstance(screen, ItemScreen)
        longest = max(screen.order, key=lambda item_id: len(screen.sentence(screen.instrument.item(item_id))))
        for _ in screen.order:
            await press(pilot, *(["enter"] if screen.item.id == longest else ["2", "enter"]))
        [button] = [b for b in app.screen.query(ReviewButton) if b.item_id is not None]
        assert len(button.caption) > 100  # longer than a line of the review
        rendered = button.render_lines(Region(0, 0, *button.outer_size))  # with the border rows
        words = " ".join(strip.text.strip(" ▔▁▶◀") for strip in rendered).split()
        assert words == button.caption.split()  # every word on screen: wrapped, not cut off


@pilot_test
async def test_nothing_skipped_means_no_review(demo_folder: DataFolder) -> None:
    app = app_for(demo_folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_items(pilot)
        await press(pilot, "enter")  # skip the first item ...
        for _ in range(8):
            await press(pilot, "3", "enter")
        assert isinstance(app.screen, ReviewScreen)
        await press(pilot, "escape")  # not a way out of the review
        assert isinstance(app.screen, ReviewScreen)
        await press(pilot, "up", "enter", "1", "enter")  # ... answered from the review: nothing left to review
        assert isinstance(app.screen, FarewellScreen)
    session = only_session(demo_folder)
    assert session.finished and len(session.answers()) == 9


# -- shuffled order and resume -----------------------------------------------------------
@pilot_test
async def test_the_shuffled_order_stored_is_the_order_shown(demo_folder: DataFolder) -> None:
    app = make_unseeded(demo_folder)
    bank_order = [item.id for item in app.instruments[0].items]
    assert all(section.shuffle for section in app.instruments[0].sections)  # pupil_motivation shuffles
    shown_orders: dict[str, list[str]] = {}
    async with app.run_test(size=(80, 24)) as pilot:
        for code in (PUPIL, CLASSMATE):
            await to_items(pilot, code)
            seen = []
            for _ in range(9):
                seen.append(item_on_screen(app))
                await press(pilot, "2", "enter")
            await press(pilot, "space")  # the thank-you, then the next pupil
            shown_orders[code] = seen
    stored = {Session(path).meta.respondent: Session(path).meta.item_order for path in demo_folder.session_paths()}
    assert stored == shown_orders
    assert all(sorted(order) == sorted(bank_order) for order in stored.values())
    assert any(order != bank_order for order in stored.values())  # shuffled: per pupil, from the session id


def make_unseeded(folder: DataFolder) -> PupilApp:
    return make_app(folder, folder.study(), "w1", return_after=None)  # no fixed seed: as in the field


@pilot_test
async def test_after_an_interruption_the_pupil_resumes_at_the_first_unanswered_item(demo_folder: DataFolder) -> None:
    first = app_for(demo_folder)
    async with first.run_test(size=(80, 24)) as pilot:
        await to_items(pilot)
        await press(pilot, "4", "enter", "enter", "2", "enter", "5", "enter")  # item 2 skipped
        first.exit()  # the laptop is shut on item 5
    order = only_session(demo_folder).meta.item_order

    again = app_for(demo_folder)  # a new app on the same folder, as after a restart
    async with again.run_test(size=(80, 24)) as pilot:
        await confirm(pilot)
        assert "Welkom terug" in str(again.screen.query_one("#welcome-back", Static).content)
        await press(pilot, "enter")
        assert item_on_screen(again) == order[1] and shown(again, "#progress") == "vraag 2 van 9"
    assert set(only_session(demo_folder).answers()) == {order[0], order[2], order[3]}


# -- how it looks (tests/__snapshots__/test_pupil_flow/; the name check and the review are in
# test_kiosk_snapshots.py's matrix of themes and sizes) ------------------------------------------
SnapCompare = Callable[..., bool]  # pytest-textual-snapshot's fixture


@pytest.fixture
def snapshot_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PupilApp:
    monkeypatch.chdir(tmp_path)  # a relative data folder: no temporary path on screen
    folder = DataFolder(Path("klaspeil-demo"))
    folder.install_demo()
    return make_app(folder, folder.study(), "w1", "nl", demo=True, shuffle_seed=7, return_after=None)


async def practice_answered(pilot: Pilot) -> None:
    await settle(pilot)
    await type_code(pilot, PUPIL)
    await press(pilot, "1", "4")  # Ja; then "waar" on the practice item
    await settle(pilot)


def test_practice_item_with_an_answer_80x24(snapshot_app: PupilApp, snap_compare: SnapCompare) -> None:
    assert snap_compare(snapshot_app, terminal_size=(80, 24), run_before=practice_answered)
