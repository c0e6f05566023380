"""Wide tables: one row per respondent (x target) x wave, one column per item and per scale score.

Built by placing items_long's and scale_scores' cells by position into one array per audience
(no loop over sessions, no merge), so they stay a small part of an export of 100,000 sessions.

When a respondent has more than one session of the same instrument in a wave (a pupil who
started again on another laptop), one counts: the finished one, and among equals the one
changed last (`updated_at`). The others stay in items_long and scale_scores.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
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
    pupil and ratings tables also carry the class_id (should sessions differ, the first's in folder order)."""
    pairs = ROW_KEYS[audience]
    names = dict(pairs)
    keys = [name for _, name in pairs]
    variables = audience_variables(instruments, audience)
    chosen = current_sessions(sessions, audience)
    extra = ["class_id"] if audience in ("pupil", "roster") else []
    who = chosen[["session_id", *names, *extra]].rename(columns=names)
    # each session's row: rows numbered in order of first appearance, as drop_duplicates keeps them
    row_of = pd.Series(who.groupby(keys, sort=False, dropna=False).ngroup().to_numpy(), index=who["session_id"])
    frame = who.drop(columns="session_id").drop_duplicates(keys).reset_index(drop=True)
    item_cells = _scattered(items, audience, row_of, len(frame), variables, "item", "value")
    scale_cells = _scattered(scores, audience, row_of, len(frame), variables, "scale", "score")
    joined = pd.concat([frame, item_cells, scale_cells], axis=1)
    leading = [*keys[:2], *extra, *keys[2:]]  # study, wave, class_id, who
    return Wide(joined[[*leading, *variables]], keys, variables)


def _scattered(
    table: pd.DataFrame, audience: str, row_of: pd.Series, n_rows: int,
    variables: dict[str, Variable], kind: str, value: str,
) -> pd.DataFrame:
    """The `kind` ("item": column `item`; "scale": column `scale`) variables' cells of `table`
    put in place by position: a numpy assignment instead of a merge and an unstack, so the wide
    tables of 100,000 sessions stay quick. `row_of`: each session id's row."""
    mine = {name: variable for name, variable in variables.items() if variable.kind == kind}
    if not mine:
        return pd.DataFrame(index=range(n_rows))
    if "audience" in table.columns:  # items_long and scale_scores say it: only the audience's rows
        table = table.loc[table["audience"] == audience]
    row = row_of.index.get_indexer(table["session_id"])  # -1: a session that does not count
    wanted = pd.MultiIndex.from_tuples([(v.instrument, v.source) for v in mine.values()])
    column = wanted.get_indexer(pd.MultiIndex.from_arrays([table["instrument"], table[kind]]))
    found = (row >= 0) & (column >= 0)
    row, column, cells = row_of.to_numpy()[row[found]], column[found], table[value].to_numpy()[found]
    text = np.array([variable.dtype == "object" for variable in mine.values()], dtype=bool)
    numbers = np.full((n_rows, len(mine)), np.nan)
    as_number = ~text[column]
    as_float = pd.to_numeric(pd.Series(cells[as_number]), errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    numbers[row[as_number], column[as_number]] = as_float
    out = pd.DataFrame(numbers, columns=list(mine))
    for index, (name, variable) in enumerate(mine.items()):
        if variable.dtype == "object":
            texts = np.full(n_rows, None, dtype=object)
            here = column == index
            texts[row[here]] = cells[here]
            out[name] = pd.Series(texts, dtype="object")
        elif variable.dtype == "Int64":
            out[name] = out[name].astype("Int64")
    return out


def labelled(built: Wide) -> dict[str, Column]:
    """Column metadata of a wide table: the keys, then every item and scale variable."""
    columns = {name: KEY_COLUMNS[name] for name in built.frame.columns if name in KEY_COLUMNS}
    columns.update({name: variable.column for name, variable in built.variables.items()})
    return columns
