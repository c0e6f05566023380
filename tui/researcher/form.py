"""What every researcher form shares: a message line, Save and Cancel, Escape to cancel.

A form checks its fields and returns the result with dismiss(); None means cancelled.
"""

from __future__ import annotations

from typing import TypeVar

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Button, Static

Result = TypeVar("Result")


def first_problem(error: ValidationError) -> str:
    """One readable line out of pydantic's report: the field and what is wrong with it."""
    problem = error.errors()[0]
    where = ".".join(str(part) for part in problem["loc"])
    if problem["type"] == "string_pattern_mismatch":  # the id rule, said plainly
        return f"{where}: alleen letters, cijfers, - en _, te beginnen met een letter of cijfer"
    return f"{where}: {problem['msg']}" if where else problem["msg"]


class Form(ModalScreen[Result | None]):
    BINDINGS = [Binding("escape", "cancel", "Annuleren")]
    SAVE_LABEL = "Opslaan"

    def form_footer(self) -> ComposeResult:
        """The message line and the buttons, at the end of the form's fields."""
        yield Static("", classes="form-message")
        with Horizontal(classes="form-buttons"):
            yield Button(self.SAVE_LABEL, variant="primary", id="save")
            yield Button("Annuleren", id="cancel")

    def problem(self, text: str) -> None:
        self.query_one(".form-message", Static).update(text)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
