"""Who is done: per wave and class, each pupil's state and the adults' progress.

Read from the session files in one pass (70 classes x 25 pupils x several instruments is
tens of thousands of files: each is read once, then looked up), plus the attendance marks.
Used by `klaspeil status` and, later, the researcher's dashboard; no UI here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .attendance import load_attendance
from .errors import CorruptFile
from .session import read_session

if TYPE_CHECKING:
    from .datafolder import DataFolder
    from .study import SchoolClass, Study, Team, Wave

PupilState = Literal["done", "busy", "not started", "absent", "excused"]
PUPIL_STATES: tuple[PupilState, ...] = ("done", "busy", "not started", "absent", "excused")
# (wave, respondent, target, instrument) -> finished? (True if any of its sessions is)
SessionIndex = dict[tuple[str, str, str | None, str], bool]


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    def __str__(self) -> str:
        return f"{self.done}/{self.total}"


@dataclass(frozen=True)
class ClassProgress:
    class_id: str
    name: str
    pupils: dict[str, PupilState]  # pupil code -> state, in the study's order
    teacher: Progress | None  # teacher instruments finished; None: no teacher code or none asked
    roster: Progress | None  # pupils with every roster rating finished; None: none asked
    school: str | None = None  # the id of the class's school (None: the study names none)

    def count(self, state: PupilState) -> int:
        return sum(1 for s in self.pupils.values() if s == state)


@dataclass(frozen=True)
class TeamProgress:
    team_id: str
    name: str
    members: Progress  # members who finished every team instrument
    school: str | None = None  # the id of the team's school


@dataclass(frozen=True)
class WaveProgress:
    wave_id: str
    label: str | None
    classes: list[ClassProgress]
    teams: list[TeamProgress]  # only when the wave has team instruments


def by_school(classes: list[ClassProgress]) -> list[ClassProgress]:
    """The classes grouped by school, schools in the order their first class has in the study
    (a study of 70 classes reads school by school); the order within a school stays."""
    first: dict[str | None, int] = {}
    for n, progress in enumerate(classes):
        first.setdefault(progress.school, n)
    return sorted(classes, key=lambda progress: first[progress.school])


def index_sessions(folder: DataFolder, study_id: str) -> SessionIndex:
    """One read of every session file of the study, each checked as `klaspeil check` checks it:
    a corrupt session counted as done would tell the researcher a class is finished when it is not,
    so the first problem refuses (CorruptFile, check's line naming the file)."""
    from .check import known_instruments, record_problems  # instruments are loaded only for this

    known = known_instruments(folder.instruments())
    seen: dict[str, Path] = {}
    index: SessionIndex = {}
    for path in folder.session_paths():
        record = read_session(path)
        for problem in record_problems(record, known, seen):
            raise CorruptFile(f"{problem}; run `klaspeil check`")
        meta = record.meta
        if meta.study != study_id:
            continue
        key = (meta.wave, meta.respondent, meta.target, meta.instrument)
        index[key] = index.get(key, False) or meta.finished_at is not None
    return index


def fieldwork(folder: DataFolder, study: Study | None = None, waves: Iterable[str] | None = None) -> list[WaveProgress]:
    """Progress of every wave (or of `waves`, which must exist: KeyError otherwise)."""
    study = folder.study() if study is None else study
    chosen = [study.wave(w) for w in waves] if waves is not None else list(study.waves)
    index = index_sessions(folder, study.id)
    attendance = load_attendance(folder)
    return [
        WaveProgress(
            wave.id, wave.label,
            [_class_progress(wave, c, index, attendance.get(wave.id, {})) for c in study.classes],
            [_team_progress(wave, t, index) for t in study.teams] if wave.instruments.get("team") else [],
        )
        for wave in chosen
    ]


def _finished(index: SessionIndex, wave: str, respondent: str, target: str | None, instruments: list[str]) -> int:
    return sum(index.get((wave, respondent, target, i), False) for i in instruments)


def pupil_state(wave: Wave, code: str, index: SessionIndex, mark: str | None) -> PupilState:
    instruments = wave.instruments.get("pupil", [])
    finished = _finished(index, wave.id, code, None, instruments)
    if finished == len(instruments):
        return "done"
    if mark in ("absent", "excused"):  # a mark wins over anything but done: a pupil who left sick
        return mark  # type: ignore[return-value]
    started = any((wave.id, code, None, i) in index for i in instruments)
    return "busy" if started else "not started"


def _class_progress(wave: Wave, school_class: SchoolClass, index: SessionIndex, marks: dict[str, str]) -> ClassProgress:
    pupils = {code: pupil_state(wave, code, index, marks.get(code)) for code in school_class.pupils}
    teacher_instruments = wave.instruments.get("teacher", [])
    teacher = None
    if school_class.teacher and teacher_instruments:
        teacher = Progress(_finished(index, wave.id, school_class.teacher, None, teacher_instruments), len(teacher_instruments))
    roster_instruments = wave.instruments.get("roster", [])
    roster = None
    if roster_instruments:
        rated = 0
        if school_class.teacher:  # the class teacher rates each pupil
            rated = sum(
                _finished(index, wave.id, school_class.teacher, code, roster_instruments) == len(roster_instruments)
                for code in school_class.pupils
            )
        roster = Progress(rated, len(school_class.pupils))
    return ClassProgress(school_class.id, school_class.name, pupils, teacher, roster, school_class.school)


def _team_progress(wave: Wave, team: Team, index: SessionIndex) -> TeamProgress:
    instruments = wave.instruments.get("team", [])
    done = sum(_finished(index, wave.id, member, None, instruments) == len(instruments) for member in team.members)
    return TeamProgress(team.id, team.name, Progress(done, len(team.members)), team.school)
