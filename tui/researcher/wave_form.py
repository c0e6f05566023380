"""The form for a wave (meting): id, label, start date, and per audience the instruments.
Editing a wave keeps its id (sessions are filed under it) and the order of the instruments it
had; newly chosen ones follow in the order they were ticked."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static
from textual.widgets.selection_list import Selection

from storage.study import Wave

from .checklist import CheckList
from .form import Form, first_problem

if TYPE_CHECKING:
    from instruments import Instrument

AUDIENCES = ("pupil", "teacher", "roster", "team")


class WaveForm(Form[Wave]):

    def __init__(self, taken_ids: set[str], available: dict[str, Instrument], existing: Wave | None = None) -> None:
        super().__init__()
        self.taken_ids = taken_ids - ({existing.id} if existing else set())
        self.available = available
        self.existing = existing

    def compose(self) -> ComposeResult:
        # one option per instrument, grouped by the audience that fills it in
        choices = sorted(self.available.values(), key=lambda i: (AUDIENCES.index(i.audience), i.id))
        old = self.existing
        had = {i for ids in old.instruments.values() for i in ids} if old else set()
        with Vertical(classes="form"):
            yield Static(f"Meting {old.id} wijzigen" if old else "Meting toevoegen", classes="form-title")
            with Horizontal(classes="form-row"):
                yield Input(old.id if old else "", id="wave-id", placeholder="id, bijv. w1", disabled=old is not None)
                yield Input((old.label or "") if old else "", id="wave-label", placeholder="label, bijv. najaar")
                yield Input((old.start or "") if old else "", id="wave-start", placeholder="start JJJJ-MM-DD")
            yield Label("Vragenlijsten (spatie kiest)")
            yield CheckList(
                *(Selection(f"{i.audience}: {i.id}", i.id, i.id in had) for i in choices), id="wave-instruments"
            )
            yield from self.form_footer()

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def save(self) -> None:
        wave_id = self.query_one("#wave-id", Input).value.strip()
        label = self.query_one("#wave-label", Input).value.strip() or None
        start = self.query_one("#wave-start", Input).value.strip() or None
        chosen = self.query_one("#wave-instruments", CheckList).selected
        if wave_id in self.taken_ids:
            return self.problem(f"De studie heeft al een meting '{wave_id}'.")
        if start is not None:
            try:
                datetime.date.fromisoformat(start)
            except ValueError:
                return self.problem(f"'{start}' is geen datum als 2026-09-15.")
        if not chosen:
            return self.problem("Kies minstens één vragenlijst.")
        before = [i for ids in self.existing.instruments.values() for i in ids] if self.existing else []
        ordered = [i for i in before if i in chosen] + [i for i in chosen if i not in before]
        instruments: dict[str, list[str]] = {}
        for instrument_id in ordered:
            instruments.setdefault(self.available[instrument_id].audience, []).append(instrument_id)
        try:
            wave = Wave(id=wave_id, label=label, start=start, instruments=instruments)
        except ValidationError as error:
            return self.problem(first_problem(error))
        self.dismiss(wave)
