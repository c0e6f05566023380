"""The yardstick for start-up: the least a Textual app needs to put one question on screen.

    .venv/bin/python bench/bare_app.py
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Input, Label


class BareQuestion(App[None]):
    def compose(self) -> ComposeResult:
        yield Label("Wat is jouw code?")
        yield Input(placeholder="code")


if __name__ == "__main__":
    BareQuestion().run()
