"""The form for a school: id (what classes and teams name), name, and the place (optional).
Editing a school changes its name and place; the id stays, because classes and teams name it."""

from __future__ import annotations

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Input, Label, Static

from storage.study import School

from .form import Form, first_problem


class SchoolForm(Form[School]):

    def __init__(self, taken_ids: set[str], existing: School | None = None) -> None:
        super().__init__()
        self.taken_ids = taken_ids - ({existing.id} if existing else set())
        self.existing = existing

    def compose(self) -> ComposeResult:
        old = self.existing
        with Vertical(classes="form"):
            yield Static(f"School {old.id} wijzigen" if old else "School toevoegen", classes="form-title")
            yield Label("School-id (blijft: klassen en teams noemen het)" if old else "School-id (bijv. regenboog)")
            yield Input(old.id if old else "", id="school-id", placeholder="regenboog", disabled=old is not None)
            yield Label("Naam")
            yield Input(old.name if old else "", id="school-name", placeholder="Basisschool De Regenboog")
            yield Label("Plaats (mag leeg)")
            yield Input((old.place or "") if old else "", id="school-place", placeholder="Utrecht")
            yield from self.form_footer()

    def on_mount(self) -> None:
        if self.existing:
            self.query_one("#school-name", Input).focus()

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def save(self) -> None:
        school_id = self.query_one("#school-id", Input).value.strip()
        name = self.query_one("#school-name", Input).value.strip() or school_id
        place = self.query_one("#school-place", Input).value.strip() or None
        if school_id in self.taken_ids:
            return self.problem(f"De studie heeft al een school '{school_id}'.")
        try:
            school = School(id=school_id, name=name, place=place)
        except ValidationError as error:
            return self.problem(first_problem(error))
        self.dismiss(school)
