"""Reading a class list as schools really export it (ParnasSys, Esis, a teacher's own Excel).

UTF-8 with or without BOM, or Windows-1252 (Excel's "CSV" on a Dutch Windows); `;` or `,`
as separator (Dutch Excel writes `;`); a header row in Dutch or English; a separate
tussenvoegsel column; empty lines and columns we do not need. Every problem is one
`file:line: message`, and a list with any problem yields no pupils at all.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from .errors import StorageError

# header spellings, normalised (lower case, no spaces, underscores, dashes or dots); first match wins,
# so a list with both "roepnaam" and "voornamen" uses the name the child is called by
FIRST_NAME = ("roepnaam", "voornaam", "firstname", "givenname", "callname", "voornamen")
LAST_NAME = ("achternaam", "lastname", "surname", "familyname", "familienaam", "geslachtsnaam")
PREFIX = ("tussenvoegsel", "tussenvoegsels", "voorvoegsel", "voorvoegsels", "prefix", "infix")
BIRTH_DATE = ("geboortedatum", "dateofbirth", "birthdate", "birthday", "dob", "gebdatum")
DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y/%m/%d", "%d-%m-%y", "%d/%m/%y")
SEPARATORS = (";", ",", "\t")
# C0 control characters other than tab and line ends: a file holding them is not a text export
NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ClassListError(StorageError):
    """A class list that cannot be imported; str() is `file:line: message`."""

    def __init__(self, path: Path, line: int | None, message: str) -> None:
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class ListedPupil:
    first_name: str
    last_name: str
    birth_date: str | None  # ISO date
    line: int  # in the class list, for messages

    @property
    def identity(self) -> tuple[str, str, str | None]:
        """What makes two entries the same pupil: names compared without case or extra spaces."""
        return (_fold(self.first_name), _fold(self.last_name), self.birth_date)


def identity_of(first_name: str, last_name: str, birth_date: str | None) -> tuple[str, str, str | None]:
    return (_fold(first_name), _fold(last_name), birth_date)


def read_class_list(path: Path) -> list[ListedPupil]:
    """The pupils on the list, in list order; raises ClassListError naming the file and line."""
    path = Path(path)
    text = _decode(path)
    if bad := NOT_TEXT.search(text):
        line = text.count("\n", 0, bad.start()) + 1
        raise ClassListError(path, line, "not a text file (save the class list as CSV)")
    lines = text.splitlines()
    header_at = next((n for n, line in enumerate(lines) if line.strip(" \t;,")), None)
    if header_at is None:
        raise ClassListError(path, None, "the file is empty (expected a header row and one row per pupil)")
    separator = max(SEPARATORS, key=lines[header_at].count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    pupils: list[ListedPupil] = []
    columns: _Columns | None = None
    seen: dict[tuple[str, str, str | None], int] = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue  # empty lines, and Excel's ";;;" lines
        if columns is None:
            columns = _Columns.of(path, line, row)
            continue
        pupil = columns.pupil(path, line, row)
        if pupil.identity in seen:
            hint = "" if pupil.birth_date else "; a birth date column tells two pupils of the same name apart"
            where = f"also on line {seen[pupil.identity]}"
            raise ClassListError(path, line, f"{pupil.first_name} {pupil.last_name} is on the list twice ({where}){hint}")
        seen[pupil.identity] = line
        pupils.append(pupil)
    if not pupils:
        raise ClassListError(path, None, "no pupils on the list (only a header row)")
    return pupils


def _decode(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ClassListError(path, None, f"cannot read ({error.strerror or error})") from None
    try:
        return unicodedata.normalize("NFC", raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        pass
    try:
        return unicodedata.normalize("NFC", raw.decode("cp1252"))
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ClassListError(path, line, "neither UTF-8 nor Windows-1252 text (save the class list as CSV)") from None


@dataclass(frozen=True)
class _Columns:
    first: int
    last: int
    prefix: int | None
    birth: int | None

    @classmethod
    def of(cls, path: Path, line: int, header: list[str]) -> _Columns:
        names = [re.sub(r"[\s_\-.]", "", cell).lower() for cell in header]

        def find(aliases: tuple[str, ...]) -> int | None:
            return next((names.index(alias) for alias in aliases if alias in names), None)

        first, last = find(FIRST_NAME), find(LAST_NAME)
        if first is None or last is None:
            missing = "first name (voornaam)" if first is None else "last name (achternaam)"
            found = ", ".join(cell.strip() for cell in header if cell.strip())
            raise ClassListError(path, line, f"no {missing} column in the header row (found: {found})")
        return cls(first, last, find(PREFIX), find(BIRTH_DATE))

    def pupil(self, path: Path, line: int, row: list[str]) -> ListedPupil:
        def cell(index: int | None) -> str:
            return " ".join(row[index].split()) if index is not None and index < len(row) else ""

        first = cell(self.first)
        if not first:
            raise ClassListError(path, line, "no first name")
        last = " ".join(part for part in (cell(self.prefix), cell(self.last)) if part)
        return ListedPupil(first, last, _birth_date(path, line, cell(self.birth)), line)


def _birth_date(path: Path, line: int, text: str) -> str | None:
    if not text:
        return None
    text = text.split(" ")[0]  # Excel sometimes adds " 00:00:00"
    for pattern in DATE_FORMATS:
        try:
            parsed = datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        if not (1900 < parsed.year and parsed <= date.today()):  # a birth date lies in the past
            continue
        return parsed.isoformat()
    raise ClassListError(path, line, f"birth date '{text}' not understood (expected e.g. 31-12-2015)")


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()
