"""The derived research variables of DESIGN.md, each by one exact rule (docs/research-variables.md).

- ses_group: the teacher's 1-10 SES estimate, pooled over all teachers of the study per wave,
  cut at 25/50/25 by mid-rank percentile, so that equal estimates always share a group;
- migration_background: from the birth countries of the pupil, the mother and the father;
- expectation accuracy per subject: the expected level minus the actual level it is about;
- relative_autonomy: autonomous minus controlled motivation.

Every function works on whole columns (no loop over pupils).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .meta import Column

SES_ESTIMATE = "ses_estimate"
SES_LOW, SES_MIDDLE, SES_HIGH = 1, 2, 3
SES_GROUP = Column(
    "SES group: lowest 25%, middle 50%, highest 25% of teacher estimates per wave",
    values={SES_LOW: "low", SES_MIDDLE: "middle", SES_HIGH: "high"},
    measure="ordinal",
)

BIRTH_COUNTRIES = ("birth_country_pupil", "birth_country_mother", "birth_country_father")
BORN_NL, BORN_ELSEWHERE = 1, 2  # pupil_background's country3: 3 is "weet ik niet"
MIGRATION_NONE, MIGRATION_YES, MIGRATION_UNKNOWN = 0, 1, 9
MIGRATION_BACKGROUND = Column(
    "migration background (pupil or a parent born outside the Netherlands)",
    values={MIGRATION_NONE: "none", MIGRATION_YES: "at least one born elsewhere", MIGRATION_UNKNOWN: "unknown"},
    measure="nominal",
    missing=(MIGRATION_UNKNOWN,),
)

SUBJECTS = {"reading": "reading comprehension", "maths": "maths"}
UNDER, ACCURATE, OVER = -1, 0, 1
ACCURACY_VALUES = {UNDER: "underestimation", ACCURATE: "accurate", OVER: "overestimation"}

RELATIVE_AUTONOMY = Column("relative autonomy: autonomous minus controlled motivation", measure="scale")


def ses_group(estimate: pd.Series, pool: list[pd.Series]) -> pd.Series:
    """1 low, 2 middle, 3 high for each estimate within its pool (study x wave); <NA> without one.

    Mid-rank percentile p = (average rank - 0.5) / n over the pool's known estimates:
    low when p < .25, high when p > .75, middle otherwise. Equal estimates share an average
    rank, so a tie is never split; a tie group that straddles a cut goes to the side that
    leaves the group sizes closest to 25/50/25 (and to the middle when both are equally
    close), and estimates without ties give exactly 25/50/25 when n is a multiple of 4."""
    known = estimate.notna()
    values = estimate.astype("float64")
    ranks = values[known].groupby([key[known] for key in pool]).rank(method="average")
    counts = values[known].groupby([key[known] for key in pool]).transform("count")
    p = (ranks - 0.5) / counts
    group = pd.Series(pd.NA, index=estimate.index, dtype="Int64")
    group[known] = np.select([p < 0.25, p > 0.75], [SES_LOW, SES_HIGH], SES_MIDDLE)
    return group


def migration_background(countries: pd.DataFrame) -> pd.Series:
    """0 when pupil, mother and father were all born in the Netherlands, 1 when at least one was
    born elsewhere, 9 (unknown, user-missing) otherwise: an answer missing or "weet ik niet"
    and nobody known to be born elsewhere. `countries` holds the three BIRTH_COUNTRIES columns."""
    # float: a missing answer compares as False (a nullable <NA> would be skipped by all())
    answers = countries.reindex(columns=list(BIRTH_COUNTRIES)).apply(pd.to_numeric, errors="coerce").astype("float64")
    elsewhere = answers.eq(BORN_ELSEWHERE).any(axis=1)
    all_nl = answers.eq(BORN_NL).all(axis=1)
    code = np.select([elsewhere, all_nl], [MIGRATION_YES, MIGRATION_NONE], MIGRATION_UNKNOWN)
    return pd.Series(code, index=countries.index, dtype="Int64")


def first_answers(rows: pd.DataFrame, by: list[str], columns: list[str], wave_rank: pd.Series) -> pd.DataFrame:
    """Per `by` group, each column's value from the earliest wave (wave_rank) that has one.

    Background is asked once, in the first wave; carrying the earliest answer to every wave
    keeps each pupil's migration background the same across waves."""
    ordered = rows.assign(_rank=wave_rank).sort_values("_rank", kind="stable")
    return ordered.groupby(by, sort=False)[columns].first()


def wave_ranks(waves: pd.Series, wave_order: list[str]) -> pd.Series:
    """Each wave's place in the study's order; a wave the order does not name comes after, in order of appearance."""
    order = list(dict.fromkeys([*wave_order, *waves.dropna().unique()]))
    return waves.map({wave: rank for rank, wave in enumerate(order)}).astype("int64")


def pair_actual_levels(ratings: pd.DataFrame, subject: str, wave_order: list[str]) -> pd.DataFrame:
    """For each rating row, the actual level its expectation of `subject` is about, and its wave.

    The expectation of wave w (ratings.expected_level_<subject>) is "at the next test": it is
    compared with the first actual level of the pupil stored in a LATER wave (in the study's
    order), from whichever teacher entered it; when no later wave has one, with the actual level
    stored in the same wave. Returns `actual_level_<subject>_paired` and `actual_level_<subject>_wave`
    aligned with `ratings`."""
    actual = f"actual_level_{subject}"
    paired, paired_wave = f"{actual}_paired", f"{actual}_wave"
    rank = wave_ranks(ratings["wave"], wave_order)
    rows = pd.DataFrame(
        {"study": ratings["study"], "pupil": ratings["pupil"], "rank": rank, "row": np.arange(len(ratings))}
    )
    levels = ratings.loc[ratings[actual].notna(), ["study", "pupil", "wave", actual]].assign(a_rank=rank)
    levels = levels.sort_values("a_rank", kind="stable").drop_duplicates(["study", "pupil", "a_rank"])
    candidates = rows.merge(levels, on=["study", "pupil"])
    candidates = candidates.loc[candidates["a_rank"] >= candidates["rank"]]
    # a later wave first (the nearest), the same wave only when there is no later one
    later = candidates["a_rank"] > candidates["rank"]
    candidates = candidates.assign(_order=np.where(later, candidates["a_rank"], np.iinfo("int64").max))
    best = candidates.sort_values(["row", "_order"], kind="stable").drop_duplicates("row").set_index("row")
    out = pd.DataFrame(index=range(len(ratings)))
    out[paired] = best[actual].reindex(out.index).astype("Int64")
    out[paired_wave] = best["wave"].reindex(out.index).astype("object")
    out.index = ratings.index
    return out


def expectation_accuracy(expected: pd.Series, actual: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(expected - actual, its sign as -1 under / 0 accurate / 1 over); <NA> when either is missing."""
    difference = _whole(expected) - _whole(actual)
    category = pd.Series(np.sign(difference.astype("float64")), index=difference.index).astype("Int64")
    return difference, category


def _whole(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values, errors="coerce").astype("Int64")


def accuracy_columns(subject: str) -> dict[str, Column]:
    """Metadata of the paired level, its wave, the accuracy and its category for one subject."""
    name = SUBJECTS[subject]
    return {
        f"actual_level_{subject}_paired": Column(
            f"actual level {name} that the expectation is compared with",
            values={1: "lowest 20%", 2: "below the middle (20-40%)", 3: "middle 20% (40-60%)",
                    4: "above the middle (60-80%)", 5: "highest 20%"},
            measure="ordinal",
        ),
        f"actual_level_{subject}_wave": Column(
            f"wave of the actual level {name} compared with", measure="nominal", text=True
        ),
        f"expectation_accuracy_{subject}": Column(
            f"expectation accuracy {name}: expected minus actual level (> 0 over)", measure="scale"
        ),
        f"expectation_category_{subject}": Column(
            f"expectation accuracy {name}: under, accurate or over", values=ACCURACY_VALUES, measure="ordinal"
        ),
    }


def relative_autonomy(autonomous: pd.Series, controlled: pd.Series) -> pd.Series:
    """Autonomous minus controlled motivation; missing when either scale score is missing."""
    return (pd.to_numeric(autonomous, errors="coerce") - pd.to_numeric(controlled, errors="coerce")).astype("float64")
