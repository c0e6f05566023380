"""Opening a bundle and verifying every byte of it before anything is merged.

A bundle is refused whole, with one line naming the file, when: it is damaged or truncated,
sealed for another key, its manifest does not list exactly the session files it holds, a
file's SHA-256 differs from the manifest's, a session does not parse, sits under another
path than its own study/wave/respondent/id, or does not fit the shipped instruments
(storage.check.session_problems), or it belongs to another study.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from .bundle import BundleError
from .bundle_format import MANIFEST, MAX_MEMBER, STUDY, BundledSession, Manifest, Unsealed, is_sealed, sha256, unseal
from .check import KnownInstrument, session_problems
from .errors import CorruptFile
from .session import SessionRecord, parse_session

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey


@dataclass(frozen=True)
class OpenedBundle:
    path: Path
    sha256: str  # of the bundle file's bytes: a bundle merged before is known by it
    sealed: bool
    manifest: Manifest
    study_yaml: bytes
    archive: zipfile.ZipFile  # over the decrypted zip, in memory; its directory read once

    def read(self, name: str) -> bytes:
        return member(self.path, self.archive, name)


@dataclass(frozen=True, slots=True)
class Verified:
    """One session of a bundle, checked: what a merge needs to choose between versions (slots and
    no reference to the manifest: a merge of 100,000 sessions holds one of these per session)."""

    session_id: str
    path: str  # inside the bundle
    sha256: str
    wave: str
    class_id: str
    respondent: str
    answered: int  # items with a current answer
    updated_at: str


def refuse(path: Path, reason: str) -> BundleError:
    return BundleError(f"{path}: {reason}; nothing merged")


def read_bundle_bytes(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise refuse(path, f"cannot read it ({error.strerror})") from None


def open_bundle(path: Path, data: bytes, private: X25519PrivateKey | None) -> OpenedBundle:
    """Decrypt (when sealed) and read the manifest and study.yaml; sessions are checked by `verify`."""
    sealed = is_sealed(data)
    payload = data
    if sealed:
        try:
            payload = unseal(data, private)
        except Unsealed as reason:
            raise refuse(path, str(reason)) from None
    try:
        archive = zipfile.ZipFile(io.BytesIO(payload))
    except zipfile.BadZipFile:
        what = "damaged or truncated (the zip inside does not open)" if sealed else "not a klaspeil bundle, or damaged or truncated"
        raise refuse(path, what) from None
    try:
        manifest = Manifest.model_validate_json(member(path, archive, MANIFEST))
    except ValidationError as error:
        problem = error.errors()[0]
        raise refuse(path, f"manifest {'.'.join(map(str, problem['loc']))}: {problem['msg']}") from None
    return OpenedBundle(Path(path), sha256(data), sealed, manifest, member(path, archive, STUDY), archive)


def member(path: Path, archive: zipfile.ZipFile, name: str) -> bytes:
    """One file of a bundle's zip, read whole (its CRC checked by zipfile); refuses the bundle if it cannot be."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise refuse(path, f"holds no {name}") from None
    if info.file_size > MAX_MEMBER:
        raise refuse(path, f"{name} is implausibly large ({info.file_size} bytes)")
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, zlib.error, NotImplementedError) as error:
        # a CRC mismatch, a cut-off member, a flipped bit in the compressed bytes (zlib.error) or in the
        # compression method (NotImplementedError): the file changed after it was made
        raise refuse(path, f"damaged: {name} cannot be read ({error})") from None


def verify(bundle: OpenedBundle, known: Mapping[str, KnownInstrument], waves: set[str]) -> Iterator[Verified]:
    """Every session of the bundle, checked as `klaspeil check` would; the first problem refuses it."""
    path, manifest = bundle.path, bundle.manifest
    archive = bundle.archive
    listed_paths = {entry.path for entry in manifest.sessions}
    held = {name for name in archive.namelist() if name not in (MANIFEST, STUDY)}
    if held != listed_paths or len(listed_paths) != len(manifest.sessions):
        extra = sorted(held - listed_paths) or sorted(listed_paths - held) or ["a session listed twice"]
        raise refuse(path, f"manifest and contents disagree ({extra[0]})")
    for entry in manifest.sessions:
        data = member(path, archive, entry.path)
        if sha256(data) != entry.sha256:
            raise refuse(path, f"{entry.path} changed after the bundle was made (SHA-256 differs from the manifest)")
        record = _parse(path, entry, data)  # ids that could climb out of sessions/ are refused here (SessionMeta)
        meta = record.meta
        if meta.study != manifest.study:
            raise refuse(path, f"{entry.path} belongs to study {meta.study}, the bundle to {manifest.study}")
        expected = f"sessions/{meta.study}/{meta.wave}/{meta.respondent}/{meta.session_id}.json"
        if entry.path != expected or entry.session_id != meta.session_id or entry.wave != meta.wave:
            raise refuse(path, f"{entry.path}: stored under another name than its own ({expected})")
        if meta.wave not in waves:
            raise refuse(path, f"{entry.path}: wave '{meta.wave}' is not in the dataset's study.yaml")
        for problem in session_problems(record, known):
            raise refuse(path, problem)
        answered = sum(1 for value in record.answers().values() if value is not None)
        yield Verified(entry.session_id, entry.path, entry.sha256, meta.wave, meta.class_id, meta.respondent,
                       answered, record.updated_at)


def _parse(path: Path, entry: BundledSession, data: bytes) -> SessionRecord:
    where = Path(f"{path}:{entry.path}")
    try:
        return parse_session(where, data)
    except CorruptFile as error:
        raise refuse(path, str(error).removeprefix(f"{path}:")) from None


def answered_and_updated(where: Path, data: bytes) -> tuple[int, str]:
    """For a version already in the dataset: how many answers it has, and when it last changed.
    An unreadable file counts as no answers (any readable version wins over it)."""
    try:
        record = parse_session(where, data)
    except CorruptFile:
        return -1, ""
    return sum(1 for value in record.answers().values() if value is not None), record.updated_at
