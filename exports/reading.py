"""Session files -> two plain tables: one row per session, one row per current answer.

Reading the files is the slow part of an export, so each file is read once
(storage.session.read_session), by as many processes as the machine has cores. Every session is checked against the instrument it claims
(storage.check.session_problems) before any of it is used: the export refuses rather than
score answers against the wrong items.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from instruments import Instrument
from storage import DataFolder
from storage.check import KnownInstrument, known_instruments, session_problems
from storage.session import SessionMeta, SessionRecord, read_session

from .errors import ExportError
from .parallel import no_gc, ordered_map, workers
from .summary import Progress, no_progress

SESSION_COLUMNS = [
    "session_id", "study", "wave", "class_id", "audience", "respondent", "target",
    "instrument", "instrument_version", "instrument_hash", "device_id", "language",
    "started_at", "updated_at", "finished_at", "status", "n_answered", "n_items",
]
ANSWER_COLUMNS = ["session_id", "item", "value"]


BATCH = 1000  # session files a worker reads at a time; progress is reported per batch

_known: dict[str, KnownInstrument] = {}  # the instruments, for the forked readers (exports/parallel.py)


def read_sessions(
    folder: DataFolder, instruments: Mapping[str, Instrument], progress: Progress = no_progress
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(sessions, answers) of every session file in the folder, in the folder's order.

    `answers` holds the current, non-empty answer per item, in the instrument's item order
    (an open answer that is the empty text is no answer). The files are read by as many
    processes as there are cores; the first problem met refuses the export.
    """
    global _known
    _known = known_instruments(instruments)
    paths = list(folder.session_paths())
    batches = [paths[start:start + BATCH] for start in range(0, len(paths), BATCH)]
    sessions: list[dict[str, Any]] = []
    answers: list[tuple[str, str, int | str]] = []
    seen: dict[str, Path] = {}
    progress("read", 0, len(paths))
    for batch, (rows, given) in zip(batches, ordered_map(_read_batch, batches, workers())):
        for path, row in zip(batch, rows):
            session_id = row["session_id"]
            if session_id in seen:
                raise ExportError(f"{path}: session id {session_id} is also in {seen[session_id]}; it would be counted twice")
            seen[session_id] = path
        sessions.extend(rows)
        answers.extend(given)
        progress("read", len(sessions), len(paths))
    session_table = pd.DataFrame(sessions, columns=SESSION_COLUMNS)
    # whole numbers, and text for open items: object keeps both as they were answered
    answer_table = pd.DataFrame(answers, columns=ANSWER_COLUMNS).astype({"value": "object"})
    return session_table, answer_table


@no_gc
def _read_batch(paths: list[Path]) -> tuple[list[dict[str, Any]], list[tuple[str, str, int | str]]]:
    """The session rows and current answers of some session files, checked (raises ExportError)."""
    rows: list[dict[str, Any]] = []
    answers: list[tuple[str, str, int | str]] = []
    for path in paths:
        record = read_session(path)
        for problem in session_problems(record, _known):
            raise ExportError(problem)
        session_id = record.meta.session_id
        current = record.answers()
        items = _known[record.meta.instrument].items  # in the instrument's order
        given = [(item, current[item]) for item in items if current.get(item) not in (None, "")]
        answers.extend((session_id, item, value) for item, value in given)
        rows.append(_session_row(record, len(given), len(items)))
    return rows, answers


_META_COLUMNS = [column for column in SESSION_COLUMNS if column in SessionMeta.model_fields]


def _session_row(record: SessionRecord, n_answered: int, n_items: int) -> dict[str, Any]:
    meta = record.meta
    return {
        **{column: getattr(meta, column) for column in _META_COLUMNS},  # model_dump costs 5x more
        "updated_at": record.updated_at,
        "status": record.status,
        "n_answered": n_answered,
        "n_items": n_items,
    }
