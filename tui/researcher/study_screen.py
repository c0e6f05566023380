"""Setting up the study: its classes and waves, adding either, importing a class list.

Every change goes through storage.study_edit (checked against the whole study, written
atomically), then the screen re-reads study.yaml, so what it shows is what the file holds.
A study from scratch (new_study) is written only once its first class and wave are known:
a study without either is not a valid study.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Input, Label, Static

from instruments.problems import InvalidFile
from storage.errors import StorageError
from storage.study_edit import add_class, add_wave, all_codes, create_study

from .class_form import ClassForm
from .form import Form
from .import_screen import ImportScreen
from .wave_form import WaveForm

if TYPE_CHECKING:
    from textual.app import App

    from storage import DataFolder, Study
    from storage.study import SchoolClass, Wave


def instruments_line(wave: Wave) -> str:
    return "; ".join(f"{audience}: {', '.join(ids)}" for audience, ids in wave.instruments.items() if ids)


class StudyScreen(Screen["Study"]):
    """Dismisses with the study as study.yaml now holds it."""

    BINDINGS = [
        Binding("a", "add_class", "klas toevoegen"),
        Binding("m", "add_wave", "meting toevoegen"),
        Binding("i", "import_list", "klassenlijst importeren"),
        Binding("escape", "back", "terug"),
    ]

    def __init__(self, folder: DataFolder, study: Study) -> None:
        super().__init__()
        self.folder = folder
        self.study = study

    def compose(self) -> ComposeResult:
        yield Static(f"Studie {self.study.id}: {self.study.title}", id="study-title")
        classes: DataTable[str] = DataTable(id="study-classes", cursor_type="row", zebra_stripes=True)
        classes.add_columns("klas", "naam", "leerkracht", "code", "leerlingen")
        yield classes
        waves: DataTable[str] = DataTable(id="study-waves", cursor_type="row")
        waves.add_columns("meting", "label", "start", "vragenlijsten")
        yield waves
        yield Static("", id="study-message")
        yield Footer()

    def on_mount(self) -> None:
        self.show()

    def show(self) -> None:
        classes = self.query_one("#study-classes", DataTable)
        row = classes.cursor_row
        classes.clear()
        for c in self.study.classes:
            classes.add_row(c.id, c.name, c.teacher_term, c.teacher or "–", str(len(c.pupils)), key=c.id)
        classes.move_cursor(row=min(row, len(self.study.classes) - 1))
        waves = self.query_one("#study-waves", DataTable)
        waves.clear()
        for w in self.study.waves:
            waves.add_row(w.id, w.label or "", w.start or "", instruments_line(w), key=w.id)
        classes.focus()

    def say(self, text: str) -> None:
        self.query_one("#study-message", Static).update(text)

    def reread(self) -> None:
        try:
            self.study = self.folder.study()
        except (StorageError, InvalidFile) as error:
            self.say(str(error))
            return
        self.show()

    def action_add_class(self) -> None:
        taken = {c.id for c in self.study.classes}
        self.app.push_screen(ClassForm(taken, all_codes(self.study)), callback=self.class_given)

    def class_given(self, school_class: SchoolClass | None) -> None:
        if school_class is not None:
            self.change(lambda: add_class(self.folder, school_class), f"Klas {school_class.id} toegevoegd.")

    def action_add_wave(self) -> None:
        taken = {w.id for w in self.study.waves}
        self.app.push_screen(WaveForm(taken, self.folder.instruments()), callback=self.wave_given)

    def wave_given(self, wave: Wave | None) -> None:
        if wave is not None:
            self.change(lambda: add_wave(self.folder, wave), f"Meting {wave.id} toegevoegd.")

    def change(self, write: Callable[[], None], done: str) -> None:
        try:
            write()
        except (StorageError, InvalidFile) as error:
            self.say(str(error))
            return
        self.reread()
        self.say(done)

    def action_import_list(self) -> None:
        classes = self.query_one("#study-classes", DataTable)
        if not classes.row_count:
            return
        class_id = str(classes.coordinate_to_cell_key(classes.cursor_coordinate).row_key.value)
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
