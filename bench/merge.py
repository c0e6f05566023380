"""Merge: 500 sealed bundles holding 100,000 sessions into an empty dataset, then the same bundles again.

    .venv/bin/python bench/merge.py [--bundles 500] [--sessions 100000] [--small] [--out FILE] [--keep DIR]

The sessions are made cheaply but are real session files: `klaspeil simulate` writes a small
study once (3 classes x 10 pupils x 2 waves); its finished session files are the templates,
copied with a new session id and a respondent code of their own per bundle, so every session
is unique and passes the merge's checks (instruments, hashes, placement). Each bundle is a
sealed bundle as `klaspeil bundle --recipient` writes it (storage.bundle_format: manifest, zip,
X25519 + AES-256-GCM).

Each merge runs in a fresh child process (`storage.merge.merge`, as `klaspeil merge` runs it),
which reports its wall time and peak resident memory (ru_maxrss), so the bundle making does
not count. Three runs, side by side:
- first: into an empty dataset (verify everything, write every session, sync once);
- again: the same bundles (known by their SHA-256 in merge_index.json: nothing is opened);
- again without the index: the index deleted, every bundle opened and verified, every session
  compared with the dataset's file by SHA-256 (what a re-merge costs when the index is lost).
Target: `again` at most a tenth of `first`. `--small` makes 20 bundles of 2,000 sessions.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from pathlib import Path

from common import machine, publish, table

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
PASSPHRASE = "bench passphrase"
TARGET = 0.1


def templates(root: Path) -> tuple[bytes, list[dict]]:
    """The study and the finished sessions of a small simulated study."""
    from storage import DataFolder
    from storage.simulate import simulate

    folder = DataFolder(root / "template").lock()
    try:
        simulate(folder, classes=3, pupils=10, waves=2, seed=7)
    finally:
        folder.unlock()
    sessions = [json.loads(path.read_bytes()) for path in folder.session_paths()]
    return folder.study_path.read_bytes(), [s for s in sessions if s["meta"]["1"]["finished_at"]]


def make_bundles(root: Path, count: int, sessions: int, study: bytes, kinds: list[dict]) -> tuple[list[Path], Path]:
    from storage.bundle_format import BundledSession, Manifest, seal, sha256
    from storage.keys import generate, load_public

    private, public, _ = generate(root / "keys", PASSPHRASE)
    recipient = load_public(public)
    (root / "usb").mkdir()
    paths: list[Path] = []
    made = 0
    for number in range(count):
        share = sessions // count + (1 if number < sessions % count else 0)
        listed: list[BundledSession] = []
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
            archive.writestr("study.yaml", study)
            for n in range(share):
                document = json.loads(json.dumps(kinds[(made + n) % len(kinds)]))
                meta = document["meta"]["1"]
                meta["session_id"] = str(uuid.uuid4())
                meta["respondent"] = f"{meta['respondent']}{number:03d}"
                data = json.dumps(document, separators=(",", ":")).encode()
                inside = f"sessions/{meta['study']}/{meta['wave']}/{meta['respondent']}/{meta['session_id']}.json"
                archive.writestr(inside, data)
                listed.append(BundledSession(session_id=meta["session_id"], path=inside, sha256=sha256(data),
                                             size=len(data), wave=meta["wave"], class_id=meta["class_id"],
                                             audience=meta["audience"], finished=True))
            manifest = Manifest(device_id=f"bench-{number}", study="sim", created_at="2026-12-07T00:00:00+00:00",
                                unfinished_included=False, sessions=listed,
                                counts={"sessions": share, "finished": share, "unfinished": 0})
            archive.writestr("manifest.json", manifest.model_dump_json())
        made += share
        path = root / "usb" / f"laptop{number:03d}.klaspeil"
        path.write_bytes(seal(buffer.getvalue(), recipient))
        paths.append(path)
    return paths, private


def child(dataset: Path, key: Path, bundles: list[Path]) -> None:
    """One merge, as `klaspeil merge` runs it; prints its time and peak memory as JSON."""
    from storage import DataFolder
    from storage.keys import load_private
    from storage.merge import merge

    private = load_private(key, PASSPHRASE)
    folder = DataFolder(dataset).lock()
    started = time.perf_counter()
    report = merge(folder, bundles, private)
    seconds = time.perf_counter() - started
    folder.unlock()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    print(json.dumps({"seconds": seconds, "peak_bytes": peak, "new": sum(report.new.values()),
                      "unchanged": sum(report.unchanged.values()), "known": report.bundles_known}))


def run_child(dataset: Path, key: Path, usb: Path) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", str(dataset), str(key), str(usb)],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bundles", type=int, default=500)
    parser.add_argument("--sessions", type=int, default=100_000)
    parser.add_argument("--small", action="store_true", help="20 bundles, 2,000 sessions: a quick check")
    parser.add_argument("--out", type=Path, help="write the results as a markdown fragment here")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one, removed)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        dataset, key, usb = args.child
        child(Path(dataset), Path(key), sorted(Path(usb).glob("*.klaspeil")))
        return
    if args.small:
        args.bundles, args.sessions = 20, 2000
    root = Path(tempfile.mkdtemp(prefix="bench-merge-")) if args.keep is None else args.keep
    root.mkdir(parents=True, exist_ok=True)
    try:
        started = time.perf_counter()
        study, kinds = templates(root)
        bundles, key = make_bundles(root, args.bundles, args.sessions, study, kinds)
        size = sum(path.stat().st_size for path in bundles)
        print(f"made {len(bundles)} bundles, {args.sessions:,} sessions, {size / 1e6:.0f} MB "
              f"in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        dataset = root / "dataset"
        first = run_child(dataset, key, root / "usb")
        print(f"first: {first}", file=sys.stderr)
        again = run_child(dataset, key, root / "usb")
        print(f"again: {again}", file=sys.stderr)
        (dataset / "merge_index.json").unlink()
        lost = run_child(dataset, key, root / "usb")
        print(f"again without index: {lost}", file=sys.stderr)
        assert first["new"] == args.sessions and again["known"] == len(bundles) and lost["unchanged"] == args.sessions
        publish(report(args, size, first, again, lost, root), args.out)
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


def report(args: argparse.Namespace, size: int, first: dict, again: dict, lost: dict, root: Path) -> list[str]:
    rows = []
    for name, run in (("first merge (empty dataset)", first), ("same bundles again", again),
                      ("again, index deleted", lost)):
        rows.append([name, f"{run['seconds']:.2f}", f"{run['seconds'] / first['seconds']:.3f}",
                     f"{run['peak_bytes'] / 2**20:.0f}", f"{run['new']:,}", f"{run['unchanged']:,}",
                     str(run["known"])])
    ratio = again["seconds"] / first["seconds"]
    verdict = "met" if ratio <= TARGET else "MISSED"
    return [
        f"{args.bundles} sealed bundles, {args.sessions:,} sessions, {size / 1e6:.0f} MB of bundles; "
        f"each merge in a fresh process (`storage.merge.merge`, as `klaspeil merge` runs it).",
        "",
        *machine(root),
        "",
        *table(["run", "seconds", "ratio to first", "peak RSS MB", "new", "unchanged", "bundles skipped"], rows),
        "",
        f"Re-merge / first merge: {ratio:.4f} (target <= {TARGET}): {verdict}.",
    ]


if __name__ == "__main__":
    main()
