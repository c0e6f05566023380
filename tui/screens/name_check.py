"""After a valid code: "Ben jij Emma?", so a pupil who typed a classmate's code notices before
anything is stored. Returns True (Ja) or False (Nee).

The first name comes from the local key file (tui/setup.py) and is only ever on screen here.
"""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Static

from ..read_aloud import spoken_item
from ..texts import text
from ..widgets.read_aloud import ReadAloudButton, read_aloud, silence


class NameButton(Button, can_focus=False):
    """Clicked with the mouse; the keyboard answers through the screen's bindings, so no
    Enter held over from the code field can press one."""


class NameCheckScreen(Screen[bool]):
    BINDINGS = [
        Binding("1,j,y", "answer(True)", show=False),
        Binding("2,n", "answer(False)", show=False),
        Binding("l", "read_aloud", show=False),
    ]

    def __init__(self, first_name: str, language: str) -> None:
        super().__init__()
        self.first_name = first_name
        self.language = language
        self._answered = False

    def compose(self) -> ComposeResult:
        with Vertical(id="name-box"):
            question = text(self.language, "name_question", name=self.first_name)
            yield Static(question, id="name-question", markup=False)
            with Horizontal(id="name-buttons"):
                yield NameButton(f"1  {text(self.language, 'yes')}", id="name-yes", variant="success")
                yield NameButton(f"2  {text(self.language, 'no')}", id="name-no", variant="error")
            with Center():
                yield ReadAloudButton(text(self.language, "read_aloud_button"))
        yield Static(text(self.language, "name_hint"), id="name-hint", markup=False)

    def action_read_aloud(self) -> None:
        question = text(self.language, "name_question", name=self.first_name)
        read_aloud(self, spoken_item(question, [(1, text(self.language, "yes")), (2, text(self.language, "no"))]), self.language)

    @on(Button.Pressed, "#read-aloud")
    def read_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_read_aloud()

    def on_unmount(self, _: events.Unmount) -> None:
        silence(self)

    @on(Button.Pressed, "#name-yes")
    def yes_clicked(self) -> None:
        self.action_answer(True)

    @on(Button.Pressed, "#name-no")
    def no_clicked(self) -> None:
        self.action_answer(False)

    def action_answer(self, is_me: bool) -> None:
        if not self._answered:  # a key and a click in the same moment answer once
            self._answered = True
            self.dismiss(is_me)
