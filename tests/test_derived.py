"""The derived research variables on hand-made cases: SES group cuts and ties, migration background
with unknowns, the pairing of an expectation with a later wave's actual level, accuracy, relative
autonomy (docs/research-variables.md)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exports.derived import (
    ACCURATE, MIGRATION_BACKGROUND, MIGRATION_NONE, MIGRATION_UNKNOWN, MIGRATION_YES, OVER, SES_HIGH, SES_LOW,
    SES_MIDDLE, UNDER, expectation_accuracy, migration_background, pair_actual_levels, relative_autonomy, ses_group,
)


def groups(estimates: list[int | None], pools: list[str] | None = None) -> list[int | None]:
    series = pd.Series(estimates, dtype="Int64")
    pool = pd.Series(pools if pools is not None else ["s"] * len(estimates))
    return [None if value is pd.NA else int(value) for value in ses_group(series, [pool])]


def test_tie_free_estimates_split_exactly_25_50_25() -> None:
    result = groups([3, 1, 8, 5, 2, 7, 4, 6])
    assert result == [SES_MIDDLE, SES_LOW, SES_HIGH, SES_MIDDLE, SES_LOW, SES_HIGH, SES_MIDDLE, SES_MIDDLE]
    many = groups(list(range(100, 0, -1)))  # 100 distinct values (scores of a larger scale, or a simulation)
    assert (many.count(SES_LOW), many.count(SES_MIDDLE), many.count(SES_HIGH)) == (25, 50, 25)
    assert set(many[:25]) == {SES_HIGH} and set(many[-25:]) == {SES_LOW}


def test_a_tie_at_a_cut_goes_where_the_groups_stay_closest_to_25_50_25() -> None:
    # three 1s among 8: all low (3 of 8 is 1 away from 2) rather than none low (2 away)
    assert groups([1, 1, 1, 2, 3, 4, 5, 6]) == [1, 1, 1, 2, 2, 2, 3, 3]
    # five 1s among 8: none low (2 away from 2) rather than five (3 away)
    assert groups([1, 1, 1, 1, 1, 2, 3, 4]) == [2, 2, 2, 2, 2, 2, 3, 3]
    # equally close either way (two 5s straddle the 75% cut of 8 at 6 of 8): the middle keeps them
    assert groups([1, 2, 3, 4, 5, 5, 7, 8]) == [1, 1, 2, 2, 2, 2, 3, 3]
    assert groups([1, 2, 4, 4, 5, 6, 7, 8]) == [1, 1, 2, 2, 2, 2, 3, 3]
    # everyone the same: nobody is lower or higher than anyone else
    assert groups([5, 5, 5, 5]) == [SES_MIDDLE] * 4


def test_unknown_estimates_have_no_group_and_do_not_count_in_the_pool() -> None:
    assert groups([None, 1, 2, 3, 4, None]) == [None, 1, 2, 2, 3, None]


def test_each_study_and_wave_is_its_own_pool() -> None:
    # wave b's low estimates are its own highest quarter when pooled apart from wave a
    result = groups([1, 2, 3, 4, 7, 8, 9, 10], ["a", "a", "a", "a", "b", "b", "b", "b"])
    assert result == [1, 2, 2, 3, 1, 2, 2, 3]


def _best_distance(values: list[int], side: str) -> float:
    """Over every cut that keeps ties together, the smallest |group size - n/4| for one side."""
    n = len(values)
    sizes = {sum(v < cut for v in values) if side == "low" else sum(v > cut for v in values) for cut in range(0, 12)}
    return min(abs(size - n / 4) for size in sizes)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=10), min_size=1, max_size=60))
def test_ties_are_never_split_and_groups_are_as_close_to_a_quarter_as_ties_allow(values: list[int]) -> None:
    result = groups(values)
    by_value: dict[int, set[int | None]] = {}
    for value, group in zip(values, result, strict=True):
        by_value.setdefault(value, set()).add(group)
    assert all(len(found) == 1 for found in by_value.values()), by_value  # one group per estimate
    ordered = sorted(zip(values, result, strict=True))
    assert [group for _, group in ordered] == sorted(group for _, group in ordered)  # higher never lower
    n = len(values)
    assert abs(result.count(SES_LOW) - n / 4) == _best_distance(values, "low")
    assert abs(result.count(SES_HIGH) - n / 4) == _best_distance(values, "high")


@pytest.mark.parametrize(
    ("pupil", "mother", "father", "expected"),
    [
        (1, 1, 1, MIGRATION_NONE),  # all born in the Netherlands
        (1, 2, 1, MIGRATION_YES),  # the mother elsewhere
        (2, 1, 1, MIGRATION_YES),
        (1, 3, 2, MIGRATION_YES),  # "weet ik niet" about the mother, but the father is known to be born elsewhere
        (1, None, 2, MIGRATION_YES),  # no answer about the mother, the father elsewhere
        (1, 3, 1, MIGRATION_UNKNOWN),  # "weet ik niet" and nobody known elsewhere
        (1, 1, None, MIGRATION_UNKNOWN),  # a question left open
        (None, None, None, MIGRATION_UNKNOWN),  # no background answers at all
    ],
)
def test_migration_background(pupil: int | None, mother: int | None, father: int | None, expected: int) -> None:
    countries = pd.DataFrame(
        {"birth_country_pupil": [pupil], "birth_country_mother": [mother], "birth_country_father": [father]},
        dtype="Int64",
    )
    assert int(migration_background(countries).iloc[0]) == expected


def test_unknown_migration_background_is_a_labelled_user_missing_code() -> None:
    assert MIGRATION_BACKGROUND.missing == (MIGRATION_UNKNOWN,)
    assert MIGRATION_BACKGROUND.values[MIGRATION_UNKNOWN] == "unknown"


def ratings(rows: list[tuple[str, str, int | None, int | None]]) -> pd.DataFrame:
    """(pupil, wave, expected reading, actual reading) rows of one study."""
    frame = pd.DataFrame(rows, columns=["pupil", "wave", "expected_level_reading", "actual_level_reading"])
    return frame.assign(study="s").astype({"expected_level_reading": "Int64", "actual_level_reading": "Int64"})


def paired(frame: pd.DataFrame, order: list[str]) -> list[tuple[int | None, str | None]]:
    out = pair_actual_levels(frame, "reading", order)
    return [
        (None if level is pd.NA else int(level), None if not isinstance(wave, str) else wave)
        for level, wave in zip(out["actual_level_reading_paired"], out["actual_level_reading_wave"], strict=True)
    ]


def test_an_expectation_meets_the_first_actual_level_of_a_later_wave() -> None:
    frame = ratings([
        ("p", "w1", 3, None),  # expected at the next test: the mid-year result entered in w2
        ("p", "w2", 4, 2),  # the w2 expectation: the end-of-year result of w3
        ("p", "w3", 5, 4),  # no later wave: the same wave's result
    ])
    assert paired(frame, ["w1", "w2", "w3"]) == [(2, "w2"), (4, "w3"), (4, "w3")]


def test_the_study_order_decides_what_later_means_not_the_row_order_or_the_names() -> None:
    frame = ratings([("p", "winter", 3, 2), ("p", "najaar", 4, None), ("p", "voorjaar", 2, 5)])
    assert paired(frame, ["najaar", "winter", "voorjaar"]) == [(5, "voorjaar"), (2, "winter"), (5, "voorjaar")]


def test_a_missing_later_level_skips_to_the_next_wave_that_has_one() -> None:
    frame = ratings([("p", "w1", 3, None), ("p", "w2", 3, None), ("p", "w3", 3, 1), ("q", "w1", 2, None)])
    assert paired(frame, ["w1", "w2", "w3"]) == [(1, "w3"), (1, "w3"), (1, "w3"), (None, None)]


def test_pupils_and_studies_are_never_mixed_up() -> None:
    frame = ratings([("p", "w1", 3, None), ("q", "w2", 3, 5), ("p", "w2", 3, 1)])
    frame.loc[2, "study"] = "other"  # p in another study has a level; p in study s has none
    assert paired(frame, ["w1", "w2"]) == [(None, None), (5, "w2"), (1, "w2")]


def test_expectation_accuracy_is_expected_minus_actual_with_a_coded_direction() -> None:
    expected = pd.Series([4, 2, 3, None, 3], dtype="Int64")
    actual = pd.Series([2, 5, 3, 3, None], dtype="Int64")
    difference, category = expectation_accuracy(expected, actual)
    assert difference.tolist() == [2, -3, 0, pd.NA, pd.NA]
    assert category.tolist() == [OVER, UNDER, ACCURATE, pd.NA, pd.NA]


def test_relative_autonomy_is_autonomous_minus_controlled() -> None:
    result = relative_autonomy(pd.Series([4.25, 2.0, None]), pd.Series([1.5, 3.0, 2.0]))
    assert result.iloc[0] == pytest.approx(2.75) and result.iloc[1] == pytest.approx(-1.0)
    assert math.isnan(result.iloc[2])
