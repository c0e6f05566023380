"""The teacher rates every pupil of the class: a grid of quick ratings, then one pupil per page.

    RosterRatingsScreen(folder, study, wave_id, school_class, teacher_code, instrument,
                        first_names, language)
    TestResultsScreen(same arguments)  # roster_test_results: only the grid

`instrument` is roster_ratings or roster_test_results (any roster instrument works): its
one-item scales (SES, expected levels, actual levels: quick ratings) are columns of a grid with
a row per pupil; its other items (closeness, conflict) come one pupil per page, the pupil's
name at the top, every statement on that page (keys 1-5, Enter to the next). `first_names` is
code -> first name from the local key file (Setup.first_names); a pupil without one shows
as their code. PgDn / PgUp (or the buttons) go to the next / previous page.

Every accepted digit is stored through storage/roster_sessions.py (one roster session per
pupil: respondent = teacher_code, target = pupil) before the cell shows it. Reopening the
screen shows everything stored and starts at the first pupil (class order) with a missing
answer. Past the last page: when answers are missing, the check (check.py) lists those pupils
to go back to one, or to finish anyway (sessions begun are then marked finished).

The screen dismisses with the codes of the pupils still missing answers ([] when complete).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Static

from instruments.wording import fill
from storage.errors import StorageError
from storage.roster_sessions import RosterSessions

from .check import Missing, MissingCheckScreen
from .grid import Column, RatingGrid, Row
from .texts import column_title, text

if TYPE_CHECKING:
    from instruments import Instrument, ResponseScale
    from storage import DataFolder, SchoolClass, Study

ANSWER = "answer"  # the one column of a pupil's page


def legend(scale: ResponseScale, language: str) -> tuple[str, ...]:
    """The meaning of a scale: its ends for a 1-10 rating (and how to type 10), else every label."""
    low, high = scale.min, scale.max
    if scale.labelled == "ends":
        ends = text(language, "legend_ends", low=low, high=high,
                    low_label=scale.labels[low].get(language), high_label=scale.labels[high].get(language))
        return (ends, text(language, "ten_hint")) if high == 10 else (ends,)
    return tuple(f"{value} = {label.get(language)}" for value, label in sorted(scale.labels.items()))


def pupil_labels(pupils: list[str], first_names: dict[str, str]) -> dict[str, str]:
    """First names; the code where there is none, and with the code where two share a name."""
    names = {code: first_names.get(code) or code for code in pupils}
    shared = {name for name in names.values() if list(names.values()).count(name) > 1}
    return {code: f"{name} ({code})" if name in shared and name != code else name for code, name in names.items()}


class RosterRatingsScreen(Screen[list[str]]):
    """Grid page first (when the instrument has quick ratings), then one page per pupil."""

    DEFAULT_CSS = """
    RosterRatingsScreen { align: left top; }
    #roster-box { width: 100%; height: 100%; padding: 0 1; }
    #roster-top { height: 1; }
    #roster-title { width: 1fr; text-style: bold; }
    #roster-progress { width: auto; }
    #roster-help { height: auto; color: $text-muted; }
    #roster-page { height: 1fr; }
    #roster-nav { height: 1; align: right middle; }
    #roster-nav Button { margin-left: 2; }
    """
    BINDINGS = [
        Binding("pagedown", "page(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
    ]
    TITLE_KEY = "ratings_title"
    HELP_KEY = "grid_help"

    def __init__(
        self,
        folder: DataFolder,
        study: Study,
        wave_id: str,
        school_class: SchoolClass,
        teacher_code: str,
        instrument: Instrument,
        first_names: dict[str, str],
        language: str,
    ) -> None:
        super().__init__()
        self.instrument = instrument
        self.school_class = school_class
        self.language = language
        self.sessions = RosterSessions(folder, study.id, wave_id, school_class, teacher_code, instrument, language)
        self.pupils = list(school_class.pupils)
        self.names = pupil_labels(self.pupils, first_names)
        single = {scale.items[0] for scale in instrument.scales if len(scale.items) == 1}
        items = [item for item in instrument.items if item.kind == "options"]
        self.grid_items = [item.id for item in items if item.id in single]
        self.page_items = [item.id for item in items if item.id not in single]
        page_scales = {instrument.item(item).response for item in self.page_items}
        if len(page_scales) > 1:  # one answer column per pupil page
            raise ValueError(f"{instrument.id}: the per-pupil items use more than one response scale")
        # pages: None = the grid, a code = that pupil's page
        self.pages: list[str | None] = ([None] if self.grid_items else []) + (self.pupils if self.page_items else [])
        self.page, self.cursor = self.start()
        self.back_from_check = False  # past this page: straight back to the check
        self.since = time.monotonic()
        self.done = False

    # -- where to start ----------------------------------------------------------------
    def start(self) -> tuple[int, tuple[int, int]]:
        """Where the teacher left off, in the order of the pages: the grid at the first pupil
        with a quick rating missing; else the page of the first pupil with a statement missing."""
        for items in (self.grid_items, self.page_items):
            for pupil in self.pupils:
                if self.sessions.missing(pupil, items):
                    return self.place_of(pupil) or (0, (0, 0))
        return 0, (0, 0)

    def place_of(self, pupil: str) -> tuple[int, tuple[int, int]] | None:
        """Page and cursor of the first missing answer of `pupil`; None when complete."""
        grid_missing = self.sessions.missing(pupil, self.grid_items)
        if grid_missing:
            return 0, (self.pupils.index(pupil), self.grid_items.index(grid_missing[0]))
        page_missing = self.sessions.missing(pupil, self.page_items)
        if page_missing:
            return self.pages.index(pupil), (self.page_items.index(page_missing[0]), 0)
        return None

    # -- layout ------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Vertical(id="roster-box"):
            with Horizontal(id="roster-top"):
                yield Static(id="roster-title", markup=False)
                yield Static(id="roster-progress", markup=False)
            yield Static(id="roster-help", markup=False)
            yield Vertical(id="roster-page")
            with Horizontal(id="roster-nav"):
                yield Button(text(self.language, "previous"), id="roster-previous", compact=True)
                yield Button(text(self.language, "next"), id="roster-next", compact=True)

    async def on_mount(self) -> None:
        for button in self.query(Button):
            button.can_focus = False  # Tab belongs to the grid; the buttons are for the mouse
        await self.show_page(self.page, self.cursor)

    async def show_page(self, page: int, cursor: tuple[int, int] = (0, 0)) -> None:
        self.page = page
        pupil = self.pages[page]
        title = self.query_one("#roster-title", Static)
        if pupil is None:
            title.update(text(self.language, self.TITLE_KEY, class_name=self.school_class.name))
            self.query_one("#roster-help", Static).update(text(self.language, self.HELP_KEY))
            grid = self.grid_page(cursor)
        else:
            number = self.pupils.index(pupil) + 1
            pupil_number = text(self.language, "pupil_number", number=number, total=len(self.pupils))
            title.update(f"{self.names[pupil]}   ({pupil_number})")
            self.query_one("#roster-help", Static).update(text(self.language, "relationship_help"))
            grid = self.pupil_page(pupil, cursor)
        holder = self.query_one("#roster-page", Vertical)
        current = holder.query(RatingGrid)
        if grid is not None:
            await current.remove()  # the old page is gone before the new one comes
            await holder.mount(grid)
        else:
            grid = current.first()
        grid.focus()
        self.query_one("#roster-previous", Button).disabled = page == 0
        self.show_progress()
        self.since = time.monotonic()

    def grid_page(self, cursor: tuple[int, int]) -> RatingGrid:
        rows = [Row(pupil, self.names[pupil]) for pupil in self.pupils]
        columns = []
        for item_id in self.grid_items:
            item = self.instrument.item(item_id)
            scale = self.instrument.response_for(item)
            question = fill(item.text.get(self.language), self.language, self.school_class.teacher_term)
            columns.append(Column(item_id, column_title(self.language, item_id), scale.values, legend(scale, self.language), question))
        values = {(pupil, item): self.sessions.value(pupil, item) for pupil in self.pupils for item in self.grid_items}
        return RatingGrid(rows, columns, values, self.store, self.language,
                          row_header=text(self.language, "pupil_header"), cursor=cursor, id="roster-grid")

    def pupil_page(self, pupil: str, cursor: tuple[int, int]) -> RatingGrid | None:
        """A grid of `pupil`'s statements; None when one is on screen already, re-filled with them."""
        values = {(item, ANSWER): self.sessions.value(pupil, item) for item in self.page_items}
        shown = self.query("#pupil-grid")
        if shown:
            shown.first(RatingGrid).reset(values, cursor)
            return None
        rows = []
        for item_id in self.page_items:
            item = self.instrument.item(item_id)
            rows.append(Row(item_id, fill(item.text.get(self.language), self.language, self.school_class.teacher_term)))
        scale = self.instrument.response_for(self.instrument.item(self.page_items[0]))
        columns = [Column(ANSWER, text(self.language, "answer_header"), scale.values, legend(scale, self.language))]

        return RatingGrid(rows, columns, values, self.store_statement, self.language,
                          row_header=text(self.language, "statement_header"), cursor=cursor, id="pupil-grid")

    def show_progress(self) -> None:
        total = len(self.pupils)
        if self.pages[self.page] is None and self.page_items:  # the grid of an instrument with more
            done = sum(self.sessions.complete(pupil, self.grid_items) for pupil in self.pupils)
            line = text(self.language, "progress_grid", done=done, total=total)
        else:
            done = sum(self.sessions.complete(pupil) for pupil in self.pupils)
            line = text(self.language, "progress", done=done, total=total)
        progress = self.query_one("#roster-progress", Static)
        if str(progress.render()) != line:  # a new layout only when the count changes
            progress.update(line)

    # -- storing -----------------------------------------------------------------------
    def store_statement(self, item: str, _: str, value: int | None) -> None:
        pupil = self.pages[self.page]
        assert pupil is not None  # a statement is on a pupil's page
        self.store(pupil, item, value)

    def store(self, pupil: str, item: str, value: int | None) -> None:
        """Durable before the grid shows the value (raises StorageError otherwise). shown_ms:
        the time since the previous answer on this screen (or since the page opened)."""
        shown_ms = int((time.monotonic() - self.since) * 1000)
        self.sessions.record(pupil, item, value, shown_ms)
        self.since = time.monotonic()

    @on(RatingGrid.Stored)
    def stored(self) -> None:
        self.show_progress()

    # -- moving ------------------------------------------------------------------------
    @on(RatingGrid.PastEnd)
    async def past_end(self) -> None:
        await self.action_page(1)

    @on(Button.Pressed, "#roster-next")
    async def next_pressed(self) -> None:
        await self.action_page(1)

    @on(Button.Pressed, "#roster-previous")
    async def previous_pressed(self) -> None:
        await self.action_page(-1)

    async def action_page(self, step: int) -> None:
        if step < 0:
            self.back_from_check = False
            if self.page > 0:
                await self.show_page(self.page - 1)
            return
        if self.back_from_check or self.page + 1 >= len(self.pages):
            self.check()
            return
        await self.show_page(self.page + 1)

    # -- the end -----------------------------------------------------------------------
    def missing(self) -> list[Missing]:
        entries = []
        for pupil in self.pupils:
            parts = [column_title(self.language, item) for item in self.sessions.missing(pupil, self.grid_items)]
            count = len(self.sessions.missing(pupil, self.page_items))
            if count == 1:
                parts.append(text(self.language, "relationship_missing_one"))
            elif count:
                parts.append(text(self.language, "relationship_missing_many", count=count))
            if parts:
                entries.append(Missing(pupil, self.names[pupil], ", ".join(parts)))
        return entries

    def check(self) -> None:
        missing = self.missing()
        if not missing:
            self.finish([])
            return
        self.app.push_screen(MissingCheckScreen(missing, self.language), callback=self.checked)

    async def checked(self, pupil: str | None) -> None:
        if pupil is None:
            self.finish([entry.pupil for entry in self.missing()])
            return
        place = self.place_of(pupil)
        self.back_from_check = True
        await self.show_page(*(place or (0, (self.pupils.index(pupil), 0))))

    def finish(self, incomplete: list[str]) -> None:
        if self.done:
            return
        try:
            self.sessions.finish_started()
        except StorageError:  # say so and stay: the teacher can try again
            self.notify(text(self.language, "save_failed"), severity="error")
            return
        self.done = True
        self.dismiss(incomplete)


class TestResultsScreen(RosterRatingsScreen):
    """The actual levels per pupil and subject (roster_test_results) in the same grid."""

    TITLE_KEY = "test_title"
    HELP_KEY = "test_help"
