"""Integrity check of a data folder: every session file readable and consistent with what it claims."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from instruments import InvalidFile, Instrument, content_hash

from .datafolder import DataFolder
from .errors import StorageError
from .session import Session


def check(folder: DataFolder) -> Iterator[str]:
    """One line per problem, each naming the file; nothing when the folder is healthy."""
    if not folder.root.is_dir():
        yield f"{folder.root}: no such data folder"
        return
    instruments = folder.instruments()
    if folder.study_path.exists():
        try:
            folder.study()
        except InvalidFile as error:
            yield from map(str, error.problems)
        except StorageError as error:
            yield str(error)
    seen: dict[str, Path] = {}
    for path in folder.session_paths():
        yield from _check_session(path, instruments, seen)


def _check_session(path: Path, instruments: dict[str, Instrument], seen: dict[str, Path]) -> Iterator[str]:
    try:
        session = Session(path)
        meta = session.meta
        answers = session.history()
    except StorageError as error:
        yield str(error)
        return
    if path.stem != meta.session_id:
        yield f"{path}: file name does not match session id {meta.session_id}"
    if meta.session_id in seen:
        yield f"{path}: session id {meta.session_id} also in {seen[meta.session_id]}"
    seen[meta.session_id] = path
    study, wave, respondent = path.parent.parent.parent.name, path.parent.parent.name, path.parent.name
    if (study, wave, respondent) != (meta.study, meta.wave, meta.respondent):
        yield f"{path}: stored under {study}/{wave}/{respondent} but belongs to {meta.study}/{meta.wave}/{meta.respondent}"
    instrument = instruments.get(meta.instrument)
    if instrument is None:
        yield f"{path}: unknown instrument '{meta.instrument}'"
        return
    if content_hash(instrument) != meta.instrument_hash:
        yield f"{path}: answered on another version of '{meta.instrument}' ({meta.instrument_version}, hash {meta.instrument_hash[:12]}) than this klaspeil knows"
        return
    items = {item.id: instrument.response_for(item) for item in instrument.items}
    if sorted(meta.item_order) != sorted(items):
        yield f"{path}: item order does not list the instrument's items"
    for answer in answers:
        scale = items.get(answer.item)
        if scale is None:
            yield f"{path}: answer to unknown item '{answer.item}'"
        elif answer.value is not None and answer.value not in scale.values:
            yield f"{path}: item '{answer.item}' has value {answer.value} outside {scale.min}..{scale.max}"
