"""Before a questionnaire finishes with items unanswered: "Je hebt 2 vragen overgeslagen.", each
skipped item as a button that goes to it, and Klaar. Returns the id of the item chosen, or
None for Klaar (the pupil may leave items unanswered: answering is never forced).

Klaar has the focus when the screen opens, so Enter finishes; ↑ and ↓ move between the
buttons, and the one with the focus carries ▶ ◀ (not only a colour).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Static

from ..texts import text


@dataclass(frozen=True)
class Skipped:
    item_id: str
    number: int  # its place in the order shown, from 1: "vraag 3"
    sentence: str  # as the pupil read it


class ReviewButton(Button):
    """A button whose focus shows as markers as well as a colour."""

    def __init__(self, caption: str, *, item_id: str | None = None, **options: str) -> None:
        super().__init__(Content(caption), **options)  # Content: a sentence is never read as markup
        self.caption = caption
        self.item_id = item_id  # None: Klaar

    def on_focus(self) -> None:
        self.label = Content(f"▶ {self.caption} ◀")

    def on_blur(self) -> None:
        self.label = Content(self.caption)


class ReviewScreen(Screen[str | None]):
    BINDINGS = [
        # priority: the scrolling list would otherwise take ↑ and ↓ to scroll
        Binding("up", "app.focus_previous", show=False, priority=True),
        Binding("down", "app.focus_next", show=False, priority=True),
    ]

    PREFIX = ""  # the wording's keys: "adult_" for teachers and team members (formal "u")

    def __init__(self, skipped: list[Skipped], language: str) -> None:
        super().__init__()
        self.skipped = skipped
        self.language = language
        self._chosen = False

    def compose(self) -> ComposeResult:
        count = len(self.skipped)
        one, many = f"{self.PREFIX}review_one", f"{self.PREFIX}review_many"
        title = text(self.language, one) if count == 1 else text(self.language, many, count=count)
        with Vertical(id="review-box"):
            yield Static(title, id="review-title", markup=False)
            yield Static(text(self.language, f"{self.PREFIX}review_help"), id="review-help", markup=False)
            with VerticalScroll(id="review-list", can_focus=False):
                for skipped in self.skipped:
                    caption = text(self.language, "review_item", number=skipped.number, sentence=skipped.sentence)
                    yield ReviewButton(caption, item_id=skipped.item_id, classes="review-item")
            with Center():
                yield ReviewButton(text(self.language, "review_done"), id="review-done", variant="primary")
        yield Static(text(self.language, "review_hint"), id="review-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#review-done", ReviewButton).focus()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        assert isinstance(event.button, ReviewButton)
        if not self._chosen:  # two presses in the same moment choose once
            self._chosen = True
            self.dismiss(event.button.item_id)
