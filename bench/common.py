"""What every benchmark reports the same way: percentiles, the machine, a markdown table, progress."""

from __future__ import annotations

import argparse
import math
import os
import platform
import shlex
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path


def log(message: str) -> None:
    """Progress on stderr, with the time: stdout is the report."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile: with 1,000 samples p99 is the 10th largest, with 5 it is the largest."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def machine(where: Path) -> list[str]:
    """The lines a reader needs to compare a result with their own machine."""
    disk = subprocess.run(["df", "-h", str(where)], capture_output=True, text=True).stdout.strip().splitlines()
    return [
        f"date: {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}",
        f"machine: {os.cpu_count()} cores (nproc), {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}",
        f"disk (`df -h {where}`): {disk[-1] if disk else 'unknown'}",
        f"command: `{command_line()}`",
    ]


def command_line() -> str:
    python = Path(sys.executable)
    shown = ".venv/bin/python" if python.parent.parent.name == ".venv" else python.name
    return shlex.join([shown, *sys.argv])


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---:" if n else "---" for n, _ in enumerate(header)) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def publish(lines: list[str], out: Path | None) -> None:
    """The report on stdout and, with --out, as a markdown fragment for docs/."""
    text = "\n".join(lines) + "\n"
    print(text)
    if out:
        out.write_text(text, encoding="utf-8")


def ms(seconds: float) -> str:
    value = seconds * 1000
    return f"{value:.2f}" if value < 100 else f"{value:,.0f}"


def study_options(parser: argparse.ArgumentParser, classes: int, rounds: int) -> None:
    """The options of the benchmarks that simulate a study of every audience to measure on."""
    parser.add_argument("--classes", type=int, default=classes)
    parser.add_argument("--pupils", type=int, default=25)
    parser.add_argument("--waves", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=rounds)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="simulate into DIR once and reuse it on later runs")
    parser.add_argument("--out", type=Path, help="write the markdown fragment here too")


def simulated_folder(args: argparse.Namespace, prefix: str):  # -> storage.DataFolder
    """The data folder of `--keep` (simulated on the first run) or a new temporary one, simulated now."""
    import tempfile

    from storage import DataFolder
    from storage.simulate import simulate

    folder = DataFolder(args.keep or Path(tempfile.mkdtemp(prefix=prefix)))
    if not folder.study_path.exists():
        folder = folder.lock()
        try:
            print(simulate(folder, classes=args.classes, pupils=args.pupils, waves=args.waves, seed=args.seed), flush=True)
        finally:
            folder.unlock()
    return folder
