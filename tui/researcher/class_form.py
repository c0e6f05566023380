"""The form for a new class: id, name, how pupils address the teacher, and a fresh teacher code.

The form only checks and returns the class (dismiss); the study screen writes it through
storage.study_edit, which checks the whole study again before study.yaml changes.
"""

from __future__ import annotations

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Input, Label, Select, Static

from instruments.wording import TERMS
from storage import codes
from storage.study import SchoolClass

from .form import Form, first_problem


class ClassForm(Form[SchoolClass]):

    def __init__(self, taken_ids: set[str], taken_codes: set[str]) -> None:
        super().__init__()
        self.taken_ids = taken_ids
        self.teacher_code = codes.new_code(taken=taken_codes)  # via the module: tests fix it

    def compose(self) -> ComposeResult:
        with Vertical(classes="form"):
            yield Static("Klas toevoegen", classes="form-title")
            yield Label("Klas-id (bijv. 6a)")
            yield Input(id="class-id", placeholder="6a")
            yield Label("Naam")
            yield Input(id="class-name", placeholder="Groep 6a")
            yield Label("Leerlingen zeggen")
            yield Select([(term, term) for term in TERMS], value="juf/meester", allow_blank=False, id="class-term")
            yield Static(f"Code van de leerkracht: {self.teacher_code}", id="class-teacher")
            yield from self.form_footer()

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def save(self) -> None:
        class_id = self.query_one("#class-id", Input).value.strip()
        name = self.query_one("#class-name", Input).value.strip() or class_id
        term = self.query_one("#class-term", Select).value
        if class_id in self.taken_ids:
            self.problem(f"De studie heeft al een klas '{class_id}'.")
            return
        try:
            school_class = SchoolClass(id=class_id, name=name, teacher_term=term, teacher=self.teacher_code)
        except ValidationError as error:
            self.problem(first_problem(error))
            return
        self.dismiss(school_class)
