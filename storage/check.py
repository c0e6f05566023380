"""Integrity check of a data folder: every session file readable and consistent with what it claims.

`session_problems` is also what `klaspeil export` checks before it scores a session: an
answer scored against the wrong items would be a silent error in someone's analysis.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from instruments import InvalidFile, Instrument, Item, content_hash

from .datafolder import DataFolder
from .errors import StorageError
from .session import SessionRecord, read_session


@dataclass(frozen=True)
class KnownInstrument:
    """What a session must match to be scored against an instrument (hashed once, not per session)."""

    instrument: Instrument
    content_hash: str
    items: dict[str, Item]  # in the instrument's order
    sorted_items: list[str]  # what a session's item_order must hold, sorted once
    whole_numbers: dict[str, range]  # the codes or numbers each non-text item accepts

    @classmethod
    def of(cls, instrument: Instrument) -> KnownInstrument:
        items = {item.id: item for item in instrument.items}
        numbers = {item.id: allowed for item in instrument.items if (allowed := instrument.allowed_values(item)) is not None}
        return cls(instrument, content_hash(instrument), items, sorted(items), numbers)


def known_instruments(instruments: Mapping[str, Instrument]) -> dict[str, KnownInstrument]:
    return {name: KnownInstrument.of(instrument) for name, instrument in instruments.items()}


def check(folder: DataFolder) -> Iterator[str]:
    """One line per problem, each naming the file; nothing when the folder is healthy."""
    if not folder.root.is_dir():
        yield f"{folder.root}: no such data folder"
        return
    known = known_instruments(folder.instruments())
    if folder.study_path.exists():
        try:
            folder.study()
        except InvalidFile as error:
            yield from map(str, error.problems)
        except StorageError as error:
            yield str(error)
    seen: dict[str, Path] = {}
    for path in folder.session_paths():
        try:
            record = read_session(path)
        except StorageError as error:
            yield str(error)
            continue
        yield from record_problems(record, known, seen)


def record_problems(record: SessionRecord, known: Mapping[str, KnownInstrument], seen: dict[str, Path]) -> Iterator[str]:
    """Everything `klaspeil check` says about one readable session file; `klaspeil bundle` and
    `klaspeil status` refuse on the first, so a file check refuses is refused everywhere."""
    yield from placement_problems(record, seen)
    yield from session_problems(record, known)


def placement_problems(record: SessionRecord, seen: dict[str, Path]) -> Iterator[str]:
    """A session stored where it claims to belong, under its own id, and only once (`seen` grows)."""
    path, meta = record.path, record.meta
    if path.stem != meta.session_id:
        yield f"{path}: file name does not match session id {meta.session_id}"
    if meta.session_id in seen:
        yield f"{path}: session id {meta.session_id} also in {seen[meta.session_id]}"
    seen[meta.session_id] = path
    study, wave, respondent = path.parent.parent.parent.name, path.parent.parent.name, path.parent.name
    if (study, wave, respondent) != (meta.study, meta.wave, meta.respondent):
        yield f"{path}: stored under {study}/{wave}/{respondent} but belongs to {meta.study}/{meta.wave}/{meta.respondent}"


def session_problems(record: SessionRecord, known: Mapping[str, KnownInstrument]) -> Iterator[str]:
    """A session answered on an instrument this klaspeil knows, in this version, within its ranges."""
    path, meta = record.path, record.meta
    instrument = known.get(meta.instrument)
    if instrument is None:
        yield f"{path}: unknown instrument '{meta.instrument}'; this klaspeil cannot score it"
        return
    if instrument.content_hash != meta.instrument_hash:
        yield (
            f"{path}: answered on another version of '{meta.instrument}' ({meta.instrument_version}, "
            f"hash {meta.instrument_hash[:12]}) than this klaspeil knows ({instrument.instrument.version}, "
            f"hash {instrument.content_hash[:12]})"
        )
        return
    if sorted(meta.item_order) != instrument.sorted_items:
        yield f"{path}: item order does not list the instrument's items"
    numbers = instrument.whole_numbers
    for answer in record.history:
        value = answer.value
        # the common case first, without building a message: a code in range (exports check 100,000s)
        if type(value) is int and value in numbers.get(answer.item, ()):
            continue
        item = instrument.items.get(answer.item)
        if item is None:
            yield f"{path}: answer to unknown item {answer.item!r}"  # repr: a newline in it would break the one line
        elif problem := instrument.instrument.answer_problem(item, answer.value):
            yield f"{path}: {problem}"
