"""The instrument's introduction, shown before its first item (and when a pupil comes back)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Button, Static

from instruments import Instrument

from ..texts import text


class StartButton(Button, can_focus=False):
    """Clicked with the mouse; the keyboard starts through the screen's bindings."""


class IntroductionScreen(Screen[None]):
    BINDINGS = [Binding("enter,right", "start", "start", show=False)]
    WELCOME_BACK = "welcome_back"  # the key of "you carry on": "adult_welcome_back" for adults

    def __init__(self, instrument: Instrument, language: str, resuming: bool) -> None:
        super().__init__()
        self.instrument = instrument
        self.language = language
        self.resuming = resuming
        self._started = False

    def compose(self) -> ComposeResult:
        with Vertical(id="intro-box"):
            yield Static(self.instrument.title.get(self.language), id="intro-title", markup=False)
            if self.resuming:
                yield Static(text(self.language, self.WELCOME_BACK), id="welcome-back", markup=False)
            yield Static(self.instrument.introduction.get(self.language), id="intro-text", markup=False)
            with Center():
                yield StartButton(f"{text(self.language, 'start')}  →", id="start", variant="primary")
            yield Static(text(self.language, "start_hint"), id="start-hint", markup=False)

    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        if not self._started:  # a key press and a click in the same moment start once
            self._started = True
            self.dismiss(None)
