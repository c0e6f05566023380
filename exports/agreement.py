"""Within-group agreement rwg and rwg(j), shared by a team's own result (team_result.py) and the
export's team aggregates (team_scores.py), so both give the same number for the same answers.

James, Demaree & Wolf (1984), "Estimating within-group interrater reliability with and without
response bias", Journal of Applied Psychology 69, 85-98; against the uniform ("rectangular")
null distribution of A response options, sigma2_EU = (A^2 - 1) / 12 (2.0 for 5):

- rwg per item = 1 - s^2 / sigma2_EU, with s^2 the observed (n - 1) variance of the item;
- rwg(j) per scale of J items = J(1 - r) / (J(1 - r) + r), with r = mean s^2 / sigma2_EU.

Both are truncated as is common practice (LeBreton & Senter, 2008): a value below 0 or above 1
(more spread than random answering; rwg(j) then even leaves the 0..1 range) is set to 0.
`rwg_j_from_ratio` works on plain floats and on numpy arrays / pandas Series alike.
"""

from __future__ import annotations

from statistics import fmean
from typing import TypeVar

import numpy as np

Number = TypeVar("Number", float, np.ndarray)


def null_variance(options: Number) -> Number:
    """sigma2_EU: the variance of answers spread evenly over `options` points."""
    return (options**2 - 1) / 12


def truncated(value: float) -> float:
    """Agreement outside 0..1 means 'no agreement': set to 0 (common practice)."""
    return value if 0.0 <= value <= 1.0 else 0.0


def rwg(item_variance: float, options: int) -> float:
    """Single-item agreement rwg = 1 - s^2 / sigma2_EU (James, Demaree & Wolf, 1984), truncated."""
    return truncated(1 - item_variance / null_variance(options))


def rwg_j_from_ratio(j: Number, r: Number) -> Number:
    """rwg(j) = J(1 - r) / (J(1 - r) + r) for J items whose mean s^2 / sigma2_EU is r, truncated.

    A denominator <= 0 (r >= J / (J - 1): far more spread than random answering) gives 0."""
    j_arr = np.asarray(j, dtype="float64")
    r_arr = np.asarray(r, dtype="float64")
    numerator = j_arr * (1 - r_arr)
    denominator = numerator + r_arr
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(denominator > 0, numerator / denominator, 0.0)
    value = np.where((value >= 0.0) & (value <= 1.0), value, 0.0)
    value = np.where(np.isnan(r_arr), np.nan, value)  # no variances: no agreement to speak of
    return value if value.ndim else float(value)


def rwg_j(item_variances: list[float], options: list[int]) -> float:
    """Multi-item agreement rwg(j) over the items' variances and option counts.

    With one response format for all items r is mean(s^2) / sigma2_EU, the published form."""
    r = fmean(v / null_variance(a) for v, a in zip(item_variances, options, strict=True))
    return rwg_j_from_ratio(float(len(item_variances)), r)
