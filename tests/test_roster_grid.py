"""The teacher's roster ratings (issue 6, item 2): a class of 30 rated in the grid with keys
alone, digits out of range refused, SES 10, the relationship pages, resume, the check for
missing ratings, the test-results grid, and what the sessions hold. Snapshots of the grid, a
relationship page and the check (tests/__snapshots__/test_roster_grid/, 80x24, looked at).

The screens run in a tiny App that only pushes them; the kiosk wires them in elsewhere.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen

from pilot import pilot_test, settle
from storage import DataFolder, codes
from storage.roster import KeyFile, PupilName, write_key
from storage.roster_sessions import RosterSessions
from storage.errors import WriteFailed
from storage.session import Session, read_session
from tui.roster.check import CheckButton, MissingCheckScreen
from tui.roster.grid import RatingGrid
from tui.roster.screens import RosterRatingsScreen
from tui.roster.screens import TestResultsScreen as ResultsScreen  # not a test class

CLASS = "6a"
NAMES = [
    "Emma", "Noah", "Julia", "Daan", "Mila", "Sem", "Tess", "Lucas", "Zoë", "Finn",
    "Sara", "Levi", "Nora", "Milan", "Yara", "Bram", "Lotte", "Jesse", "Fleur", "Thijs",
    "Lieke", "Ruben", "Sophie", "Luuk", "Noor", "Gijs", "Anna", "Stijn", "Roos",
]  # 29 names: the 30th pupil has none in the key file and shows as their code
GRID = ["ses_estimate", "expected_level_reading", "expected_level_maths"]
RELATIONSHIP = [f"teacher_closeness_{n}" for n in range(1, 5)] + [f"teacher_conflict_{n}" for n in range(1, 5)]
RESULTS = ["actual_level_reading", "actual_level_maths"]


class ClassOf30:
    """A study with one class of 30 pupils (fixed codes), its teacher, and names in the key file."""

    def __init__(self, root: Path) -> None:
        rng = random.Random(30)
        taken: set[str] = set()
        for _ in range(31):
            taken.add(codes.new_code(taken, rng))  # type: ignore[arg-type]  # any object with .choice
        self.teacher, *self.pupils = sorted(taken)
        self.folder = DataFolder(root)
        self.folder.ensure()
        self.folder.study_path.write_text(
            "id: s\ntitle: roster test\n"
            f"classes:\n  - id: '{CLASS}'\n    name: groep 6a\n    teacher_term: juf\n"
            f"    teacher: {self.teacher}\n    pupils: [{', '.join(self.pupils)}]\n"
            "waves:\n  - id: w1\n    instruments:\n      roster: [roster_ratings, roster_test_results]\n"
        )
        names = {code: PupilName(first_name=name, last_name="Test") for code, name in zip(self.pupils, NAMES)}
        write_key(self.folder, KeyFile(classes={CLASS: names}))
        self.study = self.folder.study()
        self.school_class = self.study.classes[0]
        self.instruments = self.folder.instruments()
        self.first_names = {code: name.first_name for code, name in names.items()}

    def screen(self, kind: type[RosterRatingsScreen] = RosterRatingsScreen, instrument: str = "roster_ratings") -> RosterRatingsScreen:
        return kind(self.folder, self.study, "w1", self.school_class, self.teacher,
                    self.instruments[instrument], self.first_names, "nl")

    def sessions(self, instrument: str = "roster_ratings") -> RosterSessions:
        return RosterSessions(self.folder, "s", "w1", self.school_class, self.teacher, self.instruments[instrument], "nl")

    def stored(self, instrument: str = "roster_ratings") -> dict[str, Any]:
        """target -> session record, for the sessions of `instrument` on disk."""
        records = [read_session(path) for path in self.folder.session_paths()]
        return {r.meta.target: r for r in records if r.meta.instrument == instrument}


class RosterApp(App[None]):
    """Pushes one rating screen and keeps what it dismisses with."""

    def __init__(self, make: Callable[[], Screen[list[str]]]) -> None:
        super().__init__()
        self.make = make
        self.result: list[str] | None = None

    def on_mount(self) -> None:
        self.push_screen(self.make(), callback=self.finished)

    def finished(self, result: list[str] | None) -> None:
        self.result = result


@pytest.fixture
def klas(tmp_path: Path) -> ClassOf30:
    return ClassOf30(tmp_path / "data")


def grid_of(pilot: Pilot) -> RatingGrid:
    return pilot.app.screen.query_one(RatingGrid)


def message(pilot: Pilot) -> str:
    return str(grid_of(pilot).query_one(".grid-message").render())


def ses(n: int) -> int:
    return n % 10 + 1  # every value 1..10 occurs, 10 typed as 0


def key(value: int) -> str:
    return str(value % 10)


def reading(n: int) -> int:
    return n % 5 + 1


def maths(n: int) -> int:
    return (n + 2) % 5 + 1


def closeness(n: int, k: int) -> int:
    return (n + k) % 5 + 1


# -- the whole class with keys alone ------------------------------------------------------
@pilot_test
async def test_a_teacher_rates_a_class_of_30_with_keys_alone(klas: ClassOf30) -> None:
    app = RosterApp(klas.screen)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert grid_of(pilot).cursor == (0, 0)
        for n in range(30):  # each pupil: SES, Enter, reading, Enter, maths, Enter
            await pilot.press(key(ses(n)), "enter", key(reading(n)), "enter", key(maths(n)), "enter")
        await settle(pilot)
        # past the last cell: the first pupil's relationship page, name on top
        assert grid_of(pilot).id == "pupil-grid"
        assert "Emma" in str(pilot.app.screen.query_one("#roster-title").render())
        progress = str(pilot.app.screen.query_one("#roster-progress").render())
        assert progress == "0 van 30 leerlingen klaar"
        for n in range(3):  # the first pupils' pages with keys; the last page in the next test
            for k in range(8):
                await pilot.press(str(closeness(n, k)), "enter")
            await pilot.pause()
        assert "Daan" in str(pilot.app.screen.query_one("#roster-title").render())
        assert str(pilot.app.screen.query_one("#roster-progress").render()) == "3 van 30 leerlingen klaar"
    stored = klas.stored()
    assert sorted(stored) == sorted(klas.pupils)
    for n, pupil in enumerate(klas.pupils):
        record = stored[pupil]
        meta = record.meta
        assert (meta.audience, meta.respondent, meta.target, meta.class_id) == ("roster", klas.teacher, pupil, CLASS)
        expected = {"ses_estimate": ses(n), "expected_level_reading": reading(n), "expected_level_maths": maths(n)}
        if n < 3:
            expected |= {item: closeness(n, k) for k, item in enumerate(RELATIONSHIP)}
        assert record.answers() == expected
        assert record.finished == (n < 3)  # finished when every item has an answer
        assert NAMES[n % 29] not in record.path.read_text()  # names stay in the key file
    assert stored[klas.pupils[9]].answers()["ses_estimate"] == 10


@pilot_test
async def test_the_last_statement_of_the_last_pupil_ends_the_ratings_when_nothing_is_missing(klas: ClassOf30) -> None:
    sessions = klas.sessions()
    for pupil in klas.pupils:
        for item in GRID + (RELATIONSHIP if pupil != klas.pupils[-1] else []):
            sessions.record(pupil, item, 3)
    app = RosterApp(klas.screen)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert klas.pupils[-1] in str(pilot.app.screen.query_one("#roster-title").render())  # no name: the code
        assert str(pilot.app.screen.query_one("#roster-progress").render()) == "29 van 30 leerlingen klaar"
        for k in range(8):
            await pilot.press(str(closeness(29, k)), "enter")
        await settle(pilot)
        assert app.result == []  # nothing missing: no check, the screen is done
    record = klas.stored()[klas.pupils[-1]]
    assert record.finished and record.answers() == {
        **{item: 3 for item in GRID}, **{item: closeness(29, k) for k, item in enumerate(RELATIONSHIP)}
    }


# -- refusals and 10 -----------------------------------------------------------------------
@pilot_test
async def test_0_and_6_in_a_1_to_5_column_are_refused_with_a_message_and_nothing_stored(klas: ClassOf30) -> None:
    async with RosterApp(klas.screen).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("right")  # expected level reading, 1-5
        assert grid_of(pilot).cursor == (0, 1)
        for digit in "06":
            await pilot.press(digit)
            await pilot.pause()
            assert f"{digit} kan niet in deze kolom: kies 1 tot 5" in message(pilot)
            assert "niets opgeslagen" in message(pilot)
            assert grid_of(pilot).values[(klas.pupils[0], "expected_level_reading")] is None
        assert list(klas.folder.session_paths()) == []  # not even a session was made
        await pilot.press("4")
        await pilot.pause()
        assert "kan niet" not in message(pilot)
    assert klas.stored()[klas.pupils[0]].answers() == {"expected_level_reading": 4}


@pilot_test
async def test_ses_takes_10_as_0_or_as_1_then_0(klas: ClassOf30) -> None:
    async with RosterApp(klas.screen).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        legend = str(grid_of(pilot).query_one(".grid-legend").render())
        assert "1 = laag … 10 = hoog" in legend and "typ 0, of 1 en dan 0" in legend
        await pilot.press("1", "0", "down", "0")
        await pilot.pause()
        grid = grid_of(pilot)
        assert grid.values[(klas.pupils[0], "ses_estimate")] == 10
        assert grid.values[(klas.pupils[1], "ses_estimate")] == 10
        row = str(grid.row_widgets[0].render())
        assert "10" in row
        await pilot.press("right")  # the legend follows the column
        legend = str(grid_of(pilot).query_one(".grid-legend").render())
        assert "1 = laagste 20%" in legend and "5 = hoogste 20%" in legend
    stored = klas.stored()
    assert stored[klas.pupils[0]].answers()["ses_estimate"] == 10
    assert stored[klas.pupils[1]].answers()["ses_estimate"] == 10


@pilot_test
async def test_backspace_clears_a_cell_and_stores_a_null_answer(klas: ClassOf30) -> None:
    async with RosterApp(klas.screen).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("7", "backspace")
        await pilot.pause()
        assert grid_of(pilot).values[(klas.pupils[0], "ses_estimate")] is None
    history = klas.stored()[klas.pupils[0]].history
    assert [(a.item, a.value) for a in history] == [("ses_estimate", 7), ("ses_estimate", None)]


@pilot_test
async def test_a_rating_that_did_not_reach_the_disk_is_not_shown_and_the_teacher_is_told(
    klas: ClassOf30, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(*_: object, **__: object) -> None:
        raise WriteFailed("sessions/x.json: could not save (No space left on device)")

    async with RosterApp(klas.screen).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        monkeypatch.setattr(Session, "record", full_disk)
        await pilot.press("7")
        await pilot.pause()
        assert "NIET opgeslagen" in message(pilot)
        grid = grid_of(pilot)
        assert grid.values[(klas.pupils[0], "ses_estimate")] is None and "7" not in str(grid.row_widgets[0].render())
        monkeypatch.undo()
        await pilot.press("7")  # tried again, now it is stored
        await pilot.pause()
        assert "opgeslagen" in message(pilot) and "NIET" not in message(pilot)
    assert klas.stored()[klas.pupils[0]].answers() == {"ses_estimate": 7}


# -- resume ---------------------------------------------------------------------------------
@pilot_test
async def test_resume_mid_roster_shows_what_is_stored_and_starts_at_the_first_incomplete(klas: ClassOf30) -> None:
    async with RosterApp(klas.screen).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for n in range(5):
            await pilot.press(key(ses(n)), "tab", key(reading(n)), "tab", key(maths(n)), "tab")
        await pilot.press("3")  # the sixth pupil: only SES
        await pilot.pause()
    # a new app on the same folder (the laptop was closed)
    async with RosterApp(klas.screen).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        grid = grid_of(pilot)
        assert grid.cursor == (5, 1)  # the sixth pupil, expected reading
        assert grid.values[(klas.pupils[5], "ses_estimate")] == 3
        for n in range(5):
            assert [grid.values[(klas.pupils[n], item)] for item in GRID] == [ses(n), reading(n), maths(n)]
        assert "▶ Julia" not in str(grid.row_widgets[2].render())
        assert "▶ Sem" in str(grid.row_widgets[5].render())


@pilot_test
async def test_resume_on_the_relationship_page_of_the_first_pupil_with_missing_answers(klas: ClassOf30) -> None:
    sessions = klas.sessions()
    for n, pupil in enumerate(klas.pupils):
        for item in GRID:
            sessions.record(pupil, item, 3)
        if n < 2:
            for item in RELATIONSHIP:
                sessions.record(pupil, item, 4)
    sessions.record(klas.pupils[2], RELATIONSHIP[0], 2)
    async with RosterApp(klas.screen).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        grid = grid_of(pilot)
        assert grid.id == "pupil-grid"
        assert "Julia" in str(pilot.app.screen.query_one("#roster-title").render())
        assert grid.cursor == (1, 0)  # closeness 1 answered, closeness 2 is next
        assert grid.values[(RELATIONSHIP[0], "answer")] == 2
        assert str(pilot.app.screen.query_one("#roster-progress").render()) == "2 van 30 leerlingen klaar"


# -- the check for missing ratings --------------------------------------------------------
@pilot_test
async def test_the_check_lists_exactly_the_pupils_with_missing_ratings(klas: ClassOf30) -> None:
    sessions = klas.sessions()
    incomplete = {3: ["expected_level_maths"], 11: [RELATIONSHIP[5], RELATIONSHIP[6]], 29: GRID + RELATIONSHIP}
    for n, pupil in enumerate(klas.pupils):
        for item in GRID + RELATIONSHIP:
            if item not in incomplete.get(n, []):
                sessions.record(pupil, item, 2)
    app = RosterApp(klas.screen)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert grid_of(pilot).cursor == (3, 2)  # the first incomplete: Daan's expected maths
        for _ in range(40):  # PgDn through the pages to the end
            if isinstance(pilot.app.screen, MissingCheckScreen):
                break
            await pilot.press("pagedown")
            await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, MissingCheckScreen)
        assert [entry.pupil for entry in screen.missing] == [klas.pupils[n] for n in (3, 11, 29)]
        captions = [button.caption for button in screen.query(CheckButton) if button.pupil]
        assert captions == [
            "Daan: Verwacht rekenen",
            "Levi: 2 relatievragen",
            f"{klas.pupils[29]}: SES, Verwacht lezen, Verwacht rekenen, 8 relatievragen",
        ]
        # back to Levi: his page, at the first missing statement; fill both, then straight back to the check
        await pilot.press("up", "up", "enter")
        await settle(pilot)
        grid = grid_of(pilot)
        assert "Levi" in str(pilot.app.screen.query_one("#roster-title").render()) and grid.cursor == (5, 0)
        await pilot.press("1", "enter", "5", "enter")
        await pilot.pause()
        await pilot.press("pagedown")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, MissingCheckScreen)
        assert [entry.pupil for entry in screen.missing] == [klas.pupils[n] for n in (3, 29)]
        await pilot.press("enter")  # "Toch afronden" has the focus
        await settle(pilot)
        assert app.result == [klas.pupils[3], klas.pupils[29]]
    stored = klas.stored()
    assert stored[klas.pupils[11]].finished and stored[klas.pupils[11]].answers()[RELATIONSHIP[5]] == 1
    assert stored[klas.pupils[3]].finished  # finished anyway, with expected maths missing
    assert klas.pupils[29] not in stored  # no answer, no session


# -- test results --------------------------------------------------------------------------
@pilot_test
async def test_test_results_are_typed_in_the_same_grid(klas: ClassOf30) -> None:
    app = RosterApp(lambda: klas.screen(ResultsScreen, "roster_test_results"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        grid = grid_of(pilot)
        assert [column.key for column in grid.columns] == RESULTS
        assert "Toetsresultaten" in str(pilot.app.screen.query_one("#roster-title").render())
        for n in range(10):
            await pilot.press(str(reading(n)), "enter", str(maths(n)), "enter")
        await pilot.press("6")  # a 1-5 column here too
        await pilot.pause()
        assert "kies 1 tot 5" in message(pilot)
        await pilot.press("pagedown")  # the only page: to the check
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, MissingCheckScreen)
        assert [entry.pupil for entry in screen.missing] == klas.pupils[10:]
        assert screen.missing[0].what == "Behaald lezen, Behaald rekenen"
        await pilot.press("enter")  # Toch afronden
        await settle(pilot)
        assert app.result == klas.pupils[10:]
    stored = klas.stored("roster_test_results")
    assert sorted(stored) == sorted(klas.pupils[:10]) and klas.stored("roster_ratings") == {}
    for n, pupil in enumerate(klas.pupils[:10]):
        record = stored[pupil]
        assert (record.meta.audience, record.meta.respondent, record.meta.target) == ("roster", klas.teacher, pupil)
        assert record.answers() == {"actual_level_reading": reading(n), "actual_level_maths": maths(n)}
        assert record.finished


# -- mouse and English ---------------------------------------------------------------------
@pilot_test
async def test_a_click_puts_the_cursor_on_the_cell(klas: ClassOf30) -> None:
    async with RosterApp(klas.screen).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        grid = grid_of(pilot)
        x = grid.label_width + sum(grid.widths[:2]) + 3  # inside the third column
        await pilot.click(grid.row_widgets[3], offset=(x, 0))
        await pilot.pause()
        assert grid.cursor == (3, 2)
        assert "Verwacht rekenen:" in str(grid.query_one(".grid-legend").render())


@pilot_test
async def test_the_teacher_may_read_english(klas: ClassOf30) -> None:
    def english() -> RosterRatingsScreen:
        return RosterRatingsScreen(klas.folder, klas.study, "w1", klas.school_class, klas.teacher,
                                   klas.instruments["roster_ratings"], klas.first_names, "en")

    async with RosterApp(english).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert str(pilot.app.screen.query_one("#roster-title").render()) == "About your pupils — groep 6a"
        assert "1 = low … 10 = high" in str(grid_of(pilot).query_one(".grid-legend").render())
        await pilot.press("right", "0")
        await pilot.pause()
        assert "0 is not possible in this column: choose 1 to 5" in message(pilot)


# -- snapshots -----------------------------------------------------------------------------
def partly_rated(klas: ClassOf30) -> None:
    sessions = klas.sessions()
    for n, pupil in enumerate(klas.pupils[:6]):
        for item, value in zip(GRID, (ses(n), reading(n), maths(n))):
            sessions.record(pupil, item, value)


def test_snapshot_grid(klas: ClassOf30, snap_compare: Callable[..., bool]) -> None:
    partly_rated(klas)

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("right", "6")  # Daan's expected reading: refused, the message shows
        await settle(pilot)
        assert grid_of(pilot).cursor == (6, 1) and "kan niet" in message(pilot)

    assert snap_compare(RosterApp(klas.screen), terminal_size=(80, 24), run_before=run_before)


def test_snapshot_relationship_page(klas: ClassOf30, snap_compare: Callable[..., bool]) -> None:
    sessions = klas.sessions()
    for pupil in klas.pupils:
        for item in GRID:
            sessions.record(pupil, item, 3)
    for item, value in zip(RELATIONSHIP[:3], (5, 4, 4)):
        sessions.record(klas.pupils[0], item, value)

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        assert grid_of(pilot).id == "pupil-grid" and grid_of(pilot).cursor == (3, 0)

    assert snap_compare(RosterApp(klas.screen), terminal_size=(80, 24), run_before=run_before)


# -- storage ---------------------------------------------------------------------------------
def test_roster_sessions_store_per_pupil_and_refuse_what_cannot_be_an_answer(klas: ClassOf30) -> None:
    sessions = klas.sessions()
    emma, noah = klas.pupils[:2]
    sessions.record(emma, "ses_estimate", None)  # clearing an empty cell: no session is made
    with pytest.raises(ValueError, match="outside 1..5"):
        sessions.record(emma, "expected_level_reading", 6)
    with pytest.raises(ValueError, match="not a pupil of class"):
        sessions.record(klas.teacher, "ses_estimate", 3)
    assert list(klas.folder.session_paths()) == []
    sessions.record(emma, "ses_estimate", 7, shown_ms=1200)
    sessions.record(noah, "ses_estimate", 2)
    sessions.record(emma, "ses_estimate", None)
    again = klas.sessions()  # read back from disk
    assert again.value(emma, "ses_estimate") is None and again.value(noah, "ses_estimate") == 2
    assert again.missing(noah) == [item for item in GRID + RELATIONSHIP if item != "ses_estimate"]
    record = klas.stored()[emma]
    assert [(a.value, a.shown_ms) for a in record.history] == [(7, 1200), (None, None)]
    assert record.meta.item_order == GRID + RELATIONSHIP and not record.finished
    assert record.meta.item_texts["teacher_closeness_1"] == "Ik heb een warme relatie met deze leerling."


def test_snapshot_missing_ratings_check(klas: ClassOf30, snap_compare: Callable[..., bool]) -> None:
    sessions = klas.sessions()
    for n, pupil in enumerate(klas.pupils[:29]):
        for item in GRID + (RELATIONSHIP[:6] if n == 11 else RELATIONSHIP):
            sessions.record(pupil, item, 2)

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        pilot.app.screen.check()  # straight to the end: PgDn through the pages is tested above
        await settle(pilot)
        assert isinstance(pilot.app.screen, MissingCheckScreen) and len(pilot.app.screen.missing) == 2

    assert snap_compare(RosterApp(klas.screen), terminal_size=(80, 24), run_before=run_before)


def test_pupils_without_a_name_show_their_code_and_shared_names_get_it_too() -> None:
    from tui.roster.screens import pupil_labels

    assert pupil_labels(["AAAAAA", "BBBBBB", "CCCCCC"], {"AAAAAA": "Daan", "BBBBBB": "Daan"}) == {
        "AAAAAA": "Daan (AAAAAA)", "BBBBBB": "Daan (BBBBBB)", "CCCCCC": "CCCCCC",
    }
