"""The form for a team: id, name, school, and its members. A class teacher joins under the code
of their class (ticked in the list), so that their own answers and their team answers can be
linked; other staff get fresh codes, generated like teacher codes. Editing keeps the id.

The storage edit refuses to drop a member who has answered team questionnaires.
"""

from __future__ import annotations

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static
from textual.widgets.selection_list import Selection

from storage import codes
from storage.study import School, SchoolClass, Team

from .checklist import CheckList
from .form import Form, chosen_school, first_problem, school_select


class TeamForm(Form[Team]):

    def __init__(
        self, taken_ids: set[str], taken_codes: set[str], schools: list[School], classes: list[SchoolClass],
        existing: Team | None = None,
    ) -> None:
        super().__init__()
        self.taken_ids = taken_ids - ({existing.id} if existing else set())
        self.taken_codes = taken_codes
        self.schools = schools
        self.existing = existing
        self.teachers = {c.teacher: c for c in classes if c.teacher}
        members = existing.members if existing else []
        self.others = [code for code in members if code not in self.teachers]  # staff without a class here

    def compose(self) -> ComposeResult:
        old = self.existing
        members = set(old.members) if old else set()
        with Vertical(classes="form"):
            yield Static(f"Team {old.id} wijzigen" if old else "Team toevoegen", classes="form-title")
            with Horizontal(classes="form-row"):
                yield Input(
                    old.id if old else "", id="team-id", placeholder="id, bijv. regenboog", disabled=old is not None
                )
                yield Input(old.name if old else "", id="team-name", placeholder="naam")
            with Horizontal(classes="form-row"):
                if self.schools:
                    yield school_select(self.schools, old.school if old else None, "team-school")
                yield Input(id="team-new", placeholder="nieuwe codes: aantal", type="integer")
            yield Label("Leerkrachten in het team, met de code van hun klas (spatie kiest)")
            yield CheckList(
                *(Selection(f"{c.id}: {c.name} ({code})", code, code in members) for code, c in self.teachers.items()),
                id="team-teachers",
            )
            if self.others:
                yield Static(f"Ander personeel: {', '.join(self.others)}", id="team-others")
            yield from self.form_footer()

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def save(self) -> None:
        team_id = self.query_one("#team-id", Input).value.strip()
        name = self.query_one("#team-name", Input).value.strip() or team_id
        school = chosen_school(self.query_one("#team-school", Select)) if self.schools else None
        new = self.query_one("#team-new", Input).value.strip() or "0"
        if team_id in self.taken_ids:
            return self.problem(f"De studie heeft al een team '{team_id}'.")
        if not new.isdigit() or int(new) > 99:
            return self.problem("Het aantal nieuwe codes is een getal van 0 tot 99.")
        teachers = self.query_one("#team-teachers", CheckList).selected
        old = self.existing.members if self.existing else []
        # members keep their place; ticked teachers and new codes come after them
        members = [code for code in old if code in teachers or code in self.others]
        members += [code for code in teachers if code not in members]
        taken = self.taken_codes | set(members)
        for _ in range(int(new)):
            code = codes.new_code(taken=taken)  # via the module, so tests can fix it
            taken.add(code)
            members.append(code)
        try:
            team = Team(id=team_id, name=name, school=school, members=members)
        except ValidationError as error:
            return self.problem(first_problem(error))
        self.dismiss(team)
