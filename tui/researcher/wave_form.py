"""The form for a new wave (meting): id, label, start date, and per audience the instruments."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, SelectionList, Static

from storage.study import Wave

from .form import Form, first_problem

if TYPE_CHECKING:
    from instruments import Instrument

AUDIENCES = ("pupil", "teacher", "roster", "team")


class WaveForm(Form[Wave]):

    def __init__(self, taken_ids: set[str], available: dict[str, Instrument]) -> None:
        super().__init__()
        self.taken_ids = taken_ids
        self.available = available

    def compose(self) -> ComposeResult:
        # one option per instrument, grouped by the audience that fills it in
        choices = sorted(self.available.values(), key=lambda i: (AUDIENCES.index(i.audience), i.id))
        with Vertical(classes="form"):
            yield Static("Meting toevoegen", classes="form-title")
            with Horizontal(classes="form-row"):
                yield Input(id="wave-id", placeholder="id, bijv. w1")
                yield Input(id="wave-label", placeholder="label, bijv. najaar")
                yield Input(id="wave-start", placeholder="start JJJJ-MM-DD")
            yield Label("Vragenlijsten (spatie kiest)")
            yield SelectionList[str](*((f"{i.audience}: {i.id}", i.id) for i in choices), id="wave-instruments")
            yield from self.form_footer()

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def save(self) -> None:
        wave_id = self.query_one("#wave-id", Input).value.strip()
        label = self.query_one("#wave-label", Input).value.strip() or None
        start = self.query_one("#wave-start", Input).value.strip() or None
        chosen = self.query_one("#wave-instruments", SelectionList).selected
        if wave_id in self.taken_ids:
            return self.problem(f"De studie heeft al een meting '{wave_id}'.")
        if start is not None:
            try:
                datetime.date.fromisoformat(start)
            except ValueError:
                return self.problem(f"'{start}' is geen datum als 2026-09-15.")
        if not chosen:
            return self.problem("Kies minstens één vragenlijst.")
        instruments: dict[str, list[str]] = {}
        for instrument_id in chosen:
            instruments.setdefault(self.available[instrument_id].audience, []).append(instrument_id)
        try:
            wave = Wave(id=wave_id, label=label, start=start, instruments=instruments)
        except ValidationError as error:
            return self.problem(first_problem(error))
        self.dismiss(wave)
