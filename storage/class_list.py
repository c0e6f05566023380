"""Reading a class list as schools really export it (ParnasSys, Esis, a teacher's own Excel).

UTF-8 with or without BOM, or Windows-1252 (Excel's "CSV" on a Dutch Windows); `;` or `,`
as separator (Dutch Excel writes `;`); a header row in Dutch or English; a separate
tussenvoegsel column; empty lines and columns we do not need. Every problem is one
`file:line: message`, and a list with any problem yields no pupils at all. Decoding, separator
and blank lines are csv_table.py's, shared with the test-results import.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from .csv_table import CsvFileError, Row, find_column, found_columns, read_table, unprintable

# header spellings, normalised (lower case, no spaces, underscores, dashes or dots); first match wins,
# so a list with both "roepnaam" and "voornamen" uses the name the child is called by
FIRST_NAME = ("roepnaam", "voornaam", "firstname", "givenname", "callname", "voornamen")
LAST_NAME = ("achternaam", "lastname", "surname", "familyname", "familienaam", "geslachtsnaam")
PREFIX = ("tussenvoegsel", "tussenvoegsels", "voorvoegsel", "voorvoegsels", "prefix", "infix")
BIRTH_DATE = ("geboortedatum", "dateofbirth", "birthdate", "birthday", "dob", "gebdatum")
DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y/%m/%d", "%d-%m-%y", "%d/%m/%y")


class ClassListError(CsvFileError):
    """A class list that cannot be imported; str() is `file:line: message`."""


@dataclass(frozen=True)
class ListedPupil:
    first_name: str
    last_name: str
    birth_date: str | None  # ISO date
    line: int  # in the class list, for messages

    @property
    def identity(self) -> tuple[str, str, str | None]:
        """What makes two entries the same pupil: names compared without case or extra spaces."""
        return (fold(self.first_name), fold(self.last_name), self.birth_date)


def identity_of(first_name: str, last_name: str, birth_date: str | None) -> tuple[str, str, str | None]:
    return (fold(first_name), fold(last_name), birth_date)


def read_class_list(path: Path) -> list[ListedPupil]:
    """The pupils on the list, in list order; raises ClassListError naming the file and line."""
    path = Path(path)
    table = read_table(path, "class list", "a header row and one row per pupil", ClassListError)
    columns = _Columns.of(path, table.header)
    pupils: list[ListedPupil] = []
    seen: dict[tuple[str, str, str | None], int] = {}
    for row in table.rows:
        pupil = columns.pupil(path, row)
        if pupil.identity in seen:
            hint = "" if pupil.birth_date else "; a birth date column tells two pupils of the same name apart"
            where = f"also on line {seen[pupil.identity]}"
            raise ClassListError(path, row.line, f"{pupil.first_name} {pupil.last_name} is on the list twice ({where}){hint}")
        seen[pupil.identity] = row.line
        pupils.append(pupil)
    if not pupils:
        raise ClassListError(path, None, "no pupils on the list (only a header row)")
    return pupils


@dataclass(frozen=True)
class _Columns:
    first: int
    last: int
    prefix: int | None
    birth: int | None

    @classmethod
    def of(cls, path: Path, header: Row) -> _Columns:
        first, last = find_column(header, FIRST_NAME), find_column(header, LAST_NAME)
        if first is None or last is None:
            missing = "first name (voornaam)" if first is None else "last name (achternaam)"
            raise ClassListError(path, header.line, f"no {missing} column in the header row (found: {found_columns(header)})")
        return cls(first, last, find_column(header, PREFIX), find_column(header, BIRTH_DATE))

    def pupil(self, path: Path, row: Row) -> ListedPupil:
        for index, what in ((self.first, "first name"), (self.prefix, "tussenvoegsel"), (self.last, "last name")):
            if problem := unprintable(row.raw(index)):  # before cell(), which would join the lines
                raise ClassListError(path, row.start, f"the {what} holds {problem}")
        first = row.cell(self.first)
        if not first:
            raise ClassListError(path, row.line, "no first name")
        last = " ".join(part for part in (row.cell(self.prefix), row.cell(self.last)) if part)
        return ListedPupil(first, last, birth_date(path, row.line, row.cell(self.birth)), row.line)


def birth_date(path: Path, line: int, text: str) -> str | None:
    """A birth date as schools write it, as an ISO date; None when empty."""
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


def fold(name: str) -> str:
    """A name as compared: without case or extra spaces."""
    return " ".join(name.split()).casefold()
