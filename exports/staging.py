"""Whole files, whole folders and a whole export into --out, never half of one.

A file is written to a temporary name in its folder, fsynced and renamed over the old one.
A folder of files (sav/, dta/, parquet/) is built complete in a hidden folder beside it,
every file fsynced, then swapped in: the old folder renamed aside, the new one renamed in,
the old one removed. A failure before the swap leaves the old folder as it was.

A whole export is written that way into a hidden folder inside --out (`.export.<pid>.new`),
and only when every format is written do its files and folders move into --out: an export
that fails or is interrupted while writing (minutes) leaves --out as it was, never new CSV
files beside the previous export's .sav files. Only the moves themselves (milliseconds)
are not one step.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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
        with _one_line(path, "the previous version is kept"):
            write(temporary)
            _fsync_file(temporary)
            os.chmod(temporary, 0o644)  # exports are for sharing with analysts
            os.replace(temporary, path)
            fsync_folder(path.parent)
    finally:
        temporary.unlink(missing_ok=True)


def replace_folder(folder: Path, fill: Callable[[Path], list[Path]]) -> list[Path]:
    """`fill(staging)` writes the files into an empty folder and returns them; then it becomes `folder`.

    Returns the paths as they are after the swap (inside `folder`).
    """
    staging = folder.with_name(f".{folder.name}.{os.getpid()}.new")
    try:
        with _one_line(folder, "the previous version is kept"):
            _recover(folder)
            staging.mkdir(mode=0o755)
            written = fill(staging)
            _fsync_tree(staging)
            _swap_in(staging, folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [folder / path.relative_to(staging) for path in written]


def publish(out: Path, fill: Callable[[Path], list[Path]]) -> list[Path]:
    """`fill(staging)` writes the whole export into a hidden folder in `out` and returns its files;
    then each file and folder in it moves into `out`. Returns the paths as they are in `out`.

    Whatever stops `fill` (a refusal, a full disk, Ctrl+C) leaves `out` as it was.
    """
    staging = out / f".export.{os.getpid()}.new"
    try:
        with _one_line(out, "the previous export is kept"):
            _recover_all(out)
            staging.mkdir(mode=0o755)
            written = fill(staging)  # each file fsynced by its writer
            for entry in sorted(staging.iterdir()):
                if entry.is_dir():
                    _swap_in(entry, out / entry.name)
                else:
                    os.replace(entry, out / entry.name)
            fsync_folder(out)
    except ExportError as error:  # a writer's message names the file where the user will look for it
        raise ExportError(str(error).replace(str(staging), str(out))) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [out / path.relative_to(staging) for path in written]


@contextmanager
def _one_line(where: Path, kept: str) -> Iterator[None]:
    """An OSError while writing `where` (a full disk, no permission) as one line for the user."""
    try:
        yield
    except OSError as error:
        raise ExportError(f"{where}: could not write ({error.strerror or error}); {kept}") from None


def _swap_in(staged: Path, folder: Path) -> None:
    """`staged` becomes `folder`: the old one renamed aside, the new one in, the old one removed."""
    aside = folder.with_name(f".{folder.name}.{os.getpid()}.old")
    if folder.exists():
        os.rename(folder, aside)
    try:
        os.rename(staged, folder)
    except OSError:
        if aside.exists():
            os.rename(aside, folder)  # put the old one back: --out as it was
        raise
    fsync_folder(folder.parent)
    shutil.rmtree(aside, ignore_errors=True)


def _recover_all(out: Path) -> None:
    """`_recover` for every folder a killed export left something of in `out` (`.<name>.<pid>.old|new`)."""
    names = {leftover.name.split(".")[1] for kind in ("old", "new") for leftover in out.glob(f".*.*.{kind}")
             if leftover.name.count(".") == 3}
    for name in sorted(names):
        _recover(out / name)


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
