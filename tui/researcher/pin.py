"""The researcher PIN: set on first use (typed twice), else asked, through storage.pin.PinGate
(three wrong PINs close the gate for a minute, whatever is typed then)."""

from __future__ import annotations

import math

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

from storage.pin import PIN_FORMAT, InvalidPin, PinGate, has_pin, set_pin


class PinScreen(Screen[bool]):
    """Dismisses with True once the right PIN is given (or a new one set); Escape gives up."""

    BINDINGS = [Binding("escape", "give_up", "Quit")]

    def __init__(self, gate: PinGate) -> None:
        super().__init__()
        self.gate = gate
        self.setting = not has_pin(gate.folder)
        self.first_entry: str | None = None  # while setting: the PIN typed the first time

    def compose(self) -> ComposeResult:
        with Vertical(id="pin-box"):
            yield Static(self._question(), id="pin-question")
            yield Input(password=True, max_length=12, restrict=r"[0-9]*", id="pin")
            yield Static("", id="pin-message")
            yield Static("Enter to confirm, Escape to quit", id="pin-help")

    def _question(self) -> str:
        if not self.setting:
            return "Researcher PIN"
        if self.first_entry is None:
            return "No researcher PIN yet: choose one (4 to 12 digits)"
        return "Type the new PIN again"

    def _say(self, message: str) -> None:
        self.query_one("#pin-message", Static).update(message)

    def _ask(self) -> None:
        self.query_one("#pin-question", Static).update(self._question())
        self.query_one("#pin", Input).clear()

    @on(Input.Submitted, "#pin")
    def submitted(self, event: Input.Submitted) -> None:
        pin = event.value
        if self.setting:
            self._set(pin)
        else:
            self._enter(pin)

    def _set(self, pin: str) -> None:
        if self.first_entry is None:
            if not PIN_FORMAT.fullmatch(pin):
                self._say("A PIN is 4 to 12 digits.")
                self._ask()
                return
            self.first_entry = pin
            self._say("")
            self._ask()
            return
        if pin != self.first_entry:
            self.first_entry = None
            self._say("The two PINs differ: choose one again.")
            self._ask()
            return
        try:
            set_pin(self.gate.folder, pin)
        except InvalidPin as error:
            self.first_entry = None
            self._say(str(error))
            self._ask()
            return
        self.dismiss(True)

    def _enter(self, pin: str) -> None:
        if self.gate.try_pin(pin):
            self.dismiss(True)
            return
        if self.gate.locked:
            seconds = math.ceil(self.gate.seconds_locked())
            self._say(f"Too many wrong PINs: locked, try again in {seconds} s.")
        else:
            self._say("Wrong PIN.")
        self._ask()

    def action_give_up(self) -> None:
        self.dismiss(False)
