"""What a pupil sees, as SVG snapshots (tests/__snapshots__/). After an intended change of
the screens: `.venv/bin/pytest tests/test_tui_snapshots.py --snapshot-update`, then look at
the SVGs before committing them.

Deterministic by construction: a fixed shuffle seed, a data folder named by a relative path
(so no temporary directory appears in the demo hint), no clock on screen, no cursor blink.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from storage import DataFolder
from tui.app import PupilApp
from tui.launch import make_app

PUPIL = "FNWW4F"
SnapCompare = Callable[..., bool]  # pytest-textual-snapshot's fixture


@pytest.fixture
def pupil_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PupilApp:
    monkeypatch.chdir(tmp_path)
    folder = DataFolder(Path("klaspeil-demo"))
    folder.install_demo()
    return make_app(folder, folder.study(), "w1", "nl", demo=True, shuffle_seed=7, return_after=None)


async def steady_cursor(pilot: Pilot) -> None:
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


async def log_in(pilot: Pilot) -> None:
    await pilot.press(*PUPIL, "enter")
    await pilot.pause()
    await pilot.press("enter")  # past the introduction
    await pilot.pause()


def test_code_entry(pupil_app: PupilApp, snap_compare: SnapCompare) -> None:
    assert snap_compare(pupil_app, terminal_size=(80, 24), run_before=steady_cursor)


async def introduction(pilot: Pilot) -> None:
    await pilot.press(*PUPIL, "enter")
    await pilot.pause()


def test_introduction(pupil_app: PupilApp, snap_compare: SnapCompare) -> None:
    assert snap_compare(pupil_app, terminal_size=(80, 24), run_before=introduction)


async def item_with_answer(pilot: Pilot) -> None:
    await log_in(pilot)
    await pilot.press("4")  # "waar", marked as chosen
    await pilot.pause()


def test_item_with_an_answer_chosen_80x24(pupil_app: PupilApp, snap_compare: SnapCompare) -> None:
    assert snap_compare(pupil_app, terminal_size=(80, 24), run_before=item_with_answer)


def test_item_with_an_answer_chosen_120x40(pupil_app: PupilApp, snap_compare: SnapCompare) -> None:
    assert snap_compare(pupil_app, terminal_size=(120, 40), run_before=item_with_answer)


async def all_answered(pilot: Pilot) -> None:
    await log_in(pilot)
    for value in (3, 4, 2, 5, 1, 3, 4, 2, 5):
        await pilot.press(str(value), "enter")
        await pilot.pause()


def test_thank_you(pupil_app: PupilApp, snap_compare: SnapCompare) -> None:
    assert snap_compare(pupil_app, terminal_size=(80, 24), run_before=all_answered)
