"""Code entry: the pupil types the pseudonymous code from their card."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

from storage import Study, codes

from ..texts import text


class CodeEntryScreen(Screen[str]):
    """Returns the normalised code of a pupil of the study; anything else gets a message here."""

    def __init__(self, study: Study, language: str, *, demo_hint: str | None = None, problem: str | None = None) -> None:
        super().__init__()
        self.study = study
        self.language = language
        self.demo_hint = demo_hint
        self.problem = problem  # e.g. a storage failure while opening the previous pupil's session

    def compose(self) -> ComposeResult:
        with Vertical(id="code-box"):
            yield Static(text(self.language, "code_question"), id="code-question", markup=False)
            yield Static(text(self.language, "code_help"), id="code-help", markup=False)
            with Center():
                yield Input(placeholder=text(self.language, "code_placeholder"), max_length=16, id="code")
            yield Static(id="code-message", markup=False)
        if self.demo_hint:
            yield Static(self.demo_hint, id="demo-hint", markup=False)

    def on_mount(self) -> None:
        if self.problem:
            self.show_message(self.problem)
        self.query_one("#code", Input).focus()

    def show_message(self, message: str | None) -> None:
        # the "⚠" says it is a problem without relying on the colour
        box = self.query_one("#code-message", Static)
        box.update(f"⚠  {message}" if message else "")
        box.set_class(bool(message), "-shown")

    @on(Input.Changed, "#code")
    def forget_message(self) -> None:
        self.show_message(None)

    @on(Input.Submitted, "#code")
    def check_code(self, event: Input.Submitted) -> None:
        code = codes.normalise(event.value)
        if not code:
            return
        if not codes.is_valid(code):
            self.show_message(text(self.language, "code_invalid"))
        elif self.study.class_of(code) is None:
            self.show_message(text(self.language, "code_unknown"))
        else:
            self.dismiss(code)
