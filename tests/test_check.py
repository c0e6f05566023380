"""`klaspeil check --data DIR`: exit 0 on a healthy data folder; exit 1 with a line naming
each broken session file; and never a change to any file, healthy or not."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from command import fingerprint
from storage import DataFolder, Session
from storage.check import check
from storage.simulate import simulate
from tui.cli import cli

KLASPEIL = str(Path(sys.executable).with_name("klaspeil"))


@pytest.fixture(scope="module")
def healthy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder filled by `klaspeil simulate`'s code: one class, four pupils, two waves."""
    root = tmp_path_factory.mktemp("healthy") / "data"
    folder = DataFolder(root).lock()
    try:
        simulate(folder, classes=1, pupils=4, waves=2, seed=3)
    finally:
        folder.unlock()
    return root


@pytest.fixture
def data(healthy: Path, tmp_path: Path) -> Path:
    """A copy of the healthy folder for one test to break."""
    return Path(shutil.copytree(healthy, tmp_path / "data"))


def run_check(root: Path) -> tuple[int, list[str], str]:
    before = fingerprint(root)
    result = CliRunner().invoke(cli, ["check", "--data", str(root)])
    assert fingerprint(root) == before, "check changed a file"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout.splitlines(), result.stderr


def session_files(root: Path) -> list[Path]:
    """The session files that hold at least one answer (so every corruption has something to break)."""
    return [path for path in DataFolder(root).session_paths() if "1" in load(path).get("answers", {})]


def load(path: Path) -> dict:
    return json.loads(path.read_text())


def save(path: Path, document: object) -> None:
    path.write_text(json.dumps(document))


def edit_meta(change: Callable[[dict], None]) -> Callable[[Path], Path]:
    def corrupt(path: Path) -> Path:
        document = load(path)
        change(document["meta"]["1"])
        save(path, document)
        return path
    return corrupt


def edit_first_answer(change: Callable[[dict], None]) -> Callable[[Path], Path]:
    def corrupt(path: Path) -> Path:
        document = load(path)
        change(document["answers"]["1"])
        save(path, document)
        return path
    return corrupt


def truncate(path: Path) -> Path:
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2])
    return path


def replace_with(content: bytes) -> Callable[[Path], Path]:
    def corrupt(path: Path) -> Path:
        path.write_bytes(content)
        return path
    return corrupt


def move_to_other_respondent(path: Path) -> Path:
    moved = path.parent.parent / "AAAAAA" / path.name
    moved.parent.mkdir()
    path.rename(moved)
    return moved


def copy_under_other_name(path: Path) -> Path:
    copy = path.with_name("0badc0de-0000-4000-8000-000000000000.json")
    shutil.copyfile(path, copy)
    return copy


CORRUPTIONS: dict[str, tuple[Callable[[Path], Path], str]] = {
    "truncated_json": (truncate, "not a readable session file"),
    "empty_file": (replace_with(b""), "not a readable session file"),
    "binary_garbage": (replace_with(bytes(range(256))), "not a readable session file"),
    "json_list_not_a_session": (replace_with(b"[1, 2, 3]"), "not a readable session file"),
    "json_without_meta": (replace_with(b'{"_default": {}}'), "0 meta records"),
    "tables_not_records": (replace_with(b'{"meta": [1], "answers": "x"}'), "not a readable session file"),
    "meta_missing_a_field": (edit_meta(lambda meta: meta.pop("device_id")), "device_id"),
    "meta_wrong_audience": (edit_meta(lambda meta: meta.update(audience="parent")), "audience"),
    "value_out_of_range": (edit_first_answer(lambda answer: answer.update(value=7)), "value 7 outside 1..5"),
    "value_not_a_number": (edit_first_answer(lambda answer: answer.update(value="five")), "takes a whole number"),
    "answer_to_unknown_item": (edit_first_answer(lambda answer: answer.update(item="motivation_xyz_9")), "unknown item 'motivation_xyz_9'"),
    "stored_under_wrong_respondent": (move_to_other_respondent, "stored under"),
    "instrument_hash_mismatch": (edit_meta(lambda meta: meta.update(instrument_hash="0" * 64)), "another version"),
    "unknown_instrument": (edit_meta(lambda meta: meta.update(instrument="pupil_wellbeing")), "unknown instrument"),
    "item_order_incomplete": (edit_meta(lambda meta: meta["item_order"].pop()), "item order"),
    "file_name_not_session_id": (copy_under_other_name, "does not match session id"),
}


def test_a_healthy_folder_passes(healthy: Path) -> None:
    code, lines, err = run_check(healthy)
    assert code == 0 and lines == []
    assert f"ok: {len(list(DataFolder(healthy).session_paths()))} session file(s)" in err


@pytest.mark.parametrize("name", CORRUPTIONS)
def test_a_broken_session_file_is_named_and_exits_1(data: Path, name: str) -> None:
    corrupt, says = CORRUPTIONS[name]
    target = random.Random(name).choice(session_files(data))
    broken = corrupt(target)
    code, lines, _ = run_check(data)
    assert code == 1
    assert lines, "no problem reported"
    assert all(str(broken) in line for line in lines), lines  # only the broken file is named
    assert any(line.startswith(f"{broken}") and says in line for line in lines), lines


def test_every_broken_file_is_listed_in_one_run(data: Path) -> None:
    files = session_files(data)
    truncate(files[0])
    edit_first_answer(lambda answer: answer.update(value=9))(files[1])
    edit_meta(lambda meta: meta.pop("wave"))(files[2])
    code, lines, _ = run_check(data)
    assert code == 1
    assert [next(str(f) for f in files[:3] if line.startswith(str(f))) for line in lines] == list(map(str, files[:3]))


def test_temporary_files_left_by_a_crash_are_not_sessions(data: Path) -> None:
    count = len(list(DataFolder(data).session_paths()))
    folder = session_files(data)[0].parent
    (folder / f".{session_files(data)[0].name}.4242.tmp").write_bytes(b'{"meta": {"1": {"form')
    code, lines, err = run_check(data)
    assert code == 0 and lines == []
    assert f"ok: {count} session file(s)" in err


def test_a_broken_study_file_is_reported_with_its_line(data: Path) -> None:
    study = data / "study.yaml"
    text = study.read_text()
    study.write_text(text.replace("waves:", "wavez:", 1))
    code, lines, _ = run_check(data)
    assert code == 1
    assert any(line.startswith(f"{study}:") and "unknown key 'wavez'" in line for line in lines), lines


def test_check_does_not_change_a_folder_it_cannot_read(data: Path) -> None:
    """run_check compares every file's hash before and after; here through the real command."""
    truncate(session_files(data)[0])
    before = fingerprint(data)
    done = subprocess.run([KLASPEIL, "check", "--data", str(data)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert fingerprint(data) == before


def test_the_check_function_agrees_with_the_command(data: Path) -> None:
    broken = edit_first_answer(lambda answer: answer.update(value=0))(session_files(data)[0])
    problems = list(check(DataFolder(data)))
    assert len(problems) == 1 and problems[0].startswith(str(broken))


JUNK = [None, 0, -1, 10**30, 1.5, "x", "", [], {}, [1], {"a": 1}, True, {"1": {}}, {"1": []}, {"x": {"item": "a"}}]


def mangle(node: object, data: st.DataObject) -> object:
    """`node` with one part replaced by junk, deleted, or a junk key added, somewhere in the tree."""
    if isinstance(node, dict) and node and data.draw(st.booleans()):
        key = data.draw(st.sampled_from(sorted(node)))
        action = data.draw(st.sampled_from(["replace", "delete", "add", "descend"]))
        if action == "replace":
            node[key] = data.draw(st.sampled_from(JUNK))
        elif action == "delete":
            del node[key]
        elif action == "add":
            node[data.draw(st.sampled_from(["zz", "1", "99"]))] = data.draw(st.sampled_from(JUNK))
        else:
            node[key] = mangle(node[key], data)
        return node
    if isinstance(node, list) and node:
        node[data.draw(st.integers(0, len(node) - 1))] = data.draw(st.sampled_from(JUNK))
        return node
    return data.draw(st.sampled_from(JUNK)) if data.draw(st.booleans()) else node


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_any_mangled_session_file_is_reported_never_a_crash(data: Path, draw: st.DataObject) -> None:
    target = session_files(data)[0]
    original = target.read_bytes()
    try:
        save(target, mangle(json.loads(original), draw))
        problems = list(check(DataFolder(data)))
        assert all(problem.startswith(str(target)) for problem in problems), problems
        if not problems:  # what check lets through, the rest of klaspeil can use
            session = Session(target)
            session.meta, session.answers(), session.first_unanswered(), session.updated_at
    finally:
        target.write_bytes(original)
