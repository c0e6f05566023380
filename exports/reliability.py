"""Reliability per instrument x scale x wave: Cronbach's alpha with Feldt's interval, McDonald's
omega, and corrected item-total correlations (docs/reliability.md describes every column).

Listwise: a scale's statistics in a wave use the sessions (one per respondent x target) that
answered every item of the scale in that wave, after reverse keying (min + max - value).
items_long is turned into one sessions x items matrix per instrument x wave with numpy, and
everything about a scale follows from the covariance matrix of its complete rows; no Python
loop ever runs over sessions.

Never imports textual (tests/test_import_hygiene.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.stats import f as f_distribution

from instruments import Instrument

from .meta import Column, Table
from .omega import MIN_ITEMS, one_factor_ml
from .scoring import reverse_keyed

RELIABILITY = [
    "instrument", "scale", "wave", "n", "n_items", "alpha", "alpha_ci_low", "alpha_ci_high", "omega", "warning",
]
ITEM_TOTAL = ["instrument", "scale", "wave", "item", "reverse", "n", "item_total_r", "alpha_if_deleted", "warning"]

ALPHA_LOW = 0.60  # below it a scale gets a warning (a common floor for group comparisons)
MIN_CASES = 3  # fewer complete sessions than this give no alpha
CONFIDENCE = 0.95
SINGULAR = 1e-10  # smallest eigenvalue of a correlation matrix treated as zero (n <= k, or collinear items)
WARNING_SEPARATOR = "; "

_WHO = {
    "instrument": Column("Instrument id", measure="nominal"),
    "scale": Column("Scale id", measure="nominal"),
    "wave": Column("Wave id", measure="nominal"),
}
RELIABILITY_COLUMNS = {
    **_WHO,
    "n": Column("Complete sessions: answered every item of the scale in the wave (listwise)", measure="scale"),
    "n_items": Column("Items on the scale", measure="scale"),
    "alpha": Column("Cronbach's alpha on the reverse-keyed items", measure="scale"),
    "alpha_ci_low": Column("Lower bound of Feldt's 95% confidence interval of alpha", measure="scale"),
    "alpha_ci_high": Column("Upper bound of Feldt's 95% confidence interval of alpha", measure="scale"),
    "omega": Column("McDonald's omega total, one-factor maximum-likelihood fit", measure="scale"),
    "warning": Column("What to look at before using the scale (empty: nothing)", measure="nominal"),
}
ITEM_TOTAL_COLUMNS = {
    **_WHO,
    "item": Column("Item id", measure="nominal"),
    "reverse": Column("Reverse keyed (min + max - value)", {0: "no", 1: "yes"}, "nominal"),
    "n": Column("Complete sessions of the scale in the wave (listwise)", measure="scale"),
    "item_total_r": Column("Corrected item-total correlation: the item with the sum of the other items", measure="scale"),
    "alpha_if_deleted": Column("Cronbach's alpha of the scale without this item", measure="scale"),
    "warning": Column("What to look at for this item (empty: nothing)", measure="nominal"),
}


def reliability_tables(
    items_long: pd.DataFrame, instruments: Sequence[Instrument], wave_order: list[str]
) -> dict[str, Table]:
    """{"reliability": one row per instrument x scale x wave, "item_total": one row per item of it}.

    Instruments and their scales in the order given, waves in `wave_order` (waves found in the
    data but not in it follow, in the order they appear). An instrument x wave without any
    answer to a scale item has no rows.
    """
    waves = list(dict.fromkeys([*wave_order, *items_long["wave"].unique()]))  # unique first: no loop over rows
    by_group = {(instrument, wave): matrix for instrument, wave, matrix in _matrices(items_long, instruments)}
    scale_rows: list[dict[str, object]] = []
    item_rows: list[dict[str, object]] = []
    for instrument in instruments:
        for scale in instrument.scales:
            for wave in waves:
                matrix = by_group.get((instrument.id, wave))
                if matrix is None:
                    continue
                who = {"instrument": instrument.id, "scale": scale.id, "wave": wave}
                stats = scale_statistics(matrix.of(scale.items), list(scale.items))
                scale_rows.append({**who, **stats.scale_row()})
                item_rows.extend(
                    {**who, "item": item, "reverse": int(instrument.item(item).reverse), **row}
                    for item, row in zip(scale.items, stats.item_rows())
                )
    reliability = pd.DataFrame(scale_rows, columns=RELIABILITY).astype(
        {"n": "int64", "n_items": "int64", **dict.fromkeys(RELIABILITY[5:9], "float64"), "warning": "str"}
    )
    item_total = pd.DataFrame(item_rows, columns=ITEM_TOTAL).astype(
        {"reverse": "int64", "n": "int64", "item_total_r": "float64", "alpha_if_deleted": "float64", "warning": "str"}
    )
    return {
        "reliability": Table(reliability, "one scale x wave", RELIABILITY_COLUMNS),
        "item_total": Table(item_total, "one item of a scale x wave", ITEM_TOTAL_COLUMNS),
    }


@dataclass(frozen=True)
class KeyedMatrix:
    """One instrument x wave: a row per session, a column per scale item, reverse keyed, NaN = no answer."""

    values: np.ndarray
    columns: dict[str, int]

    def of(self, items: Sequence[str]) -> np.ndarray:
        return self.values[:, [self.columns[item] for item in items]]


def _matrices(items_long: pd.DataFrame, instruments: Sequence[Instrument]) -> Iterator[tuple[str, str, KeyedMatrix]]:
    """(instrument, wave, its keyed sessions x items matrix) for every instrument x wave with answers."""
    instrument_codes, instrument_names = pd.factorize(items_long["instrument"])
    item_codes, item_names = pd.factorize(items_long["item"])
    wave_codes, wave_names = pd.factorize(items_long["wave"])
    session_codes, _ = pd.factorize(items_long["session_id"])
    # column of every (instrument, item) pair seen, -1 where the item is on no scale
    column_of = np.full((len(instrument_names), len(item_names)), -1, dtype=np.int64)
    known = {instrument.id: instrument for instrument in instruments}
    keys: dict[int, tuple[list[str], np.ndarray, np.ndarray]] = {}
    item_index = {name: code for code, name in enumerate(item_names)}
    for code, name in enumerate(instrument_names):
        if name not in known:
            continue
        scale_items = _scale_items(known[name])
        for column, item in enumerate(scale_items):
            if item in item_index:
                column_of[code, item_index[item]] = column
        keys[code] = (scale_items, *_reverse_key(known[name], scale_items))
    column = column_of[instrument_codes, item_codes]
    rows = np.flatnonzero(column >= 0)
    if rows.size == 0:
        return
    values = np.asarray(items_long["value"].to_numpy()[rows], dtype=np.float64)
    group = instrument_codes[rows] * len(wave_names) + wave_codes[rows]
    order = np.argsort(group, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(group[order]) != 0])
    for part in np.split(order, starts[1:]):
        at = rows[part]
        scale_items, reverse, turn = keys[int(instrument_codes[at[0]])]
        sessions, row_of = np.unique(session_codes[at], return_inverse=True)
        matrix = np.full((len(sessions), len(scale_items)), np.nan)
        matrix[row_of, column[at]] = values[part]
        matrix[:, reverse] = reverse_keyed(matrix[:, reverse], 0, turn)  # min + max - value
        yield (
            str(instrument_names[instrument_codes[at[0]]]), str(wave_names[wave_codes[at[0]]]),
            KeyedMatrix(matrix, {item: n for n, item in enumerate(scale_items)}),
        )


def _scale_items(instrument: Instrument) -> list[str]:
    """Every item on a scale of the instrument, once, in the order of the scales."""
    return list(dict.fromkeys(item for scale in instrument.scales for item in scale.items))


def _reverse_key(instrument: Instrument, items: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(which columns are reverse keyed, their min + max)."""
    reverse = np.array([instrument.item(item).reverse for item in items], dtype=bool)
    ranges = [instrument.response_for(instrument.item(item)) for item in items]
    turn = np.array([scale.min + scale.max for scale in ranges], dtype=np.float64)
    return reverse, turn[reverse]


@dataclass
class ScaleStatistics:
    """One scale in one wave; NaN (an empty cell) for what could not be estimated."""

    n: int
    n_items: int
    alpha: float = np.nan
    ci: tuple[float, float] = (np.nan, np.nan)
    omega: float = np.nan
    item_total_r: np.ndarray | None = None
    alpha_if_deleted: np.ndarray | None = None
    warnings: list[str] = field(default_factory=list)
    item_warnings: dict[int, str] = field(default_factory=dict)  # by the item's position on the scale

    def scale_row(self) -> dict[str, object]:
        return {
            "n": self.n, "n_items": self.n_items, "alpha": self.alpha, "alpha_ci_low": self.ci[0],
            "alpha_ci_high": self.ci[1], "omega": self.omega, "warning": WARNING_SEPARATOR.join(self.warnings),
        }

    def item_rows(self) -> list[dict[str, object]]:
        nothing = np.full(self.n_items, np.nan)
        r = nothing if self.item_total_r is None else self.item_total_r
        deleted = nothing if self.alpha_if_deleted is None else self.alpha_if_deleted
        return [
            {"n": self.n, "item_total_r": r[i], "alpha_if_deleted": deleted[i], "warning": self.item_warnings.get(i, "")}
            for i in range(self.n_items)
        ]


def scale_statistics(matrix: np.ndarray, items: list[str]) -> ScaleStatistics:
    """Alpha, Feldt's interval, omega and item-total statistics of one scale's keyed sessions x items."""
    k = matrix.shape[1]
    if k == 1:  # a single rating (ses_estimate, expected_level_reading): counted, nothing to estimate
        return ScaleStatistics(int(np.count_nonzero(~np.isnan(matrix))), 1)
    complete = matrix[~np.isnan(matrix).any(axis=1)]
    n = len(complete)
    if n < MIN_CASES:
        return ScaleStatistics(n, k, warnings=[f"only {n} complete session{'' if n == 1 else 's'}: too few for alpha"])
    covariance = np.cov(complete, rowvar=False)
    variance = np.diag(covariance)
    total = covariance.sum()
    if total <= 0:
        return ScaleStatistics(n, k, warnings=["no variance: every complete session has the same total"])
    alpha = k / (k - 1) * (1 - variance.sum() / total)
    stats = ScaleStatistics(n, k, alpha, feldt_interval(alpha, n, k))
    if alpha < ALPHA_LOW:
        stats.warnings.append("alpha below .60")
    _item_total(stats, covariance, total, items)
    if k < MIN_ITEMS:
        stats.warnings.append("omega needs 3 or more items")
    elif (variance <= 0).any():
        flat = ", ".join(item for item, v in zip(items, variance) if v <= 0)
        stats.warnings.append(f"omega not estimated: no variance in {flat}")
    else:
        _omega(stats, covariance, items)
    return stats


def feldt_interval(alpha: float, n: int, k: int, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Feldt, Woodruff & Salih (1987), as pingouin and R psych compute it: df1 = n - 1, df2 = df1 (k - 1)."""
    df1 = n - 1
    df2 = df1 * (k - 1)
    tail = (1 - confidence) / 2
    return (
        float(1 - (1 - alpha) * f_distribution.isf(tail, df1, df2)),
        float(1 - (1 - alpha) * f_distribution.isf(1 - tail, df1, df2)),
    )


def _item_total(stats: ScaleStatistics, covariance: np.ndarray, total: float, items: list[str]) -> None:
    """Corrected item-total r (the item with the sum of the others) and alpha without the item."""
    k = len(items)
    variance = np.diag(covariance)
    with_rest = covariance.sum(axis=1) - variance
    rest_variance = total - 2 * covariance.sum(axis=1) + variance
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where((variance > 0) & (rest_variance > 0), with_rest / np.sqrt(variance * rest_variance), np.nan)
        if k > 2:
            deleted = (k - 1) / (k - 2) * (1 - (variance.sum() - variance) / rest_variance)
            deleted = np.where(rest_variance > 0, deleted, np.nan)
        else:
            deleted = np.full(k, np.nan)  # one item left: no alpha
    stats.item_total_r, stats.alpha_if_deleted = r, deleted
    for i in np.flatnonzero(r < 0):
        warning = f"item {items[i]} correlates negatively with the rest of the scale: is its reverse key right?"
        stats.warnings.append(warning)
        stats.item_warnings[int(i)] = warning


def _omega(stats: ScaleStatistics, covariance: np.ndarray, items: list[str]) -> None:
    """Omega total of the one-factor ML fit (exports/omega.py), or a warning saying why there is none."""
    sd = np.sqrt(np.diag(covariance))
    correlation = covariance / np.outer(sd, sd)
    if np.linalg.eigvalsh(correlation)[0] <= SINGULAR:  # the ML discrepancy takes its logarithm
        stats.warnings.append("omega not estimated: the items' correlations are singular (too few sessions?)")
        return
    try:
        with np.errstate(divide="ignore", invalid="ignore"):
            fit = one_factor_ml(correlation)
    except (np.linalg.LinAlgError, ValueError):
        fit = None
    if fit is None or not fit.converged:
        stats.warnings.append("omega not estimated: the one-factor fit failed")
        return
    stats.omega = fit.omega
    if fit.heywood:
        names = ", ".join(items[i] for i in fit.heywood)
        stats.warnings.append(f"omega: {names} at a uniqueness of .005 (Heywood case), omega may be too high")
