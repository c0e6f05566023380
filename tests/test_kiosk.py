"""The kiosk lock: no key a child might find leaves the pupil flow; only the teacher's PIN
does (Ctrl+Q or F12, then a menu). `klaspeil` asks the PIN and the class first, and then
takes only pupils of that class."""

from __future__ import annotations

import os
import shutil
import termios
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from command import KLASPEIL, klaspeil
from pilot import pilot_test, settle
from storage import DataFolder, Session, StorageError, Study
from storage.pin import LOCKOUT_SECONDS, has_pin, set_pin, verify_pin
from test_cli_errors import message_lines
from test_tui_pilot import PUPIL, answer, item_on_screen, log_in, start_items
from tmux import Terminal
from tui.app import PupilApp
from tui.kiosk.chooser import ClassWaveScreen, class_label
from tui.kiosk.menu import TeacherMenu
from tui.kiosk.pin_screens import PinPrompt, UnlockScreen
from tui.launch import make_app, run_pupil_app
from tui.screens import CodeEntryScreen, FarewellScreen, ItemScreen

PIN = "2468"
OTHER_CLASS_PUPIL = "7V7NJA"  # class 7b of the demo study; PUPIL is in 6a

# Each a child's attempt to get out; Escape is also the item screen's own "back".
ESCAPES = [
    ["ctrl+c"],
    ["ctrl+q", "escape"],
    ["f12", "escape"],
    ["escape"],
    ["ctrl+p"],
    ["ctrl+z"],
    ["ctrl+d"],
    ["ctrl+backslash"],
]


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def folder(demo_folder: DataFolder) -> DataFolder:
    set_pin(demo_folder, PIN)
    return demo_folder


def kiosk(folder: DataFolder, **options: object) -> PupilApp:
    return make_app(folder, folder.study(), "w1", return_after=None, **options)


def message(app: PupilApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).content)


def untouched(app: PupilApp, screen: object) -> None:
    assert app.is_running and app.return_code is None
    assert app.screen is screen, f"now on {app.screen!r}"
    assert not app._notifications, "no 'press ... to quit' notice either"


async def press(pilot: Pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


async def teacher_menu(pilot: Pilot) -> None:
    await press(pilot, "ctrl+q")
    assert isinstance(pilot.app.screen, PinPrompt)
    await press(pilot, *PIN, "enter")
    assert isinstance(pilot.app.screen, TeacherMenu)


async def menu_choice(pilot: Pilot, button: str) -> None:
    await pilot.click(f"#menu-{button}")
    await settle(pilot)


# -- escape attempts ---------------------------------------------------------------------
@pytest.mark.parametrize("keys", ESCAPES, ids=["+".join(keys) for keys in ESCAPES])
@pilot_test
async def test_no_escape_from_code_entry(folder: DataFolder, keys: list[str]) -> None:
    app = kiosk(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, *PUPIL[:3])  # half typed: the field keeps it
        screen = app.screen
        assert isinstance(screen, CodeEntryScreen)
        await press(pilot, *keys)
        untouched(app, screen)
        assert screen.query_one("#code", Input).value == PUPIL[:3]
    assert list(folder.session_paths()) == []


@pytest.mark.parametrize("keys", ESCAPES, ids=["+".join(keys) for keys in ESCAPES])
@pilot_test
async def test_no_escape_from_an_item(folder: DataFolder, keys: list[str]) -> None:
    app = kiosk(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_items(pilot)
        await answer(pilot, 2)
        await press(pilot, "4")  # chosen (and stored) on the second item
        screen, item = app.screen, item_on_screen(app)
        assert isinstance(screen, ItemScreen)
        stored = Session(next(folder.session_paths())).answers()
        await press(pilot, *keys)
        untouched(app, screen)
        if keys != ["escape"]:  # Escape is the item's own "back" to the previous item
            assert item_on_screen(app) == item
        assert Session(next(folder.session_paths())).answers() == stored
        assert len(stored) == 2


@pilot_test
async def test_the_pin_prompt_does_not_open_twice(folder: DataFolder) -> None:
    app = kiosk(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "ctrl+q")
        depth = len(app.screen_stack)
        await press(pilot, "ctrl+q")
        await press(pilot, "f12")
        assert isinstance(app.screen, PinPrompt) and len(app.screen_stack) == depth


# -- the PIN prompt and the teacher menu -------------------------------------------------
@pilot_test
async def test_three_wrong_pins_lock_the_prompt_for_a_minute_even_when_it_is_closed(folder: DataFolder) -> None:
    clock = FakeClock()
    app = kiosk(folder, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "ctrl+q")
        await press(pilot, *"1111", "enter")
        assert message(app, "#pin-message") == "Deze PIN klopt niet."
        await press(pilot, *"2222", "enter")
        await press(pilot, *"3333", "enter")
        assert "Te vaak een verkeerde PIN" in message(app, "#pin-message")
        assert "60 seconden" in message(app, "#pin-message")
        await press(pilot, "escape")  # closing and opening the prompt does not reset the count
        assert isinstance(app.screen, CodeEntryScreen)
        clock.now += 20
        await press(pilot, "ctrl+q")
        assert "40 seconden" in message(app, "#pin-message")
        await press(pilot, *PIN, "enter")  # the right PIN, fourth: refused while locked
        assert isinstance(app.screen, PinPrompt)
        assert "40 seconden" in message(app, "#pin-message")
        clock.now += LOCKOUT_SECONDS
        await press(pilot, *PIN, "enter")
        assert isinstance(app.screen, TeacherMenu)


@pilot_test
async def test_without_a_pin_the_prompt_says_how_to_set_one_and_sets_none(demo_folder: DataFolder) -> None:
    (demo_folder.root / "researcher.json").unlink()  # the demo's PIN 1234 gone
    app = kiosk(demo_folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "ctrl+q")
        assert message(app, "#pin-message") == "Er is nog geen PIN. Stel er een in met: klaspeil pin set"
        await press(pilot, *"5555", "enter", *"5555", "enter")  # a pupil cannot set one here
        assert isinstance(app.screen, PinPrompt)
        await press(pilot, "escape")
        assert isinstance(app.screen, CodeEntryScreen)
    assert not has_pin(demo_folder)


@pilot_test
async def test_stoppen_in_the_teacher_menu_ends_the_app_cleanly(folder: DataFolder) -> None:
    app = kiosk(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_items(pilot)
        await answer(pilot, 3)
        await teacher_menu(pilot)
        await menu_choice(pilot, "stop")
        assert not app.is_running
    assert app.return_code == 0
    assert len(Session(next(folder.session_paths())).answers()) == 1  # the answer given is kept


@pilot_test
async def test_terug_returns_to_the_pupil_as_they_were(folder: DataFolder) -> None:
    app = kiosk(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_items(pilot)
        await press(pilot, "5")
        screen, item = app.screen, item_on_screen(app)
        await teacher_menu(pilot)
        await press(pilot, "enter")  # "Terug" has the focus: Enter by habit changes nothing
        untouched(app, screen)
        assert item_on_screen(app) == item
        await press(pilot, "enter")  # the pupil carries on
        assert item_on_screen(app) != item
    assert list(Session(next(folder.session_paths())).answers().values()) == [5]


@pilot_test
async def test_the_thank_you_screen_waits_while_the_pin_prompt_is_open(folder: DataFolder) -> None:
    app = kiosk(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_items(pilot)
        while isinstance(app.screen, ItemScreen):
            await answer(pilot, 1)
        farewell = app.screen
        assert isinstance(farewell, FarewellScreen)
        await press(pilot, "f12")
        farewell.leave()  # what its timer does when the thank-you's time is up behind the prompt
        await settle(pilot)
        assert isinstance(app.screen, PinPrompt)
        await press(pilot, "escape")  # and it goes on to the next pupil once the prompt closes
        assert isinstance(app.screen, CodeEntryScreen)


# -- class and wave ----------------------------------------------------------------------
@pilot_test
async def test_a_pupil_of_another_class_is_refused(folder: DataFolder) -> None:
    app = kiosk(folder, class_id="6a")
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, OTHER_CLASS_PUPIL)
        await settle(pilot)
        assert isinstance(app.screen, CodeEntryScreen)
        assert "Deze code hoort niet bij deze klas" in message(app, "#code-message")
    assert list(folder.session_paths()) == []


@pilot_test
async def test_andere_klas_switches_the_class_and_starts_a_fresh_code_entry(folder: DataFolder) -> None:
    app = kiosk(folder, class_id="6a")
    async with app.run_test(size=(80, 24)) as pilot:
        await start_items(pilot)  # a pupil of 6a is busy; the teacher switches class
        await teacher_menu(pilot)
        await menu_choice(pilot, "switch")
        assert isinstance(app.screen, ClassWaveScreen)
        classes = app.screen.query_one("#choose-class", OptionList)
        assert classes.highlighted == 0  # 6a, the class now
        await press(pilot, "down", "enter", "enter")  # 7b; then the wave list: w1
        assert isinstance(app.screen, CodeEntryScreen)
        assert app.screen.query_one("#code", Input).value == ""
        assert len(app.screen_stack) == 2  # the 6a pupil's screens are gone
        await log_in(pilot, PUPIL)
        assert "Deze code hoort niet bij deze klas" in message(app, "#code-message")
        await press(pilot, *["backspace"] * 6)
        await start_items(pilot, OTHER_CLASS_PUPIL)
    classes_stored = {Session(path).meta.respondent: Session(path).meta.class_id for path in folder.session_paths()}
    assert classes_stored == {PUPIL: "6a", OTHER_CLASS_PUPIL: "7b"}


@pilot_test
async def test_klaspeil_asks_the_pin_then_class_and_wave_before_the_first_pupil(folder: DataFolder) -> None:
    app = PupilApp(folder, None, language="nl", return_after=None, class_id="7b", unlock=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        assert message(app, "#kiosk-title") == "Alleen voor de juf, meester of onderzoeker"
        await press(pilot, "escape", "ctrl+q", "ctrl+c")  # no way past it but the PIN
        assert isinstance(app.screen, UnlockScreen) and app.is_running
        await press(pilot, *"0000", "enter")
        assert message(app, "#pin-message") == "Deze PIN klopt niet."
        await press(pilot, *PIN, "enter")
        assert isinstance(app.screen, ClassWaveScreen)
        await settle(pilot)
        assert app.screen.query_one("#choose-class", OptionList).highlighted == 1  # --class 7b
        await press(pilot, "escape")  # nothing to go back to at start
        assert isinstance(app.screen, ClassWaveScreen)
        await pilot.click("#choose-start")
        await settle(pilot)
        assert isinstance(app.screen, CodeEntryScreen)
        assert message(app, "#demo-hint") == "groep 7b · meting 1"  # which class this laptop serves
        await log_in(pilot, PUPIL)
        assert "Deze code hoort niet bij deze klas" in message(app, "#code-message")
    assert app.class_id == "7b" and app.wave_id == "w1"


@pilot_test
async def test_the_first_unlock_sets_the_pin_typed_twice(demo_folder: DataFolder) -> None:
    (demo_folder.root / "researcher.json").unlink(missing_ok=True)
    app = PupilApp(demo_folder, None, language="nl", return_after=None, unlock=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert message(app, "#pin-question") == "Er is nog geen PIN. Kies er een: 4 tot 12 cijfers."
        await press(pilot, *"97531", "enter")
        assert message(app, "#pin-question") == "Typ de nieuwe PIN nog een keer."
        await press(pilot, *"97531", "enter")
        assert isinstance(app.screen, ClassWaveScreen)
    assert verify_pin(demo_folder, "97531")


@pilot_test
async def test_stoppen_in_the_chooser_at_start_ends_the_app(folder: DataFolder) -> None:
    app = PupilApp(folder, None, language="nl", return_after=None, unlock=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, *PIN, "enter")
        await pilot.click("#choose-leave")
        await settle(pilot)
        assert not app.is_running
    assert app.return_code == 0


@pilot_test
async def test_another_wave_can_be_chosen(folder: DataFolder) -> None:
    text = folder.study_path.read_text()
    folder.study_path.write_text(
        text + "  - id: w2\n    label: meting 2\n    start: '2027-03-01'\n    instruments:\n      pupil: [pupil_motivation]\n"
    )
    app = kiosk(folder, class_id="6a")
    async with app.run_test(size=(80, 24)) as pilot:
        await teacher_menu(pilot)
        await menu_choice(pilot, "switch")
        waves = app.screen.query_one("#choose-wave", OptionList)
        assert [str(waves.get_option_at_index(k).prompt) for k in range(waves.option_count)] == [
            "meting 1", "meting 2  (2027-03-01)",
        ]
        await press(pilot, "enter", "down", "enter")  # 6a; meting 2
        await start_items(pilot)
    assert [Session(path).meta.wave for path in folder.session_paths()] == ["w2"]


# -- start-up ----------------------------------------------------------------------------
def test_an_unknown_class_on_the_command_line_is_one_line(demo_folder: DataFolder) -> None:
    done = klaspeil("--data", str(demo_folder.root), "--class", "9z")
    assert done.returncode == 1
    assert message_lines(done.stderr) == [
        f"klaspeil: {demo_folder.study_path}: study 'demo' has no class '9z' (classes: 6a, 7b)"
    ]


def test_the_kiosk_runs_with_the_terminals_signal_keys_off(demo_folder: DataFolder, monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.drivers.linux_driver import LinuxDriver

    monkeypatch.setenv("TEXTUAL_ALLOW_SIGNALS", "1")
    with pytest.raises(StorageError, match="no class"):  # stops at once, after the app has run
        run_pupil_app(demo_folder.root, wave=None, language="nl", demo=False, class_id="9z", headless=True)
    assert "TEXTUAL_ALLOW_SIGNALS" not in os.environ
    # with the variable gone, Textual's driver clears ISIG: Ctrl+C, Ctrl+Z, Ctrl+\ send no signal
    assert LinuxDriver._patch_lflag(termios.ISIG | termios.ECHO) & termios.ISIG == 0


def test_the_demo_gets_pin_1234_unless_it_has_a_pin(tmp_path: Path) -> None:
    fresh = DataFolder(tmp_path / "fresh")
    fresh.install_demo()
    assert verify_pin(fresh, "1234")
    own = DataFolder(tmp_path / "own")
    set_pin(own, "86420")
    own.install_demo()
    assert verify_pin(own, "86420") and not verify_pin(own, "1234")


@pilot_test
async def test_the_demo_starts_at_code_entry_and_says_how_to_stop(demo_folder: DataFolder) -> None:
    assert has_pin(demo_folder)
    app = PupilApp(demo_folder, None, language="nl", demo=True, return_after=None)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, CodeEntryScreen)  # the first paint, before the study loads
        await settle(pilot)
        assert "Stoppen: Ctrl+Q en PIN 1234" in message(app, "#demo-hint")


# -- in a real terminal ------------------------------------------------------------------
def test_real_klaspeil_ignores_signal_keys_even_where_textual_would_let_them_through(tmp_path: Path) -> None:
    """The real `klaspeil` in tmux, started with TEXTUAL_ALLOW_SIGNALS set: Ctrl+C, Ctrl+Z and
    Ctrl+\\ would be SIGINT, SIGTSTP and SIGQUIT if the kiosk left the terminal's signal keys on."""
    if shutil.which("tmux") is None:
        pytest.fail("tmux is not installed: install it (apt-get install tmux; .ci/run installs it) to run this test")
    data = tmp_path / "data"
    DataFolder(data).install_demo()  # a study and the PIN 1234
    exit_status = tmp_path / "exit-status"
    terminal = Terminal(tmp_path)

    def still_running(*texts: str) -> None:
        for key in ("C-c", "C-z", "C-\\"):
            terminal.press(key)
        time.sleep(0.5)  # time for a signal to take the process down
        terminal.wait_for(*texts)
        assert not exit_status.exists(), terminal.screen()

    try:
        terminal.start(
            "env TEXTUAL_ALLOW_SIGNALS=1 TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8"
            f" '{KLASPEIL}' --data '{data}' --class 7b; echo $? > '{exit_status}'"
        )
        terminal.wait_for("Alleen voor de juf, meester of onderzoeker")
        still_running("Alleen voor de juf, meester of onderzoeker")
        terminal.type("1234")
        terminal.press("Enter")
        terminal.wait_for("Kies de klas en de meting", "groep 7b", "meting 1")
        terminal.press("Enter")  # the class preselected by --class 7b
        terminal.press("Enter")  # the wave
        terminal.wait_for("Wat is jouw code?")
        terminal.type(PUPIL)  # a pupil of 6a
        terminal.press("Enter")
        terminal.wait_for("Deze code hoort niet bij deze klas")
        still_running("Wat is jouw code?")
        terminal.press("C-q")
        terminal.wait_for("Alleen voor de juf, meester of onderzoeker")
        terminal.type("1234")
        terminal.press("Enter")
        terminal.wait_for("Stoppen", "Andere klas of meting", "Terug")
        terminal.press("Up")
        terminal.press("Up")
        terminal.press("Enter")
        deadline = time.monotonic() + 30
        while not exit_status.exists() or not exit_status.read_text().strip():
            assert time.monotonic() < deadline, f"klaspeil did not stop from the teacher menu:\n{terminal.screen()}"
            time.sleep(0.05)
        assert exit_status.read_text().strip() == "0"
    finally:
        terminal.kill()


# -- looks (tests/__snapshots__/test_kiosk/) ---------------------------------------------
SnapCompare = Callable[..., bool]  # pytest-textual-snapshot's fixture


@pytest.fixture
def relative_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DataFolder:
    """The demo folder by a relative path, so that no temporary directory shows in a snapshot."""
    monkeypatch.chdir(tmp_path)
    folder = DataFolder(Path("klaspeil-demo"))
    folder.install_demo()
    return folder


def test_unlock_after_a_wrong_pin(relative_folder: DataFolder, snap_compare: SnapCompare) -> None:
    app = PupilApp(relative_folder, None, language="nl", return_after=None, unlock=True)

    async def wrong_pin(pilot: Pilot) -> None:
        await press(pilot, *"0000", "enter")

    assert snap_compare(app, terminal_size=(80, 24), run_before=wrong_pin)


def test_class_and_wave_chooser(relative_folder: DataFolder, snap_compare: SnapCompare) -> None:
    app = PupilApp(relative_folder, None, language="nl", return_after=None, unlock=True, class_id="7b")

    async def unlocked(pilot: Pilot) -> None:
        await press(pilot, *"1234", "enter")

    assert snap_compare(app, terminal_size=(80, 24), run_before=unlocked)


def test_pin_prompt_locked_over_code_entry(relative_folder: DataFolder, snap_compare: SnapCompare) -> None:
    app = kiosk(relative_folder, demo=True, clock=FakeClock())

    async def three_wrong(pilot: Pilot) -> None:
        await press(pilot, "ctrl+q")
        for pin in ("1111", "2222", "3333"):
            await press(pilot, *pin, "enter")

    assert snap_compare(app, terminal_size=(80, 24), run_before=three_wrong)


def test_teacher_menu(relative_folder: DataFolder, snap_compare: SnapCompare) -> None:
    async def menu(pilot: Pilot) -> None:
        await press(pilot, "f12", *"1234", "enter")

    assert snap_compare(kiosk(relative_folder, demo=True), terminal_size=(80, 24), run_before=menu)


def test_the_chooser_names_the_school_when_the_study_has_several() -> None:
    study = Study.model_validate({
        "id": "s", "title": "t",
        "schools": [{"id": "a", "name": "De Regenboog"}, {"id": "b", "name": "Het Anker"}],
        "classes": [{"id": "7b", "name": "groep 7b", "school": "b"}, {"id": "6a", "name": "groep 6a"}],
        "waves": [{"id": "w1", "instruments": {"pupil": ["pupil_motivation"]}}],
    })
    assert [class_label(study, c) for c in study.classes] == ["groep 7b  (7b)  Het Anker", "groep 6a  (6a)"]
    one_school = study.model_copy(update={"schools": study.schools[:1]})
    assert class_label(one_school, one_school.classes[0]) == "groep 7b  (7b)"


def test_a_damaged_pin_file_is_one_line_before_the_kiosk_opens(demo_folder: DataFolder) -> None:
    (demo_folder.root / "researcher.json").write_text("{half")
    done = klaspeil("--data", str(demo_folder.root))
    assert done.returncode == 1
    assert message_lines(done.stderr) == [f"klaspeil: {demo_folder.root / 'researcher.json'}: not a readable researcher file"]


@pilot_test
async def test_a_pin_file_damaged_while_the_kiosk_runs_is_said_in_the_prompt(folder: DataFolder) -> None:
    app = kiosk(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        (folder.root / "researcher.json").write_text("{half")
        await press(pilot, "ctrl+q")
        assert "not a readable researcher file" in message(app, "#pin-message")
        await press(pilot, "escape")
        assert isinstance(app.screen, CodeEntryScreen) and app.is_running
