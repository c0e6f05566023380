"""What every answer widget of the item screen does, whatever the kind of item.

The widget shows the answer stored and collects a new one; the item screen saves it. Option
widgets ask the screen to save at once (`Chosen`); fields (a number, a text) hold what is
typed until the pupil leaves the item, when the screen asks them what to save (`pending`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TypeAlias

from textual.containers import Vertical
from textual.message import Message

from instruments import Instrument, Item

Value: TypeAlias = int | str | None  # None clears an earlier answer


class Keep(Enum):
    """Leaving the item saves nothing: nothing was typed, or exactly what is stored."""

    KEEP = "keep"


KEEP = Keep.KEEP


@dataclass(frozen=True)
class Refused:
    """What is typed cannot be an answer; the pupil is told why and stays on the item."""

    message: str


Pending: TypeAlias = Value | Keep | Refused


class AnswerWidget(Vertical):
    """Base of the answer widgets. `shape` says which items can share one widget: items on the
    same response scale keep their buttons, so moving between them does not redraw them."""

    class Chosen(Message):
        """An option was chosen: the screen saves it before anything changes on screen."""

        def __init__(self, value: int) -> None:
            super().__init__()
            self.value = value

    def __init__(self, shape: tuple[str, str], language: str, given: Value, **options: str) -> None:
        super().__init__(**options)
        self.shape = shape
        self.language = language
        self.given = given

    def show_answer(self, value: Value) -> None:
        """Mark `value` as the stored answer (after a save, or on an item of the same shape)."""
        self.given = value

    def pending(self) -> Pending:
        """What leaving the item must save."""
        return KEEP

    def refuse(self, message: str) -> None:
        """Show why what was typed is not saved."""

    def value_at(self, position: int) -> int | None:
        """The value key `position` (1, 2, ... 10 for key 0) chooses; None where keys choose nothing."""
        return None

    def keys_hint(self) -> str:
        raise NotImplementedError


def answer_widget(instrument: Instrument, item: Item, language: str, given: Value) -> AnswerWidget:
    """The widget that asks `item`, showing the answer `given` earlier."""
    from .choice import OptionsAnswer, RatingAnswer
    from .fields import NumberAnswer, TextAnswer

    shape = shape_of(instrument, item)
    if item.kind == "number":
        return NumberAnswer(shape, language, given, item)
    if item.kind == "text":
        return TextAnswer(shape, language, given, item)
    scale = instrument.response_for(item)
    if scale.labelled == "ends":
        return RatingAnswer(shape, language, given, scale)
    return OptionsAnswer(shape, language, given, scale)


def shape_of(instrument: Instrument, item: Item) -> tuple[str, str]:
    """Items with the same shape are asked with the same widget (see AnswerWidget)."""
    if item.kind == "options":
        return ("options", instrument.response_for(item).id)
    return (item.kind, item.id)
