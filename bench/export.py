"""Export speed: `klaspeil export --format all` of ~100,000 simulated pupil sessions, next to the floor.

    .venv/bin/python bench/export.py [--data DIR] [--classes 270] [--rounds 2] [--out FILE]

The floor is the least any export of these data must do: read every session file with plain
`json.load` and write `items_long` once with pyarrow (the current value of every item, as text).
Each run is a fresh process, so its peak memory (ru_maxrss) is its own; floor and export take
turns (who goes first alternates) so that the machine's drift hits both. A last, untimed-for-the-
ratio run inside this process says where the export's time goes (reading, building the tables,
each format). Without --data, `klaspeil simulate` makes the study first (270 classes x 25 pupils
x 3 waves: ~105,000 pupil sessions, ~144,000 in all; ~4 minutes) in a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import machine, publish, table

REPO = Path(__file__).resolve().parent.parent
KLASPEIL = str(Path(sys.executable).with_name("klaspeil"))
TARGET = 3.0


def floor(data: Path, out: Path) -> None:
    """json.load every session file; items_long (session, item, current value) written once with pyarrow."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    session_ids: list[str] = []
    items: list[str] = []
    values: list[str] = []
    for path in sorted((data / "sessions").glob("*/*/*/*.json")):
        with path.open("rb") as handle:
            tables = json.load(handle)
        session_id = tables["meta"]["1"]["session_id"]
        current: dict[str, object] = {}
        for key in sorted(tables.get("answers", {}), key=int):
            record = tables["answers"][key]
            current[record["item"]] = record["value"]
        for item, value in current.items():
            if value is not None:
                session_ids.append(session_id)
                items.append(item)
                values.append(str(value))
    out.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table({"session_id": session_ids, "item": items, "value": values}), out / "items_long.parquet")


def timed(command: list[str]) -> tuple[float, float]:
    """(seconds, peak resident MB) of a child process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"{command[0]} failed: {process.stderr.read().decode() if process.stderr else ''}")
    return seconds, usage.ru_maxrss / 1024


def stages(data: Path, out: Path, formats: list[str]) -> list[tuple[str, float]]:
    """Where an export's time goes, measured inside one run: reading, building, each format."""
    sys.path.insert(0, str(REPO))
    from exports.reading import read_sessions
    from exports.run import _wave_order
    from exports.tables import build
    from exports.writers import format_names, prepare, writers_for
    from storage import DataFolder

    folder = DataFolder(data)
    marks: list[tuple[str, float]] = []
    started = time.perf_counter()
    instruments = folder.instruments()
    sessions, answers = read_sessions(folder, instruments)
    marks.append(("read and check every session file", time.perf_counter() - started))
    started = time.perf_counter()
    tables = build(sessions, answers, instruments.values(), _wave_order(folder))
    marks.append((f"build {len(tables)} tables (scores, wide, analysis, reliability, comparisons)", time.perf_counter() - started))
    prepare(out)
    names = format_names(formats)
    for name, write in zip(names, writers_for(names)):
        started = time.perf_counter()
        write(tables, out, lambda message: None)
        marks.append((f"write {name}", time.perf_counter() - started))
    return marks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, help="a data folder to export (default: simulate one)")
    parser.add_argument("--classes", type=int, default=270, help="classes to simulate without --data (default 270)")
    parser.add_argument("--rounds", type=int, default=2, help="timed runs of each (default 2)")
    parser.add_argument("--format", default="all", help="the export's --format (default all)")
    parser.add_argument("--out", type=Path, help="write the results as a markdown fragment here")
    parser.add_argument("--floor", nargs=2, type=Path, metavar=("DATA", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor:
        floor(*args.floor)
        return
    began = time.perf_counter()
    scratch = Path(tempfile.mkdtemp(prefix="klaspeil-bench-export-"))
    try:
        data = args.data
        if data is None:
            data = scratch / "data"
            subprocess.run([KLASPEIL, "simulate", "--data", str(data), "--classes", str(args.classes),
                            "--pupils", "25", "--waves", "3", "--seed", "7"], check=True, stdout=subprocess.DEVNULL)
        paths = sorted((data / "sessions").glob("*/*/*/*.json"))
        pupils = sum(b'"audience":"pupil"' in path.read_bytes() for path in paths)
        runs: dict[str, list[tuple[float, float]]] = {"floor": [], "export": []}
        commands = {
            "floor": [sys.executable, __file__, "--floor", str(data), str(scratch / "floor")],
            "export": [KLASPEIL, "export", "--data", str(data), "--out", str(scratch / "export"),
                       "--format", args.format, "--quiet"],
        }
        for round_no in range(args.rounds):
            for name in (["floor", "export"] if round_no % 2 == 0 else ["export", "floor"]):
                runs[name].append(timed(commands[name]))
                print(f"round {round_no + 1}: {name} {runs[name][-1][0]:.1f} s, {runs[name][-1][1]:,.0f} MB", file=sys.stderr)
        marks = stages(data, scratch / "stages", args.format.split(","))
        median = {name: statistics.median(seconds for seconds, _ in values) for name, values in runs.items()}
        peak = {name: max(mb for _, mb in values) for name, values in runs.items()}
        ratio = median["export"] / median["floor"]
        lines = [
            f"{len(paths):,} session files ({pupils:,} pupil sessions); `--format {args.format}`; {args.rounds} runs each, taking turns",
            "",
            *table(["run", "median s", "runs (s)", "peak memory (MB)"], [
                [name, f"{median[name]:.1f}", ", ".join(f"{s:.1f}" for s, _ in runs[name]), f"{peak[name]:,.0f}"]
                for name in runs
            ]),
            "",
            f"ratio export / floor: {ratio:.2f}x (target <= {TARGET:.0f}x: {'met' if ratio <= TARGET else 'missed'})",
            "",
            "Where one export's time goes (inside one process, after the timed runs):",
            "",
            *table(["stage", "s"], [[name, f"{seconds:.1f}"] for name, seconds in marks]),
            "",
            *(f"- {line}" for line in machine(scratch)),
            f"- load average at the end: {', '.join(f'{load:.1f}' for load in os.getloadavg())}",
            f"- whole run: {(time.perf_counter() - began) / 60:.1f} min",
        ]
        publish(lines, args.out)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
