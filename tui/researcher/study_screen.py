"""Setting up the study: its schools, classes, teams and waves, one tab each; adding, editing
and removing any of them, and importing a class list.

Every change goes through storage.study_edit (checked against the whole study, written
atomically), then the screen re-reads study.yaml, so what it shows is what the file holds.
Nothing with answers is removed: a class, team or wave with stored sessions stays, with a
message why; removing a class with pupils or a team with members asks first (their codes
may be on printed cards). A study from scratch (new_study) is written only once its first
class and wave are known: a study without either is not a valid study.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Protocol, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Input, Label, Static, TabbedContent, TabPane

from instruments.problems import InvalidFile
from storage import study_edit
from storage.errors import StorageError
from storage.study_edit import all_codes, create_study

from .class_form import ClassForm
from .form import ConfirmForm, Form
from .import_screen import ImportScreen
from .school_form import SchoolForm
from .team_form import TeamForm
from .wave_form import WaveForm

if TYPE_CHECKING:
    from textual.app import App

    from storage import DataFolder, Study
    from storage.study import School, SchoolClass, Team, Wave


class HasId(Protocol):
    id: str


Given = TypeVar("Given", bound=HasId)  # what a form returns: a school, class, team or wave

TABS = ("schools", "classes", "teams", "waves")
NONE = "–"


def instruments_line(wave: Wave) -> str:
    return "; ".join(f"{audience}: {', '.join(ids)}" for audience, ids in wave.instruments.items() if ids)


def kept(kind: str, sessions: int) -> str:
    """Why a removal is refused: said to the researcher in one line."""
    return (
        f"{kind} heeft {sessions} opgeslagen sessie(s) en blijft: weghalen zou die antwoorden losmaken "
        "van de studie (er gaan nooit gegevens verloren)."
    )


class StudyScreen(Screen["Study"]):
    """Dismisses with the study as study.yaml now holds it."""

    BINDINGS = [
        Binding("a", "add", "toevoegen"),
        Binding("e", "edit", "wijzigen"),
        Binding("x,delete", "remove", "verwijderen"),
        Binding("i", "import_list", "klassenlijst"),
        Binding("1", "tab('schools')", "scholen", show=False),
        Binding("2", "tab('classes')", "klassen", show=False),
        Binding("3", "tab('teams')", "teams", show=False),
        Binding("4", "tab('waves')", "metingen", show=False),
        Binding("escape", "back", "terug"),
    ]

    def __init__(self, folder: DataFolder, study: Study) -> None:
        super().__init__()
        self.folder = folder
        self.study = study

    def compose(self) -> ComposeResult:
        yield Static(f"Studie {self.study.id}: {self.study.title}", id="study-title")
        with TabbedContent(initial="classes", id="study-tabs"):
            with TabPane("1 Scholen", id="schools"):
                schools: DataTable[str] = DataTable(id="study-schools", cursor_type="row", zebra_stripes=True)
                schools.add_columns("school", "naam", "plaats", "klassen", "teams")
                yield schools
            with TabPane("2 Klassen", id="classes"):
                classes: DataTable[str] = DataTable(id="study-classes", cursor_type="row", zebra_stripes=True)
                classes.add_columns("klas", "naam", "school", "leerkracht", "code", "leerlingen")
                yield classes
            with TabPane("3 Teams", id="teams"):
                teams: DataTable[str] = DataTable(id="study-teams", cursor_type="row", zebra_stripes=True)
                teams.add_columns("team", "naam", "school", "leden")
                yield teams
            with TabPane("4 Metingen", id="waves"):
                waves: DataTable[str] = DataTable(id="study-waves", cursor_type="row", zebra_stripes=True)
                waves.add_columns("meting", "label", "start", "vragenlijsten")
                yield waves
        yield Static("", id="study-message")
        yield Footer()

    def on_mount(self) -> None:
        self.show()

    def show(self) -> None:
        study = self.study
        self.fill("study-schools", [
            (s.id, s.name, s.place or NONE, str(sum(c.school == s.id for c in study.classes)),
             str(sum(t.school == s.id for t in study.teams)))
            for s in study.schools
        ])
        self.fill("study-classes", [
            (c.id, c.name, c.school or NONE, c.teacher_term, c.teacher or NONE, str(len(c.pupils)))
            for c in study.classes
        ])
        self.fill("study-teams", [(t.id, t.name, t.school or NONE, str(len(t.members))) for t in study.teams])
        self.fill("study-waves", [(w.id, w.label or "", w.start or "", instruments_line(w)) for w in study.waves])
        tabs = self.query_one(TabbedContent)
        for tab, count in zip(TABS, (len(study.schools), len(study.classes), len(study.teams), len(study.waves))):
            label = tabs.get_tab(tab).label.plain.split(" (")[0]
            tabs.get_tab(tab).label = f"{label} ({count})"
        self.table().focus()

    def fill(self, table_id: str, rows: list[tuple[str, ...]]) -> None:
        table = self.query_one(f"#{table_id}", DataTable)
        row = table.cursor_row
        table.clear()
        for cells in rows:
            table.add_row(*cells, key=cells[0])
        if rows:
            table.move_cursor(row=min(max(row, 0), len(rows) - 1))

    @property
    def tab(self) -> str:
        return self.query_one(TabbedContent).active

    def table(self) -> DataTable[str]:
        return self.query_one(f"#study-{self.tab}", DataTable)

    def current(self) -> str | None:
        """The id on the highlighted row of the tab shown; None for an empty table."""
        table = self.table()
        if not table.row_count:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        self.table().focus()

    @on(TabbedContent.TabActivated)
    def tab_shown(self) -> None:
        self.refresh_bindings()  # "klassenlijst" only on the classes tab
        self.table().focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "import_list":
            tabs = self.query(TabbedContent)
            return bool(tabs) and tabs.first().active == "classes"
        return True

    def say(self, text: str) -> None:
        self.query_one("#study-message", Static).update(text)

    def reread(self) -> None:
        try:
            self.study = self.folder.study()
        except (StorageError, InvalidFile) as error:
            self.say(str(error))
            return
        self.show()

    def change(self, write: Callable[[], Study], done: str) -> None:
        """Write a change; show the study the edit checked (the file as now written: no re-read,
        which takes a second for 70 classes)."""
        try:
            self.study = write()
        except (StorageError, InvalidFile) as error:
            self.say(str(error))
            return
        self.show()
        self.say(done)

    # -- add, edit, remove: the tab shown decides what -------------------------------------
    def action_add(self) -> None:
        study = self.study
        if self.tab == "schools":
            form = SchoolForm({s.id for s in study.schools})
            self.app.push_screen(form, callback=self.on_save(self.add_school, "School {id} toegevoegd."))
        elif self.tab == "classes":
            form = ClassForm({c.id for c in study.classes}, all_codes(study), study.schools)
            self.app.push_screen(form, callback=self.on_save(self.add_class, "Klas {id} toegevoegd."))
        elif self.tab == "teams":
            form = TeamForm({t.id for t in study.teams}, all_codes(study), study.schools, study.classes)
            self.app.push_screen(form, callback=self.on_save(self.add_team, "Team {id} toegevoegd."))
        else:
            form = WaveForm({w.id for w in study.waves}, self.folder.instruments())
            self.app.push_screen(form, callback=self.on_save(self.add_wave, "Meting {id} toegevoegd."))

    def action_edit(self) -> None:
        chosen = self.current()
        if chosen is None:
            return
        study = self.study
        if self.tab == "schools":
            school = next(s for s in study.schools if s.id == chosen)
            form = SchoolForm(set(), school)
            self.app.push_screen(form, callback=self.on_save(self.edit_school, "School {id} gewijzigd."))
        elif self.tab == "classes":
            school_class = next(c for c in study.classes if c.id == chosen)
            form = ClassForm(set(), set(), study.schools, school_class)
            self.app.push_screen(form, callback=self.on_save(self.edit_class, "Klas {id} gewijzigd."))
        elif self.tab == "teams":
            team = next(t for t in study.teams if t.id == chosen)
            form = TeamForm(set(), all_codes(study), study.schools, study.classes, team)
            self.app.push_screen(form, callback=self.on_save(self.edit_team, "Team {id} gewijzigd."))
        else:
            form = WaveForm(set(), self.folder.instruments(), study.wave(chosen))
            self.app.push_screen(form, callback=self.on_save(self.edit_wave, "Meting {id} gewijzigd."))

    @on(DataTable.RowSelected)
    def row_chosen(self) -> None:
        self.action_edit()  # Enter on a row

    def action_remove(self) -> None:
        from storage.study_usage import class_sessions, team_sessions, wave_sessions

        chosen = self.current()
        if chosen is None:
            return
        folder, study = self.folder, self.study
        if (self.tab, len(study.classes)) == ("classes", 1) or (self.tab, len(study.waves)) == ("waves", 1):
            kind = "klas" if self.tab == "classes" else "meting"
            return self.say(f"{chosen} is de enige {kind}: een studie heeft er minstens één nodig.")
        if self.tab == "schools":
            self.change(partial(study_edit.remove_school, folder, chosen), f"School {chosen} verwijderd.")
        elif self.tab == "classes":
            pupils = len(next(c for c in study.classes if c.id == chosen).pupils)
            detail = (
                f"De klas heeft {pupils} leerling(en) met een code, misschien al op kaarten. De namen blijven in "
                "het sleutelbestand: een klas met dezelfde id en dezelfde lijst krijgt dezelfde codes terug."
            )
            remove = partial(study_edit.remove_class, folder, chosen)
            sessions = class_sessions(folder, study, chosen)
            self.remove_or_ask(f"Klas {chosen}", sessions, remove, detail if pupils else None)
        elif self.tab == "teams":
            members = len(next(t for t in study.teams if t.id == chosen).members)
            detail = f"Het team heeft {members} lid/leden met een code, misschien al op kaarten."
            remove = partial(study_edit.remove_team, folder, chosen)
            sessions = team_sessions(folder, study, chosen)
            self.remove_or_ask(f"Team {chosen}", sessions, remove, detail if members else None)
        else:
            detail = "Er zijn nog geen antwoorden in deze meting; de vragenlijsten die erbij horen gaan uit het plan."
            remove = partial(study_edit.remove_wave, folder, chosen)
            self.remove_or_ask(f"Meting {chosen}", wave_sessions(folder, study, chosen), remove, detail)

    def remove_or_ask(self, label: str, sessions: int, remove: Callable[[], Study], detail: str | None) -> None:
        """Refuse while answers point at it (say why); remove at once when nothing depends on
        it (`detail` None); else ask first, `detail` saying what hangs on it."""
        if sessions:
            return self.say(kept(label, sessions))
        done = f"{label} verwijderd."
        if detail is None:
            return self.change(remove, done)
        self.confirm(f"{label} verwijderen?", detail, remove, done)

    def confirm(self, question: str, detail: str, remove: Callable[[], Study], done: str) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.change(remove, done)

        self.app.push_screen(ConfirmForm(question, detail), callback=answered)

    # -- what the forms return ---------------------------------------------------------------
    def on_save(self, write: Callable[[Given], Study], done: str) -> Callable[[Given | None], None]:
        """A form's callback: nothing on Cancel (None); else `write` what the form returned and
        say `done` (its {id} filled in)."""

        def saved(given: Given | None) -> None:
            if given is not None:
                self.change(partial(write, given), done.format(id=given.id))

        return saved

    def add_school(self, school: School) -> Study:
        return study_edit.add_school(self.folder, school)

    def edit_school(self, school: School) -> Study:
        return study_edit.edit_school(self.folder, school.id, name=school.name, place=school.place)

    def add_class(self, school_class: SchoolClass) -> Study:
        return study_edit.add_class(self.folder, school_class)

    def edit_class(self, given: SchoolClass) -> Study:
        return study_edit.edit_class(
            self.folder, given.id, name=given.name, teacher_term=given.teacher_term, school=given.school
        )

    def add_team(self, team: Team) -> Study:
        return study_edit.add_team(self.folder, team)

    def edit_team(self, given: Team) -> Study:
        return study_edit.edit_team(self.folder, given.id, name=given.name, school=given.school, members=given.members)

    def add_wave(self, wave: Wave) -> Study:
        return study_edit.add_wave(self.folder, wave)

    def edit_wave(self, given: Wave) -> Study:
        return study_edit.edit_wave(
            self.folder, given.id, label=given.label, start=given.start, instruments=given.instruments
        )

    def action_import_list(self) -> None:
        if self.tab != "classes" or (class_id := self.current()) is None:
            return
        self.app.push_screen(ImportScreen(self.folder, class_id), callback=self.imported)

    def imported(self, changed: bool | None) -> None:
        if changed:
            self.reread()

    def action_back(self) -> None:
        self.dismiss(self.study)


class NewStudyForm(Form[tuple[str, str]]):
    """Id and title of a study set up from scratch."""

    SAVE_LABEL = "Verder"

    def compose(self) -> ComposeResult:
        with Vertical(classes="form"):
            yield Static("Er is nog geen studie in deze map. Een nieuwe studie opzetten?", classes="form-title")
            yield Label("Studie-id (bijv. motivatie2026)")
            yield Input(id="study-id")
            yield Label("Titel")
            yield Input(id="study-name")
            yield Static("Daarna: de eerste klas en de eerste meting.", classes="form-help")
            yield from self.form_footer()

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def save(self) -> None:
        from storage.study import Identifier  # the same rule study.yaml is checked with
        from pydantic import TypeAdapter, ValidationError

        study_id = self.query_one("#study-id", Input).value.strip()
        title = self.query_one("#study-name", Input).value.strip() or study_id
        try:
            TypeAdapter(Identifier).validate_python(study_id)
        except ValidationError:
            self.problem("Een id is letters, cijfers, - en _ (begint niet met - of _).")
            return
        self.dismiss((study_id, title))


def new_study(app: App, folder: DataFolder, done: Callable[[Study | None], None]) -> None:
    """Ask id and title, the first class, the first wave; then write study.yaml and call `done`
    with the study (None when the researcher cancelled: nothing was written)."""

    def named(given: tuple[str, str] | None) -> None:
        if given is None:
            return done(None)
        app.push_screen(ClassForm(set(), set()), callback=lambda c: with_class(given, c))

    def with_class(given: tuple[str, str], school_class: SchoolClass | None) -> None:
        if school_class is None:
            return done(None)
        form = WaveForm(set(), folder.instruments())
        app.push_screen(form, callback=lambda w: with_wave(given, school_class, w))

    def with_wave(given: tuple[str, str], school_class: SchoolClass, wave: Wave | None) -> None:
        if wave is None:
            return done(None)
        try:
            create_study(folder, *given, school_class, wave)
            study = folder.study()
        except (StorageError, InvalidFile) as error:
            app.notify(str(error), severity="error")
            return done(None)
        done(study)

    app.push_screen(NewStudyForm(), callback=named)
