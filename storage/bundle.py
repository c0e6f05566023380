"""Making a bundle: a device's sessions, its study.yaml and a manifest in one file for the office.

Never in a bundle: roster_key.json (the names), researcher.json (the PIN hash), attendance
marks or anything else of the folder. Only study.yaml (codes, no names) and session files
(codes, no names) go in. With a recipient key the whole zip is sealed (bundle_format.py).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .atomic import write_atomically
from .bundle_format import MANIFEST, STUDY, BundledSession, Manifest, seal, sha256
from .check import known_instruments, record_problems
from .errors import CorruptFile, StorageError
from .session import now, parse_session

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

    from .datafolder import DataFolder


class BundleError(StorageError):
    """A bundle that cannot be made or used; the message names the file."""


@dataclass(frozen=True)
class BundleMade:
    path: Path
    manifest: Manifest
    sealed_for: str | None  # the recipient key's fingerprint, None for a plain bundle

    def __str__(self) -> str:
        counts = self.manifest.counts
        how = f"sealed for key {self.sealed_for}" if self.sealed_for else "NOT encrypted (no recipient key)"
        return (f"wrote {self.path}: {counts['sessions']} sessions ({counts['finished']} finished, "
                f"{counts['unfinished']} unfinished) of study {self.manifest.study}, {how}")


def study_recipient(folder: DataFolder) -> X25519PublicKey | None:
    """The study's `bundle_recipient`, or None when study.yaml names none."""
    from .keys import recipient_of

    study = folder.study()
    if study.bundle_recipient is None:
        return None
    return recipient_of(study.bundle_recipient, folder.root, f"{folder.study_path}: bundle_recipient")


def make_bundle(folder: DataFolder, out: Path, recipient: X25519PublicKey | None, *, unfinished: bool = False) -> BundleMade:
    """Write the bundle to `out` atomically; a session file that `klaspeil check` would refuse stops it, with
    check's line (nothing is left out silently, nothing written)."""
    if out.is_dir():
        raise BundleError(f"{out}: is a folder; give a file name such as {out / ('bundle' + '.klaspeil')}")
    if not out.parent.is_dir():
        raise BundleError(f"{out.parent}: no such folder (is the USB stick mounted?)")
    study = folder.study()
    study_bytes = folder.study_path.read_bytes()
    known = known_instruments(folder.instruments())
    seen: dict[str, Path] = {}
    listed: list[BundledSession] = []
    buffer = io.BytesIO()
    skipped = 0
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr(STUDY, study_bytes)
        for path in sorted((folder.sessions_folder() / study.id).glob("*/*/*.json")):
            try:  # a folder or a dangling link named *.json (a damaged stick) is as unreadable as bad bytes
                data = path.read_bytes()
            except OSError as error:
                raise CorruptFile(f"{path}: cannot read ({error.strerror}); run `klaspeil check`, nothing bundled") from None
            try:  # the whole check, answers too: a bad file is caught here, not at the office's merge
                record = parse_session(path, data)
            except CorruptFile as error:
                raise CorruptFile(f"{error}; run `klaspeil check`, nothing bundled") from None
            for problem in record_problems(record, known, seen):
                raise CorruptFile(f"{problem}; run `klaspeil check`, nothing bundled")
            meta = record.meta
            if meta.finished_at is None and not unfinished:
                skipped += 1
                continue
            inside = f"sessions/{meta.study}/{meta.wave}/{meta.respondent}/{meta.session_id}.json"
            archive.writestr(inside, data)
            listed.append(BundledSession(
                session_id=meta.session_id, path=inside, sha256=sha256(data), size=len(data), wave=meta.wave,
                class_id=meta.class_id, audience=meta.audience, finished=meta.finished_at is not None,
            ))
        finished = sum(1 for s in listed if s.finished)
        manifest = Manifest(
            device_id=folder.device_id, study=study.id, created_at=now(), unfinished_included=unfinished,
            sessions=listed,
            counts={"sessions": len(listed), "finished": finished, "unfinished": len(listed) - finished,
                    "unfinished_left_out": skipped},
        )
        archive.writestr(MANIFEST, manifest.model_dump_json(indent=1))
    payload = buffer.getvalue()
    sealed_for = None
    if recipient is not None:
        from .keys import short_fingerprint

        payload = seal(payload, recipient)
        sealed_for = short_fingerprint(recipient)
    write_atomically(out, payload, mode=0o600)
    return BundleMade(out, manifest, sealed_for)


def default_bundle_name(folder: DataFolder) -> str:
    """<study>-<device>-<UTC time>.klaspeil: bundles of many laptops and days side by side on one stick."""
    stamp = now()[:19].replace(":", "").replace("-", "")
    return f"{folder.study().id}-{folder.device_id[:8]}-{stamp}.klaspeil"
