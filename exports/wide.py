"""Wide tables: one row per respondent (x target) x wave, one column per item and per scale score.

Built with one unstack of items_long and one of scale_scores per audience (no loop over
sessions), so they stay a small part of an export of 100,000 sessions.

When a respondent has more than one session of the same instrument in a wave (a pupil who
started again on another laptop), one counts: the finished one, and among equals the one
changed last (`updated_at`). The others stay in items_long and scale_scores.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from instruments import Instrument

from .columns import Variable, audience_variables
from .meta import Column

# per audience: the columns that name one row, as (column in `sessions`, name in the wide table)
ROW_KEYS: dict[str, list[tuple[str, str]]] = {
    "pupil": [("study", "study"), ("wave", "wave"), ("respondent", "pupil")],
    "teacher": [("study", "study"), ("wave", "wave"), ("class_id", "class_id"), ("respondent", "teacher")],
    "roster": [("study", "study"), ("wave", "wave"), ("respondent", "teacher"), ("target", "pupil")],
    "team": [("study", "study"), ("wave", "wave"), ("class_id", "team"), ("respondent", "member")],
}
KEY_COLUMNS: dict[str, Column] = {
    "study": Column("study id (study.yaml)", measure="nominal"),
    "wave": Column("wave id (study.yaml)", measure="nominal"),
    "class_id": Column("class id (study.yaml)", measure="nominal"),
    "pupil": Column("pupil code (pseudonym)", measure="nominal"),
    "teacher": Column("teacher code (pseudonym)", measure="nominal"),
    "team": Column("team id (study.yaml)", measure="nominal"),
    "member": Column("team member code (pseudonym)", measure="nominal"),
}


@dataclass(frozen=True)
class Wide:
    """A wide table before its labels: the frame and the item/scale variables it holds."""

    frame: pd.DataFrame
    keys: list[str]
    variables: dict[str, Variable]


def current_sessions(sessions: pd.DataFrame, audience: str) -> pd.DataFrame:
    """The audience's sessions, one per row key and instrument: finished first, then the latest change."""
    keys = [source for source, _ in ROW_KEYS[audience]]
    chosen = sessions.loc[sessions["audience"] == audience]
    chosen = chosen.assign(_finished=chosen["status"].eq("finished"))
    chosen = chosen.sort_values(["_finished", "updated_at"], ascending=False, kind="stable")
    chosen = chosen.drop_duplicates([*keys, "instrument"]).sort_index()
    return chosen.drop(columns="_finished")


def wide(
    sessions: pd.DataFrame, items: pd.DataFrame, scores: pd.DataFrame, instruments: Iterable[Instrument], audience: str
) -> Wide:
    """One row per row key of `audience` (ROW_KEYS): every item's raw value and every scale score.

    `items` and `scores` are the items_long and scale_scores frames of the export; the
    pupil and ratings tables also carry the class_id (of the wave's first session)."""
    pairs = ROW_KEYS[audience]
    names = dict(pairs)
    keys = [name for _, name in pairs]
    variables = audience_variables(instruments, audience)
    chosen = current_sessions(sessions, audience)
    extra = ["class_id"] if audience in ("pupil", "roster") else []  # the class of the wave's first session
    who = chosen[["session_id", *names, *extra]].rename(columns=names)
    frame = who.drop(columns="session_id").drop_duplicates(keys).reset_index(drop=True)

    lookup = pd.DataFrame(
        [(v.instrument, v.source, v.kind, name) for name, v in variables.items()],
        columns=["instrument", "source", "kind", "column"],
    )
    parts = [frame.set_index(keys)]
    for kind, table, source, value in (("item", items, "item", "value"), ("scale", scores, "scale", "score")):
        named = lookup.loc[lookup["kind"] == kind].rename(columns={"source": source}).drop(columns="kind")
        cells = (
            table[["session_id", "instrument", source, value]]
            .merge(who[["session_id", *keys]], on="session_id")
            .merge(named, on=["instrument", source])
        )
        if not cells.empty:
            parts.append(cells.set_index([*keys, "column"])[value].unstack("column"))
    joined = pd.concat(parts, axis=1) if len(parts) > 1 else parts[0]
    joined = joined.reindex(columns=[*extra, *variables]).reset_index()
    for name, variable in variables.items():
        joined[name] = _typed(joined[name], variable.dtype)
    leading = [*keys[:2], *extra, *keys[2:]]  # study, wave, class_id, who
    return Wide(joined[[*leading, *variables]], keys, variables)


def _typed(column: pd.Series, dtype: str) -> pd.Series:
    if dtype == "object":
        return column.astype("object").where(column.notna(), None)
    if dtype == "Int64":
        return pd.to_numeric(column, errors="coerce").astype("Int64")
    return pd.to_numeric(column, errors="coerce").astype("float64")


def labelled(built: Wide) -> dict[str, Column]:
    """Column metadata of a wide table: the keys, then every item and scale variable."""
    columns = {name: KEY_COLUMNS[name] for name in built.frame.columns if name in KEY_COLUMNS}
    columns.update({name: variable.column for name, variable in built.variables.items()})
    return columns
