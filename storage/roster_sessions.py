"""A teacher's roster ratings of one instrument: one session per pupil, made on the first answer.

Roster sessions follow the conventions of `klaspeil simulate` and the exports: audience
"roster", respondent = the class teacher's code, target = the pupil's code, class_id = the
class, one session per (teacher, pupil, instrument). The rating screens (tui/roster/) know
cells (pupil, item); this class maps a cell to the pupil's session, so that the screens never
touch files. Every `record` is durable when it returns; a session is finished when all its
items are answered (or when the teacher finishes with answers missing: `finish_started`).
"""

from __future__ import annotations

import random
import uuid
from typing import TYPE_CHECKING

from instruments.wording import fill

from .datafolder import DataFolder, instrument_fingerprint
from .errors import StorageError
from .session import Session, SessionMeta

if TYPE_CHECKING:
    from instruments import Instrument

    from .study import SchoolClass

Value = int | None


class RosterSessions:
    """The stored ratings of `teacher` about each pupil of `school_class` on `instrument`."""

    def __init__(
        self,
        folder: DataFolder,
        study_id: str,
        wave_id: str,
        school_class: SchoolClass,
        teacher: str,
        instrument: Instrument,
        language: str,
    ) -> None:
        self.folder = folder
        self.study_id = study_id
        self.wave_id = wave_id
        self.school_class = school_class
        self.teacher = teacher
        self.instrument = instrument
        self.language = language
        self.pupils: list[str] = list(school_class.pupils)
        self.item_ids: list[str] = [item.id for item in instrument.items]
        self._sessions: dict[str, Session] = {}
        self._answers: dict[str, dict[str, Value]] = {}
        self._load()

    def _load(self) -> None:
        """Read the teacher's sessions once: one small folder, whatever the class size."""
        for session in self.folder.sessions_of(self.study_id, self.wave_id, self.teacher):
            record = session.snapshot()
            meta = record.meta
            if meta.instrument != self.instrument.id or meta.audience != "roster" or meta.target is None:
                continue
            if meta.target in self._sessions:  # two sessions for one pupil: keep the first, as find_session does
                continue
            self._sessions[meta.target] = session
            self._answers[meta.target] = {
                item: value for item, value in record.answers().items() if not isinstance(value, str)
            }

    # -- reading -------------------------------------------------------------------------
    def value(self, pupil: str, item: str) -> Value:
        return self._answers.get(pupil, {}).get(item)

    def answers(self, pupil: str) -> dict[str, Value]:
        return dict(self._answers.get(pupil, {}))

    def missing(self, pupil: str, items: list[str] | None = None) -> list[str]:
        """The items (of `items`, default all) without an answer for `pupil`, in instrument order."""
        given = self._answers.get(pupil, {})
        return [item for item in (self.item_ids if items is None else items) if given.get(item) is None]

    def complete(self, pupil: str, items: list[str] | None = None) -> bool:
        return not self.missing(pupil, items)

    def has_session(self, pupil: str) -> bool:
        return pupil in self._sessions

    def finished(self, pupil: str) -> bool:
        session = self._sessions.get(pupil)
        return session is not None and session.finished

    # -- writing -------------------------------------------------------------------------
    def record(self, pupil: str, item: str, value: Value, shown_ms: int | None = None) -> None:
        """Store `value` (None clears) for `pupil` on `item`, durably; the session is made when
        missing and finished once every item has an answer. Raises StorageError (nothing kept
        in memory then) and ValueError for a value the item does not take."""
        if pupil not in self.pupils:
            raise ValueError(f"'{pupil}' is not a pupil of class '{self.school_class.id}'")
        problem = self.instrument.answer_problem(self.instrument.item(item), value)
        if problem is not None:
            raise ValueError(problem)
        if value is None and self.value(pupil, item) is None:
            return  # nothing to clear: no session is made for it
        session = self._sessions.get(pupil) or self._create(pupil)
        session.record(item, value, shown_ms)
        self._answers.setdefault(pupil, {})[item] = value
        if value is not None and not session.finished and self.complete(pupil):
            try:
                session.finish()
            except StorageError:
                pass  # the answer is on disk; the next answer or finish_started marks it finished

    def finish_started(self) -> None:
        """The teacher finishes with answers missing: every session begun is marked finished,
        as a pupil's questionnaire is finished with items skipped. Pupils without any answer
        get no session."""
        for session in self._sessions.values():
            if not session.finished:
                session.finish()

    def _create(self, pupil: str) -> Session:
        session_id = str(uuid.uuid4())
        meta = SessionMeta(
            session_id=session_id,
            device_id=self.folder.device_id,
            study=self.study_id,
            wave=self.wave_id,
            class_id=self.school_class.id,
            audience="roster",
            respondent=self.teacher,
            target=pupil,
            language=self.language,
            # seeded from the session id, as for pupils (roster sections are not shuffled)
            item_order=self.instrument.shown_order(random.Random(session_id)),
            item_texts={
                item.id: fill(item.text.get(self.language), self.language, self.school_class.teacher_term)
                for item in self.instrument.items
            },
            **instrument_fingerprint(self.instrument),
        )
        session = self.folder.new_session(meta)
        self._sessions[pupil] = session
        return session
