"""The tables of the export contract (docs/exports.md), with their columns in contract order."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from instruments import Instrument

from .meta import Table
from .reading import SESSION_COLUMNS
from .research import research_tables
from .reliability import reliability_tables
from .scoring import scale_definitions, score

# who answered: repeated at the start of items_long and scale_scores so each file stands alone
RESPONDENT = ["session_id", "study", "wave", "audience", "respondent", "target", "instrument"]
ITEMS_LONG = [*RESPONDENT, "item", "value"]
SCALE_SCORES = [*RESPONDENT, "scale", "score", "n_valid"]
CODEBOOK = ["instrument", "item", "scale", "reverse", "min", "max", "text_nl", "text_en"]
VALUE_LABELS = ["instrument", "item", "value", "label_nl", "label_en"]
SCALES = ["instrument", "scale", "n_items", "min_valid"]
SESSIONS = SESSION_COLUMNS

SCALE_SEPARATOR = ";"  # codebook: an item on more than one scale lists them all


def items_long(sessions: pd.DataFrame, answers: pd.DataFrame) -> pd.DataFrame:
    """One row per current answer, raw value (before reverse keying): a code, a number or open text."""
    table = answers.merge(sessions[RESPONDENT], on="session_id")[ITEMS_LONG]
    # a line break typed on any system is written as \n: a bare \r would not be quoted by the
    # CSV writer (its line end is \n) and would split the row in every reader
    table["value"] = table["value"].map(_one_line_end)
    return table


def _one_line_end(value: int | str) -> int | str:
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


def scale_scores(sessions: pd.DataFrame, answers: pd.DataFrame, instruments: Iterable[Instrument]) -> pd.DataFrame:
    """One row per session x target x scale (a session has one target)."""
    scores = score(sessions, answers, instruments).drop(columns="instrument")
    return scores.merge(sessions[RESPONDENT], on="session_id")[SCALE_SCORES]


def codebook(instruments: Iterable[Instrument]) -> pd.DataFrame:
    """One row per item of every known instrument; `scale` empty when the item is on none;
    `min`/`max` the response scale's or the number item's range, empty for open text."""
    rows = []
    for instrument in instruments:
        for item in instrument.items:
            on = [scale.id for scale in instrument.scales if item.id in scale.items]
            allowed = instrument.allowed_values(item)
            low, high = (allowed.start, allowed.stop - 1) if allowed is not None else (None, None)
            rows.append((
                instrument.id, item.id, SCALE_SEPARATOR.join(on) or None, int(item.reverse),
                low, high, item.text.nl, item.text.en,
            ))
    # nullable integers: a text item's empty range must not turn 1 into 1.0
    return pd.DataFrame(rows, columns=CODEBOOK).astype({"reverse": "int64", "min": "Int64", "max": "Int64"})


def value_labels(instruments: Iterable[Instrument]) -> pd.DataFrame:
    """One row per labelled code of every options item (a 1-10 rating labelled at its ends: two rows)."""
    rows = [
        (instrument.id, item.id, code, label.nl, label.en)
        for instrument in instruments
        for item in instrument.items
        if item.kind == "options"
        for code, label in sorted(instrument.response_for(item).labels.items())
    ]
    return pd.DataFrame(rows, columns=VALUE_LABELS).astype({"value": "int64"})


def scales(instruments: Iterable[Instrument]) -> pd.DataFrame:
    return scale_definitions(instruments)[SCALES]


def build(
    sessions: pd.DataFrame, answers: pd.DataFrame, instruments: Iterable[Instrument], wave_order: list[str] | None = None
) -> dict[str, Table]:
    """Every table of the export, by file name without extension.

    `wave_order`: the study's waves in their order (study.yaml), for what pairs one wave
    with a later one; None: the order in which waves first appear in `sessions`.
    """
    instruments = sorted(instruments, key=lambda instrument: instrument.id)
    if wave_order is None:
        wave_order = list(dict.fromkeys(sessions["wave"]))
    tables = {
        "items_long": Table(items_long(sessions, answers), "one answer"),
        "scale_scores": Table(scale_scores(sessions, answers, instruments), "one session x scale"),
        "sessions": Table(sessions[SESSIONS], "one session"),
        "codebook": Table(codebook(instruments), "one item"),
        "value_labels": Table(value_labels(instruments), "one labelled code of an item"),
        "scales": Table(scales(instruments), "one scale"),
    }
    # issue 7: the tables built on these (reliability; wide tables, derived variables, comparisons)
    tables.update(reliability_tables(tables["items_long"].frame, instruments, wave_order))
    tables.update(research_tables(sessions, tables["items_long"].frame, tables["scale_scores"].frame, instruments, wave_order))
    return tables
