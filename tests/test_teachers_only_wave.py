"""A wave for teachers only (the test results that come in after the mid-year tests): the
kiosk opens it, the teacher reaches the results grid, and a pupil is told kindly there is
nothing for them, with nothing stored."""

from __future__ import annotations

from storage import DataFolder, Session
from tui.launch import make_app
from tui.roster import TestResultsScreen as ResultsGrid  # not "Test…": pytest would collect it
from tui.screens import FarewellScreen
from tui.screens.adult_check import AdultCheckScreen
from pilot import pilot_test, settle

TEACHER, PUPIL = "UTERYA", "FNWW4F"  # teacher and a pupil of class 6a in the demo study


def teachers_only(folder: DataFolder) -> None:
    """The demo study with a second wave in which only the roster's test results are asked."""
    text = folder.study_path.read_text(encoding="utf-8")
    folder.study_path.write_text(
        text + "  - id: w2\n    label: toetsen\n    instruments:\n      roster: [roster_test_results]\n",
        encoding="utf-8",
    )


@pilot_test
async def test_a_pupil_in_a_teachers_only_wave_is_told_and_nothing_is_stored(demo_folder: DataFolder) -> None:
    teachers_only(demo_folder)
    app = make_app(demo_folder, demo_folder.study(), "w2", return_after=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*PUPIL, "enter")
        await settle(pilot)
        await pilot.press("1")  # "Ja" at "Ben jij ...?"
        await settle(pilot)
        assert isinstance(app.screen, FarewellScreen)
        assert "alleen vragen voor de juf of meester" in str(app.screen.query_one("#farewell-body").content)
    assert list(demo_folder.session_paths()) == []


@pilot_test
async def test_a_teacher_in_a_teachers_only_wave_types_test_results(demo_folder: DataFolder) -> None:
    teachers_only(demo_folder)
    app = make_app(demo_folder, demo_folder.study(), "w2", return_after=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*TEACHER, "enter")
        await settle(pilot)
        assert isinstance(app.screen, AdultCheckScreen)
        await pilot.press("1")
        await settle(pilot)
        for _ in range(3):  # past an introduction, if the flow shows one
            if isinstance(app.screen, ResultsGrid):
                break
            await pilot.press("enter")
            await settle(pilot)
        assert isinstance(app.screen, ResultsGrid)
        await pilot.press("4")  # the first pupil's reading level
        await settle(pilot)
    (path,) = demo_folder.session_paths()
    session = Session(path)
    assert (session.meta.wave, session.meta.instrument, session.meta.respondent) == ("w2", "roster_test_results", TEACHER)
    assert list(session.answers().values()) == [4]
