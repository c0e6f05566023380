"""The researcher app: the PIN first, then the fieldwork dashboard.

The caller holds the data folder's lock for the app's lifetime (tui/cli.py), so attendance
marks written here never race another klaspeil on the same folder.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App

from storage.pin import PinGate

from .pin import PinScreen

if TYPE_CHECKING:
    from storage import DataFolder, Study


class ResearcherApp(App[None]):
    """Fieldwork on the day: per wave and class who is done, busy, not started, absent, excused."""

    CSS_PATH = Path(__file__).parent.parent / "researcher.tcss"
    TITLE = "klaspeil: researcher"
    ENABLE_COMMAND_PALETTE = False  # nothing there a researcher needs, and pupils use this laptop

    def __init__(self, folder: DataFolder, study: Study | None, *, clock: Callable[[], float] = time.monotonic) -> None:
        """`clock` drives the PIN lock-out (tests pass a fake one); no study: set one up first."""
        super().__init__()
        self.folder = folder
        self.study = study
        self.gate = PinGate(folder, clock)

    def on_mount(self) -> None:
        self.push_screen(PinScreen(self.gate), callback=self.pin_given)

    def pin_given(self, granted: bool | None) -> None:
        if not granted:
            self.exit()
            return
        if self.study is None:
            from .study_screen import new_study

            new_study(self, self.folder, self.study_created)
            return
        self.show_dashboard(self.study)

    def study_created(self, study: Study | None) -> None:
        if study is None:
            self.exit()
            return
        self.study = study
        self.show_dashboard(study)

    def show_dashboard(self, study: Study) -> None:
        from .dashboard import DashboardScreen

        self.push_screen(DashboardScreen(self.folder, study))
