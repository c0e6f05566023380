"""`klaspeil export`: read every session, score, write the tables (docs/exports.md)."""

from __future__ import annotations

import time
from pathlib import Path

from storage import DataFolder

from .errors import ExportError
from .reading import read_sessions
from .summary import ExportSummary, Progress, no_progress, table_warnings
from .tables import build
from .writers import FORMATS, prepare, writers_for


def export(
    data: Path, out: Path, formats: list[str], *, excel_nl: bool = False, progress: Progress = no_progress
) -> ExportSummary:
    """Read every session in the data folder `data`, score it, write the tables to `out`.

    Everything is read and checked before the first file is written, so a refusal (an
    unknown instrument, a corrupt session file) leaves `out` as it was.
    """
    started = time.perf_counter()
    writers = writers_for(formats, excel_nl=excel_nl)
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
        formats=_names(formats),
        warnings=table_warnings(tables),
    )
    progress("write", 0, len(writers))
    for done, write in enumerate(writers, start=1):
        summary.written.extend(write(tables, Path(out), summary.warnings.append))
        progress("write", done, len(writers))
    summary.seconds = time.perf_counter() - started
    return summary


def _names(formats: list[str]) -> list[str]:
    """The formats asked for, `all` spelled out, each once (the writers were checked already)."""
    names = [name for given in formats for name in (FORMATS if given.strip().lower() == "all" else [given.strip().lower()])]
    return list(dict.fromkeys(names))


def _wave_order(folder: DataFolder) -> list[str] | None:
    """The study's waves in order, when the folder has a readable study (a merged dataset may not)."""
    if not folder.study_path.exists():
        return None
    return [wave.id for wave in folder.study().waves]
