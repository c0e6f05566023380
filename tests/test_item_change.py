"""Changing the item on screen in place (tui/widgets/in_place.py): the screen is arranged again
only when a box changes size, and a text that needs more lines still gets them, whole."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets import Static

from storage import DataFolder, Study, Wave
from tui.launch import make_app
from tui.screens import ItemScreen
from tui.screens.item import AnswerButton
from tui.widgets.in_place import update_in_place
from pilot import pilot_test, to_first_item

PUPIL = "FNWW4F"  # class 6a of the demo study
SHORT = "Ik vind rekenen leuk."
LONG = " ".join(["Soms vind ik een som moeilijk, maar ik blijf het proberen tot het lukt."] * 3)


def study_with(folder: DataFolder, instrument_id: str) -> Study:
    return folder.study().model_copy(update={"waves": [Wave(id="w1", instruments={"pupil": [instrument_id]})]})


class Sentence(App[None]):
    """The sentence box as the item screen has it (a heavy border, at least three lines), a line under it."""

    CSS = """
    #sentence { width: 40; height: auto; min-height: 5; border: heavy white; padding: 0 2; }
    #under { width: 40; height: 1; }
    """

    def compose(self) -> ComposeResult:
        yield Static(SHORT, id="sentence", markup=False)
        yield Static("onder", id="under")


def words_shown(widget: Static) -> list[str]:
    rendered = widget.render_lines(Region(0, 0, *widget.outer_size))  # with the border rows
    return " ".join(strip.text.strip(" ┃━┏┓┗┛") for strip in rendered).split()


async def layouts_during(pilot: Pilot, change: object) -> int:
    """How often the screen was arranged while `change()` was shown."""
    count = 0

    def counted(_: object) -> None:
        nonlocal count
        count += 1

    await pilot.pause()  # the layouts after mounting are over
    screen = pilot.app.screen
    screen.screen_layout_refresh_signal.subscribe(screen, counted)
    try:
        change()  # type: ignore[operator]
        await pilot.pause()
    finally:
        screen.screen_layout_refresh_signal.unsubscribe(screen)
    return count


@pilot_test
async def test_a_sentence_of_as_many_lines_is_drawn_without_arranging_the_screen() -> None:
    app = Sentence()
    async with app.run_test(size=(60, 20)) as pilot:
        box = app.query_one("#sentence", Static)
        before = box.region
        other = "Ik vind taal ook leuk, best wel."  # two lines: still inside the three of the box
        assert await layouts_during(pilot, lambda: update_in_place(box, other)) == 0
        assert box.region == before
        assert words_shown(box) == other.split()
        assert await layouts_during(pilot, lambda: update_in_place(box, other)) == 0  # the same text: nothing


@pilot_test
async def test_a_longer_sentence_grows_its_box_and_pushes_what_is_under_it_down_then_back() -> None:
    app = Sentence()
    async with app.run_test(size=(60, 20)) as pilot:
        box, under = app.query_one("#sentence", Static), app.query_one("#under", Static)
        assert (box.region.height, under.region.y) == (5, 5)
        assert await layouts_during(pilot, lambda: update_in_place(box, LONG)) >= 1
        assert box.region.height > 5  # more than three lines of text
        assert under.region.y == box.region.bottom  # not drawn over
        assert words_shown(box) == LONG.split()  # every word: wrapped, not cut off
        update_in_place(box, SHORT)
        await pilot.pause()
        assert (box.region.height, under.region.y) == (5, 5)
        assert words_shown(box) == SHORT.split()


@pilot_test
async def test_every_sentence_of_a_questionnaire_shows_whole_above_its_answers_at_80x24(demo_folder: DataFolder) -> None:
    """Item after item with Enter (the boxes change in place): each sentence whole, each
    progress line right, the answers under the sentence."""
    app = make_app(demo_folder, study_with(demo_folder, "pupil_diversity"), "w1", return_after=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_first_item(pilot, PUPIL)
        screen = app.screen
        assert isinstance(screen, ItemScreen)
        for number, item_id in enumerate(screen.order, start=1):
            assert screen.item.id == item_id
            sentence = screen.sentence(screen.instrument.item(item_id))
            box = screen.query_one("#item-text", Static)
            assert words_shown(box) == sentence.split()
            assert str(screen.query_one("#progress", Static).content) == f"vraag {number} van {len(screen.order)}"
            assert screen.query_one("#answers").region.y >= box.region.bottom
            await pilot.press("2", "enter")
            await pilot.pause()


@pilot_test
async def test_next_item_on_the_same_scale_is_drawn_without_arranging_the_screen(demo_folder: DataFolder) -> None:
    """The motivation items share one scale and fit the sentence box at 80x24: Enter after an
    answer changes texts and marks in place (the chosen answer's heavy box included)."""
    app = make_app(demo_folder, study_with(demo_folder, "pupil_motivation"), "w1", return_after=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_first_item(pilot, PUPIL)
        screen = app.screen
        assert isinstance(screen, ItemScreen)
        for number in range(2, len(screen.order) + 1):
            await pilot.press("4")  # chosen: its heavy box shows until the next item
            await pilot.pause()
            assert await layouts_during(pilot, screen.action_next) == 0
            assert str(screen.query_one("#progress", Static).content) == f"vraag {number} van {len(screen.order)}"
            assert not [button for button in screen.query(AnswerButton) if button.has_class("-chosen")]
