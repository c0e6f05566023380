"""The form for a class: id, name, its school, how pupils address the teacher, and the teacher's
code (fresh for a new class). Editing a class changes its name, school and teacher term; the id
stays (the key file and the attendance marks are filed under it), and so do the teacher code
and the pupils, which are on printed cards.

The form only checks and returns the class (dismiss); the study screen writes it through
storage.study_edit, which checks the whole study again before study.yaml changes.
"""

from __future__ import annotations

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from instruments.wording import TERMS
from storage import codes
from storage.study import School, SchoolClass

from .form import Form, chosen_school, first_problem, school_select


class ClassForm(Form[SchoolClass]):

    def __init__(
        self, taken_ids: set[str], taken_codes: set[str], schools: list[School] | None = None,
        existing: SchoolClass | None = None,
    ) -> None:
        """`existing`: edit that class; otherwise a new one with a fresh teacher code."""
        super().__init__()
        self.taken_ids = taken_ids - ({existing.id} if existing else set())
        self.schools = schools or []
        self.existing = existing
        # via the module, so tests can fix it
        self.teacher_code = existing.teacher if existing else codes.new_code(taken=taken_codes)

    def compose(self) -> ComposeResult:
        old = self.existing
        with Vertical(classes="form"):
            yield Static(f"Klas {old.id} wijzigen" if old else "Klas toevoegen", classes="form-title")
            yield Label("Klas-id (blijft: sleutelbestand en kaarten horen erbij)" if old else "Klas-id (bijv. 6a)")
            yield Input(old.id if old else "", id="class-id", placeholder="6a", disabled=old is not None)
            yield Label("Naam")
            yield Input(old.name if old else "", id="class-name", placeholder="Groep 6a")
            term = old.teacher_term if old else "juf/meester"
            with Horizontal(classes="form-row"):
                with Vertical(classes="form-column"):
                    yield Label("Leerlingen zeggen")
                    yield Select([(t, t) for t in TERMS], value=term, allow_blank=False, id="class-term")
                if self.schools:
                    with Vertical(classes="form-column"):
                        yield Label("School")
                        yield school_select(self.schools, old.school if old else None, "class-school")
            yield Static(f"Code van de leerkracht: {self.teacher_code or '–'}", id="class-teacher")
            yield from self.form_footer()

    def on_mount(self) -> None:
        if self.existing:
            self.query_one("#class-name", Input).focus()

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def save(self) -> None:
        class_id = self.query_one("#class-id", Input).value.strip()
        name = self.query_one("#class-name", Input).value.strip() or class_id
        term = self.query_one("#class-term", Select).value
        school = chosen_school(self.query_one("#class-school", Select)) if self.schools else None
        if class_id in self.taken_ids:
            self.problem(f"De studie heeft al een klas '{class_id}'.")
            return
        kept = {"pupils": self.existing.pupils} if self.existing else {}
        try:
            school_class = SchoolClass(
                id=class_id, name=name, school=school, teacher_term=term, teacher=self.teacher_code, **kept
            )
        except ValidationError as error:
            self.problem(first_problem(error))
            return
        self.dismiss(school_class)
