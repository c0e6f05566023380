"""The fieldwork dashboard: choose a wave; per class the pupils' states and the teacher's and
roster's progress; the teams. Enter on a class opens its pupils (class_screen.py); Enter on a
team, or t, opens the team's result (team_result.py).

Reading the fieldwork reads every session file of the folder (seconds for 70 classes), so it
runs in a thread while a loading indicator shows; it reruns whenever the dashboard comes back
into view, so marks made on a class screen count at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, LoadingIndicator, Select, Static

from storage.errors import StorageError
from storage.fieldwork import PUPIL_STATES, WaveProgress, by_school, fieldwork

if TYPE_CHECKING:
    from storage import DataFolder, Study

NOT_ASKED = "–"


class DashboardScreen(Screen[None]):
    BINDINGS = [
        Binding("r", "reload", "Reload"),
        Binding("s", "study", "Studie"),
        Binding("t", "team_result", "Team result"),
        Binding("b", "sync", "Bundels"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, folder: DataFolder, study: Study) -> None:
        super().__init__()
        self.folder = folder
        self.study = study
        self.waves: dict[str, WaveProgress] = {}
        self.first_names: dict[str, str] = {}
        self.wave_id = study.waves[0].id if study.waves else None

    def compose(self) -> ComposeResult:
        yield Static(f"Fieldwork of study {self.study.id}: Enter shows a class's pupils, t a team's result", id="dashboard-title")
        options = [(w.id + (f" ({w.label})" if w.label else ""), w.id) for w in self.study.waves]
        yield Select(options, value=self.wave_id or Select.BLANK, allow_blank=False, id="wave")
        yield LoadingIndicator(id="loading")
        classes: DataTable[str] = DataTable(id="classes", cursor_type="row", zebra_stripes=True)
        classes.add_columns(*self.school_column, "class", *PUPIL_STATES, "teacher", "roster")
        yield classes
        teams: DataTable[str] = DataTable(id="teams", cursor_type="row")
        teams.add_columns(*self.school_column, "team", "members done")
        yield teams
        yield Static("", id="dashboard-message")
        yield Footer()

    @property
    def school_column(self) -> tuple[str, ...]:
        """A school column when the study names schools: 70 classes read school by school."""
        return ("school",) if self.study.schools else ()

    def school_cell(self, school: str | None) -> tuple[str, ...]:
        return (school or NOT_ASKED,) if self.study.schools else ()

    def on_screen_resume(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        self.query_one("#loading").display = True
        self.read_fieldwork()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def read_fieldwork(self) -> None:
        from storage.roster import load_key

        try:
            waves = fieldwork(self.folder, self.study)
            names = {code: name.first_name for code, name in load_key(self.folder).items()}
        except StorageError as error:
            self.app.call_from_thread(self.failed, error)
        else:
            self.app.call_from_thread(self.loaded, waves, names)

    def loaded(self, waves: list[WaveProgress], names: dict[str, str]) -> None:
        self.waves = {wave.wave_id: wave for wave in waves}
        self.first_names = names
        self.query_one("#loading").display = False
        self.show_wave()

    def failed(self, error: StorageError) -> None:
        self.query_one("#loading").display = False
        self.query_one("#dashboard-message", Static).update(f"Cannot read the fieldwork: {error}")

    def action_study(self) -> None:
        from .study_screen import StudyScreen

        self.app.push_screen(StudyScreen(self.folder, self.study), callback=self.study_changed)

    async def study_changed(self, study: Study | None) -> None:
        """Classes and waves added on the study screen: show them (wave list included)."""
        if study is None or study == self.study:
            return
        self.study = study
        if self.wave_id not in {w.id for w in study.waves}:
            self.wave_id = study.waves[0].id
        await self.recompose()
        self.action_reload()

    def action_sync(self) -> None:
        from .sync_screen import SyncScreen  # bundles onto a USB stick, and merging them (docs/sync.md)

        self.app.push_screen(SyncScreen(self.folder, self.study))

    @on(Select.Changed, "#wave")
    def wave_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.wave_id = event.value
            self.show_wave()

    def show_wave(self) -> None:
        wave = self.waves.get(self.wave_id or "")
        classes = self.query_one("#classes", DataTable)
        teams = self.query_one("#teams", DataTable)
        row = classes.cursor_row
        classes.clear()
        teams.clear()
        if wave is None:
            return
        for progress in by_school(wave.classes):
            classes.add_row(
                *self.school_cell(progress.school),
                progress.class_id,
                *(str(progress.count(state)) for state in PUPIL_STATES),
                str(progress.teacher) if progress.teacher else NOT_ASKED,
                str(progress.roster) if progress.roster else NOT_ASKED,
                key=progress.class_id,
            )
        if wave.classes:
            classes.move_cursor(row=min(row, len(wave.classes) - 1))
        for team in wave.teams:
            teams.add_row(*self.school_cell(team.school), team.team_id, str(team.members), key=team.team_id)
        teams.display = bool(wave.teams)
        classes.focus()

    @on(DataTable.RowSelected, "#classes")
    def class_chosen(self, event: DataTable.RowSelected) -> None:
        wave = self.waves.get(self.wave_id or "")
        class_id = event.row_key.value
        progress = next((c for c in wave.classes if c.class_id == class_id), None) if wave else None
        if wave is None or progress is None:
            return
        from .class_screen import ClassScreen

        self.app.push_screen(ClassScreen(self.folder, self.study, wave.wave_id, progress, self.first_names))

    @on(DataTable.RowSelected, "#teams")
    def team_chosen(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.open_team_result(event.row_key.value)

    def action_team_result(self) -> None:
        """The highlighted team's result (the first team until another is highlighted)."""
        teams = self.query_one("#teams", DataTable)
        if not teams.row_count:
            self.query_one("#dashboard-message", Static).update("This wave has no team lists.")
            return
        key = teams.coordinate_to_cell_key(teams.cursor_coordinate).row_key.value
        if key is not None:
            self.open_team_result(key)

    def open_team_result(self, team_id: str) -> None:
        if self.wave_id is None:
            return
        from .team_result import TeamResultScreen

        self.app.push_screen(TeamResultScreen(self.folder, self.study, self.wave_id, team_id))
