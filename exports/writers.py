"""Which writer makes which format (docs/export-formats.md), and where warnings go.

A writer takes the tables and the output folder and returns the paths it wrote. What it
must tell the user without refusing (a variable renamed for SPSS, a table too long for an
Excel sheet) it passes to `warn`, one line each; the export command collects them for its
summary. Writers import their heavy library (openpyxl, XlsxWriter, pyreadstat, pyarrow)
only when they run, so a CSV-only export does not pay for them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import Protocol

from .errors import ExportError
from .meta import Table

Warn = Callable[[str], None]


def warn_on_stderr(message: str) -> None:
    """The default for a caller that collects nothing: the user still reads every warning."""
    print(f"klaspeil: warning: {message}", file=sys.stderr)


class Writer(Protocol):
    """`write(tables, out)` or `write(tables, out, warn)`: the paths written, in order."""

    def __call__(self, tables: Mapping[str, Table], out: Path, warn: Warn = ..., /) -> list[Path]: ...


FORMATS = ("csv", "xlsx", "sav", "dta", "parquet")  # the order of `--format all`


def _writer(name: str, excel_nl: bool) -> Writer:
    # each format in a file of its own, loaded only when asked for
    if name == "csv":
        from .write_csv import write_csv

        return partial(write_csv, excel_nl=excel_nl)
    if name == "xlsx":
        from .write_xlsx import write_xlsx

        return write_xlsx
    if name in ("sav", "dta"):
        from .write_labelled import write_dta, write_sav

        return write_sav if name == "sav" else write_dta
    from .write_parquet import write_parquet

    return write_parquet


def format_names(formats: list[str]) -> list[str]:
    """The formats asked for (`all`: every one), each once, in the order asked.

    Refuses an unknown format before any work is done."""
    supported = ", ".join([*FORMATS, "all"])
    if not formats:
        raise ExportError(f"no export format given; supported: {supported}")
    wanted: list[str] = []
    for given in formats:
        name = given.strip().lower()
        if name == "all":
            wanted.extend(FORMATS)
        elif name in FORMATS:
            wanted.append(name)
        else:
            raise ExportError(f"export format '{given}' is unknown; supported: {supported}")
    return list(dict.fromkeys(wanted))


def writers_for(formats: list[str], *, excel_nl: bool = False) -> list[Writer]:
    """The writer of each format of `format_names(formats)`, in that order. `excel_nl`: CSV for
    Dutch Excel (`;`, decimal comma, a byte-order mark) instead of plain CSV."""
    return [_writer(name, excel_nl) for name in format_names(formats)]


def prepare(out: Path) -> None:
    """Create the output folder (and its parents) if needed."""
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out}: is a file, not a folder to export into")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExportError(f"{out}: cannot create the output folder ({error.strerror})") from None
