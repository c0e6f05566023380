"""PIN entry shared by the researcher app (English) and the pupil kiosk (Dutch, for a teacher):
set on first use (typed twice), else checked through storage.pin.PinGate, whose lock-out after
three wrong PINs outlives the field (one gate per app)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from storage.errors import StorageError
from storage.pin import PIN_FORMAT, InvalidPin, PinGate, has_pin, set_pin


@dataclass(frozen=True)
class PinWords:
    """What the field says, in the reader's language."""

    enter: str  # the question when a PIN exists
    choose: str  # no PIN yet: choose one
    again: str  # type the new PIN a second time
    bad_format: str
    differ: str  # the two new PINs differ
    wrong: str
    locked: str  # with {seconds}
    help: str


class PinField(Vertical):
    """Question, masked digits field, message and help; posts `Accepted` once the right PIN is
    given (or a new one set). With `may_set` False and no PIN stored, it only says `missing`."""

    class Accepted(Message):
        """The right PIN was typed, or a new PIN was set."""

    def __init__(self, gate: PinGate, words: PinWords, *, may_set: bool = True, missing: str = "", id: str = "pin-box") -> None:
        super().__init__(id=id)
        self.gate = gate
        self.words = words
        try:
            stored, damaged = has_pin(gate.folder), None
        except StorageError as error:  # a damaged researcher.json: say so, never set a PIN over it
            stored, damaged = True, str(error)
        self.setting = not stored and may_set
        self.missing = damaged or (missing if not stored and not may_set else None)  # shown instead of a field
        self.first_entry: str | None = None  # while setting: the PIN typed the first time

    def compose(self) -> ComposeResult:
        yield Static(self._question(), id="pin-question", markup=False)
        yield Input(password=True, max_length=12, restrict=r"[0-9]*", id="pin", disabled=self.missing is not None)
        yield Static(self.missing or "", id="pin-message", markup=False)
        yield Static(self.words.help, id="pin-help", markup=False)

    def on_mount(self) -> None:
        self.query_one("#pin", Input).focus()

    def seconds_left(self) -> int:
        """Whole seconds until the gate opens again, rounded up (never "0 s" while locked)."""
        return math.ceil(self.gate.seconds_locked())

    def _question(self) -> str:
        if not self.setting:
            return self.words.enter
        return self.words.choose if self.first_entry is None else self.words.again

    def say(self, message: str) -> None:
        self.query_one("#pin-message", Static).update(message)

    def _ask(self) -> None:
        self.query_one("#pin-question", Static).update(self._question())
        self.query_one("#pin", Input).clear()

    @on(Input.Submitted, "#pin")
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.setting:
            self._set(event.value)
        else:
            self._enter(event.value)

    def _set(self, pin: str) -> None:
        if self.first_entry is None:
            self.first_entry = pin if PIN_FORMAT.fullmatch(pin) else None
            self.say("" if self.first_entry else self.words.bad_format)
            self._ask()
            return
        if pin != self.first_entry:
            self.first_entry = None
            self.say(self.words.differ)
            self._ask()
            return
        try:
            set_pin(self.gate.folder, pin)
        except InvalidPin as error:
            self.first_entry = None
            self.say(str(error))
            self._ask()
            return
        self.post_message(self.Accepted())

    def _enter(self, pin: str) -> None:
        try:
            granted = self.gate.try_pin(pin)
        except StorageError as error:  # the stored hash is damaged
            self.say(str(error))
            self._ask()
            return
        if granted:
            self.post_message(self.Accepted())
            return
        if self.gate.locked:
            self.say(self.words.locked.format(seconds=self.seconds_left()))
        else:
            self.say(self.words.wrong)
        self._ask()
