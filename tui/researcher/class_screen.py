"""One class in one wave: each pupil by first name (from the local key file, else the code)
and their state; a/e/p mark the highlighted pupil absent, excused or present again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from storage.attendance import mark
from storage.errors import StorageError
from storage.fieldwork import ClassProgress, PupilState, SessionIndex, pupil_state

if TYPE_CHECKING:
    from storage import DataFolder, Study


class ClassScreen(Screen[None]):
    BINDINGS = [
        Binding("a", "mark('absent')", "Absent"),
        Binding("e", "mark('excused')", "Excused"),
        Binding("p", "mark('present')", "Present"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(
        self, folder: DataFolder, study: Study, wave_id: str, progress: ClassProgress, first_names: dict[str, str]
    ) -> None:
        super().__init__()
        self.folder = folder
        self.study = study
        self.wave_id = wave_id
        self.progress = progress
        self.first_names = first_names
        self.states: dict[str, PupilState] = dict(progress.pupils)

    def compose(self) -> ComposeResult:
        yield Static(f"Class {self.progress.class_id} ({self.progress.name}), wave {self.wave_id}", id="class-title")
        pupils: DataTable[str] = DataTable(id="pupils", cursor_type="row", zebra_stripes=True)
        pupils.add_column("pupil", key="pupil")
        pupils.add_column("code", key="code")
        pupils.add_column("state", key="state")
        for code, state in self.states.items():
            pupils.add_row(self.first_names.get(code, code), code, state, key=code)
        yield pupils
        yield Static("", id="class-message")
        yield Footer()

    def action_mark(self, status: str) -> None:
        pupils = self.query_one("#pupils", DataTable)
        if not self.states:
            return
        code = pupils.coordinate_to_cell_key(pupils.cursor_coordinate).row_key.value
        assert code is not None
        message = self.query_one("#class-message", Static)
        try:
            mark(self.folder, self.wave_id, code, None if status == "present" else status, self.study)
        except StorageError as error:
            message.update(f"Not marked: {error}")
            return
        self.states[code] = self._state_now(code, None if status == "present" else status)
        pupils.update_cell(code, "state", self.states[code])
        shown = self.first_names.get(code, code)
        if self.states[code] == "done" and status != "present":
            message.update(f"{shown} has already finished: done stays done.")
        else:
            message.update(f"{shown}: {status}")

    def _state_now(self, code: str, status: str | None) -> PupilState:
        """The pupil's state from their own session files only, not the whole folder's."""
        wave = self.study.wave(self.wave_id)
        index: SessionIndex = {}
        for session in self.folder.sessions_of(self.study.id, self.wave_id, code):
            meta = session.meta
            key = (meta.wave, meta.respondent, meta.target, meta.instrument)
            index[key] = index.get(key, False) or meta.finished_at is not None
        return pupil_state(wave, code, index, status)
