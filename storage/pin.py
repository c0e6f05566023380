"""The researcher PIN: set on first use, kept only as a salted argon2 hash.

The PIN guards set-up, the dashboard and leaving kiosk mode on a laptop that pupils use; it
is a speed bump against a curious pupil, not encryption of the data. `<data>/researcher.json`
holds the hash (argon2 encodes the salt and parameters in it), never the PIN itself.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from .atomic import write_atomically
from .errors import CorruptFile, StorageError

if TYPE_CHECKING:
    from argon2 import PasswordHasher

    from .datafolder import DataFolder

RESEARCHER_FILE = "researcher.json"
PIN_FORMAT = re.compile(r"[0-9]{4,12}")
ATTEMPTS = 3  # wrong PINs in a row before the gate closes
LOCKOUT_SECONDS = 60.0


class InvalidPin(StorageError):
    """A PIN that cannot be set: not 4-12 digits."""


def _hasher() -> PasswordHasher:  # argon2 loads only when a PIN is set or checked, not with every command
    from argon2 import PasswordHasher

    return PasswordHasher()


def _check_format(pin: str) -> None:
    if not PIN_FORMAT.fullmatch(pin):
        raise InvalidPin("a PIN is 4 to 12 digits (0-9)")


def set_pin(folder: DataFolder, pin: str) -> None:
    """Store the hash of `pin` (replacing any earlier PIN). The caller holds the folder's lock."""
    _check_format(pin)
    folder.ensure()
    document = {"pin_hash": _hasher().hash(pin)}
    write_atomically(folder.root / RESEARCHER_FILE, (json.dumps(document, indent=1) + "\n").encode(), mode=0o600)


def _stored_hash(folder: DataFolder) -> str | None:
    path = folder.root / RESEARCHER_FILE
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, RecursionError):  # RecursionError: brackets nested deep
        raise CorruptFile(f"{path}: not a readable researcher file") from None
    stored = document.get("pin_hash") if isinstance(document, dict) else None
    if not isinstance(stored, str) or not stored.startswith("$argon2"):
        raise CorruptFile(f"{path}: holds no PIN hash (set one with `klaspeil pin set`)")
    return stored


def has_pin(folder: DataFolder) -> bool:
    return _stored_hash(folder) is not None


def verify_pin(folder: DataFolder, pin: str) -> bool:
    """True when `pin` is the researcher's PIN; False when wrong or when no PIN was set."""
    from argon2.exceptions import InvalidHashError, VerificationError

    stored = _stored_hash(folder)
    if stored is None or not PIN_FORMAT.fullmatch(pin):
        return False
    try:
        return _hasher().verify(stored, pin)
    except VerificationError:
        return False
    except InvalidHashError:
        raise CorruptFile(f"{folder.root / RESEARCHER_FILE}: the PIN hash is damaged") from None


class PinGate:
    """Asks `verify_pin`, but after ATTEMPTS wrong PINs in a row refuses every PIN, right or
    wrong, for LOCKOUT_SECONDS, so guessing a 4-digit PIN takes days, not minutes."""

    def __init__(self, folder: DataFolder, clock: Callable[[], float] = time.monotonic) -> None:
        self.folder = folder
        self._clock = clock
        self._wrong = 0
        self._closed_until: float | None = None

    def seconds_locked(self) -> float:
        """Seconds until PINs are accepted again; 0 when the gate is open."""
        if self._closed_until is None:
            return 0.0
        left = self._closed_until - self._clock()
        if left <= 0:
            self._closed_until = None
            return 0.0
        return left

    @property
    def locked(self) -> bool:
        return self.seconds_locked() > 0

    def try_pin(self, pin: str) -> bool:
        """True when the gate is open and `pin` is right; every refusal counts as no."""
        if self.locked:
            return False
        if verify_pin(self.folder, pin):
            self._wrong = 0
            return True
        self._wrong += 1
        if self._wrong >= ATTEMPTS:
            self._wrong = 0
            self._closed_until = self._clock() + LOCKOUT_SECONDS
        return False
