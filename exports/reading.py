"""Session files -> two plain tables: one row per session, one row per current answer.

Reading the files is the slow part of an export, so each file is parsed once (the
`Session` class reads the file again for its meta and for its answers). Every session is
checked against the instrument it claims before any of it is used: an answer scored against
the wrong items would be a silent error in someone's analysis, so the export refuses instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import TypeAdapter, ValidationError

from instruments import Instrument, content_hash
from storage import Answer, CorruptFile, DataFolder, SessionMeta
from storage.tinydb_storage import AtomicJSONStorage

from .errors import ExportError

SESSION_COLUMNS = [
    "session_id", "study", "wave", "class_id", "audience", "respondent", "target",
    "instrument", "instrument_version", "instrument_hash", "device_id", "language",
    "started_at", "updated_at", "finished_at", "status", "n_answered", "n_items",
]
ANSWER_COLUMNS = ["session_id", "item", "value"]

_answer_list = TypeAdapter(list[Answer])


@dataclass(frozen=True)
class Known:
    """What a session must match to be scored against an instrument."""

    instrument: Instrument
    content_hash: str
    items: list[str]  # in the instrument's order
    ranges: dict[str, range]  # item id -> allowed values

    @classmethod
    def of(cls, instrument: Instrument) -> Known:
        return cls(
            instrument,
            content_hash(instrument),
            [item.id for item in instrument.items],
            {item.id: instrument.response_for(item).values for item in instrument.items},
        )


def read_session_file(path: Path) -> tuple[SessionMeta, list[Answer]]:
    """The meta and the audit trail (oldest first) of one session file, from one read."""
    data = AtomicJSONStorage(path).read()
    if data is None:
        raise CorruptFile(f"{path}: session file disappeared while reading")
    meta_table, answer_table = data.get("meta"), data.get("answers", {})
    if not isinstance(meta_table, dict) or len(meta_table) != 1:
        count = len(meta_table) if isinstance(meta_table, dict) else 0
        raise CorruptFile(f"{path}: session file has {count} meta records, expected 1")
    if not isinstance(answer_table, dict):
        raise CorruptFile(f"{path}: answers are not a table")
    try:
        meta = SessionMeta.model_validate(next(iter(meta_table.values())))
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(map(str, first["loc"]))
        raise CorruptFile(f"{path}: session meta {field}: {first['msg']}") from None
    try:
        # TinyDB numbers records 1, 2, 3, ... in the order they were saved
        records = [answer_table[key] for key in sorted(answer_table, key=int)]
        history = _answer_list.validate_python(records)
    except (ValueError, ValidationError) as error:
        reason = error.errors()[0]["msg"] if isinstance(error, ValidationError) else "record ids are not numbers"
        raise CorruptFile(f"{path}: answer record: {reason}") from None
    return meta, history


def current_answers(history: list[Answer]) -> dict[str, int | None]:
    """The last record per item wins; a cleared answer is None."""
    return {answer.item: answer.value for answer in history}


def read_sessions(folder: DataFolder, instruments: Mapping[str, Instrument]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(sessions, answers) of every session file in the folder, in the folder's order.

    `answers` holds the current, non-empty answer per item, in the instrument's item order.
    """
    known = {name: Known.of(instrument) for name, instrument in instruments.items()}
    sessions: list[dict[str, Any]] = []
    answers: list[tuple[str, str, int]] = []
    seen: dict[str, Path] = {}
    for path in folder.session_paths():
        meta, history = read_session_file(path)
        if meta.session_id in seen:
            raise ExportError(f"{path}: session id {meta.session_id} is also in {seen[meta.session_id]}; it would be counted twice")
        seen[meta.session_id] = path
        instrument = _instrument_of(path, meta, known)
        current = current_answers(history)
        _check_answers(path, current, instrument)
        given = [(item, current[item]) for item in instrument.items if current.get(item) is not None]
        answers.extend((meta.session_id, item, value) for item, value in given)
        sessions.append(_session_row(meta, history, len(given), len(instrument.items)))
    session_table = pd.DataFrame(sessions, columns=SESSION_COLUMNS)
    answer_table = pd.DataFrame(answers, columns=ANSWER_COLUMNS).astype({"value": "int64"})
    return session_table, answer_table


def _instrument_of(path: Path, meta: SessionMeta, known: Mapping[str, Known]) -> Known:
    instrument = known.get(meta.instrument)
    if instrument is None:
        raise ExportError(f"{path}: answered on instrument '{meta.instrument}', which this klaspeil does not know; it cannot be scored")
    if instrument.content_hash != meta.instrument_hash:
        raise ExportError(
            f"{path}: answered on another version of '{meta.instrument}' ({meta.instrument_version}, "
            f"hash {meta.instrument_hash[:12]}) than this klaspeil knows ({instrument.instrument.version}, "
            f"hash {instrument.content_hash[:12]}); it cannot be scored against these items"
        )
    return instrument


def _check_answers(path: Path, current: dict[str, int | None], instrument: Known) -> None:
    for item, value in current.items():
        allowed = instrument.ranges.get(item)
        if allowed is None:
            raise ExportError(f"{path}: answer to item '{item}', which '{instrument.instrument.id}' does not have")
        if value is not None and value not in allowed:
            raise ExportError(f"{path}: item '{item}' has value {value} outside {allowed.start}..{allowed.stop - 1}")


def _session_row(meta: SessionMeta, history: list[Answer], n_answered: int, n_items: int) -> dict[str, Any]:
    times = [meta.started_at, *(answer.at for answer in history)]
    if meta.finished_at:
        times.append(meta.finished_at)
    return {
        **meta.model_dump(include=set(SESSION_COLUMNS)),
        "updated_at": max(times),
        "status": "finished" if meta.finished_at else "unfinished",
        "n_answered": n_answered,
        "n_items": n_items,
    }
