"""XLSX writing: openpyxl's write-only mode against XlsxWriter's constant_memory mode, side by side.

Both write the same scale_scores-like frame (strings, floats with gaps, integers) cell by
cell with the value's own type, as exports/write_xlsx.py does; the ratio decides the
library the exporter uses (docs/export-formats.md).

    .venv/bin/python bench/xlsx_writers.py --rows 200000 --rounds 2
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from common import machine, publish, table


def frame(rows: int, seed: int = 1) -> pd.DataFrame:
    random = np.random.default_rng(seed)
    score = random.uniform(1, 5, rows)
    score[random.random(rows) < 0.05] = np.nan
    return pd.DataFrame({
        "session_id": [f"{n:08x}-7c1e-4b7a-9a55-3f0c2d1e{n % 9999:04d}" for n in range(rows)],
        "study": "pilot2026",
        "wave": random.choice(["w1", "w2"], rows),
        "audience": "pupil",
        "respondent": [f"P{n % 100000:05d}" for n in range(rows)],
        "target": pd.array([None] * rows, dtype="str"),
        "instrument": "pupil_motivation",
        "scale": random.choice(["autonomous", "controlled", "amotivation"], rows),
        "score": score,
        "n_valid": random.integers(0, 6, rows),
    })


def cells(data: pd.DataFrame):
    """Rows of Python values, None for a gap (both libraries leave the cell empty)."""
    for row in data.itertuples(index=False, name=None):
        yield [None if value is None or (isinstance(value, float) and math.isnan(value)) else value for value in row]


def with_openpyxl(data: pd.DataFrame, path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("scale_scores")
    sheet.append(list(data.columns))
    for row in cells(data):
        sheet.append(row)
    book.save(path)


def with_xlsxwriter(data: pd.DataFrame, path: Path) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                           "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet("scale_scores")
    sheet.write_row(0, 0, list(data.columns))
    for number, row in enumerate(cells(data), start=1):
        for column, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                sheet.write_string(number, column, value)
            else:
                sheet.write_number(number, column, value)
    book.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--out", type=Path, help="write the markdown fragment here too")
    options = parser.parse_args()
    data = frame(options.rows)
    seconds: dict[str, list[float]] = {"openpyxl (write_only)": [], "XlsxWriter (constant_memory)": []}
    sizes: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(options.rounds):  # alternate, so that a busy moment hits both
            for name, write in zip(seconds, (with_openpyxl, with_xlsxwriter)):
                path = Path(folder) / f"{name.split()[0]}.xlsx"
                start = time.perf_counter()
                write(data, path)
                seconds[name].append(time.perf_counter() - start)
                sizes[name] = path.stat().st_size
        floor = min(seconds["XlsxWriter (constant_memory)"])
        rows = [[name, f"{min(times):.2f}", f"{min(times) / floor:.2f}", f"{sizes[name] / 1e6:.1f}"]
                for name, times in seconds.items()]
        size = f"rows: {options.rows:,} x {data.shape[1]} columns, best of {options.rounds}"
        lines = [*machine(Path(folder)), size, "", *table(["library", "seconds", "ratio", "MB"], rows)]
    publish(lines, options.out)


if __name__ == "__main__":
    main()
