"""The tables of the export contract (docs/exports.md), with their columns in contract order."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from instruments import Instrument

from .reading import SESSION_COLUMNS
from .scoring import scale_definitions, score

# who answered: repeated at the start of items_long and scale_scores so each file stands alone
RESPONDENT = ["session_id", "study", "wave", "audience", "respondent", "target", "instrument"]
ITEMS_LONG = [*RESPONDENT, "item", "value"]
SCALE_SCORES = [*RESPONDENT, "scale", "score", "n_valid"]
CODEBOOK = ["instrument", "item", "scale", "reverse", "min", "max", "text_nl", "text_en"]
SCALES = ["instrument", "scale", "n_items", "min_valid"]
SESSIONS = SESSION_COLUMNS

SCALE_SEPARATOR = ";"  # codebook: an item on more than one scale lists them all


def items_long(sessions: pd.DataFrame, answers: pd.DataFrame) -> pd.DataFrame:
    """One row per current answer, raw value (before reverse keying)."""
    return answers.merge(sessions[RESPONDENT], on="session_id")[ITEMS_LONG]


def scale_scores(sessions: pd.DataFrame, answers: pd.DataFrame, instruments: Iterable[Instrument]) -> pd.DataFrame:
    """One row per session x target x scale (a session has one target)."""
    scores = score(sessions, answers, instruments).drop(columns="instrument")
    return scores.merge(sessions[RESPONDENT], on="session_id")[SCALE_SCORES]


def codebook(instruments: Iterable[Instrument]) -> pd.DataFrame:
    """One row per item of every known instrument; `scale` empty when the item is on none."""
    rows = []
    for instrument in instruments:
        for item in instrument.items:
            on = [scale.id for scale in instrument.scales if item.id in scale.items]
            response = instrument.response_for(item)
            rows.append((
                instrument.id, item.id, SCALE_SEPARATOR.join(on) or None, int(item.reverse),
                response.min, response.max, item.text.nl, item.text.en,
            ))
    return pd.DataFrame(rows, columns=CODEBOOK)


def scales(instruments: Iterable[Instrument]) -> pd.DataFrame:
    return scale_definitions(instruments)[SCALES]


def build(sessions: pd.DataFrame, answers: pd.DataFrame, instruments: Iterable[Instrument]) -> dict[str, pd.DataFrame]:
    """Every table of the export, by file name without extension."""
    instruments = sorted(instruments, key=lambda instrument: instrument.id)
    return {
        "items_long": items_long(sessions, answers),
        "scale_scores": scale_scores(sessions, answers, instruments),
        "sessions": sessions[SESSIONS],
        "codebook": codebook(instruments),
        "scales": scales(instruments),
    }
