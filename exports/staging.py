"""Whole files and whole folders into --out, never half of one.

A file is written to a temporary name in its folder, fsynced and renamed over the old one.
A folder of files (sav/, dta/, parquet/) is built complete in a hidden folder beside it,
every file fsynced, then swapped in: the old folder renamed aside, the new one renamed in,
the old one removed. A failure before the swap leaves the old folder as it was.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

from storage.atomic import fsync_folder

from .errors import ExportError


def replace_file(path: Path, write: Callable[[Path], None]) -> None:
    """`write(temporary)` writes the file (a library that wants a file name); then it replaces `path`."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    for leftover in path.parent.glob(f".{path.name}.*.tmp"):  # of an export that was killed
        if _dead(leftover):
            leftover.unlink(missing_ok=True)
    try:
        write(temporary)
        _fsync_file(temporary)
        os.chmod(temporary, 0o644)  # exports are for sharing with analysts
        os.replace(temporary, path)
        fsync_folder(path.parent)
    except OSError as error:
        reason = error.strerror or str(error)
        raise ExportError(f"{path}: could not write ({reason}); the previous version is kept") from None
    finally:
        temporary.unlink(missing_ok=True)


def replace_folder(folder: Path, fill: Callable[[Path], list[Path]]) -> list[Path]:
    """`fill(staging)` writes the files into an empty folder and returns them; then it becomes `folder`.

    Returns the paths as they are after the swap (inside `folder`).
    """
    staging = folder.with_name(f".{folder.name}.{os.getpid()}.new")
    aside = folder.with_name(f".{folder.name}.{os.getpid()}.old")
    try:
        _recover(folder)
        staging.mkdir(mode=0o755)
        written = fill(staging)
        _fsync_tree(staging)
        if folder.exists():
            os.rename(folder, aside)
        try:
            os.rename(staging, folder)
        except OSError:
            if aside.exists():
                os.rename(aside, folder)  # put the old one back: --out as it was
            raise
        fsync_folder(folder.parent)
    except OSError as error:
        reason = error.strerror or str(error)
        raise ExportError(f"{folder}: could not write ({reason}); the previous version is kept") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(aside, ignore_errors=True)
    return [folder / path.relative_to(staging) for path in written]


def _recover(folder: Path) -> None:
    """Clear what an export killed half-way left beside `folder`.

    Killed between its two renames, it left the old folder aside and none in place: that
    one goes back. Its unfinished new folder, and an old one next to a folder in place, go.
    A process still running is left alone (an export into the same folder right now).
    """
    old, new = (sorted(folder.parent.glob(f".{folder.name}.*.{kind}")) for kind in ("old", "new"))
    for leftover in [*old, *new]:
        if not _dead(leftover):
            continue
        if leftover.suffix == ".old" and not folder.exists():
            os.rename(leftover, folder)
        else:
            shutil.rmtree(leftover, ignore_errors=True)


def _dead(leftover: Path) -> bool:
    """Left by this process, or by one that is no longer running (`.<name>.<pid>.<kind>`)."""
    owner = leftover.name.split(".")[-2]
    return owner.isdigit() and (int(owner) == os.getpid() or not _running(int(owner)))


def _running(pid: int) -> bool:
    if os.name == "nt":  # signal 0 would end the process there; leave the leftover be
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, but another user's
        return True
    return True


def _fsync_tree(root: Path) -> None:
    """Every file and folder under `root` on disk before the rename makes it visible."""
    for where, _, files in os.walk(root):
        for name in files:
            _fsync_file(Path(where, name))
        fsync_folder(Path(where))


def _fsync_file(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
