"""The pupil flow driven by keyboard (and once by mouse) through Textual's Pilot, checked
against what storage holds afterwards."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from instruments import Instrument, InvalidFile, content_hash
from storage import DataFolder, DataFolderBusy, Session, StorageError, WriteFailed, codes
from tui.app import PupilApp, pupil_sessions
from tui.launch import make_app, run_pupil_app
from tui.screens import CodeEntryScreen, FarewellScreen, IntroductionScreen, ItemScreen, NameCheckScreen, PracticeScreen
from tui.screens.item import AnswerButton
from pilot import pilot_test

PUPIL = "FNWW4F"  # class 6a of the demo study
TYPED = [2, 5, 1, 4, 3, 3, 1, 5, 2]  # one answer per item, in the order shown


def app_for(folder: DataFolder, **options: object) -> PupilApp:
    return make_app(folder, folder.study(), "w1", return_after=None, **options)


def motivation(app: PupilApp) -> Instrument:
    return app.instruments[0]


def shown(app: PupilApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).content)


def item_on_screen(app: PupilApp) -> str:
    """The id of the item whose sentence the pupil sees now."""
    sentence = shown(app, "#item-text")
    matches = [item.id for item in motivation(app).items if item.text.nl == sentence]
    assert len(matches) == 1, f"screen shows {sentence!r}"
    return matches[0]


async def type_code(pilot: Pilot, code: str) -> None:
    await pilot.press(*code, "enter")
    await pilot.pause()


async def log_in(pilot: Pilot, code: str) -> None:
    """Type the code and say "Ja" at the name check if it comes (the demo's key file names
    every pupil; a refused code stays on code entry)."""
    await type_code(pilot, code)
    if isinstance(pilot.app.screen, NameCheckScreen):
        await pilot.press("1")
        await pilot.pause()


async def start_items(pilot: Pilot, code: str = PUPIL) -> None:
    """Log in, go past the practice item (new pupils only) and the introduction."""
    await log_in(pilot, code)
    if isinstance(pilot.app.screen, PracticeScreen):
        await pilot.press("enter")
        await pilot.pause()
    assert isinstance(pilot.app.screen, IntroductionScreen)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ItemScreen)


async def answer(pilot: Pilot, value: int) -> str:
    """Answer the item on screen with a digit key and go on; returns the item's id."""
    item = item_on_screen(pilot.app)
    await pilot.press(str(value), "enter")
    await pilot.pause()
    return item


def only_session(folder: DataFolder) -> Session:
    paths = list(folder.session_paths())
    assert len(paths) == 1, paths
    return Session(paths[0])


@pilot_test
async def test_keyboard_only_pupil_completes_motivation_and_storage_holds_what_was_typed(demo_folder: DataFolder) -> None:
    app = app_for(demo_folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_items(pilot)
        typed: dict[str, int] = {}
        progress: list[str] = []
        for value in TYPED:
            progress.append(shown(app, "#progress"))
            typed[await answer(pilot, value)] = value
        assert isinstance(app.screen, FarewellScreen)
        assert shown(app, "#farewell-title") == "Dankjewel!"

    assert progress == [f"vraag {n} van 9" for n in range(1, 10)]
    session = only_session(demo_folder)
    instrument = motivation(app)
    assert session.answers() == typed
    assert len(typed) == 9
    assert session.finished
    meta = session.meta
    assert sorted(meta.item_order) == sorted(item.id for item in instrument.items)
    assert list(typed) == meta.item_order  # the order shown is the order stored
    assert all(answer.shown_ms is not None and answer.shown_ms >= 0 for answer in session.history())
    assert (meta.respondent, meta.wave, meta.class_id, meta.study, meta.audience) == (PUPIL, "w1", "6a", "demo", "pupil")
    assert (meta.instrument, meta.instrument_version) == (instrument.id, instrument.version)
    assert meta.instrument_hash == content_hash(instrument)
    assert meta.device_id == demo_folder.device_id
    assert meta.language == "nl"


@pilot_test
async def test_a_mistyped_code_is_explained_and_opens_no_session(demo_folder: DataFolder) -> None:
    mistyped = PUPIL[:-1] + "G"  # one character wrong: the check character catches it
    assert not codes.is_valid(mistyped)
    app = app_for(demo_folder)
    async with app.run_test() as pilot:
        await type_code(pilot, mistyped)
        assert isinstance(app.screen, CodeEntryScreen)
        assert "Deze code klopt niet, kijk nog eens op je kaartje" in shown(app, "#code-message")
    assert list(demo_folder.session_paths()) == []


@pilot_test
async def test_a_valid_code_of_another_study_is_told_kindly_and_opens_no_session(demo_folder: DataFolder) -> None:
    study = demo_folder.study()
    stranger = codes.new_code(taken={code for c in study.classes for code in c.pupils})
    app = app_for(demo_folder)
    async with app.run_test() as pilot:
        await type_code(pilot, stranger.lower())  # lower case is fine: codes are normalised
        assert isinstance(app.screen, CodeEntryScreen)
        assert "hoort niet bij dit onderzoek" in shown(app, "#code-message")
    assert list(demo_folder.session_paths()) == []


@pilot_test
async def test_codes_are_normalised_before_they_are_checked(demo_folder: DataFolder) -> None:
    app = app_for(demo_folder)
    async with app.run_test() as pilot:
        await log_in(pilot, "fnw-w4f")
        assert isinstance(app.screen, PracticeScreen)  # a new pupil's first screen after the name check
    assert only_session(demo_folder).meta.respondent == PUPIL


@pilot_test
async def test_an_interrupted_pupil_resumes_at_the_first_unanswered_item(demo_folder: DataFolder) -> None:
    first = app_for(demo_folder)
    async with first.run_test() as pilot:
        await start_items(pilot)
        for value in TYPED[:4]:
            await answer(pilot, value)
        first.exit()  # the laptop is closed halfway

    session = only_session(demo_folder)
    assert len(session.answers()) == 4 and not session.finished

    again = app_for(demo_folder)
    async with again.run_test() as pilot:
        await log_in(pilot, PUPIL)
        assert isinstance(again.screen, IntroductionScreen)
        assert "Welkom terug" in shown(again, "#welcome-back")
        await pilot.press("enter")
        await pilot.pause()
        assert shown(again, "#progress") == "vraag 5 van 9"
        assert item_on_screen(again) == session.meta.item_order[4]
        for value in TYPED[4:]:
            await answer(pilot, value)
        assert isinstance(again.screen, FarewellScreen)

    assert only_session(demo_folder).answers() == dict(zip(session.meta.item_order, TYPED))
    assert only_session(demo_folder).finished


@pilot_test
async def test_going_back_to_change_an_answer_keeps_both_in_the_audit_trail(demo_folder: DataFolder) -> None:
    app = app_for(demo_folder)
    async with app.run_test() as pilot:
        await start_items(pilot)
        first = await answer(pilot, 2)
        second = await answer(pilot, 4)
        await pilot.press("left", "left")
        await pilot.pause()
        assert item_on_screen(app) == first
        assert shown(app, "#progress") == "vraag 1 van 9"
        chosen = [b for b in app.screen.query(AnswerButton) if b.has_class("-chosen")]
        assert [b.value for b in chosen] == [2] and "▶" in str(chosen[0].label)
        await pilot.press("5")
        await pilot.pause()
        chosen = [b for b in app.screen.query(AnswerButton) if b.has_class("-chosen")]
        assert [b.value for b in chosen] == [5]

    session = only_session(demo_folder)
    assert [(a.item, a.value) for a in session.history()] == [(first, 2), (second, 4), (first, 5)]
    assert session.answers() == {first: 5, second: 4}


@pilot_test
async def test_enter_on_an_unanswered_item_skips_it_and_a_key_outside_the_scale_does_nothing(demo_folder: DataFolder) -> None:
    app = app_for(demo_folder)
    async with app.run_test() as pilot:
        await start_items(pilot)
        await pilot.press("7", "0", "enter")
        await pilot.pause()
        assert shown(app, "#progress") == "vraag 2 van 9"
    assert only_session(demo_folder).history() == []


@pilot_test
async def test_an_answer_can_be_clicked(demo_folder: DataFolder) -> None:
    app = app_for(demo_folder)
    async with app.run_test() as pilot:
        await start_items(pilot)
        item = item_on_screen(app)
        fourth = list(app.screen.query(AnswerButton))[3]
        await pilot.click(fourth)
        await pilot.pause()
        assert fourth.has_class("-chosen")
    assert only_session(demo_folder).answers() == {item: 4}


@pilot_test
async def test_an_answer_that_could_not_be_saved_is_not_shown_as_chosen(demo_folder: DataFolder, monkeypatch: pytest.MonkeyPatch) -> None:
    def disk_full(self: Session, item: str, value: int | None, shown_ms: int | None = None) -> None:
        raise WriteFailed(f"{self.path}: no space left on device")

    app = app_for(demo_folder)
    async with app.run_test() as pilot:
        await start_items(pilot)
        monkeypatch.setattr(Session, "record", disk_full)
        await pilot.press("3")
        await pilot.pause()
        assert "NIET opgeslagen" in shown(app, "#save-problem")
        assert not [b for b in app.screen.query(AnswerButton) if b.has_class("-chosen")]
    assert only_session(demo_folder).history() == []


@pilot_test
async def test_a_pupil_who_finished_is_told_so_and_gets_no_new_session(demo_folder: DataFolder) -> None:
    study = demo_folder.study()
    instruments = [demo_folder.instruments()["pupil_motivation"]]
    [done] = pupil_sessions(demo_folder, study, "w1", study.classes[0], PUPIL, instruments, "nl")
    done.session.finish()

    app = app_for(demo_folder)
    async with app.run_test() as pilot:
        await log_in(pilot, PUPIL)
        assert isinstance(app.screen, FarewellScreen)
        assert shown(app, "#farewell-title") == "Je bent al klaar!"
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(app.screen, CodeEntryScreen)
    assert len(list(demo_folder.session_paths())) == 1


@pilot_test
async def test_the_next_pupil_sees_an_empty_code_field(demo_folder: DataFolder) -> None:
    app = app_for(demo_folder)
    async with app.run_test() as pilot:
        await start_items(pilot)
        for value in TYPED:
            await answer(pilot, value)
        assert isinstance(app.screen, FarewellScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CodeEntryScreen)
        assert app.screen.query_one("#code", Input).value == ""
        assert shown(app, "#code-message") == ""
        assert len(app.screen_stack) == 2  # the default screen and this one: nothing left behind
        await start_items(pilot, "7V7NJA")  # a pupil of the other class
    assert sorted(Session(p).meta.class_id for p in demo_folder.session_paths()) == ["6a", "7b"]


@pilot_test
async def test_the_thank_you_screen_returns_to_code_entry_by_itself(demo_folder: DataFolder) -> None:
    app = make_app(demo_folder, demo_folder.study(), "w1", return_after=0.05)
    async with app.run_test() as pilot:
        await start_items(pilot)
        for value in TYPED:
            await answer(pilot, value)
        for _ in range(100):  # the timer fires on its own; no key is pressed
            if isinstance(app.screen, CodeEntryScreen):
                break
            await pilot.pause(0.05)
        assert isinstance(app.screen, CodeEntryScreen)


@pilot_test
async def test_english_when_asked(demo_folder: DataFolder) -> None:
    app = app_for(demo_folder, language="en")
    async with app.run_test() as pilot:
        assert shown(app, "#code-question") == "What is your code?"
        await start_items(pilot)
        sentence = shown(app, "#item-text")
        assert sentence in {item.text.en for item in motivation(app).items}
        assert shown(app, "#progress") == "question 1 of 9"
    assert only_session(demo_folder).meta.language == "en"


@pilot_test
async def test_demo_mode_shows_where_the_codes_are(demo_folder: DataFolder) -> None:
    app = app_for(demo_folder, demo=True)
    async with app.run_test():
        hint = shown(app, "#demo-hint")
    assert "FNWW4F" in hint and "7V7NJA" in hint and str(demo_folder.study_path) in hint


def test_a_second_klaspeil_on_the_same_folder_stops_before_opening(demo_folder: DataFolder) -> None:
    other = DataFolder(demo_folder.root).lock()
    try:
        with pytest.raises(DataFolderBusy, match="already in use"):
            run_pupil_app(demo_folder.root, wave=None, language="nl", demo=True)
    finally:
        other.unlock()


def test_an_unknown_wave_is_a_clear_error_and_releases_the_folder(demo_folder: DataFolder) -> None:
    # the study loads after the first screen shows; its errors still reach the caller, who prints one line
    with pytest.raises(StorageError, match="no wave 'w9'.*waves: w1"):
        run_pupil_app(demo_folder.root, wave="w9", language="nl", demo=False, headless=True)
    DataFolder(demo_folder.root).lock().unlock()  # the failed start left no claim behind


def test_a_broken_study_file_stops_the_app_with_its_line(demo_folder: DataFolder) -> None:
    text = demo_folder.study_path.read_text().replace("teacher_term: juf\n", "teacher_term: juffrouw\n")
    demo_folder.study_path.write_text(text)
    with pytest.raises(InvalidFile) as caught:
        run_pupil_app(demo_folder.root, wave=None, language="nl", demo=False, headless=True)
    line = text.splitlines().index("    teacher_term: juffrouw") + 1
    assert [(p.line, "teacher_term" in p.message) for p in caught.value.problems] == [(line, True)]


@pilot_test
async def test_the_code_screen_shows_before_the_study_is_loaded_and_waits_for_it(demo_folder: DataFolder) -> None:
    app = PupilApp(demo_folder, None, language="nl", return_after=None)
    async with app.run_test() as pilot:
        assert isinstance(app.screen, CodeEntryScreen)
        await type_code(pilot, PUPIL)  # typed at once: the answer waits for the loading worker
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, NameCheckScreen)  # the worker loaded the first names too
        assert shown(app, "#name-question") == "Ben jij Emma?"
    assert app.startup_error is None and app.wave_id == "w1"


def test_a_folder_without_a_study_points_to_the_demo_and_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="klaspeil demo"):
        run_pupil_app(tmp_path / "mistyped", wave=None, language="nl", demo=False)
    assert not (tmp_path / "mistyped").exists()  # a typo in --data leaves no empty data folder behind
