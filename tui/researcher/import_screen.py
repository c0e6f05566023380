"""Importing a class list for one class: a path, then the report line or the one-line error."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from instruments.problems import InvalidFile
from storage.errors import StorageError

if TYPE_CHECKING:
    from storage import DataFolder


class ImportScreen(ModalScreen[bool]):
    """Dismisses with True when an import changed the study (the study screen re-reads it)."""

    BINDINGS = [Binding("escape", "close", "Sluiten")]

    def __init__(self, folder: DataFolder, class_id: str) -> None:
        super().__init__()
        self.folder = folder
        self.class_id = class_id
        self.imported = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="form"):
            yield Static(f"Klassenlijst importeren voor klas {self.class_id}", classes="form-title")
            yield Label("Pad van de klassenlijst (CSV)")
            yield Input(id="import-path")
            yield Static("", classes="form-message", id="import-report")
            with Horizontal(classes="form-buttons"):
                yield Button("Importeren", variant="primary", id="import")
                yield Button("Sluiten", id="close")

    @on(Button.Pressed, "#import")
    @on(Input.Submitted)
    def run_import(self) -> None:
        from storage.roster import import_class_list

        typed = self.query_one("#import-path", Input).value.strip()
        report = self.query_one("#import-report", Static)
        if not typed:
            report.update("Typ het pad van de klassenlijst.")
            return
        try:
            result = import_class_list(self.folder, self.class_id, Path(typed).expanduser())
        except (StorageError, InvalidFile) as error:
            report.update(str(error))
        else:
            self.imported = True
            report.update(str(result))

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(self.imported)
