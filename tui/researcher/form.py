"""What every researcher form shares: a message line, Save and Cancel, Escape to cancel.

A form checks its fields and returns the result with dismiss(); None means cancelled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Select, Static

if TYPE_CHECKING:
    from storage.study import School

Result = TypeVar("Result")
NO_SCHOOL = "geen school"


def school_select(schools: list[School], current: str | None, widget_id: str) -> Select[str]:
    """Which school a class or team belongs to; blank when the study names no school for it."""
    options = [(school.name + (f" ({school.place})" if school.place else ""), school.id) for school in schools]
    value = current if current in {school.id for school in schools} else Select.NULL
    return Select(options, value=value, prompt=NO_SCHOOL, allow_blank=True, id=widget_id)


def chosen_school(select: Select[str]) -> str | None:
    return select.value if isinstance(select.value, str) else None


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


class ConfirmForm(Form[bool]):
    """A question before something is removed: the button says what happens."""

    def __init__(self, question: str, detail: str, action: str = "Verwijderen") -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.SAVE_LABEL = action

    def compose(self) -> ComposeResult:
        with Vertical(classes="form"):
            yield Static(f"⚠ {self.question}", classes="form-title")
            yield Static(self.detail, classes="form-help")
            yield from self.form_footer()

    @on(Button.Pressed, "#save")
    def save(self) -> None:
        self.dismiss(True)
