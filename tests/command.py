"""The real `klaspeil` command, run as a user runs it, for the tests that go through the CLI."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

KLASPEIL = str(Path(sys.executable).with_name("klaspeil"))


def klaspeil(*args: str | Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run `klaspeil ARGS` without a terminal; whatever it says, it never shows a traceback."""
    done = subprocess.run(
        [KLASPEIL, *map(str, args)], capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL
    )
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    return done


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def simulated_export(data: Path, out: Path, *, classes: int, pupils: int, waves: int, seed: int, formats: str = "csv") -> None:
    """`klaspeil simulate` into `data`, then `klaspeil export` of it into `out`: what the export tests read."""
    simulated = klaspeil("simulate", "--data", data, "--classes", classes, "--pupils", pupils, "--waves", waves, "--seed", seed)
    assert simulated.returncode == 0, simulated.stderr
    exported = klaspeil("export", "--data", data, "--out", out, "--format", formats)
    assert exported.returncode == 0, exported.stderr
