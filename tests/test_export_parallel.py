"""An export read and written by several processes gives what one process gives (exports/parallel.py)."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from exports import export
from exports.parallel import ordered_map
from storage import DataFolder
from storage.simulate import simulate


def square(n: int) -> int:
    if n == 13:
        raise ValueError("thirteen")
    return n * n


def test_results_come_in_the_order_of_the_jobs_and_a_childs_error_is_raised_here() -> None:
    assert list(ordered_map(square, range(12), 2)) == [n * n for n in range(12)]
    with pytest.raises(ValueError, match="thirteen"):
        list(ordered_map(square, range(20), 2))


def test_a_job_that_fails_while_others_run_ends_the_map_every_time() -> None:
    # an export refusing a bad session used to hang now and then: multiprocessing.Pool's
    # terminate killed a reader half-way through sending its (large) result, holding the result
    # queue's lock for ever. A child process runs many refusals, so a hang is a timeout here
    script = textwrap.dedent("""
        import multiprocessing, time
        from exports.parallel import ordered_map

        def work(n):
            if n == 0:
                raise ValueError("refused")
            return bytes(4_000_000)  # like a batch of read sessions: more than a pipe holds

        for _ in range(40):
            try:
                list(ordered_map(work, range(6), 2))
            except ValueError:
                pass
            else:
                raise SystemExit("the error was not raised")
            assert multiprocessing.active_children() == [], "a worker outlived the map"
        print("ended")
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                          cwd=Path(__file__).parent.parent)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ended"
    assert multiprocessing.active_children() == []


def test_a_process_with_other_threads_does_the_work_itself() -> None:
    calls: list[int] = []
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        # a local function cannot be sent to a forked child: this passes only when nothing is forked
        assert list(ordered_map(lambda n: calls.append(n) or n, range(5), 2)) == [0, 1, 2, 3, 4]
    finally:
        stop.set()
        other.join()
    assert calls == [0, 1, 2, 3, 4]


def test_one_process_and_two_write_the_same_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = DataFolder(tmp_path / "data").lock()
    simulate(folder, classes=2, pupils=6, waves=2, seed=5)
    folder.unlock()
    monkeypatch.setattr("exports.reading.BATCH", 20)  # several batches of session files, so reading forks too
    outputs = {}
    for workers in ("1", "2"):
        monkeypatch.setenv("KLASPEIL_WORKERS", workers)
        out = tmp_path / f"out{workers}"
        summary = export(tmp_path / "data", out, ["csv", "parquet"])
        outputs[workers] = (summary.written, {path.relative_to(out): path.read_bytes() for path in summary.written
                                             if path.suffix == ".csv"})
    (paths_1, csv_1), (paths_2, csv_2) = outputs["1"], outputs["2"]
    assert [p.relative_to(tmp_path / "out1") for p in paths_1] == [p.relative_to(tmp_path / "out2") for p in paths_2]
    assert csv_1 == csv_2 and len(csv_1) >= 18
