"""A team's result in one wave, for the team's discussion: per list and scale the team mean, SD,
n and agreement rwg(j), per item its text, mean, rwg and the spread as a bar per answer. Shown
only from 3 members on (exports.team_result), with the reason otherwise. P writes the print
(plain text and HTML) next to the data folder and says where.

Opened from the dashboard (Enter on a team, or t), so behind the researcher PIN: the PIN holder
is the facilitator. The texts are the team's own (Dutch), the same lines as the print.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, LoadingIndicator, Static

from storage.errors import StorageError

if TYPE_CHECKING:
    from exports.team_result import TeamResult
    from storage import DataFolder, Study

LANGUAGE = "nl"  # the team reads Dutch


def print_paths(folder: DataFolder, team_id: str, wave_id: str) -> tuple[Path, Path]:
    """Where the print goes: next to the data folder (not in it: the folder holds only data)."""
    stem = folder.root.resolve().parent / f"team-result-{team_id}-{wave_id}"
    return stem.with_suffix(".txt"), stem.with_suffix(".html")


class TeamResultScreen(Screen[None]):
    BINDINGS = [
        Binding("p", "print", "Print (txt + html)"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self, folder: DataFolder, study: Study, wave_id: str, team_id: str) -> None:
        super().__init__()
        self.folder = folder
        self.study = study
        self.wave_id = wave_id
        self.team_id = team_id
        self.result: TeamResult | None = None

    def compose(self) -> ComposeResult:
        yield Static(f"Team {self.team_id}, wave {self.wave_id}", id="team-result-title", markup=False)
        yield LoadingIndicator(id="team-result-loading")
        yield VerticalScroll(id="team-result")
        yield Static("", id="team-result-message", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#team-result").display = False
        self.compute()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def compute(self) -> None:
        """Reads the team's sessions and scores them (pandas): off the UI thread."""
        from exports.team_result import team_result

        try:
            result = team_result(self.folder, self.team_id, self.wave_id, LANGUAGE, self.study)
        except StorageError as error:
            self.app.call_from_thread(self.say, f"Cannot show the team result: {error}")
        else:
            self.app.call_from_thread(self.show, result)

    def say(self, text: str) -> None:
        self.query_one("#team-result-loading").display = False
        self.query_one("#team-result-message", Static).update(text)

    def show(self, result: TeamResult) -> None:
        from exports.team_print import heading

        self.result = result
        self.query_one("#team-result-loading").display = False
        self.query_one("#team-result-title", Static).update(heading(result, LANGUAGE))
        body = self.query_one("#team-result", VerticalScroll)
        body.mount_all(list(self.lines(result)))
        body.display = True
        body.focus()  # arrows and Page Down scroll the result
        if not result.shown:
            self.query_one("#team-result-message", Static).update(
                "⚠ Hidden: fewer than 3 members have answered; nothing to print yet."
            )

    def lines(self, result: TeamResult) -> list[Widget]:
        from exports.team_print import TEXTS, distribution, instrument_line, item_line, item_text, scale_line

        widgets: list[Widget] = []
        for instrument in result.instruments:
            widgets.append(Static(instrument.title, classes="team-instrument", markup=False))
            widgets.append(Static(instrument_line(instrument, result.members, LANGUAGE), classes="team-count", markup=False))
            for scale in instrument.scales:
                widgets.append(Static(scale.label.capitalize(), classes="team-scale", markup=False))
                widgets.append(Static(scale_line(scale, LANGUAGE), classes="team-scale-stats", markup=False))
                for number, item in enumerate(scale.items, start=1):
                    stats = item_line(item, LANGUAGE)
                    if item.shown:
                        stats += "\n" + distribution(item)
                    # the number in its own column: a wrapped item text stays clear of it
                    widgets.append(Horizontal(
                        Static(f"{number}.", classes="team-item-number", markup=False),
                        Vertical(
                            Static(item_text(item, LANGUAGE), classes="team-item", markup=False),
                            Static(stats, classes="team-item-stats", markup=False),
                        ),
                        classes="team-item-row",
                    ))
        if result.shown:
            widgets.append(Static(TEXTS[LANGUAGE]["legend"], id="team-legend", markup=False))
        return widgets

    def action_print(self) -> None:
        from exports.team_print import write_print

        message = self.query_one("#team-result-message", Static)
        if self.result is None:
            return
        text_path, html_path = print_paths(self.folder, self.team_id, self.wave_id)
        try:
            write_print(self.result, text_path, LANGUAGE)
            write_print(self.result, html_path, LANGUAGE)
        except StorageError as error:
            message.update(f"Not printed: {error}")
            return
        message.update(f"Written: {text_path} and {html_path.name} next to it; open the .html in a browser to print.")
