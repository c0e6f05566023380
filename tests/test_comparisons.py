"""Group comparisons on `klaspeil simulate` data through the CLI: by_ses_group and by_migration
recomputed here from analysis.csv, diversity_talk per class from scale_scores.csv and sessions.csv."""

from __future__ import annotations

import statistics
from collections import defaultdict
from pathlib import Path

import pytest

from command import csv_rows, simulated_export


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("data")
    out = tmp_path_factory.mktemp("out")
    simulated_export(data, out, classes=3, pupils=10, waves=2, seed=2)
    return out


def check_group_table(out: Path, table: str, group: str) -> set[str]:
    values: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    for r in csv_rows(out / "analysis.csv"):
        for variable, value in r.items():
            if r[group] and _number(value):
                values[(r["wave"], variable, r[group])].append(float(value))
    rows = csv_rows(out / table)
    assert rows
    variables = set()
    for r in rows:
        got = values[(r["wave"], r["variable"], r[group])]
        assert int(r["n"]) == len(got) > 0
        assert float(r["mean"]) == pytest.approx(statistics.fmean(got), abs=1e-12)
        assert (r["sd"] == "" and len(got) == 1) or float(r["sd"]) == pytest.approx(statistics.stdev(got), abs=1e-12)
        variables.add(r["variable"])
    return variables


def _number(text: str) -> bool:
    if not text:
        return False
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_by_ses_group_holds_each_groups_mean_sd_and_n(exported: Path) -> None:
    variables = check_group_table(exported, "by_ses_group.csv", "ses_group")
    assert {"autonomous_motivation", "relative_autonomy", "teacher_closeness", "expectation_accuracy_reading"} <= variables
    assert not variables & {"ses_group", "migration_background", "expectation_category_reading", "t_growth_mindset"}
    groups = {r["ses_group"] for r in csv_rows(exported / "by_ses_group.csv")}
    assert groups == {"1", "2", "3"}


def test_by_migration_holds_each_groups_mean_sd_and_n(exported: Path) -> None:
    variables = check_group_table(exported, "by_migration.csv", "migration_background")
    assert {"autonomous_motivation", "closeness", "ses_estimate"} <= variables
    assert {r["migration_background"] for r in csv_rows(exported / "by_migration.csv")} >= {"0", "1"}


def test_diversity_talk_sets_each_class_of_pupils_beside_its_teacher(exported: Path) -> None:
    classes = {r["session_id"]: r["class_id"] for r in csv_rows(exported / "sessions.csv")}
    pupils: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    teacher: dict[tuple[str, str, str], float] = {}
    for r in csv_rows(exported / "scale_scores.csv"):
        if r["scale"] in ("ethnic_diversity_talk", "ses_diversity_talk") and r["score"]:
            key = (r["wave"], classes[r["session_id"]], r["scale"])
            if r["audience"] == "pupil":
                pupils[key].append(float(r["score"]))
            elif r["audience"] == "teacher":
                teacher[key] = float(r["score"])
    rows = csv_rows(exported / "diversity_talk.csv")
    assert len(rows) == len({(w, c) for w, c, _ in [*pupils, *teacher]})
    for r in rows:
        for topic, scale in (("ethnic", "ethnic_diversity_talk"), ("ses", "ses_diversity_talk")):
            scores = pupils[(r["wave"], r["class_id"], scale)]
            assert int(r[f"pupils_{topic}_n"]) == len(scores)
            assert float(r[f"pupils_{topic}_mean"]) == pytest.approx(statistics.fmean(scores), abs=1e-12)
            assert float(r[f"pupils_{topic}_sd"]) == pytest.approx(statistics.stdev(scores), abs=1e-12)
            own = teacher.get((r["wave"], r["class_id"], scale))
            assert (r[f"teacher_{topic}"] == "" and own is None) or float(r[f"teacher_{topic}"]) == pytest.approx(own)
            if own is not None:
                assert float(r[f"difference_{topic}"]) == pytest.approx(own - statistics.fmean(scores), abs=1e-12)
