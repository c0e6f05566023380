"""Pydantic models of what can be asked: response scales, items, scales, sections, instruments.

The models check one object at a time (types, unknown keys, ranges). Checks that need the
whole instrument (duplicate ids, a scale naming an unknown item) live in `consistency.py`,
so that the loader can point each problem at the line it comes from.
"""

from __future__ import annotations

import random
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

IDENTIFIER = r"^[a-z][a-z0-9_]*$"
Identifier = Annotated[str, StringConstraints(pattern=IDENTIFIER, min_length=1, max_length=64)]


class Strict(BaseModel):
    """Every model forbids unknown keys: a typo such as `reversed:` must be an error."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Text(Strict):
    """A text in Dutch (what pupils and teachers read) and English."""

    nl: Annotated[str, StringConstraints(min_length=1)]
    en: Annotated[str, StringConstraints(min_length=1)]

    def get(self, language: str) -> str:
        return self.en if language == "en" else self.nl


# roster: a teacher rating each pupil of the class
Audience = Literal["pupil", "teacher", "roster", "team"]


class ResponseScale(Strict):
    """Integer codes with labels: a Likert scale (1..5 'helemaal niet waar'..'helemaal waar'), a
    1-10 rating labelled at its ends, a 1-5 level in quintiles, or the options of a single choice."""

    id: Identifier
    min: int
    max: int
    labels: dict[int, Text]
    # nominal: the codes of a choice (gender, country of birth), never averaged or reverse keyed
    kind: Literal["ordinal", "nominal"] = "ordinal"
    # "ends": only min and max carry a label, as on a 1-10 rating ("1 = laag, 10 = hoog")
    labelled: Literal["all", "ends"] = "all"

    @property
    def values(self) -> range:
        return range(self.min, self.max + 1)

    def reverse(self, value: int) -> int:
        return self.min + self.max - value


ItemKind = Literal["options", "number", "text"]


class Item(Strict):
    """One question. `options`: answered on a response scale; `number`: a whole number within
    min..max (age, years of teaching); `text`: open text, exported but never scored.

    Item text may hold placeholders such as {leerkracht} (instruments/wording.py)."""

    id: Identifier
    text: Text
    kind: ItemKind = "options"
    response: Identifier | None = None  # options: id of a ResponseScale of the same instrument
    min: int | None = None  # number
    max: int | None = None  # number
    unit: Text | None = None  # number, shown after the field ("jaar")
    max_length: Annotated[int, Field(ge=1, le=10_000)] = 1000  # text
    reverse: bool = False
    required: bool = True


class Section(Strict):
    id: Identifier
    title: Text | None = None
    shuffle: bool = False  # shuffle item order per respondent; the order shown is stored
    items: Annotated[list[Item], Field(min_length=1)]


class Scale(Strict):
    id: Identifier
    label: Text
    items: Annotated[list[Identifier], Field(min_length=1)]
    min_valid: Annotated[int, Field(ge=1)]


class Instrument(Strict):
    id: Identifier
    version: Annotated[str, StringConstraints(pattern=r"^\d+\.\d+(\.\d+)?$")]
    audience: Audience
    title: Text
    introduction: Text
    response_scales: list[ResponseScale] = []  # empty only when every item is a number or text item
    sections: Annotated[list[Section], Field(min_length=1)]
    scales: list[Scale] = []

    def shown_order(self, rng: random.Random) -> list[str]:
        """Item ids in the order a respondent sees them: section by section, shuffled where a
        section says so. The TUI and the simulator both seed `rng` from the session id."""
        order: list[str] = []
        for section in self.sections:
            ids = [item.id for item in section.items]
            if section.shuffle:
                rng.shuffle(ids)
            order.extend(ids)
        return order

    @property
    def items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def response_scale(self, scale_id: str) -> ResponseScale:
        for scale in self.response_scales:
            if scale.id == scale_id:
                return scale
        raise KeyError(scale_id)

    def response_for(self, item: Item) -> ResponseScale:
        if item.response is None:
            raise KeyError(f"item '{item.id}' is a {item.kind} item without a response scale")
        return self.response_scale(item.response)

    def allowed_values(self, item: Item) -> range | None:
        """The whole numbers an item accepts; None for open text."""
        if item.kind == "number":
            assert item.min is not None and item.max is not None  # the loader requires both
            return range(item.min, item.max + 1)
        if item.kind == "text":
            return None
        return self.response_for(item).values

    def answer_problem(self, item: Item, value: int | str | None) -> str | None:
        """Why `value` cannot be an answer to `item`, or None when it can (None clears an answer)."""
        if value is None:
            return None
        allowed = self.allowed_values(item)
        if allowed is None:
            if not isinstance(value, str):
                return f"item '{item.id}' takes text, not {value!r}"
            if len(value) > item.max_length:
                return f"item '{item.id}' takes at most {item.max_length} characters, got {len(value)}"
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            return f"item '{item.id}' takes a whole number, not {value!r}"
        if value not in allowed:
            return f"item '{item.id}' has value {value} outside {allowed.start}..{allowed.stop - 1}"
        return None
