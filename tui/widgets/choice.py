"""Options on a response scale: a list of large labelled buttons, or a row of numbers for a
rating labelled only at its ends (1-10). Keys 1..9 choose the n-th option, 0 the tenth."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Button, Label

from instruments import ResponseScale

from ..texts import text
from .answer import AnswerWidget, Value


class AnswerButton(Button, can_focus=False):
    """One answer option. Not focusable: Enter means "next", never "press this button again"."""

    def __init__(self, position: int, value: int, label: str) -> None:
        super().__init__(classes="answer")
        self.position = position  # the key that chooses it: 1, 2, ... 9, and 0 for the tenth
        self.value = value
        self.option = label
        self.mark(False)

    def mark(self, chosen: bool) -> None:
        # the markers and the border say "chosen" without relying on colour
        self.label = Content(self.marked() if chosen else self.plain())
        self.set_class(chosen, "-chosen")

    def plain(self) -> str:
        return f"{self.position % 10}  {self.option}"

    def marked(self) -> str:
        return f"▶ {self.plain()} ◀"


class RatingButton(AnswerButton):
    """A number of a rating: the number is its own label (and the key for 1..9; 0 for 10)."""

    def __init__(self, position: int, value: int, label: str) -> None:
        super().__init__(position, value, label)
        self.styles.line_pad = 0  # Textual's CSS parser refuses `line-pad: 0`; a button pads by 1

    def plain(self) -> str:
        return self.option

    def marked(self) -> str:
        return f"▶{self.option}◀"  # four cells inside the heavy border of a six-cell button


class ChoiceAnswer(AnswerWidget):
    """The buttons of a response scale; a choice is saved at once (the screen saves `Chosen`)."""

    def __init__(self, shape: tuple[str, str], language: str, given: Value, scale: ResponseScale) -> None:
        super().__init__(shape, language, given, classes="choice")
        self.scale = scale

    def on_mount(self) -> None:
        self.show_answer(self.given)

    def show_answer(self, value: Value) -> None:
        super().show_answer(value)
        for button in self.query(AnswerButton):
            button.mark(button.value == value)

    def value_at(self, position: int) -> int | None:
        values = list(self.scale.values)
        return values[position - 1] if 1 <= position <= len(values) else None

    @on(Button.Pressed, ".answer")
    def clicked(self, event: Button.Pressed) -> None:
        event.stop()
        assert isinstance(event.button, AnswerButton)
        self.post_message(self.Chosen(event.button.value))

    def keys_hint(self) -> str:
        count = len(self.scale.values)
        key = "keys_hint_ten" if count == 10 else "keys_hint"
        return text(self.language, key, last=min(count, 9))


class OptionsAnswer(ChoiceAnswer):
    """One full-width button per option, its key in front: "1  helemaal niet waar"."""

    def __init__(self, shape: tuple[str, str], language: str, given: Value, scale: ResponseScale) -> None:
        super().__init__(shape, language, given, scale)
        # more than five options would not fit in 24 rows as three-row buttons
        self.set_class(len(scale.values) > 5, "-many")

    def compose(self) -> ComposeResult:
        labels = self.scale.labels
        yield from (
            AnswerButton(position, value, labels[value].get(self.language))
            for position, value in enumerate(self.scale.values, start=1)
        )


class RatingAnswer(ChoiceAnswer):
    """1..10 in a row, the end labels under the first and the last number."""

    def compose(self) -> ComposeResult:
        values = list(self.scale.values)
        with Horizontal(classes="rating-numbers"):
            for position, value in enumerate(values, start=1):
                yield RatingButton(position, value, str(value))
        with Horizontal(classes="rating-ends"):
            low, high = (self.scale.labels.get(v) for v in (values[0], values[-1]))
            yield Label(f"↑ {low.get(self.language)}" if low else "", classes="rating-low")
            yield Label(f"{high.get(self.language)} ↑" if high else "", classes="rating-high")
