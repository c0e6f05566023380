"""Bundels (b on the dashboard): this laptop's sessions onto a USB stick, and at the office the
bundles of a folder merged into a study dataset (docs/sync.md). The work runs in threads
(storage.bundle, storage.merge); a refusal is the one line the command line would print."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Footer, Input, Label, ProgressBar, Static

from instruments.problems import InvalidFile
from storage.errors import StorageError

if TYPE_CHECKING:
    from storage import DataFolder, Study
    from storage.merge_report import MergeReport


class SyncScreen(Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Terug")]

    def __init__(self, folder: DataFolder, study: Study) -> None:
        super().__init__()
        self.folder = folder
        self.study = study

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="sync"):
            yield Static(f"Bundels van studie {self.study.id}", classes="sync-title")
            yield Static("Bundel maken van deze laptop (op een USB-stick)", classes="sync-section")
            with Horizontal(classes="sync-row"):
                yield Label("Map", classes="sync-label")
                yield Input(placeholder="bijv. /media/usb", id="bundle-folder")
                yield Checkbox("ook onafgemaakt", id="bundle-unfinished")
                yield Button("Bundel maken", variant="primary", id="bundle")
            yield Static(self.sealing(), id="bundle-sealing", classes="sync-help")
            yield Static("Bundels samenvoegen tot de dataset (op kantoor)", classes="sync-section")
            with Horizontal(classes="sync-row"):
                yield Label("Bundels", classes="sync-label")
                yield Input(placeholder="map met .klaspeil-bestanden", id="merge-from")
            with Horizontal(classes="sync-row"):
                yield Label("Dataset", classes="sync-label")
                yield Input(placeholder="map van de dataset (wordt gemaakt)", id="merge-into")
            with Horizontal(classes="sync-row"):
                yield Label("Sleutel", classes="sync-label")
                yield Input(placeholder="klaspeil_private.pem", id="merge-key")
                yield Input(placeholder="wachtwoordzin", password=True, id="merge-passphrase")
                yield Button("Samenvoegen", variant="primary", id="merge")
            yield ProgressBar(id="sync-progress", show_eta=False)
            yield Static("", id="sync-report")
        yield Footer()

    def sealing(self) -> str:
        if self.study.bundle_recipient is None:
            return "Let op: niet versleuteld; zet bundle_recipient in study.yaml (docs/sync.md)."
        return "Versleuteld voor de sleutel in study.yaml (bundle_recipient)."

    def on_mount(self) -> None:
        self.query_one("#sync-progress").display = False
        self.query_one("#bundle-folder", Input).focus()

    def report(self, text: str, *, refused: bool = False) -> None:
        report = self.query_one("#sync-report", Static)
        report.set_class(refused, "sync-refused")
        report.update(text)
        self.query_one("#sync-progress").display = False

    def progress(self, done: int, total: int) -> None:
        bar = self.query_one("#sync-progress", ProgressBar)
        bar.display = True
        bar.update(total=total, progress=done)

    # -- bundle ---------------------------------------------------------------------------
    @on(Button.Pressed, "#bundle")
    @on(Input.Submitted, "#bundle-folder")
    def start_bundle(self) -> None:
        typed = self.query_one("#bundle-folder", Input).value.strip()
        if not typed:
            self.report("Typ de map van de USB-stick.", refused=True)
            return
        self.report("Bundel wordt gemaakt …")
        self.make_bundle(Path(typed).expanduser(), self.query_one("#bundle-unfinished", Checkbox).value)

    @work(thread=True, exclusive=True, group="sync", exit_on_error=False)
    def make_bundle(self, target: Path, unfinished: bool) -> None:
        from storage.bundle import default_bundle_name, make_bundle, study_recipient

        try:
            if not target.is_dir():
                raise StorageError(f"{target}: geen map (zit de USB-stick erin?)")
            made = make_bundle(self.folder, target / default_bundle_name(self.folder), study_recipient(self.folder),
                               unfinished=unfinished)
        except (StorageError, InvalidFile) as error:
            self.app.call_from_thread(self.report, str(error), refused=True)
            return
        counts = made.manifest.counts
        how = f"versleuteld voor sleutel {made.sealed_for}" if made.sealed_for else "NIET versleuteld"
        text = (f"Bundel gemaakt: {made.path}\n{counts['sessions']} sessies ({counts['finished']} klaar, "
                f"{counts['unfinished']} onafgemaakt), {how}")
        self.app.call_from_thread(self.report, text)

    # -- merge ----------------------------------------------------------------------------
    @on(Button.Pressed, "#merge")
    @on(Input.Submitted, "#merge-passphrase")
    def start_merge(self) -> None:
        source = self.query_one("#merge-from", Input).value.strip()
        into = self.query_one("#merge-into", Input).value.strip()
        if not source or not into:
            self.report("Typ de map met bundels en de map van de dataset.", refused=True)
            return
        key = self.query_one("#merge-key", Input).value.strip()
        passphrase = self.query_one("#merge-passphrase", Input).value
        self.report("Bundels worden gecontroleerd …")
        self.merge(Path(source).expanduser(), Path(into).expanduser(), Path(key).expanduser() if key else None, passphrase)

    @work(thread=True, exclusive=True, group="sync", exit_on_error=False)
    def merge(self, source: Path, into: Path, key: Path | None, passphrase: str) -> None:
        from storage import DataFolder
        from storage.bundle_format import SUFFIX
        from storage.keys import load_private
        from storage.merge import merge

        try:
            bundles = sorted(source.glob(f"*{SUFFIX}")) if source.is_dir() else [source]
            if not bundles or not bundles[0].exists():
                raise StorageError(f"{source}: geen {SUFFIX}-bundels hier")
            private = load_private(key, passphrase) if key else None
            own = into.resolve() == self.folder.root.resolve()  # this app holds that folder's lock already
            target = self.folder if own else DataFolder(into).lock()
            try:
                result = merge(target, bundles, private,
                               lambda stage, done, total: self.app.call_from_thread(self.progress, done, total))
            finally:
                if not own:
                    target.unlock()
        except (StorageError, InvalidFile) as error:
            self.app.call_from_thread(self.report, str(error), refused=True)
            return
        self.app.call_from_thread(self.report, dutch_summary(result))


def dutch_summary(result: MergeReport) -> str:
    """The merge report's first lines in Dutch; the table and conflicts as the command line shows them."""
    new, same, conflicting = (sum(c.values()) for c in (result.new, result.unchanged, result.conflicting))
    lines = [
        f"Samengevoegd in {result.into}: {result.bundles} bundel(s), {result.bundles_merged} gecontroleerd, "
        f"{result.bundles_known} al eerder samengevoegd",
        f"Sessies: {new} nieuw, {same} ongewijzigd, {conflicting} in conflict (beide versies bewaard); "
        f"de dataset heeft nu {result.total_sessions} sessies",
    ]
    return "\n".join(lines + result.lines()[2:])
