"""The check at the end of the ratings: every pupil with missing answers, by first name and what is
missing, each a button that goes back to that pupil; and "Toch afronden" (finish anyway).
Returns the pupil code chosen, or None to finish.

"Toch afronden" has the focus when the screen opens; ↑ and ↓ move between the buttons, and the
one with the focus carries ▶ ◀ (not only a colour).
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

from .texts import text


@dataclass(frozen=True)
class Missing:
    pupil: str  # code
    name: str  # as shown in the grid
    what: str  # "Verwacht rekenen, 3 relatievragen"


class CheckButton(Button):
    """A button whose focus shows as markers as well as a colour."""

    def __init__(self, caption: str, *, pupil: str | None = None, **options: str) -> None:
        super().__init__(Content(caption), compact=True, **options)  # Content: a name is never markup
        self.caption = caption
        self.pupil = pupil  # None: finish anyway

    def on_focus(self) -> None:
        self.label = Content(f"▶ {self.caption} ◀")

    def on_blur(self) -> None:
        self.label = Content(self.caption)


class MissingCheckScreen(Screen[str | None]):
    DEFAULT_CSS = """
    MissingCheckScreen { align: center middle; }
    #check-box { width: 90; max-width: 100%; height: auto; max-height: 100%; border: round $warning; padding: 0 2; }
    #check-title { text-style: bold; margin-bottom: 1; }
    #check-list { height: auto; max-height: 14; }
    #check-help { margin-bottom: 1; }
    #check-list CheckButton { width: 100%; content-align: left middle; text-align: left; }
    #check-box Center { height: auto; margin-top: 1; }
    #check-keys { color: $text-muted; }
    """
    BINDINGS = [
        # priority: the scrolling list would otherwise take ↑ and ↓ to scroll
        Binding("up", "app.focus_previous", show=False, priority=True),
        Binding("down", "app.focus_next", show=False, priority=True),
    ]

    def __init__(self, missing: list[Missing], language: str) -> None:
        super().__init__()
        self.missing = missing
        self.language = language
        self._chosen = False

    def compose(self) -> ComposeResult:
        with Vertical(id="check-box"):
            yield Static(f"⚠ {text(self.language, 'check_title')}", id="check-title", markup=False)
            yield Static(text(self.language, "check_help"), id="check-help", markup=False)
            with VerticalScroll(id="check-list", can_focus=False):
                for entry in self.missing:
                    caption = text(self.language, "check_item", name=entry.name, missing=entry.what)
                    yield CheckButton(caption, pupil=entry.pupil, classes="check-pupil")
            with Center():
                yield CheckButton(text(self.language, "check_finish"), id="check-finish", variant="primary")
            yield Static(text(self.language, "check_keys"), id="check-keys", markup=False)

    def on_mount(self) -> None:
        self.query_one("#check-finish", CheckButton).focus()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        assert isinstance(event.button, CheckButton)
        if not self._chosen:  # two presses in the same moment choose once
            self._chosen = True
            self.dismiss(event.button.pupil)
