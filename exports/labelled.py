"""A table made ready for the typed formats (SPSS .sav, Stata .dta, Parquet).

Two things CSV does not care about and these formats do:

- one type per column. A column of Python objects that mixes numbers and text (items_long's
  `value`: codes and numbers typed, and open text) becomes two: `value`, numeric, missing
  where the answer was text, and `value_text`, the text, missing where it was a number.
  A column that is text by definition (`Column.text`: an open item's answers) stays one text
  column, also in an export where nobody has answered it yet.
- valid variable names. SPSS and Stata each have rules; a name that breaks them is made valid
  the same way every time and uniquely, the original name goes into the variable label, and
  the writer warns.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from pandas.api.types import is_bool_dtype, is_numeric_dtype

from .meta import Column, Measure, Table

TEXT_SUFFIX = "_text"


@dataclass(frozen=True)
class Typed:
    """A Table with one type per column; `columns` describes every column of `frame`."""

    frame: pd.DataFrame
    label: str
    columns: dict[str, Column]


def typed(table: Table) -> Typed:
    """Split each mixed column in two (numbers | text); booleans become 0/1; metadata follows."""
    parts: dict[str, pd.Series] = {}
    columns: dict[str, Column] = {}
    taken = set(table.frame.columns)
    for name, series in table.frame.items():
        meta = table.column(str(name))
        if is_bool_dtype(series.dtype):
            series = series.astype("Int64")
        if series.dtype != object:
            parts[str(name)], columns[str(name)] = series, meta
            continue
        # anything present that is not a number is text (str() of it): nothing is dropped unseen
        present = series.notna().to_numpy()
        numbers = present & np.fromiter((is_number(value) for value in series), dtype=bool, count=len(series))
        is_text = present & ~numbers
        if meta.text or (is_text.any() and not numbers.any()):  # text only: one text column
            parts[str(name)], columns[str(name)] = series.astype("str"), meta
            continue
        text_name = _free(f"{name}{TEXT_SUFFIX}", taken)
        taken.add(text_name)
        parts[str(name)] = _numbers(series.where(~is_text))
        columns[str(name)] = meta
        parts[text_name] = series.where(is_text).astype("str")
        label = f"{meta.label} (open text)" if meta.label else f"{name} where it is text"
        columns[text_name] = Column(label=label, measure="nominal")
    return Typed(pd.DataFrame(parts, index=table.frame.index), table.label, columns)


def is_number(value: object) -> bool:
    """A number in a column of Python objects (numpy's too); a boolean is not one."""
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


def _numbers(series: pd.Series) -> pd.Series:
    """Whole numbers as nullable integers (1 stays 1, not 1.0), else floats."""
    numeric = pd.to_numeric(series, errors="coerce")
    present = numeric.dropna()
    if (present == present.round()).all():
        return numeric.astype("Int64")
    return numeric.astype("float64")


def _free(name: str, taken: set[str]) -> str:
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name}{n}", n + 1
    return candidate


def measure(series: pd.Series, column: Column) -> Measure:
    """The column's own measurement level, else from its type: numbers scale, text nominal."""
    if column.measure is not None:
        return column.measure
    return "scale" if is_numeric_dtype(series.dtype) and not is_bool_dtype(series.dtype) else "nominal"


@dataclass(frozen=True)
class NameRule:
    """What a variable name may be in one program."""

    program: str
    limit: int  # in UTF-8 bytes (SPSS) or characters (Stata); the names made here are ASCII
    valid: re.Pattern[str]
    reserved: frozenset[str]  # compared in upper case
    bad_character: re.Pattern[str]

    def accepts(self, name: str, limit: int | None = None) -> bool:
        return (
            len(name.encode("utf-8")) <= (limit or self.limit)
            and self.valid.fullmatch(name) is not None
            and name.upper() not in self.reserved
        )


SPSS = NameRule(
    program="SPSS",
    limit=64,
    # starts with a letter; a name ending in a period is invalid too
    valid=re.compile(r"[A-Za-z][A-Za-z0-9_.@#$]*(?<!\.)"),
    reserved=frozenset("ALL AND BY EQ GE GT LE LT NE NOT OR TO WITH".split()),
    bad_character=re.compile(r"[^A-Za-z0-9_.@#$]"),
)
STATA = NameRule(
    program="Stata",
    limit=32,
    valid=re.compile(r"[A-Za-z_][A-Za-z0-9_]*"),
    reserved=frozenset(
        "_ALL _B BYTE _COEF _CONS DOUBLE FLOAT IF IN INT LONG _N _PI _PRED _RC _SKIP STRL USING WITH".split()
        + [f"STR{n}" for n in range(1, 2046)]
    ),
    bad_character=re.compile(r"[^A-Za-z0-9_]"),
)


def valid_names(names: list[str], rule: NameRule, limits: Mapping[str, int] | None = None) -> dict[str, str]:
    """Every name to a valid, unique one (case-insensitively: SPSS ignores case).

    Valid names are kept as they are; the others are mended in column order: accents
    dropped, other characters `_`, `v_` before a name that does not start with a letter,
    `_` after a reserved word, cut to the limit, `_2`, `_3`, ... on a clash. `limits`: a
    shorter limit for some names (Stata: pyreadstat names a value-label set after its variable).
    """
    limits = limits or {}
    chosen = {name: name for name in names if rule.accepts(name, limits.get(name))}
    taken = {name.upper() for name in chosen}
    for name in names:
        if name in chosen:
            continue
        limit = limits.get(name, rule.limit)
        base = _mend(name, rule)[:limit]
        candidate, n = base, 2
        while candidate.upper() in taken or not rule.accepts(candidate, limit):
            suffix = f"_{n}"
            candidate, n = base[: limit - len(suffix)] + suffix, n + 1
        chosen[name] = candidate
        taken.add(candidate.upper())
    return {name: chosen[name] for name in names}


def _mend(name: str, rule: NameRule) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    mended = rule.bad_character.sub("_", ascii_name)
    if not mended[:1].isalpha():
        mended = "v_" + mended
    mended = mended[: rule.limit].rstrip(".")
    if mended.upper() in rule.reserved:
        mended = (mended + "_")[: rule.limit]
    return mended


def renamed_label(original: str, label: str) -> str:
    """The variable label of a renamed variable: its original name first, so nothing is lost."""
    return f"{original}: {label}" if label else original


def cut(text: str, limit_bytes: int) -> str:
    """`text` in at most `limit_bytes` UTF-8 bytes, never splitting a character."""
    encoded = text.encode("utf-8")
    if len(encoded) <= limit_bytes:
        return text
    return encoded[:limit_bytes].decode("utf-8", errors="ignore")


def with_label(column: Column, label: str) -> Column:
    return replace(column, label=label)
