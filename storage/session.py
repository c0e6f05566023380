"""One session: one respondent answering one instrument in one wave, in one TinyDB file.

The file holds two tables: `meta` (one record: who, what, when) and `answers`, an
append-only audit trail. Every answer, and every later change of it, is a new record with
its time; the current answer to an item is its last record. So saving an answer is one
insert, which AtomicJSONStorage makes durable (fsync + rename) before `record` returns.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, Strict, StringConstraints, TypeAdapter, ValidationError
from tinydb import TinyDB

from instruments.models import IDENTIFIER as INSTRUMENT_ID
from instruments.models import Identifier as InstrumentId

from .errors import CorruptFile
from .study import IDENTIFIER, Identifier
from .tinydb_storage import AtomicJSONStorage, decode_tables

FORMAT = 1


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def _known_format(number: int) -> int:
    # a later format must not be read as this one (Literal[1] would also take `true` and 1.0)
    if number != FORMAT:
        raise ValueError(f"format {number} is not one this klaspeil reads (only {FORMAT})")
    return number


# The ids become folder names (sessions/<study>/<wave>/<respondent>/) and table cells: checked
# by the rule of study.yaml's ids (pupil codes fit it too) and of the instruments' ids.
Format = Annotated[int, Strict(), AfterValidator(_known_format)]
# the canonical text of a UUID, as uuid4() writes it: the id names the file
SESSION_ID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
SessionId = Annotated[str, StringConstraints(pattern=SESSION_ID)]
# ISO 8601 as datetime.isoformat() writes it, with a time zone: checked in pydantic's Rust regex, since
# a Python validator per answer costs exports ~7% (tests/test_session_strict.py holds it to fromisoformat)
TIMESTAMP = (
    r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?"
    r"(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$"
)
Timestamp = Annotated[str, StringConstraints(pattern=TIMESTAMP)]
# what a pattern means, for the one line that names the file (the regex itself would tell no one anything)
_PATTERN_MEANS = {
    IDENTIFIER: "not an id (a letter or digit, then letters, digits, - and _)",
    INSTRUMENT_ID: "not an instrument id (lower-case letters, digits and _)",
    SESSION_ID: "not a session id (a UUID such as 8ae29720-504c-472d-90df-f79f68441827)",
    TIMESTAMP: "not an ISO 8601 time with a time zone (such as 2025-12-31T10:00:00.000+00:00)",
}


def _message(error: Any) -> str:
    return _PATTERN_MEANS.get(error.get("ctx", {}).get("pattern"), error["msg"])


class SessionMeta(BaseModel):
    """Everything a later analyst needs to know about where a session's answers come from.

    Strict: a value of the wrong JSON type is damage, never converted (`true` is no 1)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    format: Format = FORMAT
    session_id: SessionId = Field(default_factory=lambda: str(uuid.uuid4()))
    device_id: Identifier
    study: Identifier
    wave: Identifier
    class_id: Identifier
    audience: Literal["pupil", "teacher", "roster", "team"]
    respondent: Identifier  # pseudonymous code, never a name
    target: Identifier | None = None  # the pupil a roster rating is about
    instrument: InstrumentId
    instrument_version: str
    instrument_hash: str
    language: str = "nl"
    item_order: list[str]  # the order in which the items were shown to this respondent
    # each item's text as this respondent read it (placeholders such as {leerkracht} filled in)
    item_texts: dict[str, str] = {}
    started_at: Timestamp = Field(default_factory=now)
    finished_at: Timestamp | None = None


class Answer(BaseModel):
    """One record of the audit trail: an item answered (or cleared: value None) at a time.

    Strict: `true` or 2.5 is no code, and a list is no answer (lax pydantic would take the first two)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    item: str
    value: int | str | None  # str for open text items; None clears an answer
    at: Timestamp = Field(default_factory=now)
    shown_ms: int | None = None  # how long the item was on screen before this answer


_HISTORY = TypeAdapter(list[Answer])


def _meta_from(path: Path, records: list[Any]) -> SessionMeta:
    if len(records) != 1:
        raise CorruptFile(f"{path}: session file has {len(records)} meta records, expected 1")
    try:
        return SessionMeta.model_validate(dict(records[0]))
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(map(str, first["loc"]))
        raise CorruptFile(f"{path}: session meta {field}: {_message(first)}") from None


def _history_from(path: Path, records: list[Any]) -> list[Answer]:
    try:
        return _HISTORY.validate_python(records)  # one call for the whole trail: exports read 100,000s
    except ValidationError as error:
        first = error.errors()[0]
        where = f"answer record {first['loc'][0] + 1}" if first["loc"] and isinstance(first["loc"][0], int) else "answer record"
        if first["loc"][1:2] == ("value",):  # a union's first error ("not an integer") would mislead about text
            shown = json.dumps(records[first["loc"][0]].get("value"), ensure_ascii=False)[:40]
            raise CorruptFile(f"{path}: {where} value: {shown} is not a whole number, a text or null") from None
        field = ".".join(map(str, first["loc"][1:2]))
        raise CorruptFile(f"{path}: {where}{' ' + field if field else ''}: {_message(first)}") from None


@dataclass(frozen=True)
class SessionRecord:
    """A session as read at one moment: what exports and the integrity check work from."""

    path: Path
    meta: SessionMeta
    history: list[Answer]  # the audit trail, oldest first

    def answers(self) -> dict[str, int | str | None]:
        """The current answer per item (the last record wins); cleared items are None."""
        return {answer.item: answer.value for answer in self.history}

    @property
    def finished(self) -> bool:
        return self.meta.finished_at is not None

    @property
    def status(self) -> Literal["finished", "unfinished"]:
        return "finished" if self.finished else "unfinished"

    @property
    def updated_at(self) -> str:
        times = [self.meta.started_at, *(a.at for a in self.history)]
        if self.meta.finished_at:
            times.append(self.meta.finished_at)
        return max(times)


def _ordered(data: dict[str, dict[str, Any]]) -> dict[str, list[Any]]:
    # TinyDB numbers records 1, 2, 3, ... in the order they were saved
    return {name: [table[key] for key in sorted(table, key=int)] for name, table in data.items()}


def _tables(path: Path) -> dict[str, list[Any]]:
    data = AtomicJSONStorage(path).read()
    if data is None:
        raise CorruptFile(f"{path}: session file disappeared while reading")
    return _ordered(data)


def _record(path: Path, tables: dict[str, list[Any]]) -> SessionRecord:
    return SessionRecord(path, _meta_from(path, tables.get("meta", [])), _history_from(path, tables.get("answers", [])))


def read_session(path: Path) -> SessionRecord:
    """Meta and audit trail of a session file from a single read (raises CorruptFile)."""
    path = path if isinstance(path, Path) else Path(path)  # re-wrapping a Path costs more than reading the file's JSON
    return _record(path, _tables(path))


def parse_session(path: Path, raw: bytes) -> SessionRecord:
    """A session file's bytes read as read_session reads the file (a bundle's sessions are never on
    disk before they are checked); `path` names it in a CorruptFile."""
    return _record(path, _ordered(decode_tables(path, raw)))


def read_meta(path: Path) -> SessionMeta:
    """Only the meta record: which instruments a study's sessions use needs no answers, and validating
    them costs ~5x more. (Who is done does: `status` checks every session as `check` does.)"""
    return _meta_from(path, _tables(path).get("meta", []))


class Session:
    """A session file. Reading is cheap; every write is durable when the call returns."""

    def __init__(self, path: Path, *, durable: bool = True) -> None:
        self.path = Path(path)
        self._db = TinyDB(self.path, storage=AtomicJSONStorage, durable=durable)

    @classmethod
    def create(cls, folder: Path, meta: SessionMeta, *, durable: bool = True) -> Session:
        folder.mkdir(parents=True, exist_ok=True)
        session = cls(folder / f"{meta.session_id}.json", durable=durable)
        session._db.table("meta").insert(meta.model_dump())
        return session

    @property
    def meta(self) -> SessionMeta:
        return _meta_from(self.path, self._db.table("meta").all())

    def record(self, item: str, value: int | str | None, shown_ms: int | None = None) -> Answer:
        """Save an answer (None clears it); durable on disk when this returns."""
        answer = Answer(item=item, value=value, shown_ms=shown_ms)
        self._db.table("answers").insert(answer.model_dump())
        return answer

    def history(self) -> list[Answer]:
        """The audit trail: every answer and change, oldest first."""
        return _history_from(self.path, self._db.table("answers").all())

    def snapshot(self) -> SessionRecord:
        return read_session(self.path)

    def answers(self) -> dict[str, int | str | None]:
        """The current answer per item (the last record wins); cleared items are None."""
        return self.snapshot().answers()

    def first_unanswered(self) -> int:
        """Index in the order shown of the first item without an answer (len when all answered)."""
        given = {item for item, value in self.answers().items() if value is not None}
        order = self.meta.item_order
        return next((n for n, item in enumerate(order) if item not in given), len(order))

    @property
    def finished(self) -> bool:
        return self.meta.finished_at is not None

    @property
    def updated_at(self) -> str:
        return self.snapshot().updated_at

    def finish(self) -> None:
        meta = self.meta.model_copy(update={"finished_at": now()})
        self._db.table("meta").update(meta.model_dump(), doc_ids=[1])
