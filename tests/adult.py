"""Helpers for the Pilot tests of teachers and team members at the kiosk's code entry
(test_teacher_flow.py, test_team_flow.py)."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Static

from pilot import settle
from storage import DataFolder, Session
from storage.roster_sessions import RosterSessions
from tui.app import PupilApp
from tui.screens import CodeEntryScreen, FarewellScreen


def shown(app: PupilApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).content)


def sessions(folder: DataFolder) -> list[Session]:
    return [Session(path) for path in folder.session_paths()]


def rate_every_pupil(app: PupilApp, folder: DataFolder, teacher: str, value: int) -> None:
    """Every pupil of the study's first class rated `value` on every roster item, as the grid
    and pages would store it: the roster is done."""
    school_class = app.study.classes[0]
    roster = app.setup.adult_instruments["roster"][0]
    ratings = RosterSessions(folder, app.study.id, "w1", school_class, teacher, roster, "nl")
    for pupil in school_class.pupils:
        for item in roster.items:
            ratings.record(pupil, item.id, value)


async def no_at_the_check(pilot: Pilot, code: str, key: str) -> str:
    """The code, then `key` (No) at the check: back at an empty code entry; its message."""
    await pilot.press(*code, "enter")
    await settle(pilot)
    await pilot.press(key)
    await settle(pilot)
    assert isinstance(pilot.app.screen, CodeEntryScreen)
    return shown(pilot.app, "#code-message")


async def thanked(pilot: Pilot) -> None:
    """The thank-you screen ("Dank u wel!"), Space, and the code entry for the next person."""
    assert isinstance(pilot.app.screen, FarewellScreen)
    assert shown(pilot.app, "#farewell-title") == "Dank u wel!"
    await pilot.press("space")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CodeEntryScreen)
