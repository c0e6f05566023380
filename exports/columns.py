"""Column names and metadata (variable label, value labels, measure, user-missing codes) for the
wide tables, taken from the instruments, so that SPSS, Stata and Excel show what R and pandas see.

Names are valid in SPSS and Stata alike: at most 32 characters of [a-z0-9_], starting with a
letter. Item and scale ids of the bank already are (the instrument model allows [a-z][a-z0-9_]*
up to 64 characters): `variable_name` only shortens a longer id of a custom instrument.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from instruments import Instrument
from instruments.models import Item
from instruments.wording import fill

from .meta import Column, Measure

MAX_NAME = 32  # SPSS and Stata
MAX_CODED_NAME = 31  # Stata names a value-label set after its variable, and those names stop at 31
MAX_LABEL = 80  # Stata's variable labels; SPSS allows more
# option labels that mean "no answer to this question" rather than an answer: declared
# user-missing, so SPSS and Stata keep the code but leave it out of means and tests
MISSING_OPTION_LABELS = frozenset({"weet ik niet", "zeg ik liever niet"})


def variable_name(name: str, limit: int = MAX_NAME) -> str:
    """`name` as a valid SPSS/Stata variable name (lower case, [a-z0-9_], <= `limit`, a letter first)."""
    clean = re.sub(r"[^a-z0-9_]", "_", name.lower())
    if not clean[:1].isalpha():
        clean = f"v_{clean}"
    return clean[:limit]


def short_label(text: str) -> str:
    """An item's English wording as a variable label: placeholders filled, at most 80 characters."""
    text = " ".join(fill(text, "en").split())
    if len(text) <= MAX_LABEL:
        return text
    cut = text[: MAX_LABEL - 3].rsplit(" ", 1)[0]
    return f"{cut}..."


@dataclass(frozen=True)
class Variable:
    """One item or scale column of a wide table: where its values come from and what it is."""

    instrument: str
    source: str  # item id or scale id
    kind: str  # "item" or "scale"
    dtype: str  # "Int64" (codes, numbers), "object" (open text), "float64" (scores)
    column: Column


def item_column(instrument: Instrument, item: Item) -> tuple[str, Column]:
    label = short_label(item.text.en)
    if item.kind == "text":
        return "object", Column(label, measure="nominal", text=True)
    if item.kind == "number":
        return "Int64", Column(label, measure="scale")
    response = instrument.response_for(item)
    values = {code: text.en for code, text in sorted(response.labels.items())}
    missing = tuple(
        code for code, text in sorted(response.labels.items()) if text.nl.strip().lower() in MISSING_OPTION_LABELS
    )
    measure: Measure = "nominal" if response.kind == "nominal" else "ordinal"
    return "Int64", Column(label, values=values, measure=measure, missing=missing)


def audience_variables(instruments: Iterable[Instrument], audience: str) -> dict[str, Variable]:
    """Column name -> Variable for every item, then every scale, of the audience's instruments.

    A one-item scale named like its item (the roster's `ses_estimate`) is the item's value
    again and gets no column of its own; any other clash of names gets a suffix."""
    chosen = [instrument for instrument in instruments if instrument.audience == audience]
    variables: dict[str, Variable] = {}
    for instrument in chosen:
        for item in instrument.items:
            dtype, column = item_column(instrument, item)
            limit = MAX_CODED_NAME if column.values else MAX_NAME
            name = _unique(variable_name(item.id, limit), variables, limit)
            variables[name] = Variable(instrument.id, item.id, "item", dtype, column)
    for instrument in chosen:
        for scale in instrument.scales:
            if scale.items == [scale.id]:
                continue
            name = variable_name(scale.id)
            if name in variables:
                name = _unique(variable_name(f"{scale.id}_score"), variables)
            label = f"{scale.label.en} (scale score)"
            column = Column(label[:MAX_LABEL], measure="scale")
            variables[name] = Variable(instrument.id, scale.id, "scale", "float64", column)
    return variables


def _unique(name: str, taken: dict[str, Variable], limit: int = MAX_NAME) -> str:
    candidate, number = name, 2
    while candidate in taken:
        suffix = f"_{number}"
        candidate, number = f"{name[: limit - len(suffix)]}{suffix}", number + 1
    return candidate
