"""Which sessions a respondent still has to answer in a wave, opened where missing.

Knows storage but nothing of Textual: the pupil flow (tui/app.py) and the adult flow
(tui/adult_flow.py) both ask here, so pupils, teachers and team members get their sessions
made the same way.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from instruments import Instrument
    from instruments.wording import TeacherTerm
    from storage import DataFolder, SchoolClass, Session, Study


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
    return open_sessions(
        folder, study, wave_id, instruments, language, shuffle_seed,
        class_id=school_class.id, audience="pupil", respondent=code, teacher_term=school_class.teacher_term,
    )


def open_sessions(
    folder: DataFolder,
    study: Study,
    wave_id: str,
    instruments: list[Instrument],
    language: str,
    shuffle_seed: int | None,
    *,
    class_id: str,
    audience: str,
    respondent: str,
    teacher_term: TeacherTerm,
) -> list[Assignment]:
    """The unfinished sessions of `respondent` in this wave, in the wave's order, made where
    missing (pupils, teachers, team members: a team's sessions carry the team id as class_id).

    A new session stores every item's text as this class reads it ({leerkracht} filled in from
    the class's teacher term), so a resumed session shows, and an analyst reads, what was shown."""
    from instruments.wording import fill
    from storage import SessionMeta, instrument_fingerprint

    assignments: list[Assignment] = []
    for instrument in instruments:
        session = folder.find_session(study.id, wave_id, respondent, instrument.id)
        if session is None:
            session_id = str(uuid.uuid4())
            # seeded from the session id, so the order can be re-derived; tests fix the seed
            rng = random.Random(session_id if shuffle_seed is None else shuffle_seed)
            meta = SessionMeta(
                session_id=session_id,
                device_id=folder.device_id,
                study=study.id,
                wave=wave_id,
                class_id=class_id,
                audience=audience,
                respondent=respondent,
                language=language,
                item_order=instrument.shown_order(rng),
                item_texts={
                    item.id: fill(item.text.get(language), language, teacher_term)
                    for item in instrument.items
                },
                **instrument_fingerprint(instrument),
            )
            assignments.append(Assignment(instrument, folder.new_session(meta), resuming=False))
        elif not session.finished:
            assignments.append(Assignment(instrument, session, resuming=bool(session.history())))
    return assignments
