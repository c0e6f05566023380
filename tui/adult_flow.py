"""Teachers and team members at the kiosk's code entry.

A teacher's code (of the chosen class; in the demo, where no class is chosen, of any class):
"Bent u de leerkracht van groep 6a?" -> the wave's teacher instruments (introduction, adult
item screens) -> the wave's roster instruments (tui/roster: the grid, then a page per pupil;
test results in a grid) -> thanks. A teacher who is also in a team then answers the team
instruments too. A team member's code: "Hoort u bij <team>?" -> the team instruments -> thanks.

Sessions follow storage/simulate.py: teacher (respondent = teacher code, class_id = class),
roster (tui/roster stores them: one per pupil), team (respondent = member code, class_id =
team id). Resume: unfinished sessions carry on where they stopped; a roster instrument is
done when every pupil has a finished session; nothing left -> "U bent al klaar."
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storage.errors import StorageError

from .texts import text

if TYPE_CHECKING:
    from instruments import Instrument
    from storage import SchoolClass, Study, Team

    from .app import PupilApp
    from .sessions import Assignment

Step = Callable[[Callable[[], None]], None]  # shows its screens, then calls what comes next


@dataclass(frozen=True)
class Adult:
    code: str
    school_class: SchoolClass | None  # the class they teach here (None: only a team member)
    team: Team | None  # their team (None: only a teacher)


def adult_of(study: Study, code: str, class_id: str | None) -> Adult | None:
    """The teacher of the chosen class (of any class when none is chosen) or a team member."""
    school_class = next(
        (c for c in study.classes if c.teacher == code and (class_id is None or c.id == class_id)), None
    )
    team = next((t for t in study.teams if code in t.members), None)
    if school_class is None and team is None:
        return None
    return Adult(code, school_class, team)


def teaches_elsewhere(study: Study, code: str) -> bool:
    """A teacher's code of some class of the study (not the one this laptop serves)."""
    return any(c.teacher == code for c in study.classes)


def roster_pending(app: PupilApp, school_class: SchoolClass, code: str, instrument: Instrument) -> bool:
    """Some pupil of the class has no finished rating session of this teacher on `instrument`."""
    from storage.roster_sessions import RosterSessions

    sessions = RosterSessions(app.folder, app.study.id, app.wave_id, school_class, code, instrument, app.language)
    return not all(sessions.finished(pupil) for pupil in school_class.pupils)


class AdultFlow:
    """One adult's sitting: a list of steps, each showing its screens and then the next."""

    def __init__(self, app: PupilApp, adult: Adult) -> None:
        self.app = app
        self.adult = adult
        self.language = app.language

    def start(self) -> None:
        from .screens.adult_check import AdultCheckScreen

        adult = self.adult
        if adult.school_class is not None:
            question = text(self.language, "adult_teacher_question", class_name=adult.school_class.name)
            body = text(self.language, "adult_teacher_body")
        else:
            assert adult.team is not None
            question = text(self.language, "adult_team_question", team=adult.team.name)
            body = text(self.language, "adult_team_body")
        self.app.push_screen(AdultCheckScreen(question, body, self.language), callback=self.checked)

    def checked(self, is_me: bool | None) -> None:
        if not is_me:  # nothing was opened or stored for this code
            self.app.ask_for_code(text(self.language, "adult_not_you"))
            return
        try:
            steps = self.plan()
        except StorageError as error:
            self.app.ask_for_code(text(self.language, "storage_problem", error=error))
            return
        if not steps:
            nothing = not any(self.app.setup.adult_instruments.get(a) for a in self.audiences())
            self.farewell("adult_done", "adult_nothing_body" if nothing else "adult_done_body")
            return
        self.run(steps)

    def audiences(self) -> list[str]:
        adult = self.adult
        return (["teacher", "roster"] if adult.school_class is not None else []) + (["team"] if adult.team is not None else [])

    def plan(self) -> list[Step]:
        """The steps still to do, in order; the sessions for them made where missing."""
        from .sessions import open_sessions

        app, adult, setup = self.app, self.adult, self.app.setup
        assert setup is not None
        instruments = setup.adult_instruments
        steps: list[Step] = []
        if adult.school_class is not None:
            school_class = adult.school_class
            teacher = open_sessions(
                app.folder, app.study, app.wave_id, instruments.get("teacher", []), self.language, app.shuffle_seed,
                class_id=school_class.id, audience="teacher", respondent=adult.code, teacher_term=school_class.teacher_term,
            )
            steps += [self.items_step(a) for a in teacher]
            for instrument in instruments.get("roster", []):
                if roster_pending(app, school_class, adult.code, instrument):
                    steps.append(self.roster_step(school_class, instrument))
        if adult.team is not None:
            team = open_sessions(
                app.folder, app.study, app.wave_id, instruments.get("team", []), self.language, app.shuffle_seed,
                class_id=adult.team.id, audience="team", respondent=adult.code, teacher_term="juf/meester",
            )
            steps += [self.items_step(a) for a in team]
        return steps

    def run(self, steps: list[Step]) -> None:
        if not steps:
            self.farewell("adult_thanks", "adult_thanks_body")
            return
        steps[0](lambda: self.run(steps[1:]))

    # -- the steps ---------------------------------------------------------------------
    def items_step(self, assignment: Assignment) -> Step:
        """The instrument's introduction, then its items in the adult layout."""
        from .screens.adult_items import AdultIntroductionScreen, AdultItemsScreen

        term = self.adult.school_class.teacher_term if self.adult.school_class is not None else "juf/meester"

        def step(then: Callable[[], None]) -> None:
            def ask(_: None) -> None:
                screen = AdultItemsScreen(assignment.instrument, assignment.session, self.language, term)
                self.app.push_screen(screen, callback=lambda _: then())

            intro = AdultIntroductionScreen(assignment.instrument, self.language, assignment.resuming)
            self.app.push_screen(intro, callback=ask)

        return step

    def roster_step(self, school_class: SchoolClass, instrument: Instrument) -> Step:
        """The grid (and the pages per pupil) of a roster instrument; test results in their own grid."""
        from .roster import RosterRatingsScreen, TestResultsScreen

        kind = TestResultsScreen if instrument.id == "roster_test_results" else RosterRatingsScreen

        def step(then: Callable[[], None]) -> None:
            app = self.app
            assert app.setup is not None
            screen = kind(app.folder, app.study, app.wave_id, school_class, self.adult.code, instrument,
                          app.setup.first_names, self.language)
            app.push_screen(screen, callback=lambda _: then())

        return step

    def farewell(self, title_key: str, body_key: str) -> None:
        from .screens import FarewellScreen

        title, body = text(self.language, title_key), text(self.language, body_key)
        farewell = FarewellScreen(title, body, self.language, self.app.return_after)
        self.app.push_screen(farewell, callback=lambda _: self.app.ask_for_code())
