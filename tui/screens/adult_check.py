"""After a teacher's or team member's code: "Bent u de leerkracht van groep 6a?" or "Hoort u bij
<team>?" with a line on what comes, Ja/Nee as at the pupils' name check (keys 1/j/y and 2/n,
or a click). Returns True (Ja) or False (Nee); nothing is stored before Ja."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from ..read_aloud import spoken_item
from ..texts import text
from ..widgets.read_aloud import read_aloud
from .name_check import NameButton, NameCheckScreen


class AdultCheckScreen(NameCheckScreen):
    def __init__(self, question: str, body: str, language: str) -> None:
        super().__init__(question, language)
        self.question = question
        self.body = body

    def compose(self) -> ComposeResult:
        with Vertical(id="name-box"):
            yield Static(self.question, id="name-question", markup=False)
            yield Static(self.body, id="adult-body", markup=False)
            with Horizontal(id="name-buttons"):
                yield NameButton(f"1  {text(self.language, 'yes')}", id="name-yes", variant="success")
                yield NameButton(f"2  {text(self.language, 'no')}", id="name-no", variant="error")
        yield Static(text(self.language, "name_hint"), id="name-hint", markup=False)

    def action_read_aloud(self) -> None:
        options = [(1, text(self.language, "yes")), (2, text(self.language, "no"))]
        read_aloud(self, spoken_item(self.question, options), self.language)
