"""The researcher's screens: the PIN (set on first use, a lock-out after three wrong PINs),
the fieldwork dashboard (the same counts as storage.fieldwork), a class's pupils by first
name, and attendance marks that reach attendance.json and the dashboard. Snapshots at 80x24
of a simulated folder (fixed seed, relative path, no clock on screen).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from storage import DataFolder
from storage.attendance import load_attendance
from storage.fieldwork import PUPIL_STATES, fieldwork
from storage.pin import LOCKOUT_SECONDS, set_pin, verify_pin
from storage.simulate import simulate
from command import klaspeil
from tui.researcher import ResearcherApp
from tui.researcher.class_screen import ClassScreen
from tui.researcher.dashboard import DashboardScreen
from tui.researcher.pin import PinScreen
from pilot import pilot_test, settle

PIN = "482915"
SnapCompare = Callable[..., bool]  # pytest-textual-snapshot's fixture


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def simulated_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2 classes x 4 pupils x 1 wave; seed 1 gives pupils done, busy and not started, and a team."""
    folder = DataFolder(tmp_path_factory.mktemp("sim") / "data").lock()
    try:
        simulate(folder, classes=2, pupils=4, waves=1, seed=1)
    finally:
        folder.unlock()
    return folder.root


@pytest.fixture
def folder(simulated_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DataFolder:
    """A private copy (tests write PINs and marks), named by a relative path for the snapshots."""
    shutil.copytree(simulated_root, tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    return DataFolder(Path("data"))


@pytest.fixture
def with_pin(folder: DataFolder) -> DataFolder:
    set_pin(folder, PIN)
    return folder


def make_app(folder: DataFolder, clock: Callable[[], float] | None = None) -> ResearcherApp:
    if clock is None:
        return ResearcherApp(folder, folder.study())
    return ResearcherApp(folder, folder.study(), clock=clock)


async def enter_pin(pilot: Pilot, pin: str = PIN) -> None:
    await pilot.press(*pin, "enter")
    await settle(pilot)


def message(app: ResearcherApp) -> str:
    return str(app.screen.query_one("#pin-message", Static).render())


def dashboard_rows(app: ResearcherApp) -> dict[str, dict[str, str]]:
    table = app.screen.query_one("#classes", DataTable)
    columns = [str(column.label) for column in table.ordered_columns]
    return {
        str(row[0]): dict(zip(columns[1:], (str(cell) for cell in row[1:])))
        for row in (table.get_row_at(index) for index in range(table.row_count))
    }


@pilot_test
async def test_first_use_sets_a_pin_typed_twice_and_stores_only_its_hash(folder: DataFolder) -> None:
    app = make_app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, PinScreen)
        await enter_pin(pilot, PIN)
        assert isinstance(app.screen, PinScreen), "one entry is not enough to set a PIN"
        await enter_pin(pilot, "111111")  # a typo the second time: start again
        assert "differ" in message(app)
        assert not (folder.root / "researcher.json").exists()
        await enter_pin(pilot, PIN)
        await enter_pin(pilot, PIN)
        assert isinstance(app.screen, DashboardScreen)
    stored = (folder.root / "researcher.json").read_text()
    assert PIN not in stored and "$argon2" in stored
    assert verify_pin(folder, PIN)


@pilot_test
async def test_three_wrong_pins_lock_entry_for_a_minute_even_for_the_right_pin(with_pin: DataFolder) -> None:
    clock = FakeClock()
    app = make_app(with_pin, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await enter_pin(pilot, "0000")
        assert message(app) == "Wrong PIN."
        await enter_pin(pilot, "1111")
        await enter_pin(pilot, "2222")
        assert "locked" in message(app) and "60 s" in message(app)
        clock.now += 20
        await enter_pin(pilot, PIN)
        assert isinstance(app.screen, PinScreen)
        assert "locked" in message(app) and "40 s" in message(app)
        clock.now += LOCKOUT_SECONDS - 20 + 1
        await enter_pin(pilot, PIN)
        assert isinstance(app.screen, DashboardScreen)


@pilot_test
async def test_the_dashboard_shows_the_counts_of_storage_fieldwork(with_pin: DataFolder) -> None:
    app = make_app(with_pin)
    async with app.run_test(size=(80, 24)) as pilot:
        await enter_pin(pilot)
        rows = dashboard_rows(app)
        teams = app.screen.query_one("#teams", DataTable)
        team_rows = {str(teams.get_row_at(i)[0]): str(teams.get_row_at(i)[1]) for i in range(teams.row_count)}
    (wave,) = fieldwork(with_pin)
    assert rows == {
        c.class_id: {
            **{state: str(c.count(state)) for state in PUPIL_STATES},
            "teacher": str(c.teacher),
            "roster": str(c.roster),
        }
        for c in wave.classes
    }
    assert team_rows == {t.team_id: str(t.members) for t in wave.teams} and team_rows


@pilot_test
async def test_marking_a_pupil_absent_writes_attendance_and_changes_the_dashboard(with_pin: DataFolder) -> None:
    (wave,) = fieldwork(with_pin)
    first_class = wave.classes[0]
    code, state = next(iter(first_class.pupils.items()))
    assert state != "done", "the first pupil must be able to become absent"
    app = make_app(with_pin)
    async with app.run_test(size=(80, 24)) as pilot:
        await enter_pin(pilot)
        before = dashboard_rows(app)[first_class.class_id]
        await pilot.press("enter")  # the highlighted class: the first
        await settle(pilot)
        assert isinstance(app.screen, ClassScreen)
        await pilot.press("a")
        await pilot.pause()
        pupils = app.screen.query_one("#pupils", DataTable)
        assert str(pupils.get_cell(code, "state")) == "absent"
        assert load_attendance(with_pin) == {wave.wave_id: {code: "absent"}}
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        after = dashboard_rows(app)[first_class.class_id]
        assert int(after["absent"]) == int(before["absent"]) + 1
        assert int(after[state]) == int(before[state]) - 1
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("p")  # present again: the mark goes
        await pilot.pause()
        assert str(app.screen.query_one("#pupils", DataTable).get_cell(code, "state")) == state
    assert load_attendance(with_pin) == {}


def write_key(folder: DataFolder) -> dict[str, str]:
    """A key file in the agreed format with a first name for every pupil of the first class."""
    study = folder.study()
    first_class = study.classes[0]
    names = {code: f"Naam{number}" for number, code in enumerate(first_class.pupils, start=1)}
    key = {"classes": {first_class.id: {
        code: {"first_name": name, "last_name": "Jansen", "birth_date": None} for code, name in names.items()
    }}}
    (folder.root / "roster_key.json").write_text(json.dumps(key), encoding="utf-8")
    return names


@pilot_test
async def test_the_class_screen_shows_first_names_from_the_key_file(with_pin: DataFolder) -> None:
    names = write_key(with_pin)
    app = make_app(with_pin)
    async with app.run_test(size=(80, 24)) as pilot:
        await enter_pin(pilot)
        await pilot.press("enter")
        await settle(pilot)
        pupils = app.screen.query_one("#pupils", DataTable)
        shown = {str(pupils.get_cell(code, "code")): str(pupils.get_cell(code, "pupil")) for code in names}
    assert shown == names


@pilot_test
async def test_without_a_key_file_pupils_show_by_code(with_pin: DataFolder) -> None:
    app = make_app(with_pin)
    async with app.run_test(size=(80, 24)) as pilot:
        await enter_pin(pilot)
        await pilot.press("enter")
        await settle(pilot)
        pupils = app.screen.query_one("#pupils", DataTable)
        rows = [pupils.get_row_at(i) for i in range(pupils.row_count)]
    assert rows and all(str(row[0]) == str(row[1]) for row in rows)


def test_klaspeil_researcher_without_a_study_says_so_in_one_line(tmp_path: Path) -> None:
    done = klaspeil("researcher", "--data", tmp_path / "empty")
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [f"klaspeil: {tmp_path / 'empty' / 'study.yaml'}: no study here (try `klaspeil demo`)"]


def test_klaspeil_researcher_refuses_a_folder_in_use(with_pin: DataFolder) -> None:
    with_pin.lock()  # another klaspeil holds it
    try:
        done = klaspeil("researcher", "--data", with_pin.root)
    finally:
        with_pin.unlock()
    assert done.returncode == 1 and len(done.stderr.strip().splitlines()) == 1, done.stderr


# -- snapshots ---------------------------------------------------------------------------
def test_pin_entry(with_pin: DataFolder, snap_compare: SnapCompare) -> None:
    assert snap_compare(make_app(with_pin), terminal_size=(80, 24), run_before=settle)


def test_dashboard(with_pin: DataFolder, snap_compare: SnapCompare) -> None:
    assert snap_compare(make_app(with_pin), terminal_size=(80, 24), run_before=enter_pin)


def test_class_screen(with_pin: DataFolder, snap_compare: SnapCompare) -> None:
    write_key(with_pin)

    async def open_class(pilot: Pilot) -> None:
        await enter_pin(pilot)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(make_app(with_pin), terminal_size=(80, 24), run_before=open_class)
