"""`klaspeil status` and attendance marks: who is done, busy, not started, absent or excused,
the teacher's and the roster's progress and the teams', checked against counts made here
from the session files themselves (plain JSON, not through storage.fieldwork)."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from storage import CorruptFile, DataFolder, StorageError
from storage.attendance import load_attendance, mark
from storage.fieldwork import fieldwork
from storage.simulate import simulate
from storage.study import Study
from command import klaspeil


def simulated(root: Path) -> DataFolder:
    folder = DataFolder(root).lock()
    try:
        simulate(folder, classes=3, pupils=8, waves=2, seed=11)
    finally:
        folder.unlock()
    return folder


@pytest.fixture(scope="module")
def fieldwork_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return simulated(tmp_path_factory.mktemp("sim") / "data").root


@pytest.fixture
def folder(fieldwork_folder: Path, tmp_path: Path) -> DataFolder:
    """A private copy: tests mark pupils in it."""
    return DataFolder(shutil.copytree(fieldwork_folder, tmp_path / "data"))


def sessions_on_disk(root: Path) -> list[dict]:
    """Each session's meta record, read as the JSON it is."""
    metas = []
    for path in sorted((root / "sessions").rglob("*.json")):
        tables = json.loads(path.read_text(encoding="utf-8"))
        metas.append(tables["meta"]["1"])
    return metas


def expected(root: Path, study: Study, marks: dict[str, dict[str, str]]) -> dict[tuple[str, str], dict[str, str]]:
    """(wave, class) -> the counts `klaspeil status` must show, as strings, worked out here."""
    started: set[tuple] = set()
    finished: set[tuple] = set()
    for meta in sessions_on_disk(root):
        key = (meta["wave"], meta["respondent"], meta["target"], meta["instrument"])
        started.add(key)
        if meta["finished_at"] is not None:
            finished.add(key)
    rows = {}
    for wave in study.waves:
        asked = wave.instruments
        for school_class in study.classes:
            states = Counter()
            for code in school_class.pupils:
                mine = [(wave.id, code, None, i) for i in asked.get("pupil", [])]
                if all(key in finished for key in mine):
                    states["done"] += 1
                elif code in marks.get(wave.id, {}):
                    states[marks[wave.id][code]] += 1
                elif any(key in started for key in mine):
                    states["busy"] += 1
                else:
                    states["not started"] += 1
            teacher = school_class.teacher
            self_report = sum((wave.id, teacher, None, i) in finished for i in asked.get("teacher", []))
            rated = sum(
                all((wave.id, teacher, code, i) in finished for i in asked.get("roster", []))
                for code in school_class.pupils
            )
            rows[(wave.id, school_class.id)] = {
                **{state: str(states[state]) for state in ("done", "busy", "not started", "absent", "excused")},
                "teacher": f"{self_report}/{len(asked.get('teacher', []))}",
                "roster": f"{rated}/{len(school_class.pupils)}",
            }
    return rows


def expected_teams(root: Path, study: Study) -> dict[tuple[str, str], str]:
    finished = {(m["wave"], m["respondent"], m["instrument"]) for m in sessions_on_disk(root) if m["finished_at"]}
    return {
        (wave.id, team.id): "{}/{}".format(
            sum(all((wave.id, member, i) in finished for i in wave.instruments["team"]) for member in team.members),
            len(team.members),
        )
        for wave in study.waves
        for team in study.teams
    }


COLUMNS = ("done", "busy", "not started", "absent", "excused", "teacher", "roster")


def printed(output: str) -> tuple[dict[tuple[str, str], dict[str, str]], dict[tuple[str, str], str]]:
    """The class rows and team rows of `klaspeil status` output, by (wave, class or team)."""
    classes: dict[tuple[str, str], dict[str, str]] = {}
    teams: dict[tuple[str, str], str] = {}
    wave = None
    for line in output.splitlines():
        if heading := re.match(r"wave (\S+?)(:| )", line):
            wave = heading.group(1)
            continue
        cells = [cell.strip() for cell in re.split(r"[│|┃]", line)[1:-1]]
        if len(cells) == 8 and cells[0] != "class":
            classes[(wave, cells[0])] = dict(zip(COLUMNS, cells[1:]))
        elif len(cells) == 2 and cells[0] != "team":
            teams[(wave, cells[0])] = cells[1]
    return classes, teams


def pupils_in(state_of: dict[str, str]) -> dict[str, list[str]]:
    """Pupil codes by state."""
    by_state: dict[str, list[str]] = {}
    for code, state in state_of.items():
        by_state.setdefault(state, []).append(code)
    return by_state


def states(folder: DataFolder, wave: str) -> dict[str, str]:
    return {code: state for c in fieldwork(folder, waves=[wave])[0].classes for code, state in c.pupils.items()}


def test_status_prints_the_counts_found_in_the_session_files(folder: DataFolder) -> None:
    study = folder.study()
    before = states(folder, "w1")
    by_state = pupils_in(before)
    # the simulation gives every state something to show, or this test proves little
    assert {"done", "busy", "not started"} <= set(by_state), Counter(before.values())
    folder.lock()
    try:
        mark(folder, "w1", by_state["not started"][0], "absent")
        mark(folder, "w1", by_state["busy"][0], "excused")
        mark(folder, "w1", by_state["done"][0], "absent")  # done beats the mark
    finally:
        folder.unlock()
    done = klaspeil("status", "--data", folder.root)
    assert done.returncode == 0, done.stderr
    classes, teams = printed(done.stdout)
    assert classes == expected(folder.root, study, load_attendance(folder))
    assert teams == expected_teams(folder.root, study) and teams
    assert sum(int(row["absent"]) for (wave, _), row in classes.items() if wave == "w1") == 1
    assert sum(int(row["excused"]) for (wave, _), row in classes.items() if wave == "w1") == 1


def test_a_mark_shows_done_beats_it_and_present_clears_it(folder: DataFolder) -> None:
    before = states(folder, "w1")
    waiting = next(code for code, state in before.items() if state == "not started")
    finished = next(code for code, state in before.items() if state == "done")
    for code in (waiting, finished):
        assert klaspeil("mark", code, "absent", "--wave", "w1", "--data", folder.root).returncode == 0
    after = states(folder, "w1")
    assert after[waiting] == "absent"
    assert after[finished] == "done"
    assert klaspeil("mark", waiting, "present", "--wave", "w1", "--data", folder.root).returncode == 0
    assert states(folder, "w1")[waiting] == "not started"
    assert load_attendance(folder) == {"w1": {finished: "absent"}}


def test_marks_in_one_wave_leave_the_other_alone(folder: DataFolder) -> None:
    code = folder.study().classes[0].pupils[0]
    w2_before = states(folder, "w2")
    folder.lock()
    try:
        mark(folder, "w1", code, "excused")
    finally:
        folder.unlock()
    assert states(folder, "w2") == w2_before
    assert load_attendance(folder) == {"w1": {code: "excused"}}


def test_mark_refuses_an_unknown_pupil_or_wave_and_writes_nothing(folder: DataFolder) -> None:
    code = folder.study().classes[0].pupils[0]
    wrong_code = klaspeil("mark", "ZZZZZZ", "absent", "--wave", "w1", "--data", folder.root)
    wrong_wave = klaspeil("mark", code, "absent", "--wave", "w9", "--data", folder.root)
    assert wrong_code.returncode == 1 and "no pupil with code 'ZZZZZZ'" in wrong_code.stderr
    assert wrong_wave.returncode == 1 and "no wave 'w9'" in wrong_wave.stderr
    assert not (folder.root / "attendance.json").exists()


def test_status_of_one_wave_and_of_an_unknown_wave(folder: DataFolder) -> None:
    one = klaspeil("status", "--data", folder.root, "--wave", "w2")
    classes, _ = printed(one.stdout)
    assert {wave for wave, _ in classes} == {"w2"}
    unknown = klaspeil("status", "--data", folder.root, "--wave", "w7")
    assert unknown.returncode == 1 and "no wave 'w7'" in unknown.stderr


def test_names_only_with_names(folder: DataFolder) -> None:
    study = folder.study()
    school_class = study.classes[0]
    key = {
        "classes": {
            school_class.id: {
                code: {"first_name": f"Kind{n}", "last_name": "Jansen", "birth_date": None}
                for n, code in enumerate(school_class.pupils)
            }
        }
    }
    (folder.root / "roster_key.json").write_text(json.dumps(key), encoding="utf-8")
    plain = klaspeil("status", "--data", folder.root, "--pupils")
    named = klaspeil("status", "--data", folder.root, "--names")
    assert school_class.pupils[0] in plain.stdout and "Kind0" not in plain.stdout
    assert all(f"Kind{n}" in named.stdout for n in range(len(school_class.pupils)))
    assert "Jansen" not in named.stdout  # first names only


def test_a_damaged_attendance_file_is_named(folder: DataFolder) -> None:
    (folder.root / "attendance.json").write_text('{"w1": {"ABC": "on holiday"}}', encoding="utf-8")
    with pytest.raises(CorruptFile, match="attendance.json"):
        load_attendance(folder)
    done = klaspeil("status", "--data", folder.root)
    assert done.returncode == 1 and "attendance.json" in done.stderr


def test_a_wrong_mark_is_refused(demo_folder: DataFolder) -> None:
    code = demo_folder.study().classes[0].pupils[0]
    with pytest.raises(StorageError, match="not an attendance mark"):
        mark(demo_folder, "w1", code, "ill")


def test_a_study_without_sessions_has_everyone_not_started(demo_folder: DataFolder) -> None:
    study = demo_folder.study()
    (progress,) = fieldwork(demo_folder)
    assert [c.class_id for c in progress.classes] == [c.id for c in study.classes]
    for school_class, shown in zip(study.classes, progress.classes):
        assert shown.pupils == dict.fromkeys(school_class.pupils, "not started")
