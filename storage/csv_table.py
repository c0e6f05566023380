"""Reading a CSV file as schools really export it (ParnasSys, Esis, Cito LVS, a teacher's Excel).

UTF-8 with or without BOM, or Windows-1252 (Excel's "CSV" on a Dutch Windows); `;`, `,` or
tab as separator, whichever the header row uses most (Dutch Excel writes `;`); the first
non-empty row is the header; empty lines and Excel's ";;;" lines are skipped. Every problem
is one `file:line: message`. Shared by the class-list and the test-results import.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .errors import StorageError

SEPARATORS = (";", ",", "\t")
# C0 control characters other than tab and line ends: a file holding them is not a text export
NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class CsvFileError(StorageError):
    """A CSV file that cannot be used; str() is `file:line: message`."""

    def __init__(self, path: Path, line: int | None, message: str) -> None:
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Row:
    line: int  # in the file, for messages (a quoted cell over several lines: its last line)
    cells: list[str]
    start: int = 0  # the row's first line: where a quote that is never closed opens

    def raw(self, index: int | None) -> str:
        """The cell at `index` as in the file (cell() collapses line breaks into spaces)."""
        return self.cells[index] if index is not None and index < len(self.cells) else ""

    def cell(self, index: int | None) -> str:
        """The cell at `index` with its spaces collapsed; "" for a missing column or a short row."""
        return " ".join(self.cells[index].split()) if index is not None and index < len(self.cells) else ""


@dataclass(frozen=True)
class Table:
    header: Row
    rows: list[Row]  # the rows after the header, empty ones left out


def read_table(path: Path, what: str, expected: str, error: type[CsvFileError] = CsvFileError) -> Table:
    """The header row and the non-empty rows of a CSV export; raises `error` naming file and line.

    `what` names the file in hints ("save the class list as CSV"); `expected` says what an
    empty file should have held ("a header row and one row per pupil")."""
    path = Path(path)
    text = decode(path, what, error)
    if bad := NOT_TEXT.search(text):
        line = text.count("\n", 0, bad.start()) + 1
        raise error(path, line, f"not a text file (save the {what} as CSV)")
    lines = text.splitlines()
    header_at = next((n for n, line in enumerate(lines) if line.strip(" \t;,")), None)
    if header_at is None:
        raise error(path, None, f"the file is empty (expected {expected})")
    separator = max(SEPARATORS, key=lines[header_at].count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    header: Row | None = None
    rows: list[Row] = []
    ended = 0  # the last line of the previous row (blank lines are rows of their own)
    try:
        for cells in reader:
            start, ended = ended + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue  # empty lines, and Excel's ";;;" lines
            row = Row(reader.line_num, cells, start)
            if header is None:
                header = row
            else:
                rows.append(row)
    except csv.Error as problem:  # e.g. a cell past csv's size limit: a quote that is never closed
        start = (rows[-1] if rows else header).line + 1 if header else 1
        raise error(path, start, f"cannot read this row ({problem}; a quote \" that is never closed?)") from None
    assert header is not None  # a non-empty line was found above
    return Table(header, rows)


def unprintable(cell: str) -> str | None:
    """What in `cell` a name may not hold: a line break (what a quote that is never closed swallows),
    or a control, bidi-override or zero-width character (it hides or reorders what a name shows)."""
    for char in cell:
        if char in "\r\n\u2028\u2029\x85":
            return "a line break (a quote \" that is never closed?)"
        if unicodedata.category(char) in ("Cc", "Cf"):
            return f"an invisible or control character (U+{ord(char):04X}); type the name again"
    return None


def decode(path: Path, what: str, error: type[CsvFileError] = CsvFileError) -> str:
    """The file's text (NFC): UTF-8 with or without BOM first, then Windows-1252."""
    try:
        raw = path.read_bytes()
    except OSError as problem:
        raise error(path, None, f"cannot read ({problem.strerror or problem})") from None
    try:
        return unicodedata.normalize("NFC", raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        pass
    try:
        return unicodedata.normalize("NFC", raw.decode("cp1252"))
    except UnicodeDecodeError as problem:
        line = raw[: problem.start].count(b"\n") + 1
        raise error(path, line, f"neither UTF-8 nor Windows-1252 text (save the {what} as CSV)") from None


def header_key(cell: str) -> str:
    """A header cell as compared with known spellings: lower case, no spaces, underscores, dashes or dots."""
    return re.sub(r"[\s_\-.]", "", cell).lower()


def find_column(header: Row, aliases: tuple[str, ...]) -> int | None:
    """The first column whose header is one of `aliases` (normalised); earlier aliases win."""
    names = [header_key(cell) for cell in header.cells]
    return next((names.index(alias) for alias in aliases if alias in names), None)


def found_columns(header: Row) -> str:
    """The header's non-empty cells, for a message saying what was there instead."""
    return ", ".join(cell.strip() for cell in header.cells if cell.strip())
