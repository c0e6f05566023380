"""The researcher PIN: set on first use (typed twice), else asked, through storage.pin.PinGate
(three wrong PINs close the gate for a minute, whatever is typed then). The field itself is
tui/widgets/pin_field.py, shared with the pupil kiosk."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen

from storage.pin import PinGate

from ..widgets.pin_field import PinField, PinWords

WORDS = PinWords(
    enter="Researcher PIN",
    choose="No researcher PIN yet: choose one (4 to 12 digits)",
    again="Type the new PIN again",
    bad_format="A PIN is 4 to 12 digits.",
    differ="The two PINs differ: choose one again.",
    wrong="Wrong PIN.",
    locked="Too many wrong PINs: locked, try again in {seconds} s.",
    help="Enter to confirm, Escape to quit",
)


class PinScreen(Screen[bool]):
    """Dismisses with True once the right PIN is given (or a new one set); Escape gives up."""

    BINDINGS = [Binding("escape", "give_up", "Quit")]

    def __init__(self, gate: PinGate) -> None:
        super().__init__()
        self.gate = gate

    def compose(self) -> ComposeResult:
        yield PinField(self.gate, WORDS)

    @on(PinField.Accepted)
    def granted(self) -> None:
        self.dismiss(True)

    def action_give_up(self) -> None:
        self.dismiss(False)
