"""Merging bundles into a study dataset: all verified before anything changes, nothing twice.

1. Every bundle is read, decrypted and verified completely (bundle_read.py); the first
   problem refuses the whole merge and the dataset stays as it was. A bundle whose bytes
   were merged before (its SHA-256 is in the index) is skipped without opening.
2. Per session id: the same content as the dataset's -> unchanged; new -> written; another
   content -> a conflict: the version with the most answers, then the latest change, wins
   (then the larger SHA-256, so the choice does not depend on the order of the bundles), and
   every version is kept in conflicts/<session_id>/<sha256>.json.
3. Files are replaced atomically, synced once at the end, and then the index
   (merge_index.json: bundle hashes, session id -> SHA-256) is written, so a re-merge reads
   neither the bundles' contents nor the dataset's session files.

The caller holds the dataset folder's lock.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, ValidationError

from instruments.problems import InvalidFile

from .atomic import fsync_folder, write_atomically
from .bundle_format import sha256
from .bundle_read import OpenedBundle, Verified, answered_and_updated, member, open_bundle, read_bundle_bytes, refuse, verify
from .check import KnownInstrument, known_instruments
from .errors import CorruptFile
from .merge_report import Conflict, MergeReport
from .session import now

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    from .datafolder import DataFolder

INDEX = "merge_index.json"
CONFLICTS = "conflicts"
Progress = Callable[[str, int, int], None]  # stage ("verify", "write"), done, total


class MergedBundle(BaseModel):
    model_config = ConfigDict(extra="forbid")
    file: str
    merged_at: str
    sessions: int


class MergeIndex(BaseModel):
    """What was merged: bundle file hashes and each session's current SHA-256."""

    model_config = ConfigDict(extra="forbid")
    format: int = 1
    bundles: dict[str, MergedBundle] = {}
    sessions: dict[str, str] = {}

    @classmethod
    def load(cls, folder: DataFolder) -> MergeIndex:
        path = folder.root / INDEX
        try:
            return cls.model_validate_json(path.read_bytes())
        except FileNotFoundError:
            return cls()
        except (OSError, ValidationError):
            raise CorruptFile(f"{path}: not a readable merge index; move it away and merge again "
                              "(every bundle is then checked against the dataset's files)") from None


@dataclass(frozen=True, slots=True)
class Version:
    sha256: str
    answered: int
    updated_at: str
    bundle: int | None  # index into the opened bundles; None: the dataset's own file
    session: Verified | None


@dataclass(frozen=True)
class Source:
    """A verified bundle as the merge keeps it: its zip (decrypted, in memory), not its manifest."""

    path: Path
    sha256: str
    study_yaml: bytes
    archive: zipfile.ZipFile
    sessions: int

    def read(self, name: str) -> bytes:
        return member(self.path, self.archive, name)


@dataclass
class Verification:
    """Step 1's result: every bundle given, verified, and what the dataset is."""

    sources: list[Source]
    sessions: list[list[Verified]]  # per source
    study_id: str
    new_study: bytes | None  # the dataset had no study.yaml: the first bundle's
    dataset_study: bytes | None
    known_bundles: int


def merge(folder: DataFolder, bundles: Sequence[Path], private: X25519PrivateKey | None,
          progress: Progress | None = None) -> MergeReport:
    report = MergeReport(folder.root, bundles=len(bundles))
    index = MergeIndex.load(folder)
    checked = _verify_all(folder, bundles, private, index, progress)
    report.bundles_known, report.bundles_merged = checked.known_bundles, len(checked.sources)
    plan = _plan(folder, checked.study_id, index, checked.sources, checked.sessions, report)
    checked.sessions.clear()
    if checked.new_study is not None:
        folder.ensure()
        write_atomically(folder.study_path, checked.new_study)
        report.study_created = True
    touched = _write(plan, checked.sources, progress)
    for bundle in checked.sources:
        if checked.dataset_study is not None and bundle.study_yaml != checked.dataset_study:
            aside = folder.root / CONFLICTS / "study" / f"{sha256(bundle.study_yaml)}.yaml"
            if not aside.exists():
                aside.parent.mkdir(parents=True, exist_ok=True)
                write_atomically(aside, bundle.study_yaml, durable=False)
                touched.add(aside.parent)
            report.study_differs.append(bundle.path.name)
    if touched:
        _sync(touched)
    # the index last: a crash before this line leaves files the next merge recognises by content
    if checked.sources:
        index.sessions.update(plan.index_updates)
        for bundle in checked.sources:
            index.bundles[bundle.sha256] = MergedBundle(file=bundle.path.name, merged_at=now(), sessions=bundle.sessions)
        folder.ensure()
        write_atomically(folder.root / INDEX, index.model_dump_json().encode())
    report.total_sessions = len(index.sessions)
    return report


def _verify_all(folder: DataFolder, bundles: Sequence[Path], private: X25519PrivateKey | None,
                index: MergeIndex, progress: Progress | None) -> Verification:
    """Open and check every bundle; the first problem raises and nothing has been written."""
    checked = Verification([], [], "", None, None, 0)
    known: dict[str, KnownInstrument] | None = None  # loaded once a bundle needs opening: a re-merge needs none
    waves: set[str] = set()
    seen: set[str] = set()
    for number, path in enumerate(bundles, 1):
        data = read_bundle_bytes(path)
        digest = sha256(data)
        if digest in index.bundles or digest in seen:
            checked.known_bundles += 1
        else:
            seen.add(digest)
            if known is None:
                known = known_instruments(folder.instruments())
                if folder.study_path.exists():
                    study = folder.study()
                    checked.study_id, waves = study.id, {w.id for w in study.waves}
                    checked.dataset_study = folder.study_path.read_bytes()
            bundle = open_bundle(path, data, private)
            if not checked.study_id:
                checked.study_id, waves = _study_of(bundle, set(known))
                checked.new_study = checked.dataset_study = bundle.study_yaml
            elif bundle.manifest.study != checked.study_id:
                raise refuse(path, f"is for study '{bundle.manifest.study}', the dataset holds study '{checked.study_id}'")
            checked.sessions.append(list(verify(bundle, known, waves)))
            checked.sources.append(Source(bundle.path, digest, bundle.study_yaml, bundle.archive,
                                          len(checked.sessions[-1])))
        del data
        if progress:
            progress("verify", number, len(bundles))
    return checked


def _write(plan: Plan, sources: list[Source], progress: Progress | None) -> set[Path]:
    """The planned sessions and the versions kept aside, each replaced atomically (synced later)."""
    touched: set[Path] = set()
    writes = sorted(plan.writes, key=lambda write: write[1])  # bundle by bundle
    total = len(writes) + len(plan.aside)
    jobs = [(target, lambda s=sources[n], p=session.path: s.read(p)) for target, n, session in writes]
    for done, (target, content) in enumerate([*jobs, *plan.aside], 1):
        if target.parent not in touched:
            target.parent.mkdir(parents=True, exist_ok=True)
            touched.add(target.parent)
        write_atomically(target, content() if callable(content) else content, durable=False)
        if progress and (done % 200 == 0 or done == total):
            progress("write", done, total)
    return touched


@dataclass
class Plan:
    writes: list[tuple[Path, int, Verified]]
    aside: list[tuple[Path, bytes | Callable[[], bytes]]]
    index_updates: dict[str, str]


def _dataset_bytes(target: Path) -> bytes:
    """A session file of the dataset, read whole; one that cannot be (a folder of that name) stops the merge."""
    try:
        return target.read_bytes()
    except OSError as error:
        raise CorruptFile(f"{target}: cannot read ({error.strerror}); run `klaspeil check`, nothing merged") from None


def _plan(folder: DataFolder, study_id: str, index: MergeIndex, opened: list[Source],
          verified: list[list[Verified]], report: MergeReport) -> Plan:
    offered: dict[str, dict[str, Version]] = {}
    for number, sessions in enumerate(verified):
        for session in sessions:
            versions = offered.setdefault(session.session_id, {})
            versions.setdefault(session.sha256, Version(session.sha256, session.answered,
                                                        session.updated_at, number, session))
    plan = Plan([], [], {})
    for session_id, versions in offered.items():
        first = next(iter(versions.values())).session
        assert first is not None
        where = (first.wave, first.class_id)
        target = folder.respondent_folder(study_id, first.wave, first.respondent) / f"{session_id}.json"
        aside = folder.root / CONFLICTS / session_id
        current = index.sessions.get(session_id)
        current_bytes: bytes | None = None
        if current is None and target.exists():
            current_bytes = _dataset_bytes(target)
            current = sha256(current_bytes)
        fresh = [v for v in versions.values() if v.sha256 != current and not (aside / f"{v.sha256}.json").exists()]
        if current is not None and not fresh:
            report.unchanged[where] += 1
            plan.index_updates[session_id] = current
            continue
        if current is None and len(versions) == 1:
            report.new[where] += 1
            plan.writes.append((target, first_bundle(versions), first))
            plan.index_updates[session_id] = first.sha256
            continue
        candidates = list(versions.values())
        if current is not None:
            if current_bytes is None:
                current_bytes = _dataset_bytes(target) if target.exists() else b""
            answered, updated = answered_and_updated(target, current_bytes)
            candidates.append(Version(current, answered, updated, None, None))
        winner = max(candidates, key=lambda v: (v.answered, v.updated_at, v.sha256))
        if winner.bundle is not None and winner.sha256 != current:
            assert winner.session is not None
            plan.writes.append((target, winner.bundle, winner.session))
        for version in candidates:
            kept = aside / f"{version.sha256}.json"
            if kept.exists():
                continue
            if version.bundle is None:
                plan.aside.append((kept, current_bytes or b""))
            else:
                source = opened[version.bundle]
                path = version.session.path if version.session else ""
                plan.aside.append((kept, lambda source=source, path=path: source.read(path)))
        plan.index_updates[session_id] = winner.sha256
        report.conflicting[where] += 1
        report.conflicts.append(Conflict(session_id, where[0], where[1], first.respondent, winner.sha256,
                                         winner.answered, winner.updated_at, len(candidates), aside))
    return plan


def first_bundle(versions: dict[str, Version]) -> int:
    bundle = next(iter(versions.values())).bundle
    assert bundle is not None
    return bundle


def _study_of(bundle: OpenedBundle, instruments: set[str]) -> tuple[str, set[str]]:
    """The study of a bundle merged into an empty dataset: it must load like any study.yaml."""
    from .study import load_study

    with tempfile.TemporaryDirectory() as temporary:
        path = Path(temporary) / "study.yaml"
        path.write_bytes(bundle.study_yaml)
        try:
            study = load_study(path, instruments)
        except InvalidFile as error:
            problem = error.problems[0]
            raise refuse(bundle.path, f"its study.yaml line {problem.line}: {problem.message}") from None
    if study.id != bundle.manifest.study:
        raise refuse(bundle.path, f"its manifest says study '{bundle.manifest.study}', its study.yaml '{study.id}'")
    return study.id, {w.id for w in study.waves}


def _sync(folders: set[Path]) -> None:
    """One sync for thousands of files instead of an fsync per file, then the folders' renames."""
    if hasattr(os, "sync"):
        os.sync()
    for folder in folders:
        fsync_folder(folder)
