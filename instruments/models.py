"""Pydantic models of what can be asked: response scales, items, scales, sections, instruments.

The models check one object at a time (types, unknown keys, ranges). Checks that need the
whole instrument (duplicate ids, a scale naming an unknown item) live in `consistency.py`,
so that the loader can point each problem at the line it comes from.
"""

from __future__ import annotations

import random
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Identifier = Annotated[
    str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", min_length=1, max_length=64)
]


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
    """An integer range with a label for every point, e.g. 1..5 'helemaal niet waar'..'helemaal waar'."""

    id: Identifier
    min: int
    max: int
    labels: dict[int, Text]

    @property
    def values(self) -> range:
        return range(self.min, self.max + 1)

    def reverse(self, value: int) -> int:
        return self.min + self.max - value


class Item(Strict):
    id: Identifier
    text: Text
    response: Identifier  # id of a ResponseScale of the same instrument
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
    response_scales: Annotated[list[ResponseScale], Field(min_length=1)]
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
        return self.response_scale(item.response)
