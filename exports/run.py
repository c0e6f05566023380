"""`klaspeil export`: read every session, score, write the tables (docs/exports.md)."""

from __future__ import annotations

from pathlib import Path

from storage import DataFolder

from .errors import ExportError
from .reading import read_sessions
from .tables import build
from .writers import prepare, writers_for


def export(data: Path, out: Path, formats: list[str]) -> list[Path]:
    """Read every session in the data folder `data`, score it, write the tables to `out`.

    Everything is read and checked before the first file is written, so a refusal (an
    unknown instrument, a corrupt session file) leaves `out` as it was.
    """
    writers = writers_for(formats)
    folder = DataFolder(Path(data))
    if not folder.root.is_dir():
        raise ExportError(f"{folder.root}: no such data folder")
    instruments = folder.instruments()
    sessions, answers = read_sessions(folder, instruments)
    tables = build(sessions, answers, instruments.values(), _wave_order(folder))
    prepare(Path(out))
    return [path for write in writers for path in write(tables, Path(out))]


def _wave_order(folder: DataFolder) -> list[str] | None:
    """The study's waves in order, when the folder has a readable study (a merged dataset may not)."""
    if not folder.study_path.exists():
        return None
    return [wave.id for wave in folder.study().waves]
