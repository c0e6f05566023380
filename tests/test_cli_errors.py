"""Bad input to the real `klaspeil` command: a clear message (one line, or one `path:line:`
line per problem), exit 1, never a Python traceback, and no stored data changed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from storage.datafolder import DEMO_STUDY
from command import fingerprint, klaspeil

TERMINAL_CODES = re.compile(r"\x1b(\[[0-9;?<>=$]*[A-Za-z~]|\][^\x07\x1b]*(\x07|\x1b\\)|[=>])")




def message_lines(stderr: str) -> list[str]:
    """What the command said on stderr after any screen the app drew before it stopped."""
    return TERMINAL_CODES.split(stderr)[-1].splitlines() if "\x1b" in stderr else stderr.splitlines()


def test_the_app_on_a_folder_without_study_is_one_line(tmp_path: Path) -> None:
    done = klaspeil("--data", str(tmp_path))
    assert done.returncode == 1
    assert done.stderr.splitlines() == [f"klaspeil: {tmp_path / 'study.yaml'}: no study here (try `klaspeil demo`)"]


@pytest.fixture
def broken_study(tmp_path: Path) -> Path:
    """A data folder whose study.yaml has two mistakes: a mistyped pupil code and a bad teacher term."""
    text = DEMO_STUDY.read_text().replace("FK33XF", "FK33XG").replace("teacher_term: meester", "teacher_term: mevrouw")
    (tmp_path / "study.yaml").write_text(text)
    return tmp_path


def expected_study_lines(folder: Path) -> list[str]:
    study = folder / "study.yaml"
    lines = study.read_text().splitlines()
    code_line = next(n for n, line in enumerate(lines, 1) if "FK33XG" in line)
    term_line = next(n for n, line in enumerate(lines, 1) if "mevrouw" in line)
    return [
        f"{study}:{code_line}: 'FK33XG' is not a valid pupil code (typo or wrong check character)",
        f"{study}:{term_line}: classes.1.teacher_term: input should be 'juf', 'meester' or 'juf/meester' (got 'mevrouw')",
    ]


def test_the_app_on_a_broken_study_lists_its_lines_and_exits_1(broken_study: Path) -> None:
    before = fingerprint(broken_study)
    done = klaspeil("--data", str(broken_study))
    assert done.returncode == 1
    assert message_lines(done.stderr) == expected_study_lines(broken_study)
    after = fingerprint(broken_study)
    assert {name: after[name] for name in before} == before  # the study file is as it was
    assert not [name for name in after if name.startswith("sessions")]


def test_check_on_a_broken_study_lists_its_lines_and_exits_1(broken_study: Path) -> None:
    done = klaspeil("check", "--data", str(broken_study))
    assert done.returncode == 1
    assert done.stdout.splitlines() == expected_study_lines(broken_study)


def test_check_on_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "nonexistent"
    done = klaspeil("check", "--data", str(missing))
    assert done.returncode == 1
    assert (done.stdout + done.stderr).splitlines() == [f"{missing}: no such data folder"]
    assert not missing.exists()  # check never creates anything


def test_an_unknown_wave_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "study.yaml").write_bytes(DEMO_STUDY.read_bytes())
    done = klaspeil("--data", str(tmp_path), "--wave", "w9")
    assert done.returncode == 1
    assert message_lines(done.stderr) == [f"klaspeil: {tmp_path / 'study.yaml'}: study 'demo' has no wave 'w9' (waves: w1)"]


def test_a_corrupt_device_file_is_one_line_and_left_as_it_was(tmp_path: Path) -> None:
    (tmp_path / "device.json").write_text("{half")
    done = klaspeil("simulate", "--data", str(tmp_path), "--classes", "1", "--pupils", "1")
    assert done.returncode == 1
    assert done.stderr.splitlines() == [f"klaspeil: {tmp_path / 'device.json'}: not a readable device file"]
    assert (tmp_path / "device.json").read_text() == "{half"


def test_a_study_file_that_is_a_folder_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "study.yaml").mkdir()
    done = klaspeil("check", "--data", str(tmp_path))
    assert done.returncode == 1
    assert done.stdout.splitlines() == [f"{tmp_path / 'study.yaml'}: cannot read: Is a directory"]


def test_export_of_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "nonexistent"
    done = klaspeil("export", "--data", str(missing), "--out", str(tmp_path / "out"))
    assert done.returncode == 1
    assert len(done.stderr.splitlines()) == 1 and str(missing) in done.stderr
