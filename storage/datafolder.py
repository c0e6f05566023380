"""A data folder: the study, the device id, the lock, and one file per session.

Layout (every file replaced atomically, never written in place):

    study.yaml                       the study (classes, pupil codes, waves)
    device.json                      this device's id, made once
    klaspeil.lock                    held by the one process that may write here
    sessions/<study>/<wave>/<respondent>/<session_id>.json

Sessions live in a folder per respondent so that finding a pupil's session at login reads
one small folder, whether the device holds ten sessions or ten thousand.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .atomic import write_atomically
from .errors import CorruptFile, DataFolderBusy, StorageError
from .folder_lock import Busy, FolderLock

# pydantic, ruamel and the item bank load on first use, not with this module: the pupil app
# takes the lock and draws its first screen before it needs any of them
if TYPE_CHECKING:
    from instruments import Instrument

    from .session import Session, SessionMeta
    from .study import Study

STUDY_FILE = "study.yaml"
DEMO_STUDY = Path(__file__).parent / "demo" / "study.yaml"
DEMO_PIN = "1234"  # `klaspeil demo` is stopped with Ctrl+Q and this PIN
KEY_FILE = "roster_key.json"  # the roster's names (storage/roster.py); named here so start-up need not import it


class DataFolder:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._lock: FolderLock | None = None

    # -- set-up ----------------------------------------------------------------------
    def ensure(self) -> DataFolder:
        self.require_folder()
        self.sessions_folder()
        try:
            (self.root / "sessions").mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StorageError(f"{self.root}: cannot create data folder ({error.strerror})") from None
        return self

    def require_folder(self) -> None:
        """Refuse a file given as the data folder: read as a folder it would seem empty ("no study here")."""
        if self.root.exists() and not self.root.is_dir():
            raise StorageError(f"{self.root}: a file, not a data folder")

    def sessions_folder(self) -> Path:
        """sessions/, refused when it is a file: a glob in a file finds nothing, so every command
        would report an empty folder (check: "ok: 0 session file(s)")."""
        sessions = self.root / "sessions"
        if sessions.exists() and not sessions.is_dir():
            raise CorruptFile(f"{sessions}: a file, not the folder of sessions")
        return sessions

    def lock(self) -> DataFolder:
        """Claim the folder for this process. The OS drops the claim when the process dies,
        so a lock left by a killed process or a power cut never blocks the next start.
        Keep the returned DataFolder: the claim is released when it is garbage-collected,
        so `DataFolder(root).lock()` without keeping the result holds nothing."""
        self.ensure()
        lock = FolderLock(self.root / "klaspeil.lock")
        try:
            lock.acquire()
        except Busy:
            owner = self._owner()
            raise DataFolderBusy(
                f"{self.root}: already in use by another klaspeil{owner}; close that one first"
            ) from None
        write_atomically(self.root / "klaspeil.owner", str(os.getpid()).encode())
        self._lock = lock
        return self

    def unlock(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def _owner(self) -> str:
        try:
            return f" (process {int((self.root / 'klaspeil.owner').read_text())})"
        except (OSError, ValueError):
            return ""

    @property
    def device_id(self) -> str:
        """This device's id, made the first time it is asked for."""
        path = self.root / "device.json"
        try:
            return str(json.loads(path.read_text())["device_id"])
        except FileNotFoundError:
            pass
        except (OSError, ValueError, KeyError, TypeError, RecursionError):  # RecursionError: brackets nested deep
            raise CorruptFile(f"{path}: not a readable device file") from None
        self.ensure()
        device = str(uuid.uuid4())
        write_atomically(path, json.dumps({"device_id": device}).encode())
        return device

    # -- study and instruments -------------------------------------------------------
    @property
    def study_path(self) -> Path:
        return self.root / STUDY_FILE

    def instruments(self) -> dict[str, Instrument]:
        from instruments import shipped

        return shipped()

    def require_study(self) -> None:
        """A cheap early check, before anything is parsed."""
        self.require_folder()
        if not self.study_path.exists():
            raise StorageError(f"{self.study_path}: no study here (try `klaspeil demo`)")

    def study(self, instruments: dict[str, Instrument] | None = None) -> Study:
        """The study, checked against `instruments` (default: the shipped bank)."""
        from .study import load_study

        self.require_study()
        return load_study(self.study_path, set(self.instruments() if instruments is None else instruments))

    def install_demo(self) -> None:
        """Put the demo study in this folder unless a study is there already, and the demo's
        made-up names in a key file where the folder holds the demo study and no key file; and
        PIN 1234 unless the folder has a PIN."""
        demo = DEMO_STUDY.read_bytes()
        if not self.study_path.exists():
            self.ensure()
            write_atomically(self.study_path, demo)
        # checked here, not in the roster module: importing it (pydantic) would slow every start
        if not (self.root / KEY_FILE).exists() and self.study_path.read_bytes() == demo:
            from .demo_roster import write_demo_key

            write_demo_key(self)
        # the PIN that stops the demo (its code screen names it), unless the folder has its own
        from .pin import has_pin, set_pin

        if not has_pin(self):
            set_pin(self, DEMO_PIN)

    # -- sessions --------------------------------------------------------------------
    def respondent_folder(self, study: str, wave: str, respondent: str) -> Path:
        return self.root / "sessions" / study / wave / respondent

    def sessions_of(self, study: str, wave: str, respondent: str) -> list[Session]:
        folder = self.respondent_folder(study, wave, respondent)
        if not folder.is_dir():
            return []
        from .session import Session

        return [Session(path) for path in sorted(folder.glob("*.json"))]

    def find_session(self, study: str, wave: str, respondent: str, instrument: str, target: str | None = None) -> Session | None:
        for session in self.sessions_of(study, wave, respondent):
            meta = session.meta
            if meta.instrument == instrument and meta.target == target:
                return session
        return None

    def new_session(self, meta: SessionMeta, *, durable: bool = True) -> Session:
        from .session import Session

        folder = self.respondent_folder(meta.study, meta.wave, meta.respondent)
        return Session.create(folder, meta, durable=durable)

    def session_paths(self) -> Iterator[Path]:
        yield from sorted(self.sessions_folder().glob("*/*/*/*.json"))


def instrument_fingerprint(instrument: Instrument) -> dict[str, str]:
    """What a session records about the instrument it was answered on."""
    from instruments import content_hash

    return {
        "instrument": instrument.id,
        "instrument_version": instrument.version,
        "instrument_hash": content_hash(instrument),
    }
