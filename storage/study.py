"""The study: its schools, the classes with their pseudonymous pupil codes, the teams, and the
waves with their instruments.

Loaded from `study.yaml` in the data folder with the same `path:line: message` errors as
instrument files. Pupil names are not here: they live only in the local roster (key file).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from instruments.consistency import duplicate_ids, entries
from instruments.wording import TeacherTerm
from instruments.yamlfile import load_model

from . import codes

IDENTIFIER = r"^[A-Za-z0-9][A-Za-z0-9_-]*$"  # also the rule for a session's ids (storage/session.py)
Identifier = Annotated[str, StringConstraints(pattern=IDENTIFIER, max_length=64)]
Location = tuple[str | int, ...]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class School(Strict):
    """A school taking part. Optional: a study without schools (one school, or a study file
    written before schools existed) still loads; classes and teams then name no school."""

    id: Identifier
    name: str
    place: str | None = None  # the town, to tell two schools with the same name apart


class SchoolClass(Strict):
    id: Identifier
    name: str
    school: Identifier | None = None  # the id of its school in `schools`
    teacher_term: TeacherTerm = "juf/meester"  # fills "de juf/meester" in pupil items
    teacher: str | None = None  # the teacher's code
    pupils: list[str] = []  # pseudonymous pupil codes


class Team(Strict):
    """A school team: each member fills in the team instruments alone, under their own code."""

    id: Identifier
    name: str
    school: Identifier | None = None  # the id of its school in `schools`
    members: list[str] = []  # pseudonymous codes of the team members


class Wave(Strict):
    id: Identifier
    label: str | None = None
    start: str | None = None  # ISO date, informative
    # instrument ids per audience: {"pupil": ["pupil_motivation"], ...}
    instruments: dict[Literal["pupil", "teacher", "roster", "team"], list[str]]


class Study(Strict):
    id: Identifier
    title: str
    schools: list[School] = []
    classes: Annotated[list[SchoolClass], Field(min_length=1)]
    teams: list[Team] = []
    waves: Annotated[list[Wave], Field(min_length=1)]
    # the researcher's public key (`x25519:...`, PEM text, or a key file's path relative to the data
    # folder): `klaspeil bundle` seals every bundle for it (docs/sync.md)
    bundle_recipient: str | None = None

    def wave(self, wave_id: str) -> Wave:
        for wave in self.waves:
            if wave.id == wave_id:
                return wave
        raise KeyError(wave_id)

    def school(self, school_id: str | None) -> School | None:
        return next((school for school in self.schools if school.id == school_id), None)

    def school_name(self, school_id: str | None) -> str | None:
        """How a researcher recognises the school: its name, or its id if the study has no such school."""
        school = self.school(school_id)
        return school.name if school else school_id

    def class_of(self, pupil_code: str) -> SchoolClass | None:
        for school_class in self.classes:
            if pupil_code in school_class.pupils:
                return school_class
        return None


def study_problems(document: Any, known_instruments: set[str]) -> Iterator[tuple[Location, str]]:
    """Cross-checks on the plain document: unique ids, valid unique codes, known instruments."""
    if not isinstance(document, dict):
        return
    # anything of the wrong type is pydantic's to report: skip it here (and keep it out of sets)
    classes, waves, teams = entries(document, "classes"), entries(document, "waves"), entries(document, "teams")
    schools = entries(document, "schools")
    yield from duplicate_ids("school", [(("schools", s), x) for s, x in schools])
    yield from _school_problems(document, {str(x.get("id")) for _, x in schools})
    yield from duplicate_ids("class", [(("classes", k), x) for k, x in classes])
    yield from duplicate_ids("wave", [(("waves", w), x) for w, x in waves])
    yield from duplicate_ids("team", [(("teams", t), x) for t, x in teams])
    seen_codes: dict[str, str] = {}
    for k, school_class in classes:
        class_id = school_class.get("id")
        pupils = school_class.get("pupils")
        for p, code in enumerate(pupils if isinstance(pupils, list) else []):
            if not isinstance(code, str):
                continue
            if not codes.is_valid(code):
                yield ("classes", k, "pupils", p), f"'{code}' is not a valid pupil code (typo or wrong check character)"
            elif code in seen_codes:
                yield ("classes", k, "pupils", p), f"pupil code '{code}' is also in class '{seen_codes[code]}'"
            seen_codes[code] = str(class_id)
    yield from _adult_code_problems(document, seen_codes)
    yield from _recipient_problems(document.get("bundle_recipient"))
    for w, wave in waves:
        instruments = wave.get("instruments")
        for audience, ids in (instruments.items() if isinstance(instruments, dict) else []):
            for n, instrument in enumerate(ids if isinstance(ids, list) else []):
                if isinstance(instrument, str) and instrument not in known_instruments:
                    yield ("waves", w, "instruments", audience, n), f"unknown instrument '{instrument}'"


def _recipient_problems(setting: Any) -> Iterator[tuple[Location, str]]:
    """An inline key is checked here, at its line; a key file's path when a bundle is made."""
    import base64
    import binascii

    if isinstance(setting, str) and setting.strip().startswith("x25519:"):
        try:
            raw = base64.b64decode(setting.strip()[len("x25519:"):], validate=True)
        except (binascii.Error, ValueError):
            raw = b""
        if len(raw) != 32:
            yield ("bundle_recipient",), "not a valid public key: 'x25519:' and 32 bytes in base64 (from `klaspeil keygen`)"


def _school_problems(document: dict, known: set[str]) -> Iterator[tuple[Location, str]]:
    """Every class and team that names a school names one of `schools`."""
    listed = ", ".join(sorted(known)) or "none"
    for key, kind in (("classes", "class"), ("teams", "team")):
        for n, entry in entries(document, key):
            school = entry.get("school")
            if isinstance(school, str) and school not in known:
                yield (key, n, "school"), f"{kind} '{entry.get('id')}' names unknown school '{school}' (schools: {listed})"


def _adult_code_problems(document: dict, pupil_class: dict[str, str]) -> Iterator[tuple[Location, str]]:
    """Teacher and team member codes: valid, never a pupil's, one class per teacher, one team per
    member. A class teacher may also be a team member: one person, one code, so that their
    self-report and their team answers can be linked."""
    teacher_class: dict[str, str] = {}
    for k, school_class in entries(document, "classes"):
        code = school_class.get("teacher")
        if not isinstance(code, str):
            continue
        where = ("classes", k, "teacher")
        if not codes.is_valid(code):
            yield where, f"'{code}' is not a valid teacher code (typo or wrong check character)"
        elif code in pupil_class:
            yield where, f"teacher code '{code}' is also a pupil code in class '{pupil_class[code]}'"
        elif code in teacher_class:
            yield where, f"teacher code '{code}' is also the teacher of class '{teacher_class[code]}'"
        teacher_class.setdefault(code, str(school_class.get("id")))
    member_team: dict[str, str] = {}
    for t, team in entries(document, "teams"):
        team_id = team.get("id")
        members = team.get("members")
        for m, code in enumerate(members if isinstance(members, list) else []):
            if not isinstance(code, str):
                continue
            where = ("teams", t, "members", m)
            if not codes.is_valid(code):
                yield where, f"'{code}' is not a valid code of a team member (typo or wrong check character)"
            elif code in pupil_class:
                yield where, f"team member code '{code}' is also a pupil code in class '{pupil_class[code]}'"
            elif code in member_team:
                yield where, f"team member code '{code}' is already in team '{member_team[code]}'"
            member_team.setdefault(code, str(team_id))


def load_study(path: Path, known_instruments: set[str]) -> Study:
    """The study in `path`; raises InvalidFile listing every problem with its line."""
    return load_model(
        Path(path),
        Study,
        lambda document: study_problems(document, known_instruments),
        {name for model in (Study, School, SchoolClass, Team, Wave) for name in model.model_fields},
    )
