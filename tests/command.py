"""The real `klaspeil` command, run as a user runs it, for the tests that go through the CLI."""

from __future__ import annotations

import csv
import hashlib
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


def assert_refused(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    """A refusal as the user sees it: exit 1, one line on stderr holding each of `expected`."""
    assert result.returncode == 1, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "unexpected error" not in lines[0], lines[0]
    for text in expected:
        assert text in lines[0], lines[0]


LOCK_FILES = {"klaspeil.lock", "klaspeil.owner"}  # a run takes the folder's lock: they come and go


def fingerprint(root: Path) -> dict[str, str]:
    """Every file under `root` (the lock files aside) by the SHA-256 of its bytes: proof that nothing changed."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and p.name not in LOCK_FILES}


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def simulated_export(data: Path, out: Path, *, classes: int, pupils: int, waves: int, seed: int, formats: str = "csv") -> None:
    """`klaspeil simulate` into `data`, then `klaspeil export` of it into `out`: what the export tests read."""
    simulated = klaspeil("simulate", "--data", data, "--classes", classes, "--pupils", pupils, "--waves", waves, "--seed", seed)
    assert simulated.returncode == 0, simulated.stderr
    exported = klaspeil("export", "--data", data, "--out", out, "--format", formats)
    assert exported.returncode == 0, exported.stderr
