"""Starting the pupil app: the data folder, its lock, the study, the wave, and the app factory.

Instruments are loaded here, once, so that no screen reads a file while a pupil waits.
"""

from __future__ import annotations

import sys
from pathlib import Path

from instruments import Instrument
from storage import DataFolder, StorageError, Study

from .app import PupilApp


def choose_wave(folder: DataFolder, study: Study, wave_id: str | None) -> str:
    """The wave asked for, or the study's first; an unknown id is a clear error."""
    if wave_id is None:
        return study.waves[0].id
    try:
        return study.wave(wave_id).id
    except KeyError:
        known = ", ".join(wave.id for wave in study.waves)
        raise StorageError(f"{folder.study_path}: study '{study.id}' has no wave '{wave_id}' (waves: {known})") from None


def make_app(
    folder: DataFolder,
    study: Study,
    wave_id: str | None = None,
    language: str = "nl",
    demo: bool = False,
    shuffle_seed: int | None = None,
    *,
    instruments: dict[str, Instrument] | None = None,
    return_after: float | None = 5.0,
) -> PupilApp:
    """The pupil app for one wave of a study. Tests and snapshot tests build it here too
    (with a fixed `shuffle_seed`, so every pupil sees the same item order)."""
    wave = study.wave(choose_wave(folder, study, wave_id))
    available = folder.instruments() if instruments is None else instruments
    ids = wave.instruments.get("pupil", [])
    if not ids:
        raise StorageError(f"{folder.study_path}: wave '{wave.id}' gives pupils no instruments")
    return PupilApp(
        folder, study, wave.id, [available[i] for i in ids],
        language=language, demo=demo, shuffle_seed=shuffle_seed, return_after=return_after,
    )


def run_pupil_app(data_folder: Path, wave: str | None, language: str, demo: bool) -> None:
    """`klaspeil` and `klaspeil demo`: one process per data folder, held for the app's lifetime."""
    folder = DataFolder(data_folder).lock()  # a second klaspeil stops here with DataFolderBusy
    try:
        if demo:
            folder.install_demo()
        study = folder.study()
        app = make_app(folder, study, wave, language, demo)
        app.run()
    finally:
        folder.unlock()
    if app.return_code:  # the app crashed and Textual has shown why
        sys.exit(app.return_code)
