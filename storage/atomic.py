"""Writing a file without ever writing it in place.

A reader (or the next start after a power cut) sees either the old file or the new one,
never half of one: write a temporary file in the same folder, flush, fsync, rename over
the old file with os.replace, then fsync the folder so that the rename itself is durable.
"""

from __future__ import annotations

import errno
import os
import stat
import threading
from pathlib import Path

from .errors import WriteFailed


def write_atomically(path: Path, data: bytes, *, durable: bool = True, mode: int = 0o600) -> None:
    """Replace `path` by `data`. `durable=False` skips fsync (bulk fills in benchmarks only).

    `mode` 0o600 by default: session files are for this user only; exports pass 0o644."""
    _refuse_non_regular(path)
    # one temporary name per process and thread: two writers never share a half-written file
    temporary = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        try:
            view = memoryview(data)
            while view:
                written = os.write(descriptor, view)
                view = view[written:]
            if durable:
                os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.replace(temporary, path)
    except OSError as error:
        _discard(temporary)
        reason = error.strerror or str(error)
        raise WriteFailed(f"{path}: could not save ({reason}); the previous version is kept") from error
    except BaseException:  # Ctrl-C or a bug half-way: the old file stands, leave no temporary behind
        _discard(temporary)
        raise
    if durable:
        try:
            fsync_folder(path.parent)
        except OSError as error:
            reason = error.strerror or str(error)
            raise WriteFailed(f"{path}: written, but the disk did not confirm it ({reason})") from error


def _refuse_non_regular(path: Path) -> None:
    """os.replace would swap a device, FIFO or socket node for a plain file (`--out /dev/full`
    as root replaces the device); a link is fine, since the rename replaces the link, not its target."""
    try:
        found = os.lstat(path).st_mode
    except OSError:  # not there (or not reachable): the write itself reports what is wrong
        return
    if stat.S_ISREG(found) or stat.S_ISLNK(found):
        return
    kind = "a folder" if stat.S_ISDIR(found) else "a device, pipe or socket"
    raise WriteFailed(f"{path}: {kind}, not a regular file; nothing written")


def fsync_folder(folder: Path) -> None:
    """Make a rename or a new file in `folder` durable (a no-op where folders cannot be opened)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:  # Windows cannot open folders; NTFS journals the rename itself
        return
    try:
        os.fsync(descriptor)
    except OSError as error:
        if error.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):  # file systems without folder fsync
            raise
    finally:
        os.close(descriptor)


def _discard(temporary: Path) -> None:
    try:
        temporary.unlink()
    except OSError:
        pass
