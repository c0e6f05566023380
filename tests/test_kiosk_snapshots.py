"""The pupil's screens as SVG snapshots: code entry, the name check, an item without and with
an answer, the review of skipped items and the thank-you, each in the default and the
high-contrast theme, at 80x24 (the smallest terminal a school laptop gives) and 120x40
(tests/__snapshots__/test_kiosk_snapshots/, 24 in all).

Before each snapshot the test checks that the intended screen is up and that nothing on it is
cut off by the terminal's edge, so a snapshot cannot quietly record the wrong screen or a
half-visible one. After an intended change of the looks:
`.venv/bin/pytest tests/test_kiosk_snapshots.py --snapshot-update`, then look at the SVGs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widget import Widget

from pilot import settle, to_first_item
from storage import DataFolder
from tui.app import PupilApp
from tui.launch import make_app
from tui.screens import CodeEntryScreen, FarewellScreen, ItemScreen, NameCheckScreen, ReviewScreen
from tui.widgets.choice import AnswerButton

SnapCompare = Callable[..., bool]  # pytest-textual-snapshot's fixture
PUPIL = "FNWW4F"  # Emma, class 6a ("juf")
ANSWERS = (3, 4, 2, 5, 1, 3, 4, 2, 5)


def all_in_view(pilot: Pilot) -> None:
    """Every visible widget lies wholly inside the terminal: nothing cut off at the edge."""
    screen = pilot.app.screen
    for widget in screen.query(Widget):
        region = widget.region
        if widget.display and widget.visible and region.area:
            assert screen.region.contains_region(region), f"{widget!r} at {region} is cut off ({screen.region})"


def chosen(pilot: Pilot) -> list[str]:
    return [str(button.label) for button in pilot.app.screen.query(AnswerButton) if button.has_class("-chosen")]


async def code_entry(pilot: Pilot) -> None:
    await settle(pilot)
    assert isinstance(pilot.app.screen, CodeEntryScreen)


async def name_check(pilot: Pilot) -> None:
    await pilot.press(*PUPIL, "enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, NameCheckScreen)


async def item_unanswered(pilot: Pilot) -> None:
    await to_first_item(pilot, PUPIL)
    await settle(pilot)
    assert isinstance(pilot.app.screen, ItemScreen) and not chosen(pilot)


async def item_answered(pilot: Pilot) -> None:
    await to_first_item(pilot, PUPIL)
    await pilot.press("4")  # "waar", marked as chosen
    await settle(pilot)
    assert isinstance(pilot.app.screen, ItemScreen) and len(chosen(pilot)) == 1


async def review(pilot: Pilot) -> None:
    await to_first_item(pilot, PUPIL)
    for number, value in enumerate(ANSWERS, start=1):
        await pilot.press(*([] if number in (2, 7) else [str(value)]), "enter")  # items 2 and 7 skipped
        await pilot.pause()
    await settle(pilot)
    assert isinstance(pilot.app.screen, ReviewScreen) and len(pilot.app.screen.skipped) == 2


async def thank_you(pilot: Pilot) -> None:
    await to_first_item(pilot, PUPIL)
    for value in ANSWERS:
        await pilot.press(str(value), "enter")
        await pilot.pause()
    await settle(pilot)
    assert isinstance(pilot.app.screen, FarewellScreen)


SCREENS: dict[str, Callable[[Pilot], Awaitable[None]]] = {
    "code_entry": code_entry,
    "name_check": name_check,
    "item_unanswered": item_unanswered,
    "item_answered": item_answered,
    "review": review,
    "thank_you": thank_you,
}
SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DataFolder:
    monkeypatch.chdir(tmp_path)  # a relative data folder: no temporary path in the demo hint
    folder = DataFolder(Path("klaspeil-demo"))
    folder.install_demo()
    return folder


@pytest.mark.parametrize("theme", ["default", "high_contrast"])
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", SCREENS)
def test_pupil_screen(screen: str, size: str, theme: str, demo: DataFolder, snap_compare: SnapCompare) -> None:
    app: PupilApp = make_app(
        demo, demo.study(), "w1", "nl", demo=True, shuffle_seed=7, return_after=None,
        high_contrast=theme == "high_contrast",
    )

    async def run_before(pilot: Pilot) -> None:
        await SCREENS[screen](pilot)
        all_in_view(pilot)

    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)
