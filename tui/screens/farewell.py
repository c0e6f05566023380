"""Thank-you (or "you are already done"): any key, a click, or a few seconds lead to the next pupil."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from ..texts import text


class FarewellScreen(Screen[None]):
    def __init__(self, title: str, body: str, language: str, return_after: float | None) -> None:
        super().__init__()
        self.title_text = title
        self.body = body
        self.language = language
        self.return_after = return_after
        self._left = False
        self._leave_on_resume = False

    def compose(self) -> ComposeResult:
        with Vertical(id="farewell-box"):
            yield Static(self.title_text, id="farewell-title", markup=False)
            yield Static(self.body, id="farewell-body", markup=False)
            yield Static(text(self.language, "press_a_key"), id="farewell-hint", markup=False)

    def on_mount(self) -> None:
        if self.return_after is not None:
            self.set_timer(self.return_after, self.leave)

    def on_key(self, event: events.Key) -> None:
        event.stop()
        self.leave()

    def on_click(self) -> None:
        self.leave()

    def leave(self) -> None:
        if not self.is_active:
            # a teacher's PIN prompt is on top: dismissing now would close that instead
            self._leave_on_resume = True
            return
        if not self._left:  # the timer and a key press may both arrive
            self._left = True
            self.dismiss(None)

    def on_screen_resume(self) -> None:
        if self._leave_on_resume:
            self.leave()
