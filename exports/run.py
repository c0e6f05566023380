"""`klaspeil export`: read every session, score, write the tables (docs/exports.md)."""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path

from storage import DataFolder

from .errors import ExportError
from .reading import read_sessions
from .summary import ExportSummary, Progress, no_progress, table_warnings
from .meta import Table
from .parallel import ordered_map, workers
from .staging import publish
from .tables import build
from .writers import Writer, format_names, prepare, writers_for


def export(
    data: Path, out: Path, formats: list[str], *, excel_nl: bool = False, progress: Progress = no_progress
) -> ExportSummary:
    """Read every session in the data folder `data`, score it, write the tables to `out`.

    Everything is read and checked before the first file is written, so a refusal (an
    unknown instrument, a corrupt session file) leaves `out` as it was.
    """
    started = time.perf_counter()
    names = format_names(formats)
    writers = writers_for(names, excel_nl=excel_nl)
    folder = DataFolder(Path(data))
    if not folder.root.is_dir():
        raise ExportError(f"{folder.root}: no such data folder")
    instruments = folder.instruments()
    sessions, answers = read_sessions(folder, instruments, progress)
    tables = build(sessions, answers, instruments.values(), _wave_order(folder))
    prepare(Path(out))
    summary = ExportSummary(
        sessions=len(sessions),
        finished=int((sessions["status"] == "finished").sum()),
        rows={name: len(table.frame) for name, table in tables.items()},
        formats=names,
        warnings=table_warnings(tables),
    )
    progress("write", 0, len(writers))
    # into a hidden folder first: a failed or interrupted export leaves --out as it was
    summary.written.extend(publish(
        Path(out), lambda staging: _write_all(summary.formats, writers, tables, staging, summary.warnings, progress)
    ))
    summary.seconds = time.perf_counter() - started
    return summary


# what the forked writers see (exports/parallel.py): the writers, the tables, the folder
_jobs: tuple[list[Writer], Mapping[str, Table], Path] | None = None


# measured on simulated data (docs/export-formats.md): XLSX takes ~10x as long as any other
SLOWEST_FIRST = ("xlsx", "sav", "csv", "dta", "parquet")


def _write_all(
    names: list[str], writers: list[Writer], tables: Mapping[str, Table], out: Path, warnings: list[str],
    progress: Progress,
) -> list[Path]:
    """Every format, one process per core; the files and warnings in the order the formats were asked.

    The slowest writers start first (XLSX writes cell by cell), so the others share the
    remaining cores meanwhile instead of waiting behind it."""
    global _jobs
    _jobs = (writers, tables, out)
    order = sorted(range(len(writers)), key=lambda index: SLOWEST_FIRST.index(names[index]))
    done: dict[int, tuple[list[Path], list[str]]] = {}
    try:
        for count, (index, result) in enumerate(zip(order, ordered_map(_write_one, order, workers())), start=1):
            done[index] = result
            progress("write", count, len(writers))
    finally:
        _jobs = None
    for index in range(len(writers)):
        warnings.extend(done[index][1])
    return [path for index in range(len(writers)) for path in done[index][0]]


def _write_one(index: int) -> tuple[list[Path], list[str]]:
    assert _jobs is not None
    writers, tables, out = _jobs
    warned: list[str] = []
    return writers[index](tables, out, warned.append), warned


def _wave_order(folder: DataFolder) -> list[str] | None:
    """The study's waves in order, when the folder has a readable study (a merged dataset may not)."""
    if not folder.study_path.exists():
        return None
    return [wave.id for wave in folder.study().waves]
