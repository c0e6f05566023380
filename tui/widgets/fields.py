"""Typed answers: a whole number (age, years) and open text. What is typed is saved when the
pupil leaves the item (the screen asks `pending`), never half-way through typing.

Left and Right move the cursor in a field, so the keys to go on are Enter (Tab then Enter in
a text box, where Enter starts a new line) and Escape to go back; the buttons under the
field do the same for a mouse.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Input, Label, Static, TextArea
from textual.widgets.text_area import EditResult, Location

from instruments import Item

from ..texts import text
from .answer import KEEP, AnswerWidget, Pending, Refused, Value

# open text up to this many characters is one line, where Enter goes on
ONE_LINE = 60


class BackButton(Button, can_focus=False):
    """Only for the mouse: Tab from the field goes to "volgende", not here."""


class FieldAnswer(AnswerWidget):
    """A field, a line for messages, and the "← terug" / "volgende →" buttons."""

    def navigation(self) -> ComposeResult:
        yield Static(classes="field-message", markup=False)
        with Horizontal(classes="field-navigation"):
            yield BackButton(text(self.language, "back_button"), classes="back-button")
            yield Button(text(self.language, "next_button"), classes="next-button")

    def refuse(self, message: str) -> None:
        shown = self.query_one(".field-message", Static)
        shown.update(f"⚠  {message}" if message else "")
        shown.set_class(bool(message), "-shown")

    def clear_or_keep(self, typed: Value) -> Pending:
        """Saving `typed` (None: the field is empty) only when it differs from what is stored."""
        return KEEP if typed == self.given else typed


class NumberAnswer(FieldAnswer):
    """A field that takes only digits, the unit after it ("jaar"); Enter saves within min..max."""

    def __init__(self, shape: tuple[str, str], language: str, given: Value, item: Item) -> None:
        super().__init__(shape, language, given, classes="field-answer")
        assert item.min is not None and item.max is not None  # the loader requires both
        self.low, self.high = item.min, item.max
        self.unit = item.unit.get(language) if item.unit else ""

    def compose(self) -> ComposeResult:
        digits = max(len(str(self.low)), len(str(self.high)))
        field = Input(
            "" if self.given is None else str(self.given),
            restrict=r"-?\d*" if self.low < 0 else r"\d*",
            max_length=digits,
            classes="number-field",
            select_on_focus=False,
        )
        # as wide as the longest number and the cursor, plus the border and padding (2 + 4)
        field.styles.width = digits + 1 + 6
        with Horizontal(classes="number-row"):
            yield field
            yield Label(self.unit, classes="number-unit")
        yield from self.navigation()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def pending(self) -> Pending:
        fields = self.query(Input)
        if not fields:  # a key pressed before the field was drawn: nothing was typed
            return KEEP
        typed = fields.first().value.strip()
        if typed in ("", "-"):
            return self.clear_or_keep(None)
        number = int(typed)
        if not self.low <= number <= self.high:
            return Refused(text(self.language, "number_range", low=self.low, high=self.high))
        return self.clear_or_keep(number)

    def keys_hint(self) -> str:
        return text(self.language, "keys_hint_number")


class BoundedTextArea(TextArea):
    """A text box that refuses typing or pasting past `max_length` characters."""

    def __init__(self, value: str, max_length: int, **options: str) -> None:
        super().__init__(value, soft_wrap=True, tab_behavior="focus", **options)
        self.max_length = max_length

    def _replace_via_keyboard(self, insert: str, start: Location, end: Location) -> EditResult | None:
        replaced = len(self.get_text_range(*sorted((start, end))))
        room = self.max_length - (len(self.text) - replaced)
        if room <= 0 and insert:
            self.app.bell()
            return None
        return super()._replace_via_keyboard(insert[:room], start, end)


class TextAnswer(FieldAnswer):
    """Open text: one line when short (Enter goes on), else a text box with a character count."""

    def __init__(self, shape: tuple[str, str], language: str, given: Value, item: Item) -> None:
        super().__init__(shape, language, given, classes="field-answer")
        self.max_length = item.max_length
        self.one_line = item.max_length <= ONE_LINE

    def compose(self) -> ComposeResult:
        given = self.given if isinstance(self.given, str) else ""
        if self.one_line:
            yield Input(given, max_length=self.max_length, classes="text-line", select_on_focus=False)
        else:
            yield BoundedTextArea(given, self.max_length, classes="text-box")
            yield Label(classes="text-count")
        yield from self.navigation()

    def on_mount(self) -> None:
        field = self.query_one(Input) if self.one_line else self.query_one(BoundedTextArea)
        field.focus()
        if not self.one_line:
            self.count()

    def on_text_area_changed(self) -> None:
        self.count()

    def count(self) -> None:
        used = len(self.query_one(BoundedTextArea).text)
        self.query_one(".text-count", Label).update(text(self.language, "text_count", used=used, most=self.max_length))

    def pending(self) -> Pending:
        fields = self.query(Input) if self.one_line else self.query(BoundedTextArea)
        if not fields:  # a key pressed before the field was drawn: nothing was typed
            return KEEP
        field = fields.first()
        typed = field.value if isinstance(field, Input) else field.text
        return self.clear_or_keep(typed.strip() or None)

    def keys_hint(self) -> str:
        return text(self.language, "keys_hint_line" if self.one_line else "keys_hint_text")
