"""The analysis file on `klaspeil simulate` data through the real CLI: one row per pupil per wave,
values recomputed here from items_long.csv, scale_scores.csv and sessions.csv (SES group by the
documented mid-rank rule, expectation accuracy by the later-wave pairing)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from command import csv_rows, simulated_export

WAVES = ["w1", "w2", "w3"]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("data")
    out = tmp_path_factory.mktemp("out")
    simulated_export(data, out, classes=3, pupils=10, waves=3, seed=9)
    return out


def by_session(out: Path) -> dict[str, dict[str, str]]:
    return {r["session_id"]: r for r in csv_rows(out / "sessions.csv")}


def scores_of(out: Path, audience: str) -> dict[tuple[str, str, str], str]:
    """(wave, who, scale) -> score; who is the pupil for pupil and roster rows, the class for teachers."""
    sessions = by_session(out)
    found = {}
    for r in csv_rows(out / "scale_scores.csv"):
        if r["audience"] == audience:
            who = r["target"] if audience == "roster" else sessions[r["session_id"]]["class_id"] if audience == "teacher" else r["respondent"]
            found[(r["wave"], who, r["scale"])] = r["score"]
    return found


def same(a: str, b: str) -> bool:
    return a == b == "" or (a != "" and b != "" and float(a) == pytest.approx(float(b), abs=1e-12))


def test_one_row_per_pupil_and_wave_with_answers_or_a_rating(exported: Path) -> None:
    sessions = csv_rows(exported / "sessions.csv")
    own = {(r["wave"], r["respondent"]) for r in sessions if r["audience"] == "pupil"}
    rated = {(r["wave"], r["target"]) for r in sessions if r["audience"] == "roster"}
    rows = csv_rows(exported / "analysis.csv")
    keys = [(r["wave"], r["pupil"]) for r in rows]
    assert len(keys) == len(set(keys))
    assert set(keys) == own | rated
    assert rated - own, "simulate leaves some pupils out of a wave while the teacher still rates them"
    for r in rows:
        if (r["wave"], r["pupil"]) not in own:  # rated only: no own scores, the teacher's ratings are there
            assert r["autonomous_motivation"] == r["closeness"] == "" and r["teacher"] != "" and r["class_id"] != ""


def test_own_scores_ratings_and_the_class_teachers_scores_equal_scale_scores(exported: Path) -> None:
    pupil, roster, teacher = scores_of(exported, "pupil"), scores_of(exported, "roster"), scores_of(exported, "teacher")
    rows = csv_rows(exported / "analysis.csv")
    pupil_scales = {scale for _, _, scale in pupil}
    checked = defaultdict(int)
    for r in rows:
        for scale in pupil_scales:
            assert same(r[scale], pupil.get((r["wave"], r["pupil"], scale), "")), (r["pupil"], scale)
        for scale in ("ses_estimate", "expected_level_reading", "expected_level_maths", "teacher_closeness", "teacher_conflict",
                      "actual_level_reading", "actual_level_maths"):
            assert same(r[scale], roster.get((r["wave"], r["pupil"], scale), "")), (r["pupil"], scale)
        for scale in ("growth_mindset", "efficacy_pupil_outcomes", "ethnic_diversity_talk"):
            assert same(r[f"t_{scale}"], teacher.get((r["wave"], r["class_id"], scale), "")), (r["class_id"], scale)
            checked[scale] += r[f"t_{scale}"] != ""
        if r["autonomous_motivation"] and r["controlled_motivation"]:
            assert same(r["relative_autonomy"], str(float(r["autonomous_motivation"]) - float(r["controlled_motivation"])))
    assert min(checked.values()) > len(rows) / 3  # the teacher's scores reach most rows


def mid_rank_groups(estimates: dict[str, int]) -> dict[str, str]:
    """The documented rule, written out: p = (average rank - 0.5) / n; low p < .25, high p > .75."""
    values = sorted(estimates.values())
    n = len(values)
    groups = {}
    for pupil, value in estimates.items():
        below, equal = sum(v < value for v in values), values.count(value)
        p = (below + (equal + 1) / 2 - 0.5) / n
        groups[pupil] = "1" if p < 0.25 else "3" if p > 0.75 else "2"
    return groups


def test_ses_group_is_the_mid_rank_quarter_of_each_waves_pooled_estimates(exported: Path) -> None:
    estimates: dict[str, dict[str, int]] = defaultdict(dict)
    for r in csv_rows(exported / "items_long.csv"):
        if r["item"] == "ses_estimate":
            estimates[r["wave"]][r["target"]] = int(r["value"])
    rows = csv_rows(exported / "analysis.csv")
    for wave in WAVES:
        expected = mid_rank_groups(estimates[wave])
        got = {r["pupil"]: r["ses_group"] for r in rows if r["wave"] == wave and r["ses_estimate"]}
        assert got == expected
        sizes = [list(got.values()).count(g) / len(got) for g in "123"]
        assert 0.1 < sizes[0] < 0.4 and 0.1 < sizes[2] < 0.4, sizes
    assert all(r["ses_group"] == "" for r in rows if not r["ses_estimate"])


def test_expectations_meet_the_next_waves_test_result(exported: Path) -> None:
    actual: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)  # (pupil, subject) -> wave -> level
    for r in csv_rows(exported / "items_long.csv"):
        if r["item"].startswith("actual_level_"):
            actual[(r["target"], r["item"].removeprefix("actual_level_"))][r["wave"]] = r["value"]
    rows = csv_rows(exported / "analysis.csv")
    later_pairs = 0
    for r in rows:
        for subject in ("reading", "maths"):
            levels = actual.get((r["pupil"], subject), {})
            place = WAVES.index(r["wave"])
            later = [w for w in WAVES[place + 1:] if w in levels]
            wave = later[0] if later else (r["wave"] if r["wave"] in levels else "")
            assert r[f"actual_level_{subject}_wave"] == wave, (r["pupil"], r["wave"], subject)
            assert r[f"actual_level_{subject}_paired"] == levels.get(wave, "")
            if wave and r[f"expected_level_{subject}"]:
                difference = int(r[f"expected_level_{subject}"]) - int(levels[wave])
                assert r[f"expectation_accuracy_{subject}"] == str(difference)
                assert r[f"expectation_category_{subject}"] == str((difference > 0) - (difference < 0))
                later_pairs += wave != r["wave"]
            else:
                assert r[f"expectation_accuracy_{subject}"] == r[f"expectation_category_{subject}"] == ""
    assert later_pairs > len(rows) / 4  # wave-1 and wave-2 expectations meet the next wave's results


def test_migration_background_is_the_same_in_every_wave_of_a_pupil(exported: Path) -> None:
    per_pupil = defaultdict(set)
    for r in csv_rows(exported / "analysis.csv"):
        per_pupil[r["pupil"]].add(r["migration_background"])
    assert all(len(codes) == 1 and codes <= {"0", "1", "9"} for codes in per_pupil.values())
    pupils = {r["pupil"]: r["migration_background"] for r in csv_rows(exported / "pupils.csv")}
    assert all(pupils.get(pupil, "9") in codes for pupil, codes in per_pupil.items())
