"""A session file that is valid JSON but wrong inside (a value of the wrong type, an unknown
format, a time that is no time, an id that could climb out of its folder) is refused by
`klaspeil check`, `export`, `bundle` and `status` alike: exit 1, one line naming the file,
nothing written and nothing changed. Simulated and demo data stay valid."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, get_args

import pytest
from pydantic import TypeAdapter, ValidationError

from command import fingerprint, klaspeil
from instruments import models as instrument_models
from storage import session, study

Change = Callable[[dict[str, Any]], None]


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("sim") / "data"
    done = klaspeil("simulate", "--data", data, "--classes", 1, "--pupils", 4, "--waves", 1, "--seed", 5)
    assert done.returncode == 0, done.stderr
    return data


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def a_pupil_session(data: Path) -> Path:
    """A finished pupil session whose first answer is a code (so `bundle` would take it)."""
    for path in sorted((data / "sessions").glob("*/*/*/*.json")):
        document = load(path)
        meta, answers = document["meta"]["1"], document["answers"]
        if meta["audience"] == "pupil" and meta["finished_at"] and type(answers.get("1", {}).get("value")) is int:
            return path
    raise AssertionError("no finished pupil session with a coded first answer")


def meta(**changes: Any) -> Change:
    return lambda document: document["meta"]["1"].update(changes)


def answer(**changes: Any) -> Change:
    return lambda document: document["answers"]["1"].update(changes)


CASES: dict[str, Change] = {
    "value true": answer(value=True),
    "value false": answer(value=False),
    "value 2.5": answer(value=2.5),
    "value 2.0": answer(value=2.0),
    "value list": answer(value=[1, 2]),
    "value object": answer(value={"code": 1}),
    "shown_ms true": answer(shown_ms=True),
    "format 2": meta(format=2),
    "format '1'": meta(format="1"),
    "format true": meta(format=True),
    "started_at not ISO": meta(started_at="31-12-2025"),
    "started_at without zone": meta(started_at="2025-12-31T10:00:00"),
    "finished_at a date": meta(finished_at="2025-12-31"),
    "answer at not ISO": answer(at="gisteren"),
    "answer at a number": answer(at=1767139200),
    "session_id a path": meta(session_id="../../x"),
    "session_id upper case": meta(session_id="8AE29720-504C-472D-90DF-F79F68441827"),
    "study with slash": meta(study="sim/x"),
    "wave with dots": meta(wave=".."),
    "class_id with slash": meta(class_id="a/b"),
    "respondent climbing": meta(respondent="../ABC"),
    "respondent with newline": meta(respondent="ACEFG\nH"),
    "target with NUL": meta(target="ACE\x00FG"),
    "device_id with slash": meta(device_id="laptop/1"),
    "instrument with dots": meta(instrument="../pupil_motivation"),
    "unknown item": answer(item="not_an_item"),
    "unknown item with a newline": answer(item="motivation_1\nmotivation_2"),
    "text for a coded item": answer(value="3"),
    "negative code": answer(value=-1),
}


@pytest.fixture(params=sorted(CASES))
def broken(request: pytest.FixtureRequest, simulated: Path, tmp_path: Path) -> tuple[Path, Path]:
    """(data folder, the session file broken in it) for each case."""
    data = Path(shutil.copytree(simulated, tmp_path / "data"))
    path = a_pupil_session(data)
    document = load(path)
    CASES[request.param](document)
    path.write_text(json.dumps(document), encoding="utf-8")
    return data, path


def assert_refused_naming(done: Any, path: Path) -> None:
    assert done.returncode == 1, (done.stdout, done.stderr)
    lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert str(path) in lines[0], lines[0]


def test_check_export_bundle_and_status_refuse_it_and_write_nothing(broken: tuple[Path, Path], tmp_path: Path) -> None:
    data, path = broken
    before = fingerprint(data)
    assert_refused_naming(klaspeil("check", "--data", data), path)
    out = tmp_path / "out"
    assert_refused_naming(klaspeil("export", "--data", data, "--out", out), path)
    assert not out.exists() or not any(out.iterdir())
    stick = tmp_path / "stick"
    stick.mkdir()
    assert_refused_naming(klaspeil("bundle", "--data", data, "--out", stick / "b.klaspeil"), path)
    assert not any(stick.iterdir())
    assert_refused_naming(klaspeil("status", "--data", data), path)
    assert fingerprint(data) == before


def test_an_unfinished_bad_session_also_stops_a_bundle_of_finished_ones(simulated: Path, tmp_path: Path) -> None:
    """`check` refuses it, so `bundle` does, even though it would leave the session out."""
    data = Path(shutil.copytree(simulated, tmp_path / "data"))
    path = a_pupil_session(data)
    document = load(path)
    document["meta"]["1"]["finished_at"] = None
    document["answers"]["1"]["value"] = True
    path.write_text(json.dumps(document), encoding="utf-8")
    assert_refused_naming(klaspeil("bundle", "--data", data, "--out", tmp_path / "b.klaspeil"), path)
    assert not (tmp_path / "b.klaspeil").exists()


def test_simulated_data_passes_everywhere(simulated: Path, tmp_path: Path) -> None:
    data = Path(shutil.copytree(simulated, tmp_path / "data"))
    done = klaspeil("check", "--data", data)
    assert done.returncode == 0, done.stdout + done.stderr
    assert klaspeil("export", "--data", data, "--out", tmp_path / "out").returncode == 0
    bundled = klaspeil("bundle", "--data", data, "--out", tmp_path / "b.klaspeil", "--unfinished")
    assert bundled.returncode == 0, bundled.stderr
    assert klaspeil("status", "--data", data).returncode == 0


def test_every_id_and_code_of_the_demo_study_fits_a_session(tmp_path: Path) -> None:
    """The demo writes no sessions of its own: whoever tries it answers under its codes and ids."""
    from storage import DataFolder

    folder = DataFolder(tmp_path / "demo")
    folder.install_demo()
    demo = folder.study()
    ids = [demo.id, *(w.id for w in demo.waves), *(c.id for c in demo.classes), *(t.id for t in demo.teams)]
    ids += [code for c in demo.classes for code in [*c.pupils, *([c.teacher] if c.teacher else [])]]
    ids += [code for t in demo.teams for code in t.members]
    ids += [folder.device_id]
    adapter = TypeAdapter(session.Identifier)
    assert [adapter.validate_python(i) for i in ids] == ids
    instruments = [name for wave in demo.waves for names in wave.instruments.values() for name in names]
    assert instruments and all(TypeAdapter(session.InstrumentId).validate_python(n) == n for n in instruments)


def test_the_id_rules_are_the_ones_of_study_yaml_and_instruments() -> None:
    """A session's ids must fit where the study's and instruments' ids fit: the same patterns."""
    def pattern(annotated: Any) -> str:
        return next(m.pattern for m in get_args(annotated)[1:] if getattr(m, "pattern", None))

    assert pattern(session.Identifier) == pattern(study.Identifier)
    assert pattern(session.InstrumentId) == pattern(instrument_models.Identifier)


@pytest.mark.parametrize("text", [
    "2025-12-31T10:00:00.000+00:00", "2025-12-31T10:00:00+00:00", "2025-12-31T10:00:00.123Z", "2025-12-31T11:00:00.123456+01:00",
    "2025-12-31T10:00-05:30", datetime(2025, 1, 2, 3, 4, 5, tzinfo=timezone.utc).isoformat(),
])
def test_aware_times_in_iso_8601_are_accepted(text: str) -> None:
    assert TypeAdapter(session.Timestamp).validate_python(text) == text
    assert datetime.fromisoformat(text).tzinfo is not None  # what the pattern lets in is a time with a zone


def test_the_time_klaspeil_writes_is_accepted() -> None:
    assert TypeAdapter(session.Timestamp).validate_python(session.now())


@pytest.mark.parametrize("text", [
    "31-12-2025", "2025-12-31", "2025-12-31T10:00:00", "2025-13-01T10:00:00Z", "2025-12-31T24:00:00Z",
    "2025-12-31T10:00:00+0100x", "2025-12-31T10:00:00Z\n", "", " 2025-12-31T10:00:00Z",
])
def test_other_times_are_refused(text: str) -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(session.Timestamp).validate_python(text)
