"""Which parts of the study already have answers: a class, wave or team with stored sessions
is never removed from study.yaml, because its sessions would lose their meaning.

Sessions live in sessions/<study>/<wave>/<respondent>/, so most questions are answered by
looking at folder names; only an adult's sessions are read (their meta), to tell the
teacher's own instruments from the team's.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from .session import read_meta

if TYPE_CHECKING:
    from .datafolder import DataFolder
    from .study import Study


def _sessions_root(folder: DataFolder, study: Study) -> Path:
    return folder.sessions_folder() / study.id


def _files(folder: DataFolder, study: Study, respondent: str) -> list[Path]:
    """Every session file of `respondent`, in any wave."""
    return sorted(_sessions_root(folder, study).glob(f"*/{respondent}/*.json"))


def _adult_files(folder: DataFolder, study: Study, code: str, audiences: set[str]) -> int:
    """Sessions of adult `code` on instruments of `audiences` (an instrument no longer in the
    bank counts: better refuse a removal than lose the meaning of an answer)."""
    known = folder.instruments()
    count = 0
    for path in _files(folder, study, code):
        instrument = known.get(read_meta(path).instrument)
        count += instrument is None or instrument.audience in audiences
    return count


def class_sessions(folder: DataFolder, study: Study, class_id: str) -> int:
    """Sessions of the class's pupils, and its teacher's self-report and roster ratings."""
    school_class = next((c for c in study.classes if c.id == class_id), None)
    if school_class is None:
        return 0
    count = sum(len(_files(folder, study, code)) for code in school_class.pupils)
    if school_class.teacher:
        count += _adult_files(folder, study, school_class.teacher, {"teacher", "roster"})
    return count


def wave_sessions(folder: DataFolder, study: Study, wave_id: str) -> int:
    return len(list((_sessions_root(folder, study) / wave_id).glob("*/*.json")))


def team_sessions(folder: DataFolder, study: Study, team_id: str, members: Iterable[str] | None = None) -> int:
    """Team-instrument sessions of the team's members (or of `members` of it only)."""
    team = next((t for t in study.teams if t.id == team_id), None)
    if team is None:
        return 0
    chosen = team.members if members is None else [m for m in members if m in team.members]
    return sum(_adult_files(folder, study, code, {"team"}) for code in chosen)
