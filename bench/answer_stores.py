"""The stores that save_latency.py compares, each filled to a size and then saving one answer at a time.

Every `save()` returns the seconds from an answer in hand to that answer durable on disk.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import time
from pathlib import Path

from tinydb import TinyDB

from instruments import shipped
from storage import Answer, DataFolder, Session, SessionMeta, instrument_fingerprint
from storage.atomic import write_atomically
from storage.tinydb_storage import AtomicJSONStorage

INSTRUMENT = "pupil_motivation"
STUDY = "bench"
WAVES = ("w1", "w2", "w3")  # every filled pupil has one session per wave
ITEMS = [item.id for item in shipped()[INSTRUMENT].items]  # 9: a full session


def answer(item: str, rng: random.Random) -> Answer:
    return Answer(item=item, value=rng.randint(1, 5), shown_ms=rng.randint(1500, 9000))


class RealPath:
    """The data folder the app writes: sessions/<study>/<wave>/<pupil>/<session_id>.json.

    Filled sessions are complete (9 answers). Measured saves go to new pupils' sessions, a new
    session every 9 saves, as in class; creating a session is not timed."""

    name = "real"

    def __init__(self, root: Path, api_fill: int, rng: random.Random) -> None:
        self.folder = DataFolder(root).ensure()
        self.device = self.folder.device_id
        self.fingerprint = instrument_fingerprint(shipped()[INSTRUMENT])
        self.api_fill = api_fill
        self.rng = rng
        self.stored = 0
        self.sessions = 0  # filled sessions
        self.api_sessions = 0
        self._session: Session | None = None
        self._saved_in_session = 0
        self._measured_sessions = 0

    def meta(self, wave: str, pupil: str) -> SessionMeta:
        return SessionMeta(
            device_id=self.device, study=STUDY, wave=wave, class_id="c1", audience="pupil",
            respondent=pupil, item_order=ITEMS, **self.fingerprint,
        )

    @staticmethod
    def filled(n: int) -> tuple[str, str]:
        """(wave, pupil) of the n-th filled session."""
        return WAVES[n % len(WAVES)], f"P{n // len(WAVES):06d}"

    def fill_to(self, target: int) -> None:
        while self.stored < target:
            count = min(len(ITEMS), target - self.stored)
            meta = self.meta(*self.filled(self.sessions))
            if self.stored < self.api_fill:
                self._fill_through_api(meta, count)
            else:
                self._fill_as_json(meta, count)
            self.sessions += 1
            self.stored += count

    def _fill_through_api(self, meta: SessionMeta, count: int) -> None:
        session = self.folder.new_session(meta, durable=False)
        for item in ITEMS[:count]:
            a = answer(item, self.rng)
            session.record(a.item, a.value, a.shown_ms)
        self.api_sessions += 1

    def _fill_as_json(self, meta: SessionMeta, count: int) -> None:
        """The file the API writes (same tables, doc ids, encoder), without its insert-by-insert rewrites."""
        folder = self.folder.respondent_folder(meta.study, meta.wave, meta.respondent)
        folder.mkdir(parents=True, exist_ok=True)
        answers = {str(n): answer(item, self.rng).model_dump() for n, item in enumerate(ITEMS[:count], 1)}
        AtomicJSONStorage(folder / f"{meta.session_id}.json", durable=False).write(
            {"meta": {"1": meta.model_dump()}, "answers": answers}
        )

    def save(self) -> float:
        if self._session is None or self._saved_in_session == len(ITEMS):
            self._measured_sessions += 1
            self._session = self.folder.new_session(self.meta("w1", f"M{self._measured_sessions:06d}"))
            self._saved_in_session = 0
        item = ITEMS[self._saved_in_session]
        value, shown = self.rng.randint(1, 5), self.rng.randint(1500, 9000)
        started = time.perf_counter()
        self._session.record(item, value, shown)
        elapsed = time.perf_counter() - started
        self._saved_in_session += 1
        self.stored += 1
        return elapsed

    def pupils_to_log_in(self, count: int) -> list[int]:
        """Distinct filled sessions (the last may be partial), so every login is a pupil's first:
        at 1,000 answers there are only 111 sessions, and a repeated lookup is cheaper."""
        return self.rng.sample(range(self.sessions - 1), min(count, self.sessions - 1))

    def login(self, n: int) -> float:
        """Find the n-th filled session as the code screen does; checks it is the whole session."""
        wave, pupil = self.filled(n)
        started = time.perf_counter()
        session = self.folder.find_session(STUDY, wave, pupil, INSTRUMENT)
        elapsed = time.perf_counter() - started
        if session is None or len(session.history()) != len(ITEMS):
            raise SystemExit(f"find_session({wave}, {pupil}) did not find the filled session")
        return elapsed

    def close(self) -> None:
        pass


class PlainTinyDB:
    """One TinyDB file with the default JSONStorage: every insert reads and rewrites everything, then fsyncs."""

    name = "tinydb"

    def __init__(self, path: Path, rng: random.Random) -> None:
        self.path = path
        self.rng = rng
        self.stored = 0
        self.db: TinyDB | None = None

    def fill_to(self, target: int) -> float:
        """Write target-1 documents as one JSON file (what TinyDB itself would write), then one untimed
        insert, since TinyDB reads the whole table on its first insert to find the next id. Returns the
        seconds that first insert took: a guide to how many the time budget allows."""
        docs = {str(n): answer(ITEMS[n % 9], self.rng).model_dump() for n in range(1, target)}
        with open(self.path, "w") as handle:
            json.dump({"answers": docs}, handle)  # JSONStorage's own encoding: json.dumps defaults
        del docs
        self.db = TinyDB(self.path)
        self.stored = target - 1
        return self.save()

    def save(self) -> float:
        assert self.db is not None
        started = time.perf_counter()
        self.db.table("answers").insert(answer(ITEMS[self.stored % 9], self.rng).model_dump())
        elapsed = time.perf_counter() - started
        self.stored += 1
        return elapsed

    def close(self) -> None:
        if self.db is not None:
            self.db.close()


class SQLiteWAL:
    """One SQLite file, WAL journal, synchronous=FULL: one INSERT and one commit per answer."""

    name = "sqlite"

    def __init__(self, path: Path, rng: random.Random) -> None:
        self.rng = rng
        self.db = sqlite3.connect(path)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute(
            "CREATE TABLE answers (id INTEGER PRIMARY KEY, session_id TEXT NOT NULL, item TEXT NOT NULL,"
            " value INTEGER, at TEXT NOT NULL, shown_ms INTEGER)"
        )
        self.db.execute("CREATE INDEX answers_session ON answers (session_id)")
        self.db.commit()
        self.stored = 0
        self.session = ""

    def fill_to(self, target: int) -> None:
        def rows():
            for n in range(self.stored, target):
                a = answer(ITEMS[n % 9], self.rng)
                yield (f"filled-{n // 9}", a.item, a.value, a.at, a.shown_ms)

        with self.db:
            self.db.executemany("INSERT INTO answers (session_id, item, value, at, shown_ms) VALUES (?,?,?,?,?)", rows())
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.stored = target

    def save(self) -> float:
        if self.stored % 9 == 0:
            self.session = f"measured-{self.stored}"
        started = time.perf_counter()
        a = answer(ITEMS[self.stored % 9], self.rng)
        self.db.execute(
            "INSERT INTO answers (session_id, item, value, at, shown_ms) VALUES (?,?,?,?,?)",
            (self.session, a.item, a.value, a.at, a.shown_ms),
        )
        self.db.commit()
        elapsed = time.perf_counter() - started
        self.stored += 1
        return elapsed

    def close(self) -> None:
        self.db.close()


class DiskFloor:
    """What the disk alone costs for a durable save: write_atomically of a session-sized file
    (temporary file, fsync, rename, fsync of the folder), without TinyDB, JSON or pydantic."""

    name = "floor"

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / "floor.json"
        self.data = os.urandom(700).hex().encode()  # 1,400 bytes: a 9-answer session file

    def save(self) -> float:
        started = time.perf_counter()
        write_atomically(self.path, self.data)
        return time.perf_counter() - started
