"""XLSX: one workbook, --out/klaspeil.xlsx, a sheet per table and a `variables` sheet.

Written with XlsxWriter in constant-memory mode (row by row, nothing kept): 1.7x as fast as
openpyxl's write-only mode on a 200,000-row table (bench/xlsx_writers.py,
docs/export-formats.md). Every cell is written with its own type: a number as a number,
text always as text (never turned into a formula, a link or a number), a missing value as
an empty cell. A table of more than 100,000 rows (a large study's items_long and
scale_scores; Excel's own limit is 1,048,576) is left out of the workbook with a warning
naming its other files.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import pandas as pd

from .labelled import is_number, measure
from .meta import Table
from .staging import replace_file
from .writers import Warn, warn_on_stderr

WORKBOOK = "klaspeil.xlsx"
VARIABLES = "variables"
# a longer table is left out (Excel's own limit is 1,048,576 rows): Excel opens, filters and pivots
# it slowly, writing it is most of an export's time (cell by cell), and its CSV, Parquet, .sav and
# .dta hold it whole; the wide tables in the workbook carry the same answers and scores a row per respondent
WORKBOOK_ROWS = 100_000
SHEET_NAME = 31  # characters
BAD_SHEET_CHARACTERS = re.compile(r"[\[\]:*?/\\]")
CHUNK = 10_000  # rows turned into Python values at a time
WIDTH_SAMPLE = 500  # rows looked at for a column's width
WIDEST = 60  # characters; longer text wraps when the user widens it
OPTIONS = {  # text stays text, whatever it looks like
    "constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
    "strings_to_urls": False, "nan_inf_to_errors": True,
}
VARIABLE_COLUMNS = ["table", "sheet", "column", "label", "measure", "value_labels", "missing"]


def write_xlsx(tables: Mapping[str, Table], out: Path, warn: Warn = warn_on_stderr) -> list[Path]:
    path = out / WORKBOOK
    replace_file(path, lambda temporary: _workbook(tables, temporary, warn))
    return [path]


def _workbook(tables: Mapping[str, Table], path: Path, warn: Warn) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), OPTIONS)
    header = book.add_format({"bold": True})
    sheets = sheet_names([*tables, VARIABLES])
    shown: dict[str, str] = {}
    for name, table in tables.items():
        if len(table.frame) > WORKBOOK_ROWS:
            warn(f"{WORKBOOK}: {name} has {len(table.frame):,} rows (more than {WORKBOOK_ROWS:,}); it is not in "
                 f"{WORKBOOK}: use {name}.csv, parquet/{name}, sav/ or dta/ (the wide tables hold the same data)")
            continue
        if sheets[name] != name:
            warn(f"{WORKBOOK}: table {name} is on sheet '{sheets[name]}' "
                 f"(Excel allows {SHEET_NAME} characters, no []:*?/\\)")
        _sheet(book, sheets[name], table.frame, header, warn)
        shown[name] = sheets[name]
    _sheet(book, sheets[VARIABLES], variables(tables, shown), header, warn)
    book.close()


def sheet_names(names: list[str]) -> dict[str, str]:
    """A valid, unique (ignoring case, as Excel does) sheet name per table."""
    chosen: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        base = BAD_SHEET_CHARACTERS.sub("_", name).strip("'")[:SHEET_NAME] or "sheet"
        candidate, n = base, 2
        while candidate.lower() in taken:
            suffix = f"_{n}"
            candidate, n = base[: SHEET_NAME - len(suffix)] + suffix, n + 1
        chosen[name] = candidate
        taken.add(candidate.lower())
    return chosen


def variables(tables: Mapping[str, Table], sheets: Mapping[str, str]) -> pd.DataFrame:
    """One row per column of every table: what the `variables` sheet shows (sheet empty: not in the workbook)."""
    rows = [
        (name, sheets.get(name), str(column), table.column(str(column)).label or None,
         measure(table.frame[column], table.column(str(column))),
         "; ".join(f"{code}={label}" for code, label in table.column(str(column)).values.items()) or None,
         "; ".join(str(code) for code in table.column(str(column)).missing) or None)
        for name, table in tables.items()
        for column in table.frame.columns
    ]
    return pd.DataFrame(rows, columns=VARIABLE_COLUMNS, dtype=object)


def _sheet(book, name: str, frame: pd.DataFrame, header, warn: Warn) -> None:
    sheet = book.add_worksheet(name)
    columns = [_cells(frame[column].iloc[:CHUNK]) for column in frame.columns]
    for number, (title, values) in enumerate(zip(frame.columns, columns)):
        sheet.set_column(number, number, _width(str(title), values[:WIDTH_SAMPLE]))
    sheet.write_row(0, 0, [str(title) for title in frame.columns], header)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(frame), max(len(frame.columns) - 1, 0))
    writers = [_cell_writer(sheet, frame[column]) for column in frame.columns]
    cut = 0
    for start in range(0, len(frame), CHUNK):  # Python values of a chunk at a time: memory stays flat
        if start:
            columns = [_cells(frame[column].iloc[start:start + CHUNK]) for column in frame.columns]
        for offset in range(min(CHUNK, len(frame) - start)):
            for number, (values, write) in enumerate(zip(columns, writers)):
                value = values[offset]
                if value is not None and write(start + offset + 1, number, value) == -2:
                    cut += 1
    if cut:
        warn(f"{WORKBOOK}: {cut} text cell(s) on sheet '{name}' cut to Excel's 32,767 characters; "
             "the CSV has them whole")


def _cells(series: pd.Series) -> list:
    """Python values, None for a missing one (an empty cell)."""
    values = series.astype(object).tolist()
    return [None if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)) else value
            for value in values]


def _cell_writer(sheet, series: pd.Series) -> Callable[[int, int, object], int]:
    """A number column writes numbers, a text column text; a mixed one (items_long.value) looks at each cell."""
    if pd.api.types.is_bool_dtype(series.dtype):
        return sheet.write_boolean
    if pd.api.types.is_numeric_dtype(series.dtype):
        return sheet.write_number
    if isinstance(series.dtype, pd.StringDtype):
        return sheet.write_string
    if series.dtype != object:  # dates, categories, ...: as the text pandas shows
        return lambda row, column, value: sheet.write_string(row, column, str(value))

    def mixed(row: int, column: int, value: object) -> int:
        if is_number(value):
            return sheet.write_number(row, column, value)
        return sheet.write_string(row, column, str(value))

    return mixed


def _width(title: str, values: Iterable[object]) -> int:
    longest = max([len(title), *(len(str(value).partition("\n")[0]) for value in values if value is not None)])
    return min(max(longest + 2, 8), WIDEST)
