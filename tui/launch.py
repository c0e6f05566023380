"""Starting the pupil app: the data folder and its lock, then the app.

Start-up is kept to what the first screen needs (textual, the lock, the code screen); the
study and the item bank load in a worker while the pupil reads "Wat is jouw code?"
(tui/setup.py). docs/benchmarks.md measures this against a bare Textual app.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from storage.datafolder import DataFolder
from storage.pin import has_pin

from .app import PupilApp
from .kiosk.lock import signals_off
from .setup import setup_for

if TYPE_CHECKING:
    from instruments import Instrument
    from storage import Study


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
    high_contrast: bool = False,
    class_id: str | None = None,
    unlock: bool = False,
    clock: Callable[[], float] = time.monotonic,
) -> PupilApp:
    """The pupil app with its study already loaded. Tests and snapshot tests build it here
    (with a fixed `shuffle_seed`, so every pupil sees the same item order)."""
    available = folder.instruments() if instruments is None else instruments
    setup = setup_for(folder, study, wave_id, available)
    return PupilApp(
        folder, setup, language=language, demo=demo, shuffle_seed=shuffle_seed,
        return_after=return_after, high_contrast=high_contrast,
        class_id=class_id, unlock=unlock, instruments=available, clock=clock,
    )


def run_pupil_app(
    data_folder: Path, wave: str | None, language: str, demo: bool, *,
    class_id: str | None = None, headless: bool = False, high_contrast: bool = False,
) -> None:
    """`klaspeil` and `klaspeil demo`: one process per data folder, held for the app's lifetime."""
    folder = DataFolder(data_folder)
    if not demo:
        folder.require_study()  # before the lock: a mistyped --data must not leave an empty folder behind
    folder.lock()  # a second klaspeil stops here with DataFolderBusy
    try:
        if demo:
            folder.install_demo()  # with PIN 1234 where the folder has none
        else:
            has_pin(folder)  # a damaged researcher.json: one line now, not a crash on the PIN screen
        # `klaspeil` asks the PIN and the class first; the demo goes straight to code entry
        app = PupilApp(
            folder, None, wave_id=wave, language=language, demo=demo, high_contrast=high_contrast,
            class_id=class_id, unlock=not demo,
        )
        signals_off()  # Ctrl+C, Ctrl+Z, Ctrl+\ reach the app as keys, whatever the environment says
        app.run(headless=headless)
    finally:
        folder.unlock()
    if app.startup_error is not None:  # a broken study.yaml, an unknown wave: one line, via cli.main
        raise app.startup_error
    if app.return_code:  # the app crashed and Textual has shown why
        sys.exit(app.return_code)
