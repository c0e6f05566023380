"""The pupil app: code entry → introduction → one item per screen → thank-you → next pupil.

The app only sequences screens; each screen returns its result through `dismiss()`, and the
callbacks here decide what comes next. Which sessions a pupil gets is decided by
`pupil_sessions`, which knows storage but nothing of Textual.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from typing import ClassVar

from textual.app import App

from instruments import Instrument
from storage import DataFolder, SchoolClass, Session, SessionMeta, StorageError, Study, instrument_fingerprint

from .screens import CodeEntryScreen, FarewellScreen, IntroductionScreen, ItemScreen
from .texts import text


@dataclass(frozen=True)
class Assignment:
    """One instrument a pupil still has to answer, with the session that holds the answers."""

    instrument: Instrument
    session: Session
    resuming: bool  # answers were given before: the pupil is told they carry on


def pupil_sessions(
    folder: DataFolder,
    study: Study,
    wave_id: str,
    school_class: SchoolClass,
    code: str,
    instruments: list[Instrument],
    language: str,
    shuffle_seed: int | None = None,
) -> list[Assignment]:
    """The unfinished sessions of this pupil in this wave, in the wave's order, made where missing."""
    assignments: list[Assignment] = []
    for instrument in instruments:
        session = folder.find_session(study.id, wave_id, code, instrument.id)
        if session is None:
            session_id = str(uuid.uuid4())
            # seeded from the session id, so the order can be re-derived; tests fix the seed
            rng = random.Random(session_id if shuffle_seed is None else shuffle_seed)
            meta = SessionMeta(
                session_id=session_id,
                device_id=folder.device_id,
                study=study.id,
                wave=wave_id,
                class_id=school_class.id,
                audience="pupil",
                respondent=code,
                language=language,
                item_order=instrument.shown_order(rng),
                **instrument_fingerprint(instrument),
            )
            assignments.append(Assignment(instrument, folder.new_session(meta), resuming=False))
        elif not session.finished:
            assignments.append(Assignment(instrument, session, resuming=bool(session.history())))
    return assignments


class PupilApp(App[None]):
    """Administers the wave's pupil instruments to one pupil after another on one laptop."""

    CSS_PATH = "klaspeil.tcss"
    TITLE = "klaspeil"
    ENABLE_COMMAND_PALETTE = False  # nothing for a pupil to find there
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-short"), (32, "-tall")]

    def __init__(
        self,
        folder: DataFolder,
        study: Study,
        wave_id: str,
        instruments: list[Instrument],
        *,
        language: str = "nl",
        demo: bool = False,
        shuffle_seed: int | None = None,
        return_after: float | None = 5.0,
    ) -> None:
        super().__init__()
        self.folder = folder
        self.study = study
        self.wave_id = wave_id
        self.instruments = instruments
        self.language = language
        self.demo = demo
        self.shuffle_seed = shuffle_seed
        self.return_after = return_after

    def on_mount(self) -> None:
        self.ask_for_code()

    # -- the flow, one callback per screen -------------------------------------------
    def ask_for_code(self, problem: str | None = None) -> None:
        """A fresh code entry: nothing of the previous pupil stays on screen."""
        screen = CodeEntryScreen(self.study, self.language, demo_hint=self.demo_hint(), problem=problem)
        self.push_screen(screen, callback=self.pupil_arrived)

    def pupil_arrived(self, code: str | None) -> None:
        if code is None:
            self.ask_for_code()
            return
        school_class = self.study.class_of(code)
        assert school_class is not None, "CodeEntryScreen only returns codes of the study"
        try:
            assignments = pupil_sessions(
                self.folder, self.study, self.wave_id, school_class, code,
                self.instruments, self.language, self.shuffle_seed,
            )
        except StorageError as error:
            self.ask_for_code(text(self.language, "storage_problem", error=error))
            return
        if not assignments:
            self.say_goodbye("already_done", "already_done_body")
            return
        self.administer(assignments, school_class)

    def administer(self, assignments: list[Assignment], school_class: SchoolClass) -> None:
        """Introduce and ask the first assignment; the rest follow when it is finished."""
        if not assignments:
            self.say_goodbye("thanks", "thanks_body")
            return
        current, rest = assignments[0], assignments[1:]

        def ask_items(_: None) -> None:
            items = ItemScreen(current.instrument, current.session, self.language, school_class.teacher_term)
            self.push_screen(items, callback=lambda _: self.administer(rest, school_class))

        self.push_screen(IntroductionScreen(current.instrument, self.language, current.resuming), callback=ask_items)

    def say_goodbye(self, title_key: str, body_key: str) -> None:
        title, body = text(self.language, title_key), text(self.language, body_key)
        farewell = FarewellScreen(title, body, self.language, self.return_after)
        self.push_screen(farewell, callback=lambda _: self.ask_for_code())

    def demo_hint(self) -> str | None:
        """Where the demo's pupil codes are: two to try, and the file that lists them all."""
        if not self.demo:
            return None
        codes = [c.pupils[0] for c in self.study.classes if c.pupils][:2]
        if not codes:
            return None
        second = codes[1] if len(codes) > 1 else codes[0]
        return text(self.language, "demo_codes", first=codes[0], second=second, path=self.folder.study_path)
