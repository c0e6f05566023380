"""The wide tables (pupils, teachers, ratings, team_members) on `klaspeil simulate` data through the
real CLI, cross-checked against items_long.csv and scale_scores.csv; names valid in SPSS and Stata;
labels from the bank; one session per instrument when a respondent started twice; no names."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest

from command import csv_rows, klaspeil, simulated_export
from exports.columns import audience_variables
from exports.research import research_tables
from exports.tables import build
from exports.wide import wide
from exports.reading import read_sessions
from instruments import Instrument, shipped
from storage import DataFolder, SessionMeta, instrument_fingerprint, roster

WIDE = {  # table -> (audience, row key columns in the table)
    "pupils": ("pupil", ["study", "wave", "pupil"]),
    "teachers": ("teacher", ["study", "wave", "class_id", "teacher"]),
    "ratings": ("roster", ["study", "wave", "teacher", "pupil"]),
    "team_members": ("team", ["study", "wave", "team", "member"]),
}
RESEARCH = [*WIDE, "analysis", "team_scores", "team_icc", "by_ses_group", "by_migration", "diversity_talk"]
VALID_NAME = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    data = tmp_path_factory.mktemp("data")
    out = tmp_path_factory.mktemp("out")
    simulated_export(data, out, classes=3, pupils=8, waves=3, seed=4)
    return data, out


def session_keys(out: Path) -> dict[str, tuple[str, ...]]:
    """session id -> (study, wave, class_id, respondent, target) from sessions.csv."""
    return {r["session_id"]: (r["study"], r["wave"], r["class_id"], r["respondent"], r["target"]) for r in csv_rows(out / "sessions.csv")}


def row_key(audience: str, study: str, wave: str, class_id: str, respondent: str, target: str) -> tuple[str, ...]:
    return {
        "pupil": (study, wave, respondent),
        "teacher": (study, wave, class_id, respondent),
        "roster": (study, wave, respondent, target),
        "team": (study, wave, class_id, respondent),
    }[audience]


def test_every_research_table_is_written_with_names_valid_in_spss_and_stata(exported: tuple[Path, Path]) -> None:
    _, out = exported
    for name in RESEARCH:
        header = next(iter(csv_rows(out / f"{name}.csv")), None)
        assert header is not None, f"{name}.csv has no rows"
        columns = list(header)
        assert len(columns) == len(set(columns)), name
        assert all(VALID_NAME.match(column) for column in columns), [c for c in columns if not VALID_NAME.match(c)]


@pytest.mark.parametrize("table", list(WIDE))
def test_one_row_per_respondent_and_wave_holding_the_answers_and_scores_of_the_long_files(
    exported: tuple[Path, Path], table: str
) -> None:
    _, out = exported
    audience, keys = WIDE[table]
    sessions = {sid: key for sid, key in session_keys(out).items()}
    audience_of = {r["session_id"]: r["audience"] for r in csv_rows(out / "sessions.csv")}
    # simulate starts each instrument once per respondent and wave: no choice between sessions here
    per_instrument = [(sessions[r["session_id"]], r["instrument"]) for r in csv_rows(out / "sessions.csv")]
    assert len(per_instrument) == len(set(per_instrument))

    values: dict[tuple[str, ...], dict[str, str]] = defaultdict(dict)
    for r in csv_rows(out / "items_long.csv"):
        if r["audience"] == audience:
            values[row_key(audience, *sessions[r["session_id"]])][r["item"]] = r["value"]
    scores: dict[tuple[str, ...], dict[str, str]] = defaultdict(dict)
    for r in csv_rows(out / "scale_scores.csv"):
        if r["audience"] == audience:
            scores[row_key(audience, *sessions[r["session_id"]])][r["scale"]] = r["score"]
    expected_rows = {row_key(audience, *key) for sid, key in sessions.items() if audience_of[sid] == audience}

    rows = csv_rows(out / f"{table}.csv")
    found = [tuple(r[k] for k in keys) for r in rows]
    assert len(found) == len(set(found)) == len(expected_rows)
    assert set(found) == expected_rows
    items = {r["item"] for r in csv_rows(out / "items_long.csv") if r["audience"] == audience}
    scales = {r["scale"] for r in csv_rows(out / "scale_scores.csv") if r["audience"] == audience}
    checked = 0
    for r, key in zip(rows, found, strict=True):
        for item in items:
            assert r[item] == values[key].get(item, ""), (table, key, item)
        for scale in scales - items:  # a one-item scale named like its item is the item's column
            want = scores[key].get(scale, "")
            assert (r[scale] == want == "") or float(r[scale]) == float(want), (table, key, scale)
            checked += want != ""
    assert checked > len(rows)  # most scores are there


def test_pupil_and_rating_rows_carry_the_class_of_their_sessions(exported: tuple[Path, Path]) -> None:
    _, out = exported
    classes = {(r["wave"], r["respondent"]): r["class_id"] for r in csv_rows(out / "sessions.csv") if r["audience"] == "pupil"}
    assert all(r["class_id"] == classes[(r["wave"], r["pupil"])] for r in csv_rows(out / "pupils.csv"))
    rated = {(r["wave"], r["respondent"], r["target"]): r["class_id"] for r in csv_rows(out / "sessions.csv") if r["audience"] == "roster"}
    assert all(r["class_id"] == rated[(r["wave"], r["teacher"], r["pupil"])] for r in csv_rows(out / "ratings.csv"))


def test_migration_background_is_the_first_waves_answers_carried_to_every_wave(exported: tuple[Path, Path]) -> None:
    _, out = exported
    born: dict[str, dict[str, int]] = defaultdict(dict)
    for r in csv_rows(out / "items_long.csv"):
        if r["item"].startswith("birth_country_"):
            born[r["respondent"]][r["item"]] = int(r["value"])
    rows = csv_rows(out / "pupils.csv")
    seen = defaultdict(set)
    for r in rows:
        answers = [born[r["pupil"]].get(f"birth_country_{who}") for who in ("pupil", "mother", "father")]
        expected = "1" if 2 in answers else "0" if answers == [1, 1, 1] else "9"
        assert r["migration_background"] == expected, (r["pupil"], answers)
        seen[r["pupil"]].add(r["wave"])
    assert max(len(waves) for waves in seen.values()) == 3  # the same pupils in all three waves
    assert {r["migration_background"] for r in rows} >= {"0", "1"}


def test_relative_autonomy_is_autonomous_minus_controlled(exported: tuple[Path, Path]) -> None:
    _, out = exported
    rows = [r for r in csv_rows(out / "pupils.csv") if r["autonomous_motivation"] and r["controlled_motivation"]]
    assert rows
    for r in rows:
        want = float(r["autonomous_motivation"]) - float(r["controlled_motivation"])
        assert float(r["relative_autonomy"]) == pytest.approx(want, abs=1e-12)


def test_labels_come_from_the_bank(exported: tuple[Path, Path]) -> None:
    data, _ = exported
    folder = DataFolder(data)
    sessions, answers = read_sessions(folder, folder.instruments())
    tables = build(sessions, answers, folder.instruments().values(), ["w1", "w2", "w3"])
    for name in RESEARCH:
        table = tables[name]
        assert table.label, name
        assert [c for c in table.frame.columns if not table.column(c).label] == [], name
    pupils = tables["pupils"]
    mother = pupils.column("birth_country_mother")
    assert mother.label == "In which country was your mother born?"
    assert mother.values == {1: "the Netherlands", 2: "another country", 3: "I do not know"}
    assert (mother.measure, mother.missing) == ("nominal", (3,))  # "weet ik niet" is not an answer
    assert pupils.column("gender").missing == (4,)  # "zeg ik liever niet"
    item = pupils.column("autonomy_support_1")
    assert item.measure == "ordinal" and item.values[5] == "completely true" and item.missing == ()
    assert "{" not in item.label and len(item.label) <= 80  # placeholders filled, short enough for Stata
    assert pupils.column("autonomous_motivation").measure == "scale"
    assert pupils.column("age").measure == "scale" and pupils.frame["age"].dtype == "Int64"
    assert tables["ratings"].column("ses_estimate").values == {1: "low", 10: "high"}
    assert tables["ratings"].column("ses_group").values == {1: "low", 2: "middle", 3: "high"}
    assert tables["teachers"].frame["reflection_backgrounds"].map(type).isin([str, type(None)]).all()


def pupil_session(folder: DataFolder, code: str, answers: dict[str, int], *, finish: bool) -> None:
    instrument = shipped()["pupil_motivation"]
    meta = SessionMeta(
        device_id=folder.device_id, study="demo", wave="w1", class_id="6a", audience="pupil",
        respondent=code, item_order=[item.id for item in instrument.items], **instrument_fingerprint(instrument),
    )
    session = folder.new_session(meta)
    for item, value in answers.items():
        session.record(item, value, shown_ms=1000)
    if finish:
        session.finish()


def test_a_finished_session_counts_over_a_later_unfinished_one(demo_folder: DataFolder) -> None:
    """A pupil who finished, then started again on another laptop: the finished answers count."""
    code = demo_folder.study().classes[0].pupils[0]
    items = [item.id for item in shipped()["pupil_motivation"].items]
    pupil_session(demo_folder, code, dict.fromkeys(items, 4), finish=True)
    pupil_session(demo_folder, code, {items[0]: 1}, finish=False)
    sessions, answers = read_sessions(demo_folder, demo_folder.instruments())
    assert len(sessions) == 2
    tables = build(sessions, answers, demo_folder.instruments().values(), ["w1"])
    built = wide(sessions, tables["items_long"].frame, tables["scale_scores"].frame, demo_folder.instruments().values(), "pupil")
    assert len(built.frame) == 1
    assert built.frame.loc[0, items[0]] == 4 and built.frame.loc[0, "autonomous_motivation"] == 4.0


def test_no_pupil_name_in_any_research_table(demo_folder: DataFolder, tmp_path: Path) -> None:
    names = roster.load_key(demo_folder)
    school_class = demo_folder.study().classes[0]
    items = [item.id for item in shipped()["pupil_motivation"].items]
    for code in school_class.pupils:
        pupil_session(demo_folder, code, dict.fromkeys(items, 3), finish=True)
    ratings = shipped()["roster_ratings"]
    for code in school_class.pupils:
        meta = SessionMeta(
            device_id=demo_folder.device_id, study="demo", wave="w1", class_id=school_class.id, audience="roster",
            respondent=school_class.teacher, target=code, item_order=[item.id for item in ratings.items],
            **instrument_fingerprint(ratings),
        )
        session = demo_folder.new_session(meta)
        session.record("ses_estimate", 5, shown_ms=1000)
        session.finish()
    out = tmp_path / "out"
    assert klaspeil("export", "--data", demo_folder.root, "--out", out).returncode == 0
    texts = {name: (out / f"{name}.csv").read_text(encoding="utf-8") for name in RESEARCH}
    assert all(code in texts["pupils"] and code in texts["analysis"] and code in texts["ratings"] for code in school_class.pupils)
    wanted = {part for name in names.values() for part in (name.first_name, name.last_name)}
    assert len(wanted) >= 5
    for table, text in texts.items():
        for part in wanted:
            for form in {part, json.dumps(part)[1:-1]}:
                assert not re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text), f"{part} found in {table}.csv"


def test_research_tables_of_an_empty_folder_are_empty_but_typed(demo_folder: DataFolder) -> None:
    sessions, answers = read_sessions(demo_folder, demo_folder.instruments())
    scores = build(sessions, answers, demo_folder.instruments().values(), ["w1"])
    tables = research_tables(sessions, scores["items_long"].frame, scores["scale_scores"].frame, demo_folder.instruments().values(), ["w1"])
    assert all(len(table.frame) == 0 for table in tables.values())
    assert "autonomous_motivation" in tables["pupils"].frame.columns and "t_growth_mindset" in tables["analysis"].frame.columns
    assert isinstance(tables["pupils"].frame, pd.DataFrame)


def test_names_of_custom_ids_are_made_valid_short_and_unique() -> None:
    long_id = "a_very_long_item_id_that_runs_past_the_limit"
    document = {
        "id": "custom_pupil", "version": "1.0", "audience": "pupil",
        "title": {"nl": "t", "en": "t"}, "introduction": {"nl": "i", "en": "i"},
        "response_scales": [{"id": "yes2", "min": 1, "max": 2, "labels": {1: {"nl": "ja", "en": "yes"}, 2: {"nl": "nee", "en": "no"}}}],
        "sections": [{"id": "s", "items": [
            {"id": f"{long_id}_1", "text": {"nl": "a", "en": "a"}, "response": "yes2"},
            {"id": f"{long_id}_2", "text": {"nl": "b", "en": "b"}, "response": "yes2"},
            {"id": "mood", "text": {"nl": "c", "en": "c"}, "response": "yes2"},
        ]}],
        "scales": [{"id": "mood", "label": {"nl": "m", "en": "m"}, "items": [f"{long_id}_1", "mood"], "min_valid": 1}],
    }
    names = list(audience_variables([Instrument.model_validate(document, strict=False)], "pupil"))
    assert names == [long_id[:31], f"{long_id[:29]}_2", "mood", "mood_score"]
    assert all(VALID_NAME.match(name) for name in names)


@pytest.mark.parametrize("audience", ["pupil", "roster"])
def test_a_folder_with_one_audience_only_still_gets_every_table(demo_folder: DataFolder, audience: str) -> None:
    school_class = demo_folder.study().classes[0]
    instrument = shipped()["pupil_motivation" if audience == "pupil" else "roster_ratings"]
    for code in school_class.pupils:
        meta = SessionMeta(
            device_id=demo_folder.device_id, study="demo", wave="w1", class_id=school_class.id, audience=audience,
            respondent=code if audience == "pupil" else school_class.teacher, target=None if audience == "pupil" else code,
            item_order=[item.id for item in instrument.items], **instrument_fingerprint(instrument),
        )
        session = demo_folder.new_session(meta)
        session.record(instrument.items[0].id, 3, shown_ms=1000)
    sessions, answers = read_sessions(demo_folder, demo_folder.instruments())
    tables = build(sessions, answers, demo_folder.instruments().values(), ["w1"])
    analysis = tables["analysis"].frame
    assert sorted(analysis["pupil"]) == sorted(school_class.pupils)  # one row per pupil, answers or a rating
    assert (analysis["class_id"] == school_class.id).all()
    if audience == "roster":
        assert analysis["ses_estimate"].tolist() == [3] * len(school_class.pupils)
        assert (analysis["migration_background"] == 9).all()  # no background answers: unknown
        assert tables["by_migration"].frame["migration_background"].tolist() == [9]
    else:
        assert analysis["ses_group"].isna().all() and tables["by_ses_group"].frame.empty


def test_every_open_item_is_text_by_definition_so_its_column_never_splits() -> None:
    # an open item nobody answered yet must not become a numeric column plus `<name>_text`
    bank = shipped().values()
    open_items = {item.id for instrument in bank for item in instrument.items if item.kind == "text"}
    assert open_items, "the bank has open items (the teachers' reflection)"
    marked = {
        variable.source
        for audience in ("pupil", "teacher", "roster", "team")
        for variable in audience_variables(bank, audience).values()
        if variable.kind == "item" and variable.column.text
    }
    assert marked == open_items
