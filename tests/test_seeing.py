"""Seeing (issue 5, item 4): the high-contrast theme (--high-contrast, F2), NO_COLOR, and
the layout at 80x24 and at 120x40."""

from __future__ import annotations

import gc
import re
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.color import Color
from textual.pilot import Pilot
from textual.widgets import Input, Label, Static

from storage import DataFolder, Wave
from tui.app import PupilApp
from tui.cli import cli
from tui.launch import make_app
from tui.screens import CodeEntryScreen, ItemScreen
from tui.screens.item import AnswerButton
from tui.theme import HIGH_CONTRAST
from pilot import pilot_test, settle, to_first_item

PUPIL = "FNWW4F"  # class 6a of the demo study
BLACK, WHITE, YELLOW = Color(0, 0, 0), Color(255, 255, 255), Color(255, 255, 0)
SnapCompare = Callable[..., bool]  # pytest-textual-snapshot's fixture


def app_for(folder: DataFolder, **options: object) -> PupilApp:
    return make_app(folder, folder.study(), "w1", return_after=None, **options)


def chosen_button(app: PupilApp) -> AnswerButton:
    chosen = [button for button in app.screen.query(AnswerButton) if button.has_class("-chosen")]
    assert len(chosen) == 1
    return chosen[0]


# -- high contrast ---------------------------------------------------------------------
@pilot_test
async def test_high_contrast_is_black_with_white_text_and_the_chosen_answer_yellow(demo_folder: DataFolder) -> None:
    app = app_for(demo_folder, high_contrast=True)
    async with app.run_test(size=(80, 24)) as pilot:
        code = app.screen.query_one("#code", Input)
        assert app.theme == HIGH_CONTRAST.name
        assert app.screen.styles.background == BLACK
        assert code.styles.border_top == ("heavy", YELLOW)  # the focused field
        await to_first_item(pilot, PUPIL)
        sentence = app.screen.query_one("#item-text", Static)
        assert (app.screen.styles.background, sentence.styles.color) == (BLACK, WHITE)
        await pilot.press("4")
        await pilot.pause()
        chosen = chosen_button(app)
        assert chosen.styles.background == YELLOW
        assert chosen.styles.color == BLACK
        others = [button for button in app.screen.query(AnswerButton) if button is not chosen]
        assert all(button.styles.background == BLACK and button.styles.border_top[1] == WHITE for button in others)


@pilot_test
async def test_f2_switches_high_contrast_on_and_off_at_any_moment_even_while_typing(demo_folder: DataFolder) -> None:
    app = app_for(demo_folder)
    async with app.run_test(size=(80, 24)) as pilot:
        normal = app.theme
        assert app.screen.styles.background != BLACK
        await pilot.press("F", "N", "f2")
        await pilot.pause()
        assert app.theme == HIGH_CONTRAST.name
        assert app.screen.styles.background == BLACK
        assert app.screen.query_one("#code", Input).value == "FN"  # F2 typed nothing
        await pilot.press("backspace", "backspace")
        await to_first_item(pilot, PUPIL)
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, ItemScreen)  # still on the item, in the normal theme
        assert app.theme == normal
        assert app.screen.styles.background != BLACK


@pytest.mark.parametrize("command", [["demo"], []], ids=["klaspeil demo", "klaspeil"])
def test_the_high_contrast_option_reaches_the_app(
    demo_folder: DataFolder, command: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    themes: list[str] = []
    monkeypatch.setattr(PupilApp, "run", lambda app, **_: themes.append(app.theme))
    try:
        for flag in (["--high-contrast"], []):
            args = ["--data", str(demo_folder.root), *flag]
            done = CliRunner().invoke(cli, [*command, *args] if command else args, catch_exceptions=False)
            assert done.exit_code == 0, done.output
    finally:
        gc.enable()  # the pupil commands start with gc off; the app would turn it on again
    assert themes[0] == HIGH_CONTRAST.name
    assert themes[1] != HIGH_CONTRAST.name


# -- NO_COLOR ------------------------------------------------------------------------------
def colours_of(svg: str) -> set[str]:
    """The colours painted in the terminal part of a screenshot (not the window's three buttons)."""
    return set(re.findall(r"#[0-9a-fA-F]{6}", re.sub(r"<circle[^>]*>", "", svg)))


def is_grey(colour: str) -> bool:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return max(red, green, blue) - min(red, green, blue) <= 8


@pilot_test
async def test_no_color_paints_in_greys_and_the_chosen_answer_stays_recognisable(
    demo_folder: DataFolder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_for(demo_folder)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.no_color
        await to_first_item(pilot, PUPIL)
        await pilot.press("4")
        await pilot.pause()
        colours = colours_of(app.export_screenshot())
        assert colours and all(is_grey(c) for c in colours), sorted(c for c in colours if not is_grey(c))
        # without colour the markers and the heavy border still say which answer is chosen
        chosen = chosen_button(app)
        assert str(chosen.label) == "▶ 4  waar ◀"
        assert chosen.styles.border_top[0] == "heavy"
        others = [str(b.label) for b in app.screen.query(AnswerButton) if b is not chosen]
        assert not any("▶" in label or "◀" in label for label in others)


@pilot_test
async def test_without_no_color_the_screen_does_have_colour(demo_folder: DataFolder, monkeypatch: pytest.MonkeyPatch) -> None:
    # the check above can fail: a normal screenshot is not all grey
    monkeypatch.delenv("NO_COLOR", raising=False)
    app = app_for(demo_folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_first_item(pilot, PUPIL)
        assert not all(is_grey(c) for c in colours_of(app.export_screenshot()))


@pilot_test
async def test_no_color_a_wrong_code_is_marked_with_a_warning_sign(
    demo_folder: DataFolder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_for(demo_folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*PUPIL[:-1], "G", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CodeEntryScreen)
        message = app.screen.query_one("#code-message", Static)
        assert str(message.content).startswith("⚠")
        assert message.styles.text_style.bold
        # the field being typed in shows its focus by a heavy border, not by a colour
        assert app.screen.query_one("#code", Input).styles.border_top[0] == "heavy"


@pytest.fixture
def no_color_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PupilApp:
    monkeypatch.setenv("NO_COLOR", "1")  # read when the app is made
    monkeypatch.chdir(tmp_path)
    folder = DataFolder(Path("klaspeil-demo"))  # relative: no temporary path in the demo hint
    folder.install_demo()
    return make_app(folder, folder.study(), "w1", "nl", demo=True, shuffle_seed=7, return_after=None)


async def item_with_answer(pilot: Pilot) -> None:
    await settle(pilot)
    await to_first_item(pilot, PUPIL)
    await pilot.press("4")
    await settle(pilot)


def test_no_color_item_with_an_answer_80x24(no_color_app: PupilApp, snap_compare: SnapCompare) -> None:
    assert snap_compare(no_color_app, terminal_size=(80, 24), run_before=item_with_answer)


# -- layout: 80x24 holds everything; 120x40 gives it room ----------------------------------------
def longest_pupil_item(language: str) -> tuple[str, str, int]:
    """(instrument id, item id, answers) of the pupil item with the longest sentence among those with answer buttons."""
    from instruments.catalog import shipped

    candidates = [
        (len(item.text.get(language)), instrument.id, item.id, len(instrument.response_for(item).values))
        for instrument in shipped().values()
        if instrument.audience == "pupil"
        for item in instrument.items
        if item.kind == "options"
    ]
    _, instrument_id, item_id, answers = max(candidates)
    return instrument_id, item_id, answers


async def to_item(pilot: Pilot, item_id: str) -> None:
    app = pilot.app
    assert isinstance(app, PupilApp)
    await to_first_item(pilot, PUPIL)
    screen = app.screen
    assert isinstance(screen, ItemScreen)
    for _ in screen.order:
        if screen.item.id == item_id:
            return
        await pilot.press("enter")
        await pilot.pause()
    raise AssertionError(f"{item_id} never shown")


def stacked_without_overlap(app: PupilApp, selectors: list[str]) -> None:
    """Each widget wholly on screen, each below the one before: nothing cut off or covered."""
    regions = [widget.region for selector in selectors for widget in app.screen.query(selector)]
    screen = app.screen.region
    for region in regions:
        assert region.height > 0 and screen.contains_region(region), (region, screen)
    for above, below in zip(regions, regions[1:]):
        assert above.bottom <= below.y, (above, below)
    assert app.screen.max_scroll_y == 0


@pytest.mark.parametrize("language", ["nl", "en"])
@pilot_test
async def test_the_longest_pupil_item_with_its_answers_fits_80x24(demo_folder: DataFolder, language: str) -> None:
    instrument_id, item_id, answers = longest_pupil_item(language)
    study = demo_folder.study()
    study = study.model_copy(update={"waves": [Wave(id="w1", instruments={"pupil": [instrument_id]})]})
    app = make_app(demo_folder, study, "w1", language, return_after=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_item(pilot, item_id)
        await pilot.press("2")
        await pilot.pause()
        sentence = app.screen.query_one("#item-text", Static)
        assert sentence.region.height >= 2 + 2  # the border and (at least) two lines of text
        stacked_without_overlap(app, ["#item-top", "#item-text", "AnswerButton", "#keys-hint"])
        assert len(app.screen.query(AnswerButton)) == answers == 5
        assert app.screen.query_one("#read-aloud").region.right <= 80


@pilot_test
async def test_code_entry_and_thank_you_fit_80x24(demo_folder: DataFolder) -> None:
    app = app_for(demo_folder, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        stacked_without_overlap(app, ["#code-question", "#code-help", "#code", "#demo-hint"])
        await to_first_item(pilot, PUPIL)
        screen = app.screen
        assert isinstance(screen, ItemScreen)
        for _ in screen.order:
            await pilot.press("3", "enter")
            await pilot.pause()
        while type(app.screen).__name__ != "FarewellScreen":  # past the review, if any
            await pilot.press("enter")
            await pilot.pause()
        stacked_without_overlap(app, ["#farewell-title", "#farewell-body", "#farewell-hint"])


@pilot_test
async def test_at_120x40_the_item_is_a_centred_column_with_room_between_the_answers(demo_folder: DataFolder) -> None:
    app = app_for(demo_folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await to_first_item(pilot, PUPIL)
        box = app.screen.query_one("#item-box").region
        assert box.width == 100  # not the full 120 columns: lines stay readable
        assert abs(box.x - (120 - box.right)) <= 1  # centred
        buttons = [button.region for button in app.screen.query(AnswerButton)]
        assert all(region.width == 70 for region in buttons)
        assert all(below.y - above.bottom >= 1 for above, below in zip(buttons, buttons[1:]))  # a blank line between
        stacked_without_overlap(app, ["#item-top", "#item-text", "AnswerButton", "#keys-hint"])


@pytest.mark.parametrize("language", ["nl", "en"])
@pilot_test
async def test_the_practice_item_shows_its_whole_note_next_to_the_read_aloud_button_80x24(
    demo_folder: DataFolder, language: str
) -> None:
    app = app_for(demo_folder, language=language)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*PUPIL, "enter")
        await pilot.pause()
        for _ in range(3):  # "Ja" at the name check
            if type(app.screen).__name__ == "PracticeScreen":
                break
            await pilot.press("j")
            await pilot.pause()
        assert type(app.screen).__name__ == "PracticeScreen"
        note = app.screen.query_one("#progress", Label)
        lines = textwrap.wrap(str(note.content), note.content_region.width)
        visible = note.content_region.intersection(app.screen.query_one("#item-top").region)
        assert visible.height >= len(lines)  # wrapped, and its row shows every line
        stacked_without_overlap(app, ["#item-top", "#item-text", "AnswerButton", "#keys-hint"])
