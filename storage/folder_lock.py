"""One klaspeil process per data folder: an OS lock on `klaspeil.lock` that dies with the process.

On POSIX the lock is `fcntl.flock` on a file object: the kernel drops it when the process
dies (a kill, a power cut) and when the object is garbage-collected, so a lock never outlives
its holder. This is what filelock does too, without its ~15 ms of imports at every start of
the pupil app (docs/benchmarks.md, start-up); elsewhere (Windows) filelock does the work.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO, Any


class Busy(Exception):
    """The lock is held by another process (or another DataFolder object in this one)."""


class FolderLock:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._held: IO[bytes] | Any | None = None

    def acquire(self) -> None:
        if os.name == "posix":
            import fcntl

            handle = open(self.path, "ab")  # never truncates: the file's content does not matter
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                raise Busy(str(self.path)) from None
            self._held = handle
        else:  # pragma: no cover - not a platform the tests run on
            from filelock import FileLock, Timeout

            lock = FileLock(self.path, timeout=0)
            try:
                lock.acquire()
            except Timeout:
                raise Busy(str(self.path)) from None
            self._held = lock

    def release(self) -> None:
        held, self._held = self._held, None
        if held is None:
            return
        if os.name == "posix":
            held.close()  # closing the last descriptor drops the flock
        else:  # pragma: no cover
            held.release()
