"""Writing the tables to files. Every file is replaced atomically: never half a CSV on disk."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from storage.atomic import write_atomically

from .errors import ExportError
from .meta import Table

Writer = Callable[[Mapping[str, Table], Path], list[Path]]


def write_csv(tables: Mapping[str, Table], out: Path) -> list[Path]:
    """UTF-8, comma-separated, a header row, missing as an empty cell, floats at full precision."""
    written = []
    for name, table in tables.items():
        path = out / f"{name}.csv"
        text = table.frame.to_csv(index=False, na_rep="", lineterminator="\n")
        write_atomically(path, text.encode("utf-8"), mode=0o644)  # tables are for sharing with analysts
        written.append(path)
    return written


WRITERS: dict[str, Writer] = {"csv": write_csv}
LATER = {"xlsx", "sav", "parquet"}  # in the command line contract, not built yet


def writers_for(formats: list[str]) -> list[Writer]:
    """The writer of each requested format; refuses an unknown one before any work is done."""
    supported = ", ".join(sorted(WRITERS))
    if not formats:
        raise ExportError(f"no export format given; supported: {supported}")
    for name in formats:
        if name not in WRITERS:
            kind = "not supported yet" if name.lower() in LATER else "unknown"
            raise ExportError(f"export format '{name}' is {kind}; supported: {supported}")
    return [WRITERS[name] for name in dict.fromkeys(formats)]


def prepare(out: Path) -> None:
    """Create the output folder (and its parents) if needed."""
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out}: is a file, not a folder to export into")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExportError(f"{out}: cannot create the output folder ({error.strerror})") from None
