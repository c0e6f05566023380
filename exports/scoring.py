"""Scale scores: the mean of the valid items after reverse keying, missing below `min_valid`.

Vectorised over all sessions at once (a merge with the scoring key and one groupby), so that
scoring stays a small part of an export of hundreds of thousands of sessions.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

import pandas as pd

from instruments import Instrument

KEY_COLUMNS = ["instrument", "item", "scale", "reverse", "min", "max"]
SCALE_COLUMNS = ["instrument", "scale", "n_items", "min_valid"]
SCORE_COLUMNS = ["session_id", "instrument", "scale", "score", "n_valid"]

Value = TypeVar("Value", int, pd.Series)


def reverse_keyed(value: Value, minimum: int | pd.Series, maximum: int | pd.Series) -> Value:
    """A reverse-keyed item's value turned around: min + max - value (1..5: 1<->5, 2<->4)."""
    return minimum + maximum - value


def scoring_key(instruments: Iterable[Instrument]) -> pd.DataFrame:
    """One row per item x scale it belongs to: how to key the item for that scale."""
    rows = []
    for instrument in instruments:
        for scale in instrument.scales:
            for item_id in scale.items:
                item = instrument.item(item_id)
                response = instrument.response_for(item)
                rows.append((instrument.id, item.id, scale.id, item.reverse, response.min, response.max))
    return pd.DataFrame(rows, columns=KEY_COLUMNS).astype(
        {"reverse": "bool", "min": "int64", "max": "int64"}
    )


def scale_definitions(instruments: Iterable[Instrument]) -> pd.DataFrame:
    """One row per scale: how many items it has and how many must be valid for a score."""
    rows = [
        (instrument.id, scale.id, len(scale.items), scale.min_valid)
        for instrument in instruments
        for scale in instrument.scales
    ]
    return pd.DataFrame(rows, columns=SCALE_COLUMNS).astype({"n_items": "int64", "min_valid": "int64"})


def score(sessions: pd.DataFrame, answers: pd.DataFrame, instruments: Iterable[Instrument]) -> pd.DataFrame:
    """One row per session x scale of its instrument: `score` (NaN when n_valid < min_valid), `n_valid`.

    `sessions` needs session_id and instrument; `answers` session_id, item and the raw value,
    one row per current, non-empty answer (a cleared or skipped item has no row: it is missing).
    """
    instruments = list(instruments)
    per_session = sessions[["session_id", "instrument"]]
    keyed = (
        answers[["session_id", "item", "value"]]
        .merge(per_session, on="session_id")
        .merge(scoring_key(instruments), on=["instrument", "item"])
    )
    value = keyed["value"].astype("int64")  # scale items are whole numbers (the loader sees to it)
    keyed["keyed"] = value.where(~keyed["reverse"], reverse_keyed(value, keyed["min"], keyed["max"])).astype("float64")
    stats = (
        keyed.groupby(["session_id", "scale"], sort=False)["keyed"]
        .agg(mean="mean", n_valid="count")
        .reset_index()
    )
    # every session gets a row for every scale of its instrument, answered or not
    grid = per_session.merge(scale_definitions(instruments)[["instrument", "scale", "min_valid"]], on="instrument")
    scores = grid.merge(stats, on=["session_id", "scale"], how="left")
    scores["n_valid"] = scores["n_valid"].fillna(0).astype("int64")
    scores["score"] = scores["mean"].where(scores["n_valid"] >= scores["min_valid"]).astype("float64")
    return scores[SCORE_COLUMNS]
