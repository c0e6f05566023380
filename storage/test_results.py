"""Importing pupils' test levels from a CSV exported by the school's pupil monitoring system.

Two layouts (docs/test-results.md), header in Dutch or English, found by the header row:
- wide: one row per pupil, one column per subject ("Begrijpend lezen", "Rekenen-Wiskunde";
  "... niveau" too); other columns (Spelling, scores, dates) are ignored;
- long: one row per pupil and test, a subject column (vak, toets) and a level column
  (niveau, level); rows of other subjects are skipped and counted in the report.
Pupils are found by their klaspeil code (a `code` column) or by name in the local roster key
file (voornaam + tussenvoegsel + achternaam, or one `naam`/`leerling` column).

The whole file is read, matched and checked first; any problem (every one, each as
`file:line: message`) means nothing is stored. Levels are stored as roster_test_results
sessions (storage/roster_sessions.py): a level that differs from the stored one is a new
answer record (the audit trail keeps the old), an identical one adds nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from instruments.problems import InvalidFile, Problem

from . import codes
from .class_list import FIRST_NAME, LAST_NAME, PREFIX, fold
from .csv_table import CsvFileError, Row, Table, find_column, found_columns, read_table
from .datafolder import DataFolder
from .errors import StorageError
from .result_levels import is_not_taken, level_of
from .roster import PupilName, read_key

INSTRUMENT = "roster_test_results"
LANGUAGE = "nl"
# subject spellings with everything but letters and digits removed, lower case
SUBJECTS: dict[str, tuple[str, ...]] = {
    "actual_level_reading": (
        "begrijpendlezen", "bl", "reading", "readingcomprehension", "leesbegrip", "begrijpendlezenenwereldorientatie",
    ),
    "actual_level_maths": (
        "rekenenwiskunde", "rekenenenwiskunde", "rekenen", "rw", "maths", "math", "mathematics", "wiskunde",
    ),
}
SUBJECT_NAME = {"actual_level_reading": "begrijpend lezen", "actual_level_maths": "rekenen"}
LEVEL_WORDS = ("niveau", "level", "vaardigheidsniveau")  # "Rekenen niveau", "Niveau BL", "Reading level"
SUBJECT_COLUMN = ("vak", "toets", "subject", "test", "leergebied", "vakgebied", "toetsnaam", "domein")
LEVEL_COLUMN = ("niveau", "level", "vaardigheidsniveau", "toetsniveau", "niveauiv", "niveau(iv)")
# klaspeil's codes only: a school's own number (leerlingnummer) means nothing here
CODE_COLUMN = ("code", "klaspeilcode", "pupilcode")
FULL_NAME_COLUMN = ("naam", "leerling", "leerlingnaam", "name", "pupil", "pupilname", "volledigenaam", "fullname", "student")


class ResultsFileError(CsvFileError):
    """A test-results file that cannot be read at all; str() is `file:line: message`."""


@dataclass(frozen=True)
class Level:
    pupil: str  # code
    item: str
    value: int | None  # None: not taken
    line: int
    written: str  # as in the file, for messages
    who: str  # the pupil as the file names them, for messages


@dataclass
class ResultsReport:
    class_name: str
    wave: str
    pupils: int = 0  # in the file
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    not_taken: int = 0
    absent: int = 0  # pupils of the class not in the file
    skipped: Counter[str] = field(default_factory=Counter)  # rows of other subjects, by subject

    def __str__(self) -> str:
        counts = f"{self.new} new, {self.changed} changed, {self.unchanged} unchanged, {self.not_taken} not taken"
        line = f"{self.class_name}, wave {self.wave}: levels of {self.pupils} pupils ({counts})"
        if self.absent:
            line += f"; {self.absent} pupil(s) of the class not in the file"
        if self.skipped:
            line += "; skipped rows of other subjects: " + ", ".join(f"{s} ({n})" for s, n in sorted(self.skipped.items()))
        return line


def import_test_results(
    folder: DataFolder, class_id: str, wave_id: str, path: Path, mapping: dict[str, int] | None = None
) -> ResultsReport:
    """Read, match and check the whole file, then store the levels; nothing is stored when any
    row has a problem (raises InvalidFile with every problem, or StorageError)."""
    from .roster_sessions import RosterSessions

    study = folder.study()
    school_class = next((c for c in study.classes if c.id == class_id), None)
    if school_class is None:
        raise StorageError(f"{folder.study_path}: no class '{class_id}' in the study (classes: {', '.join(c.id for c in study.classes)})")
    waves = [w.id for w in study.waves]
    if wave_id not in waves:
        raise StorageError(f"{folder.study_path}: no wave '{wave_id}' in the study (waves: {', '.join(waves)})")
    if INSTRUMENT not in study.wave(wave_id).instruments.get("roster", []):
        raise StorageError(
            f"{folder.study_path}: wave {wave_id} does not collect test results; add {INSTRUMENT} to its roster instruments"
        )
    if not school_class.teacher:
        raise StorageError(f"{folder.study_path}: class {class_id} has no teacher code; the results are stored under it")
    names = {code: name for code, name in read_key(folder).classes.get(class_id, {}).items() if code in school_class.pupils}
    path = Path(path)
    levels, skipped = read_levels(path, Pupils(class_id, school_class.pupils, names), mapping)
    sessions = RosterSessions(
        folder, study.id, wave_id, school_class, school_class.teacher, folder.instruments()[INSTRUMENT], LANGUAGE
    )
    report = ResultsReport(school_class.name, wave_id, skipped=skipped)
    report.pupils = len({level.pupil for level in levels})
    report.absent = len(set(school_class.pupils) - {level.pupil for level in levels})
    for level in levels:  # checked above: from here on every row is stored
        stored = sessions.value(level.pupil, level.item)
        if level.value is None:
            report.not_taken += 1  # an empty cell never removes a level stored earlier
        elif stored == level.value:
            report.unchanged += 1
        else:
            if stored is None:
                report.new += 1
            else:
                report.changed += 1
            sessions.record(level.pupil, level.item, level.value)
    sessions.finish_started()  # a pupil with a test not taken is done too
    return report


@dataclass(frozen=True)
class Pupils:
    """The class's pupils as the file may name them: by code, or by name from the key file."""

    class_id: str
    codes: list[str]
    names: dict[str, PupilName]  # code -> name, this class only

    def by_name(self, first: str, last: str) -> list[str]:
        return [code for code, name in self.names.items() if (fold(name.first_name), fold(name.last_name)) == (fold(first), fold(last))]

    def by_full_name(self, written: str) -> list[str]:
        wanted = _comma_spaced(written)
        return [code for code, name in self.names.items() if wanted in _written_forms(name)]


def read_levels(path: Path, pupils: Pupils, mapping: dict[str, int] | None) -> tuple[list[Level], Counter[str]]:
    """Every level in the file, matched to a pupil code; raises InvalidFile listing every problem."""
    table = read_table(path, "test results", "a header row and one row per pupil or per pupil and test", ResultsFileError)
    layout = _Layout.of(path, table)
    problems: list[Problem] = []
    levels: list[Level] = []
    skipped: Counter[str] = Counter()
    for row in table.rows:
        try:
            found, other = layout.levels(row, pupils, mapping)
        except ValueError as error:
            problems.append(Problem(str(path), row.line, str(error)))
            continue
        levels.extend(found)
        if other:
            skipped[other] += 1
    problems.extend(_duplicates(path, levels))
    if problems:
        raise InvalidFile(sorted(problems, key=lambda p: p.line or 0))
    if not levels:
        found = f" (only other subjects: {', '.join(sorted(skipped))})" if skipped else " (only a header row)"
        raise ResultsFileError(path, None, f"no levels of begrijpend lezen or rekenen in the file{found}")
    return _distinct(levels), skipped


def _duplicates(path: Path, levels: list[Level]) -> list[Problem]:
    """The same pupil and subject twice with different levels: which one is meant is unknown."""
    first: dict[tuple[str, str], Level] = {}
    problems = []
    for level in levels:
        earlier = first.setdefault((level.pupil, level.item), level)
        if earlier is not level and earlier.value != level.value:
            problems.append(Problem(str(path), level.line, (
                f"{SUBJECT_NAME[level.item]} of {level.who} twice: '{level.written}' here, '{earlier.written}' on "
                f"line {earlier.line} (one test moment per file)"
            )))
    return problems


def _distinct(levels: list[Level]) -> list[Level]:
    """Without the repeats of an identical level (harmless), in file order."""
    first: dict[tuple[str, str], Level] = {}
    for level in levels:
        first.setdefault((level.pupil, level.item), level)
    return list(first.values())


@dataclass(frozen=True)
class _Layout:
    code: int | None
    first: int | None
    last: int | None
    prefix: int | None
    full_name: int | None
    subjects: dict[str, int]  # wide: item -> column
    subject: int | None = None  # long: the subject column ...
    level: int | None = None  # ... and the level column

    @classmethod
    def of(cls, path: Path, table: Table) -> _Layout:
        header = table.header
        first, last = find_column(header, FIRST_NAME), find_column(header, LAST_NAME)
        code, full_name = find_column(header, CODE_COLUMN), find_column(header, FULL_NAME_COLUMN)
        if code is None and full_name is None and (first is None or last is None):
            raise ResultsFileError(path, header.line, (
                "no column that names the pupil: expected 'code' (klaspeil code), 'voornaam' and 'achternaam', "
                f"or 'naam' (found: {found_columns(header)})"
            ))
        names = (code, first, last, find_column(header, PREFIX), full_name)
        subject, level = find_column(header, SUBJECT_COLUMN), find_column(header, LEVEL_COLUMN)
        if subject is not None and level is not None:
            return cls(*names, subjects={}, subject=subject, level=level)
        subjects: dict[str, int] = {}
        for column, cell in enumerate(header.cells):
            item = _subject_of(cell, with_level_word=True)
            if item is None:
                continue
            if item in subjects:
                raise ResultsFileError(path, header.line, (
                    f"two columns for {SUBJECT_NAME[item]}: '{header.cells[subjects[item]].strip()}' and '{cell.strip()}'"
                ))
            subjects[item] = column
        if not subjects:
            raise ResultsFileError(path, header.line, (
                "no test-result columns: expected one column per subject ('Begrijpend lezen', 'Rekenen-Wiskunde') "
                f"or a 'vak' and a 'niveau' column (found: {found_columns(header)})"
            ))
        return cls(*names, subjects=subjects)

    def levels(self, row: Row, pupils: Pupils, mapping: dict[str, int] | None) -> tuple[list[Level], str | None]:
        """The row's levels, or the name of another subject whose row is skipped; ValueError says why not."""
        if self.subject is not None:
            written = row.cell(self.subject)
            item = _subject_of(written)
            if item is None:
                if not written:
                    raise ValueError("no subject (vak)")
                return [], written
            cells = {item: row.cell(self.level)}
        else:
            cells = {item: row.cell(column) for item, column in self.subjects.items()}
        code, who = self.pupil(row, pupils)
        found = []
        for item, text in cells.items():
            if is_not_taken(text):
                found.append(Level(code, item, None, row.line, text, who))
                continue
            try:
                found.append(Level(code, item, level_of(text, mapping), row.line, text, who))
            except ValueError as error:
                raise ValueError(f"{SUBJECT_NAME[item]}: {error}") from None
        return found, None

    def pupil(self, row: Row, pupils: Pupils) -> tuple[str, str]:
        """The code of the row's pupil and how the row names them; ValueError when it names
        none, an unknown or an ambiguous one."""
        if written := row.cell(self.code):
            code = codes.normalise(written)
            if code not in pupils.codes:
                raise ValueError(f"unknown pupil code '{written}' (not a pupil of class {pupils.class_id})")
            return code, written
        if self.first is not None and self.last is not None and row.cell(self.first):
            first = row.cell(self.first)
            last = " ".join(part for part in (row.cell(self.prefix), row.cell(self.last)) if part)
            written, found = f"{first} {last}", pupils.by_name(first, last)
        elif written := row.cell(self.full_name):
            found = pupils.by_full_name(written)
        else:
            raise ValueError("no pupil code or name")
        if not found:
            where = "names from the roster key file" if pupils.names else (
                "the roster key file has no names for this class: import the class list first, or give a 'code' column"
            )
            raise ValueError(f"no pupil '{written}' in class {pupils.class_id} ({where})")
        if len(found) > 1:
            raise ValueError(f"'{written}' is the name of {len(found)} pupils of class {pupils.class_id}; add a 'code' column with their klaspeil codes")
        return found[0], written


def _subject_of(text: str, with_level_word: bool = False) -> str | None:
    """The item a subject's name stands for; a header may carry a level word ("Rekenen niveau")."""
    key = re.sub(r"[^0-9a-z]", "", fold(text).replace("ë", "e").replace("ï", "i"))
    keys = {key}
    if with_level_word:
        for word in LEVEL_WORDS:
            keys |= {key.removeprefix(word), key.removesuffix(word)}
    return next((item for item, aliases in SUBJECTS.items() if keys & set(aliases)), None)


def _comma_spaced(name: str) -> str:
    return fold(re.sub(r"\s*,\s*", ", ", name))


def _written_forms(name: PupilName) -> set[str]:
    """How a system may write this pupil's name in one column: "Eliëtte van der Berg",
    "van der Berg, Eliëtte", "Berg, Eliëtte van der" (ParnasSys), "Berg van der, Eliëtte"."""
    first, last = name.first_name, name.last_name
    forms = {f"{first} {last}", f"{last}, {first}"}
    words = last.split()
    prefix = [word for word in words[:-1] if word[:1].islower() or word[:1] == "'"]  # van, der, de, 't ...
    if prefix and words[: len(prefix)] == prefix:
        rest = " ".join(words[len(prefix):])
        forms |= {f"{rest}, {first} {' '.join(prefix)}", f"{rest} {' '.join(prefix)}, {first}"}
    return {_comma_spaced(form) for form in forms}
