"""Code entry: the pupil types the pseudonymous code from their card."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, Static

from storage import codes

from ..read_aloud import spoken_item
from ..texts import text
from ..widgets.read_aloud import ReadAloudButton, read_aloud, silence


class CodeEntryScreen(Screen[str]):
    """Returns the normalised code of a pupil who may start here; anything else gets a message here."""

    def __init__(
        self,
        pupil_problem: Callable[[str], Awaitable[str | None]],
        language: str,
        *,
        demo_hint: str | None = None,
        problem: str | None = None,
    ) -> None:
        super().__init__()
        self.pupil_problem = pupil_problem  # why a valid code cannot start; the study may still be loading
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
            with Center():  # a click only: every key belongs to the code field
                yield ReadAloudButton(text(self.language, "read_aloud_click"))
        yield Static(self.demo_hint or "", id="demo-hint", markup=False)

    def on_mount(self) -> None:
        if self.problem:
            self.show_message(self.problem)
        self.query_one("#code", Input).focus()

    def show_demo_hint(self, hint: str | None) -> None:
        self.query_one("#demo-hint", Static).update(hint or "")

    def show_message(self, message: str | None) -> None:
        # the "⚠" says it is a problem without relying on the colour
        box = self.query_one("#code-message", Static)
        box.update(f"⚠  {message}" if message else "")
        box.set_class(bool(message), "-shown")

    @on(Button.Pressed, "#read-aloud")
    def read_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        spoken = spoken_item(text(self.language, "code_question"), [])
        read_aloud(self, f"{spoken}\n{text(self.language, 'code_help')}", self.language)
        self.query_one("#code", Input).focus()  # typing goes on in the field

    def on_unmount(self, _: events.Unmount) -> None:
        silence(self)

    @on(Input.Changed, "#code")
    def forget_message(self) -> None:
        self.show_message(None)

    @on(Input.Submitted, "#code")
    async def check_code(self, event: Input.Submitted) -> None:
        code = codes.normalise(event.value)
        if not code:
            return
        if not codes.is_valid(code):
            self.show_message(text(self.language, "code_invalid"))
        elif (problem := await self.pupil_problem(code)) is not None:
            self.show_message(problem)
        elif self.is_active:  # not when a teacher's PIN prompt opened while the study loaded
            self.dismiss(code)
