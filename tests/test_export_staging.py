"""A whole export moves into --out only once every format is written (exports/staging.publish):
an export that fails in its last format, or is interrupted with Ctrl+C, leaves --out exactly
as the previous export left it, never new CSV files beside old .sav files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from exports import export
from exports.errors import ExportError
from storage import DataFolder
from storage.simulate import simulate

FORMATS = ["csv", "parquet", "sav"]


def simulated(root: Path, seed: int) -> Path:
    folder = DataFolder(root).lock()
    simulate(folder, classes=2, pupils=5, waves=1, seed=seed)
    folder.unlock()
    return root


def snapshot(out: Path) -> dict[str, bytes]:
    """Every file under --out, hidden ones too, by relative path."""
    return {str(path.relative_to(out)): path.read_bytes() for path in sorted(out.rglob("*")) if path.is_file()}


def dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(done.stdout)  # a process that has ended


@pytest.fixture
def earlier(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """(other data, --out holding an earlier export of different data)."""
    monkeypatch.setenv("KLASPEIL_WORKERS", "1")
    out = tmp_path / "out"
    export(simulated(tmp_path / "first", seed=1), out, FORMATS)
    return simulated(tmp_path / "second", seed=2), out


@pytest.mark.parametrize("stop", [ExportError("sav/pupils.sav: cannot be written (disk full)"), KeyboardInterrupt()])
def test_an_export_stopped_in_its_last_format_leaves_out_as_it_was(
    earlier: tuple[Path, Path], stop: BaseException, monkeypatch: pytest.MonkeyPatch
) -> None:
    data, out = earlier
    before = snapshot(out)

    def half_written_sav(tables: object, into: Path, warn: object) -> list[Path]:
        (into / "sav").mkdir()
        (into / "sav" / "pupils.sav").write_bytes(b"half")
        raise stop

    monkeypatch.setattr("exports.write_labelled.write_sav", half_written_sav)
    with pytest.raises(type(stop)):
        export(data, out, FORMATS)  # csv and parquet of the new data are written before sav fails
    assert snapshot(out) == before
    assert sorted(path.name for path in out.iterdir() if path.name.startswith(".")) == []


def test_the_same_export_without_the_failure_replaces_every_file(earlier: tuple[Path, Path]) -> None:
    data, out = earlier
    before = snapshot(out)
    summary = export(data, out, FORMATS)
    after = snapshot(out)
    assert after.keys() == before.keys()
    assert after["items_long.csv"] != before["items_long.csv"]  # other data: the export really wrote
    assert all(path.parent in (out, out / "sav") or "parquet" in path.parts for path in summary.written)
    assert all(path.exists() for path in summary.written)


def test_what_a_killed_export_left_in_out_is_cleared_and_its_old_folder_put_back(earlier: tuple[Path, Path]) -> None:
    data, out = earlier
    dead = dead_pid()
    (out / f".export.{dead}.new").mkdir()
    (out / f".export.{dead}.new" / "items_long.csv").write_text("half")
    (out / "sav").rename(out / f".sav.{dead}.old")  # killed between moving sav/ aside and the new one in
    running = out / f".export.{os.getppid()}.new"  # an export still running: not ours to touch
    running.mkdir()
    export(data, out, ["csv"])
    assert sorted(path.name for path in out.iterdir() if path.name.startswith(".")) == [running.name]
    assert (out / "sav" / "pupils.sav").exists()  # the earlier export's sav/, back in place
