"""Team aggregates per team x wave x scale (mean, SD, n, rwg(j)) and ICC(1) / ICC(2) across teams.

The members' scale scores come from the team wide table's sessions (one per member, instrument
and wave; exports/wide.py): all sessions, finished or not, as in scale_scores. rwg(j) is
exports/agreement.py's, the same as on the team's own result screen, over the scale's items
that at least two members answered (the screen also hides items with fewer than three answers).

ICC per scale and wave, from a one-way ANOVA of the members' scores on their team (Bliese, 2000):
  MSB = sum n_g (mean_g - mean)^2 / (G - 1),  MSW = sum (x - mean_g)^2 / (N - G),
  k = (N - sum n_g^2 / N) / (G - 1)  (the adjusted mean team size),
  ICC(1) = (MSB - MSW) / (MSB + (k - 1) MSW),  ICC(2) = (MSB - MSW) / MSB.
Missing with fewer than two teams, no within-team spread to speak of (N = G) or MSB = 0.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from instruments import Instrument

from .agreement import null_variance, rwg_j_from_ratio
from .meta import Column, Table
from .scoring import scoring_key
from .wide import current_sessions

TEAM_KEYS = ["study", "wave", "team", "instrument", "scale"]
ICC_KEYS = ["study", "wave", "instrument", "scale"]

TEAM_SCORE_COLUMNS = {
    "study": Column("study id", measure="nominal"),
    "wave": Column("wave id", measure="nominal"),
    "team": Column("team id (study.yaml)", measure="nominal"),
    "instrument": Column("instrument id", measure="nominal"),
    "scale": Column("scale id", measure="nominal"),
    "n": Column("members with a scale score", measure="scale"),
    "mean": Column("mean of the members' scale scores", measure="scale"),
    "sd": Column("standard deviation of the members' scale scores (n - 1)", measure="scale"),
    "rwg_j": Column("agreement rwg(j), uniform null, truncated to 0..1", measure="scale"),
    "n_items_rwg": Column("items with two or more answers, over which rwg(j) is computed", measure="scale"),
}
TEAM_ICC_COLUMNS = {
    "study": TEAM_SCORE_COLUMNS["study"],
    "wave": TEAM_SCORE_COLUMNS["wave"],
    "instrument": TEAM_SCORE_COLUMNS["instrument"],
    "scale": TEAM_SCORE_COLUMNS["scale"],
    "n_teams": Column("teams with at least one member's scale score", measure="scale"),
    "n_members": Column("members with a scale score", measure="scale"),
    "k": Column("adjusted mean team size (N - sum n_g^2 / N) / (G - 1)", measure="scale"),
    "ms_between": Column("mean square between teams (one-way ANOVA)", measure="scale"),
    "ms_within": Column("mean square within teams (one-way ANOVA)", measure="scale"),
    "icc1": Column("ICC(1): share of variance between teams", measure="scale"),
    "icc2": Column("ICC(2): reliability of the team means", measure="scale"),
}


def _team_cells(sessions: pd.DataFrame, table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """`columns` of the team sessions' rows of `table`, with study, wave and team."""
    if "audience" in table.columns:  # items_long and scale_scores say it: merge only the team's rows
        table = table.loc[table["audience"] == "team"]
    table = table[["session_id", *columns]]
    who = current_sessions(sessions, "team")[["session_id", "study", "wave", "class_id"]]
    who = who.rename(columns={"class_id": "team"})
    return table.merge(who, on="session_id")


def team_scores(
    sessions: pd.DataFrame, items: pd.DataFrame, scores: pd.DataFrame, instruments: Iterable[Instrument]
) -> tuple[Table, Table]:
    """(team_scores, team_icc) from the export's sessions, items_long and scale_scores frames."""
    instruments = [instrument for instrument in instruments if instrument.audience == "team"]
    member_scores = _team_cells(sessions, scores, ["instrument", "scale", "score"])
    stats = (
        member_scores.groupby(TEAM_KEYS, sort=False)["score"]
        .agg(n="count", mean="mean", sd="std")
        .reset_index()
    )
    stats["n"] = stats["n"].astype("int64")
    agreement = _agreement(sessions, items, instruments)
    teams = stats.merge(agreement, on=TEAM_KEYS, how="left")
    teams["n_items_rwg"] = teams["n_items_rwg"].fillna(0).astype("int64")
    teams = teams[list(TEAM_SCORE_COLUMNS)]
    icc = team_icc(member_scores.dropna(subset=["score"]))
    return (
        Table(teams, "one team x wave x scale: the members' mean, SD, n and agreement", TEAM_SCORE_COLUMNS),
        Table(icc, "one scale x wave: ICC(1) and ICC(2) across teams", TEAM_ICC_COLUMNS),
    )


def _agreement(sessions: pd.DataFrame, items: pd.DataFrame, instruments: list[Instrument]) -> pd.DataFrame:
    """rwg(j) per team x wave x scale from the item variances of the team's members."""
    key = scoring_key(instruments)
    cells = _team_cells(sessions, items, ["instrument", "item", "value"])
    cells = cells.merge(key, on=["instrument", "item"])
    cells["value"] = pd.to_numeric(cells["value"]).astype("float64")
    per_item = cells.groupby([*TEAM_KEYS, "item"], sort=False).agg(
        variance=("value", "var"), options=("max", "first"), low=("min", "first")
    )
    per_item = per_item.dropna(subset=["variance"]).reset_index()  # one answer: no variance
    per_item["ratio"] = per_item["variance"] / null_variance(per_item["options"] - per_item["low"] + 1)
    per_scale = per_item.groupby(TEAM_KEYS, sort=False)["ratio"].agg(r="mean", n_items_rwg="count").reset_index()
    per_scale["rwg_j"] = rwg_j_from_ratio(per_scale["n_items_rwg"].to_numpy(), per_scale["r"].to_numpy())
    return per_scale[[*TEAM_KEYS, "rwg_j", "n_items_rwg"]]


def team_icc(member_scores: pd.DataFrame) -> pd.DataFrame:
    """ICC(1) and ICC(2) per study x wave x instrument x scale from members' (team, score) rows."""
    grouped = member_scores.groupby([*ICC_KEYS, "team"], sort=False)["score"]
    teams = grouped.agg(n_g="count", mean_g="mean").reset_index()
    within = member_scores.merge(teams, on=[*ICC_KEYS, "team"])
    within["ss"] = (within["score"] - within["mean_g"]) ** 2
    ssw = within.groupby([*ICC_KEYS, "team"], sort=False)["ss"].sum().reset_index()
    teams = teams.merge(ssw, on=[*ICC_KEYS, "team"])
    teams["sum_x"] = teams["n_g"] * teams["mean_g"]
    teams["n_g2"] = teams["n_g"] ** 2
    per = teams.groupby(ICC_KEYS, sort=False).agg(
        n_teams=("team", "count"), n_members=("n_g", "sum"), sum_x=("sum_x", "sum"),
        ssw=("ss", "sum"), sum_n2=("n_g2", "sum"),
    ).reset_index()
    per["grand"] = per["sum_x"] / per["n_members"]
    teams = teams.merge(per[[*ICC_KEYS, "grand"]], on=ICC_KEYS)
    teams["ssb"] = teams["n_g"] * (teams["mean_g"] - teams["grand"]) ** 2
    per = per.merge(teams.groupby(ICC_KEYS, sort=False)["ssb"].sum().reset_index(), on=ICC_KEYS)
    g, n = per["n_teams"].astype("float64"), per["n_members"].astype("float64")
    usable = (g >= 2) & (n > g)
    with np.errstate(divide="ignore", invalid="ignore"):
        per["ms_between"] = (per["ssb"] / (g - 1)).where(g >= 2)
        per["ms_within"] = (per["ssw"] / (n - g)).where(n > g)
        per["k"] = ((n - per["sum_n2"] / n) / (g - 1)).where(g >= 2)
        msb, msw, k = per["ms_between"], per["ms_within"], per["k"]
        per["icc1"] = ((msb - msw) / (msb + (k - 1) * msw)).where(usable & (msb + (k - 1) * msw != 0))
        per["icc2"] = ((msb - msw) / msb).where(usable & (msb != 0))
    per[["n_teams", "n_members"]] = per[["n_teams", "n_members"]].astype("int64")
    return per[list(TEAM_ICC_COLUMNS)]
