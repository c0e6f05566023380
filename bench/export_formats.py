"""Each export format's writer on the same tables, side by side with CSV as the yardstick.

Reads and scores a data folder once per format, in a fresh process per format (so each
peak memory is its own), and times only the writer. Make the data first, e.g.

    .venv/bin/klaspeil simulate --data /tmp/formats --classes 60 --pupils 25 --waves 2
    .venv/bin/python bench/export_formats.py --data /tmp/formats
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from common import machine, publish, table

from exports.writers import FORMATS  # every format, in the order of --format all


ONE = """
import json, resource, sys, time
from pathlib import Path
from storage import DataFolder
from exports.reading import read_sessions
from exports.tables import build
from exports.writers import writers_for
folder = DataFolder(Path(sys.argv[1]))
instruments = folder.instruments()
sessions, answers = read_sessions(folder, instruments)
tables = build(sessions, answers, instruments.values())
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
(write,) = writers_for([sys.argv[3]])
start = time.perf_counter()
write(tables, Path(sys.argv[2]), lambda line: None)
seconds = time.perf_counter() - start
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "before_mb": before / 1024, "peak_mb": after / 1024,
                  "cells": sum(t.frame.size for t in tables.values()),
                  "items_long": len(tables["items_long"].frame)}))
"""


def run(data: Path, out: Path, name: str) -> dict:
    done = subprocess.run([sys.executable, "-c", ONE, str(data), str(out), name],
                          capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parent.parent)
    return json.loads(done.stdout.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--out", type=Path, help="write the markdown fragment here too")
    options = parser.parse_args()
    results: dict[str, list[dict]] = {name: [] for name in FORMATS}
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(options.rounds):  # formats interleaved, so that a busy moment hits them all
            for name in FORMATS:
                results[name].append(run(options.data, Path(folder), name))
        lines = machine(Path(folder))
    first = results["csv"][0]
    floor = min(result["seconds"] for result in results["csv"])
    rows = []
    for name, runs in results.items():
        best = min(runs, key=lambda result: result["seconds"])
        rows.append([name, f"{best['seconds']:.2f}", f"{best['seconds'] / floor:.1f}",
                     f"{best['peak_mb'] - best['before_mb']:.0f}"])
    lines += [f"tables: {first['cells']:,} cells, items_long {first['items_long']:,} rows; "
              f"best of {options.rounds}", "",
              *table(["format", "seconds", "x csv", "MB above the tables"], rows)]
    publish(lines, options.out)


if __name__ == "__main__":
    main()
