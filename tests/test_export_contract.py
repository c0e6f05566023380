"""The export contract (DESIGN.md, docs/exports.md), checked on the real command line:
`klaspeil simulate` then `klaspeil export`, read back with the csv module, and compared with
what the session files hold and with scores recomputed here from items_long + codebook."""

from __future__ import annotations

import json
import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from instruments import shipped
from storage import Session, codes
from storage.study import load_study
from command import assert_refused, csv_rows, klaspeil


HEADERS = {
    "items_long": "session_id,study,wave,audience,respondent,target,instrument,item,value",
    "scale_scores": "session_id,study,wave,audience,respondent,target,instrument,scale,score,n_valid",
    "codebook": "instrument,item,scale,reverse,min,max,text_nl,text_en",
    "value_labels": "instrument,item,value,label_nl,label_en",
    "scales": "instrument,scale,n_items,min_valid",
    "sessions": (
        "session_id,study,wave,class_id,audience,respondent,target,instrument,instrument_version,"
        "instrument_hash,device_id,language,started_at,updated_at,finished_at,status,n_answered,n_items"
    ),
}


def parsed(cell: str) -> int | str:
    """A value cell of items_long: an integer when it is one, else open text."""
    try:
        return int(cell)
    except ValueError:
        return cell






@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(data folder, export folder) of 4 classes x 20 pupils x 2 waves."""
    data = tmp_path_factory.mktemp("data")
    out = tmp_path_factory.mktemp("export") / "nested" / "out"  # export creates it
    simulated = klaspeil("simulate", "--data", data, "--classes", 4, "--pupils", 20, "--waves", 2, "--seed", 11)
    assert simulated.returncode == 0, simulated.stderr
    result = klaspeil("export", "--data", data, "--out", out)
    assert result.returncode == 0, result.stderr
    written = {Path(line).name for line in result.stdout.split()}
    assert {f"{name}.csv" for name in HEADERS} <= written  # the contract's files; issue 7 adds more beside them
    return data, out


def test_every_file_has_exactly_the_contract_header(exported: tuple[Path, Path]) -> None:
    _, out = exported
    for name, header in HEADERS.items():
        text = (out / f"{name}.csv").read_bytes().decode("utf-8")
        assert text.split("\n", 1)[0] == header, name
        assert "\r" not in text
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")], "temporary files left behind"


def test_rows_match_the_session_files(exported: tuple[Path, Path]) -> None:
    """items_long holds the current answer of every session file (read here through storage's own
    Session class), sessions.csv one row per file, scale_scores one row per session x scale."""
    data, out = exported
    files = sorted((data / "sessions").glob("*/*/*/*.json"))
    expected: dict[tuple[str, str], int | str] = {}
    finished: dict[str, str] = {}
    for path in files:
        session = Session(path)
        sid = session.meta.session_id
        finished[sid] = "finished" if session.finished else "unfinished"
        expected |= {(sid, item): value for item, value in session.answers().items() if value is not None}

    items = csv_rows(out / "items_long.csv")
    # codes and numbers as integers, open text as typed
    assert {(r["session_id"], r["item"]): parsed(r["value"]) for r in items} == expected
    assert any(isinstance(value, str) for value in expected.values()), "the simulation answers open questions"
    assert len(items) == len(expected)  # no answer twice

    sessions = csv_rows(out / "sessions.csv")
    assert {r["session_id"]: r["status"] for r in sessions} == finished
    assert len(sessions) == len(files)
    assert {"finished", "unfinished"} <= set(finished.values()), "the simulation should leave some unfinished"
    per_session = defaultdict(int)
    for r in items:
        per_session[r["session_id"]] += 1
    assert all(int(r["n_answered"]) == per_session[r["session_id"]] for r in sessions)
    n_items = {name: len(instrument.items) for name, instrument in shipped().items()}
    assert all(int(r["n_items"]) == n_items[r["instrument"]] for r in sessions)

    n_scales = {name: len(instrument.scales) for name, instrument in shipped().items()}
    assert sum(n_scales.values()) == len(csv_rows(out / "scales.csv"))
    scores = csv_rows(out / "scale_scores.csv")
    assert len(scores) == sum(n_scales[r["instrument"]] for r in sessions)
    assert len({(r["session_id"], r["target"], r["scale"]) for r in scores}) == len(scores)


def test_scale_scores_recomputed_from_items_long_and_codebook(exported: tuple[Path, Path]) -> None:
    _, out = exported
    codebook = {(r["instrument"], r["item"]): r for r in csv_rows(out / "codebook.csv")}
    min_valid = {(r["instrument"], r["scale"]): int(r["min_valid"]) for r in csv_rows(out / "scales.csv")}
    keyed: dict[tuple[str, str], list[int]] = defaultdict(list)
    for r in csv_rows(out / "items_long.csv"):
        entry = codebook[(r["instrument"], r["item"])]
        if not entry["scale"]:
            continue  # on no scale: background, numbers, open text
        value = int(r["value"])
        if entry["reverse"] == "1":
            value = int(entry["min"]) + int(entry["max"]) - value
        for scale in filter(None, entry["scale"].split(";")):
            keyed[(r["session_id"], scale)].append(value)

    scores = csv_rows(out / "scale_scores.csv")
    n_missing = 0
    for r in scores:
        values = keyed.get((r["session_id"], r["scale"]), [])
        assert int(r["n_valid"]) == len(values)
        if len(values) < min_valid[(r["instrument"], r["scale"])]:
            assert r["score"] == "", r
            n_missing += 1
        else:
            # full precision: a rounded float (e.g. 3.67 for 11/3) fails here
            assert float(r["score"]) == pytest.approx(sum(values) / len(values), rel=1e-14, abs=0), r
    assert 0 < n_missing < len(scores) / 4, "some scores should be missing (unfinished sessions), most present"


def test_no_names_only_valid_codes_of_the_study(exported: tuple[Path, Path]) -> None:
    """Respondents are the study's pupil, teacher and team codes; a target only on roster rows,
    always a pupil code."""
    data, out = exported
    study = load_study(data / "study.yaml", set(shipped()))
    pupils = {code for school_class in study.classes for code in school_class.pupils}
    adults = {c.teacher for c in study.classes} | {code for team in study.teams for code in team.members}
    for name in ("items_long", "scale_scores", "sessions"):
        table = csv_rows(out / f"{name}.csv")
        assert all(codes.is_valid(r["respondent"]) for r in table), name
        assert all(r["respondent"] in (pupils if r["audience"] == "pupil" else adults) for r in table), name
        assert all((r["target"] in pupils) if r["audience"] == "roster" else r["target"] == "" for r in table), name
        assert {r["audience"] for r in table} == {"pupil", "teacher", "roster", "team"}, name


def test_codebook_and_scales_describe_the_shipped_instrument(exported: tuple[Path, Path]) -> None:
    _, out = exported
    codebook = [r for r in csv_rows(out / "codebook.csv") if r["instrument"] == "pupil_motivation"]
    assert [r["item"] for r in codebook][:2] == ["autonomous_motivation_1", "autonomous_motivation_2"]
    assert {r["scale"] for r in codebook} == {"autonomous_motivation", "controlled_motivation"}
    assert codebook[0]["text_nl"] == "Ik vind het leuk om nieuwe dingen te leren."
    assert {(r["reverse"], r["min"], r["max"]) for r in codebook} == {("0", "1", "5")}
    scales = {r["scale"]: r for r in csv_rows(out / "scales.csv") if r["instrument"] == "pupil_motivation"}
    assert (scales["autonomous_motivation"]["n_items"], scales["autonomous_motivation"]["min_valid"]) == ("4", "3")
    assert (scales["controlled_motivation"]["n_items"], scales["controlled_motivation"]["min_valid"]) == ("5", "4")


# -- refusals: one line naming the problem, exit 1, nothing half-written -------------------


def copy_of(data: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(data, copy)
    return copy


def a_session_file(data: Path) -> Path:
    return sorted((data / "sessions").glob("*/*/*/*.json"))[3]


def test_corrupt_session_file_is_named_and_nothing_is_written(exported: tuple[Path, Path], tmp_path: Path) -> None:
    data = copy_of(exported[0], tmp_path)
    broken = a_session_file(data)
    broken.write_bytes(broken.read_bytes()[: broken.stat().st_size // 2])  # a torn copy from a USB stick
    fresh_out = tmp_path / "fresh"
    assert_refused(klaspeil("export", "--data", data, "--out", fresh_out), str(broken))
    assert not fresh_out.exists() or not any(fresh_out.iterdir())

    # an earlier export in the same folder is left exactly as it was
    earlier = tmp_path / "earlier"
    shutil.copytree(exported[1], earlier)
    before = {p.name: p.read_bytes() for p in earlier.iterdir()}
    assert_refused(klaspeil("export", "--data", data, "--out", earlier), str(broken))
    assert {p.name: p.read_bytes() for p in earlier.iterdir()} == before


def edit_meta(path: Path, **changes: str) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    document["meta"]["1"].update(changes)
    path.write_text(json.dumps(document), encoding="utf-8")


def test_session_of_another_instrument_version_is_refused(exported: tuple[Path, Path], tmp_path: Path) -> None:
    data = copy_of(exported[0], tmp_path)
    changed = a_session_file(data)
    instrument = json.loads(changed.read_text(encoding="utf-8"))["meta"]["1"]["instrument"]
    edit_meta(changed, instrument_hash="0" * 64, instrument_version="0.9.0")
    assert_refused(klaspeil("export", "--data", data, "--out", tmp_path / "out"), str(changed), f"'{instrument}'", "0.9.0")
    assert not (tmp_path / "out").exists()


def test_session_of_an_unknown_instrument_is_refused(exported: tuple[Path, Path], tmp_path: Path) -> None:
    data = copy_of(exported[0], tmp_path)
    changed = a_session_file(data)
    edit_meta(changed, instrument="pupil_wellbeing")
    assert_refused(klaspeil("export", "--data", data, "--out", tmp_path / "out"), str(changed), "pupil_wellbeing")


def test_unknown_format_lists_the_supported_ones(exported: tuple[Path, Path], tmp_path: Path) -> None:
    for fmt in ("json", "csv,json", "spss"):
        assert_refused(klaspeil("export", "--data", exported[0], "--out", tmp_path / "out", "--format", fmt), "supported: csv")
    assert not (tmp_path / "out").exists()


def test_missing_data_folder_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder"
    assert_refused(klaspeil("export", "--data", missing, "--out", tmp_path / "out"), str(missing))
    assert not missing.exists()


def test_exported_tables_can_be_shared_but_session_files_stay_private(exported: tuple[Path, Path]) -> None:
    """Analysts open the tables from a shared folder; raw sessions are for this user only."""
    data, out = exported
    for table in out.glob("*.csv"):
        assert table.stat().st_mode & 0o044 == 0o044, f"{table.name} is not readable by others"
    for session in list((data / "sessions").rglob("*.json"))[:20]:
        assert session.stat().st_mode & 0o077 == 0, f"{session} is readable by others"
