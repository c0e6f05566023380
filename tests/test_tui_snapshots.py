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

from instruments import load_instrument
from storage import DataFolder, Wave
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
    await introduction(pilot)
    await pilot.press("enter")  # past the introduction
    await pilot.pause()


def test_code_entry(pupil_app: PupilApp, snap_compare: SnapCompare) -> None:
    assert snap_compare(pupil_app, terminal_size=(80, 24), run_before=steady_cursor)


async def introduction(pilot: Pilot) -> None:
    await pilot.press(*PUPIL, "enter")
    await pilot.pause()
    await pilot.press("1", "enter")  # "Ja" at the name check, then past the practice item
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


# -- every kind of item (tests/data/instruments/all_kinds.yaml; see tests/test_tui_kinds.py) --
ALL_KINDS = Path(__file__).parent / "data" / "instruments" / "all_kinds.yaml"


@pytest.fixture
def kinds_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PupilApp:
    instrument = load_instrument(ALL_KINDS)  # before chdir: the path is relative to the tests
    monkeypatch.chdir(tmp_path)
    folder = DataFolder(Path("klaspeil-demo"))
    folder.install_demo()
    study = folder.study().model_copy(update={"waves": [Wave(id="w1", instruments={"pupil": ["all_kinds"]})]})
    return make_app(folder, study, "w1", "nl", instruments={"all_kinds": instrument}, return_after=None)


async def skip_to(pilot: Pilot, items_before: int) -> None:
    """Log in (class 7b: "meester") and press Enter past the first `items_before` items unanswered."""
    await pilot.press(*"7V7NJA", "enter")
    await pilot.pause()
    await pilot.press("1", "enter")  # "Ja" at the name check, then past the practice item
    await pilot.pause()
    await pilot.press("enter", *["enter"] * items_before)
    await pilot.pause()


async def steady_fields(pilot: Pilot) -> None:
    for field in pilot.app.screen.query("Input, TextArea"):
        field.cursor_blink = False  # type: ignore[attr-defined]
    await pilot.pause()


async def nominal_choice(pilot: Pilot) -> None:
    await skip_to(pilot, 1)
    await pilot.press("2")  # "meisje"
    await pilot.pause()


def test_nominal_choice_with_an_answer_80x24(kinds_app: PupilApp, snap_compare: SnapCompare) -> None:
    assert snap_compare(kinds_app, terminal_size=(80, 24), run_before=nominal_choice)


async def number_refused(pilot: Pilot) -> None:
    await skip_to(pilot, 2)
    await steady_fields(pilot)
    await pilot.press("1", "5", "enter")  # above 14: told so, nothing saved
    await pilot.pause()


def test_number_item_refusing_a_number_out_of_range_80x24(kinds_app: PupilApp, snap_compare: SnapCompare) -> None:
    assert snap_compare(kinds_app, terminal_size=(80, 24), run_before=number_refused)


async def rating_with_answer(pilot: Pilot) -> None:
    await skip_to(pilot, 3)
    await pilot.press("7")
    await pilot.pause()


def test_rating_1_to_10_with_an_answer_80x24(kinds_app: PupilApp, snap_compare: SnapCompare) -> None:
    assert snap_compare(kinds_app, terminal_size=(80, 24), run_before=rating_with_answer)


async def open_text(pilot: Pilot) -> None:
    await skip_to(pilot, 5)
    await steady_fields(pilot)
    await pilot.press(*"Meer gym", "enter", *"en een moestuin.")
    await pilot.pause()


def test_open_text_item_80x24(kinds_app: PupilApp, snap_compare: SnapCompare) -> None:
    assert snap_compare(kinds_app, terminal_size=(80, 24), run_before=open_text)
