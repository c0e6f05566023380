"""One klaspeil per data folder: a second one says so and stops; a lock left by a killed
process never blocks the next start."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage import DataFolder, DataFolderBusy

KLASPEIL = str(Path(sys.executable).with_name("klaspeil"))
HOLD = """
import sys
from storage import DataFolder
folder = DataFolder(sys.argv[1]).lock()  # kept: a dropped DataFolder releases its lock
print("locked", flush=True)
sys.stdin.read()  # hold the lock until the test closes stdin (or kills this process)
"""


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process that holds the lock of tmp_path/data."""
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path / "data")],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline() == "locked\n"
    yield process
    process.kill()
    process.wait()


def test_a_second_lock_from_another_process_is_refused_naming_the_folder(
    tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    root = tmp_path / "data"
    with pytest.raises(DataFolderBusy) as refused:
        DataFolder(root).lock()
    assert str(root) in str(refused.value)
    assert f"process {holder.pid}" in str(refused.value)


def test_simulate_on_a_busy_folder_is_one_line_and_exit_1(tmp_path: Path, holder: subprocess.Popen[str]) -> None:
    root = tmp_path / "data"
    done = subprocess.run([KLASPEIL, "simulate", "--data", str(root), "--classes", "1", "--pupils", "2"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        f"klaspeil: {root}: already in use by another klaspeil (process {holder.pid}); close that one first"
    ]
    assert list(DataFolder(root).session_paths()) == []  # it stopped before writing anything


def test_a_lock_left_by_a_killed_process_does_not_block_the_next_start(
    tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    root = tmp_path / "data"
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert (root / "klaspeil.lock").exists()  # left behind, as after a power cut
    folder = DataFolder(root).lock()  # no waiting: the lock is taken with timeout 0
    folder.unlock()
    done = subprocess.run([KLASPEIL, "simulate", "--data", str(root), "--classes", "1", "--pupils", "2"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert len(list(DataFolder(root).session_paths())) >= 1


def test_an_unlocked_folder_can_be_locked_by_the_next_process(tmp_path: Path) -> None:
    root = tmp_path / "data"
    folder = DataFolder(root).lock()
    other = subprocess.run([sys.executable, "-c", HOLD, str(root)], input="", capture_output=True,
                           text=True, timeout=60)
    assert other.returncode == 1 and "DataFolderBusy" in other.stderr
    folder.unlock()
    other = subprocess.run([sys.executable, "-c", HOLD, str(root)], input="", capture_output=True,
                           text=True, timeout=60)
    assert other.returncode == 0 and other.stdout == "locked\n", other.stderr


def test_the_lock_is_held_as_long_as_the_data_folder_object_lives(tmp_path: Path) -> None:
    """A DataFolder that is dropped releases its lock (its file is closed, and the flock dropped, when collected): callers keep it."""
    import gc

    root = tmp_path / "data"
    kept = DataFolder(root).lock()
    with pytest.raises(DataFolderBusy):
        DataFolder(root).lock()
    del kept
    gc.collect()
    DataFolder(root).lock().unlock()
