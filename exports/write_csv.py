"""CSV: the export contract's files at the top of --out (docs/exports.md), plain or for Dutch Excel."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from storage.atomic import write_atomically

from .meta import Table
from .writers import Warn, warn_on_stderr

BOM = "\ufeff"  # Excel reads a CSV as UTF-8 only when it starts with one


def write_csv(
    tables: Mapping[str, Table], out: Path, warn: Warn = warn_on_stderr, *, excel_nl: bool = False
) -> list[Path]:
    """One `<table>.csv` per table: a header row, missing as an empty cell, floats at full precision.

    Plain: UTF-8 without a byte-order mark, `,` between fields. `excel_nl`: what Excel with
    Dutch regional settings opens with a double click: `;` between fields, a decimal comma,
    UTF-8 with a byte-order mark. The same file names, so a user gets the files they asked for.
    """
    written = []
    for name, table in tables.items():
        path = out / f"{name}.csv"
        if excel_nl:
            text = BOM + table.frame.to_csv(index=False, sep=";", decimal=",", na_rep="", lineterminator="\n")
        else:
            text = table.frame.to_csv(index=False, na_rep="", lineterminator="\n")
        write_atomically(path, text.encode("utf-8"), mode=0o644)  # tables are for sharing with analysts
        written.append(path)
    return written
