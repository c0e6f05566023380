"""The teacher's PIN in the pupil app: at start (UnlockScreen: set on first use, no way past it
but the PIN) and over a pupil's screen on Ctrl+Q or F12 (PinPrompt: Escape goes back to the
pupil, whose screen and answers stay as they were). Both ask the app's one PinGate, so three
wrong PINs lock entry for a minute even when the prompt is closed and opened again."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from storage.pin import PinGate

from ..texts import text
from ..widgets.pin_field import PinField, PinWords
from .lock import ForTeacher


def pin_words(language: str, help_key: str) -> PinWords:
    return PinWords(
        enter=text(language, "pin_enter"),
        choose=text(language, "pin_choose"),
        again=text(language, "pin_again"),
        bad_format=text(language, "pin_bad_format"),
        differ=text(language, "pin_differ"),
        wrong=text(language, "pin_wrong"),
        locked=text(language, "pin_locked"),
        help=text(language, help_key),
    )


class AsksPin(ForTeacher):
    """What both PIN screens share: the app's gate, the title over a PinField, True once the
    PIN is accepted. A plain mixin, not a Screen: PinPrompt keeps ModalScreen's see-through
    background. Subclasses say which field (`pin_field`)."""

    gate: PinGate
    language: str

    def __init__(self, gate: PinGate, language: str) -> None:
        super().__init__()
        self.gate = gate
        self.language = language

    def pin_field(self) -> PinField:
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Vertical(id="kiosk-box"):
            yield Static(text(self.language, "teacher_only"), id="kiosk-title", markup=False)
            yield self.pin_field()

    def on_pin_field_accepted(self) -> None:
        self.dismiss(True)  # type: ignore[attr-defined]  # a Screen's, through the subclass


class UnlockScreen(AsksPin, Screen[bool]):
    """The first screen of `klaspeil`: dismissed with True once the PIN is given or set."""

    def pin_field(self) -> PinField:
        return PinField(self.gate, pin_words(self.language, "pin_help_unlock"))


class PinPrompt(AsksPin, ModalScreen[bool]):
    """Over the pupil's screen: True for the right PIN, False on Escape. It never sets a PIN
    (a pupil would set one): without one it says how to set one."""

    BINDINGS = [Binding("escape", "back", show=False)]

    def pin_field(self) -> PinField:
        return PinField(
            self.gate, pin_words(self.language, "pin_help_prompt"),
            may_set=False, missing=text(self.language, "pin_missing"),
        )

    def on_mount(self) -> None:
        if self.gate.locked:  # closed and opened again during a lock-out: say so at once
            field = self.query_one(PinField)
            field.say(field.words.locked.format(seconds=field.seconds_left()))

    def action_back(self) -> None:
        self.dismiss(False)
