"""The teacher menu, opened by the right PIN over a pupil's screen: stop klaspeil, choose
another class or wave, or go back to the pupil."""

from __future__ import annotations

from typing import Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ..texts import text
from .lock import ForTeacher

MenuChoice = Literal["stop", "switch", "back"]


class TeacherMenu(ForTeacher, ModalScreen[MenuChoice]):
    BINDINGS = [
        Binding("escape", "choose('back')", show=False),
        Binding("up", "app.focus_previous", show=False),
        Binding("down", "app.focus_next", show=False),
    ]

    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language

    def compose(self) -> ComposeResult:
        with Vertical(id="kiosk-box"):
            yield Static(text(self.language, "menu_title"), id="kiosk-title", markup=False)
            yield Button(text(self.language, "menu_stop"), id="menu-stop", classes="menu-button")
            yield Button(text(self.language, "menu_switch"), id="menu-switch", classes="menu-button")
            yield Button(text(self.language, "menu_back"), id="menu-back", classes="menu-button")

    def on_mount(self) -> None:
        self.query_one("#menu-back", Button).focus()  # Enter by habit changes nothing

    @on(Button.Pressed, ".menu-button")
    def pressed(self, event: Button.Pressed) -> None:
        assert event.button.id is not None
        self.action_choose(event.button.id.removeprefix("menu-"))

    def action_choose(self, choice: str) -> None:
        assert choice in ("stop", "switch", "back")
        self.dismiss(choice)  # type: ignore[arg-type]
