"""Merging bundles: two laptops into one dataset, the same bundles again (nothing changes),
every kind of bad bundle refused whole with one line and the dataset unchanged to the byte,
and a session with two contents kept both ways."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest

from storage import DataFolder
from storage.bundle import make_bundle
from storage.bundle_format import MANIFEST
from storage.errors import StorageError
from storage.keys import generate, load_private, load_public
from storage.merge import merge
from storage.session import Session, read_session
from command import klaspeil
from test_bundle import PASSPHRASE, keys, klaspeil_with, laptop, session_ids, simulated, tree_hashes  # noqa: F401


@pytest.fixture
def two_laptops(simulated: Path, tmp_path: Path, keys: tuple[Path, Path]) -> tuple[Path, Path]:
    """Laptop A without class c2's sessions, laptop B without c1's; both hold the team's. Sealed bundles."""
    public = load_public(keys[1])
    (tmp_path / "usb").mkdir()
    a = make_bundle(laptop(simulated, tmp_path / "a", "c2"), tmp_path / "usb" / "a.klaspeil", public, unfinished=True)
    b = make_bundle(laptop(simulated, tmp_path / "b", "c1"), tmp_path / "usb" / "b.klaspeil", public, unfinished=True)
    return a.path, b.path


def without_index(hashes: dict[str, str]) -> dict[str, str]:
    """The dataset's files but the merge index (a new bundle's hash is added to it)."""
    return {name: digest for name, digest in hashes.items() if name != "merge_index.json"}


def merge_cli(*bundles: Path, into: Path, key: Path, passphrase: str = PASSPHRASE):
    return klaspeil_with(passphrase + "\n", "merge", *bundles, "--into", into, "--key", key, "--passphrase-stdin")


def test_two_laptops_merged_then_merged_again_change_nothing(
    simulated: Path, tmp_path: Path, two_laptops: tuple[Path, Path], keys: tuple[Path, Path]
) -> None:
    dataset = tmp_path / "dataset"
    first = merge_cli(*two_laptops, into=dataset, key=keys[0])
    assert first.returncode == 0, first.stderr
    everything = session_ids(simulated)
    assert session_ids(dataset) == everything  # the union, each session once (team sessions were on both)
    team = sum(1 for p in (simulated / "sessions").glob("*/*/*/*.json") if read_session(p).meta.audience == "team")
    assert team > 0
    # each session counted once, though the team's were in both bundles
    assert f"{len(everything)} new, 0 unchanged, 0 conflicting" in first.stdout
    assert "w1         c1" in first.stdout and "w2         c2" in first.stdout  # per wave and class
    for path in (simulated / "sessions").glob("*/*/*/*.json"):  # byte for byte where it belongs
        assert (dataset / path.relative_to(simulated)).read_bytes() == path.read_bytes()
    before = tree_hashes(dataset)
    again = merge_cli(*two_laptops, into=dataset, key=keys[0])
    assert again.returncode == 0, again.stderr
    assert "0 new, 0 unchanged, 0 conflicting" in again.stdout and "2 merged before (skipped)" in again.stdout
    assert tree_hashes(dataset) == before
    checked = klaspeil("check", "--data", dataset)
    assert checked.returncode == 0, checked.stdout
    exported = klaspeil("export", "--data", dataset, "--out", tmp_path / "export")
    assert exported.returncode == 0, exported.stderr
    assert (tmp_path / "export" / "items_long.csv").exists()


def test_a_new_bundle_with_known_sessions_adds_only_what_is_new(
    simulated: Path, tmp_path: Path, two_laptops: tuple[Path, Path], keys: tuple[Path, Path]
) -> None:
    private = load_private(keys[0], PASSPHRASE)
    dataset = DataFolder(tmp_path / "dataset")
    merge(dataset, [two_laptops[0]], private)
    before = without_index(tree_hashes(dataset.root))
    # the next day laptop A bundles everything again, with no new session: all unchanged
    day2 = make_bundle(DataFolder(tmp_path / "a"), tmp_path / "a-day2.klaspeil", load_public(keys[1]), unfinished=True)
    report = merge(dataset, [day2.path], private)
    assert sum(report.unchanged.values()) == len(day2.manifest.sessions) and not report.new and not report.conflicts
    assert without_index(tree_hashes(dataset.root)) == before
    # without the index (deleted), the dataset's own files are compared: still nothing new
    (dataset.root / "merge_index.json").unlink()
    report = merge(dataset, [two_laptops[0]], private)
    assert not report.new and not report.conflicts and sum(report.unchanged.values()) > 0


def flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:]


DAMAGES = {
    "magic": lambda d: flip(d, 3),
    "fingerprint": lambda d: flip(d, 20),
    "ephemeral key": lambda d: flip(d, 60),
    "nonce": lambda d: flip(d, 100),
    "wrapped key": lambda d: flip(d, 120),
    "payload": lambda d: flip(d, len(d) // 2),
    "last byte": lambda d: flip(d, len(d) - 1),
    "truncated": lambda d: d[: len(d) - 100],
    "cut to the header": lambda d: d[:90],
    "empty": lambda d: b"",
}


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_a_damaged_bundle_is_refused_whole_and_the_dataset_is_unchanged(
    damage: str, tmp_path: Path, two_laptops: tuple[Path, Path], keys: tuple[Path, Path]
) -> None:
    private = load_private(keys[0], PASSPHRASE)
    dataset = DataFolder(tmp_path / "dataset")
    merge(dataset, [two_laptops[0]], private)
    before = tree_hashes(dataset.root)
    bad = tmp_path / "bad.klaspeil"
    bad.write_bytes(DAMAGES[damage](two_laptops[1].read_bytes()))
    with pytest.raises(StorageError) as refused:
        merge(dataset, [two_laptops[1], bad], private)  # a good bundle first: it is not merged either
    message = str(refused.value)
    assert message.startswith(f"{bad}: ") and message.endswith("nothing merged") and "\n" not in message
    assert tree_hashes(dataset.root) == before


def test_refusals_on_the_command_line_are_one_line(tmp_path: Path, two_laptops: tuple[Path, Path], keys: tuple[Path, Path]) -> None:
    dataset = tmp_path / "dataset"
    assert merge_cli(two_laptops[0], into=dataset, key=keys[0]).returncode == 0
    before = tree_hashes(dataset)
    bad = tmp_path / "usb" / "laptop3.klaspeil"
    bad.write_bytes(flip(two_laptops[1].read_bytes(), 5000))
    done = merge_cli(two_laptops[1], bad, into=dataset, key=keys[0])
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == (
        f"klaspeil: {bad}: damaged or changed after it was made (authentication failed); nothing merged")
    wrong = merge_cli(two_laptops[1], into=dataset, key=keys[0], passphrase="not the passphrase")
    assert wrong.returncode == 1 and wrong.stderr.strip() == f"klaspeil: {keys[0]}: wrong passphrase (or the key file is damaged)"
    no_key = klaspeil("merge", two_laptops[1], "--into", dataset)
    assert no_key.returncode == 1 and "sealed; give the private key (--key)" in no_key.stderr
    assert tree_hashes(dataset) == before


def test_a_bundle_for_another_key_is_refused(tmp_path: Path, two_laptops: tuple[Path, Path], keys: tuple[Path, Path]) -> None:
    other, _, _ = generate(tmp_path / "other", "another passphrase")
    dataset = DataFolder(tmp_path / "dataset")
    merge(dataset, [two_laptops[0]], load_private(keys[0], PASSPHRASE))
    before = tree_hashes(dataset.root)
    with pytest.raises(StorageError, match="sealed for another key .*nothing merged"):
        merge(dataset, [two_laptops[1]], load_private(other, "another passphrase"))
    assert tree_hashes(dataset.root) == before


def test_a_bundle_of_another_study_is_refused(simulated: Path, tmp_path: Path, two_laptops: tuple[Path, Path]) -> None:
    dataset = DataFolder(tmp_path / "dataset")
    other = DataFolder(tmp_path / "other").lock()
    try:
        from storage.simulate import simulate

        simulate(other, classes=1, pupils=2, waves=1, seed=9)
    finally:
        other.unlock()
    study = other.study_path.read_text(encoding="utf-8").replace('id: "sim"', 'id: "another"', 1)
    other.study_path.write_text(study, encoding="utf-8")
    for path in other.session_paths():  # no sessions: the study id is what differs
        path.unlink()
    foreign = make_bundle(other, tmp_path / "foreign.klaspeil", None).path
    merge(dataset, [make_bundle(DataFolder(tmp_path / "a"), tmp_path / "plain-a.klaspeil", None).path], None)
    before = tree_hashes(dataset.root)
    with pytest.raises(StorageError) as refused:
        merge(dataset, [foreign], None)
    assert str(refused.value) == f"{foreign}: is for study 'another', the dataset holds study 'sim'; nothing merged"
    assert tree_hashes(dataset.root) == before


def rezip(bundle: Path, out: Path, change: dict[str, bytes]) -> Path:
    """A plain bundle with members replaced or added (the manifest left as it was)."""
    with zipfile.ZipFile(bundle) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            target.writestr(name, change.get(name, source.read(name)))
        for name in change.keys() - set(source.namelist()):
            target.writestr(name, change[name])
    return out


def test_a_plain_bundle_whose_session_changed_is_refused(tmp_path: Path, simulated: Path) -> None:
    plain = make_bundle(laptop(simulated, tmp_path / "a", None), tmp_path / "a.klaspeil", None).path
    first = json.loads(zipfile.ZipFile(plain).read(MANIFEST))["sessions"][0]["path"]
    changed = zipfile.ZipFile(plain).read(first).replace(b'"value":', b'"value": ', 1)
    tampered = rezip(plain, tmp_path / "t.klaspeil", {first: changed})
    dataset = DataFolder(tmp_path / "dataset")
    with pytest.raises(StorageError, match="changed after the bundle was made"):
        merge(dataset, [tampered], None)
    assert not dataset.root.exists()  # not even the folder was made


def test_a_session_with_two_contents_keeps_the_fuller_one_and_both_aside(
    simulated: Path, tmp_path: Path, keys: tuple[Path, Path]
) -> None:
    """Laptop B holds a copy of a pupil's unfinished session and the pupil answered one more item there."""
    public, private = load_public(keys[1]), load_private(keys[0], PASSPHRASE)
    a, b = laptop(simulated, tmp_path / "a", None), laptop(simulated, tmp_path / "b", None)
    busy = next(p for p in b.session_paths() if not read_session(p).finished and read_session(p).meta.audience == "pupil")
    record = read_session(busy)
    open_item = next(i for i in record.meta.item_order if record.answers().get(i) is None)
    Session(busy).record(open_item, 3)
    dataset = DataFolder(tmp_path / "dataset")
    merge(dataset, [make_bundle(a, tmp_path / "a.klaspeil", public, unfinished=True).path], private)
    a_version = (dataset.root / busy.relative_to(b.root)).read_bytes()
    report = merge(dataset, [make_bundle(b, tmp_path / "b.klaspeil", public, unfinished=True).path], private)
    [conflict] = report.conflicts
    assert conflict.session_id == record.meta.session_id and conflict.versions == 2
    assert f"conflict: session {record.meta.session_id}" in str(report)
    kept = dataset.root / busy.relative_to(b.root)
    assert kept.read_bytes() == busy.read_bytes()  # B's version has one answer more
    aside = sorted((dataset.root / "conflicts" / record.meta.session_id).glob("*.json"))
    assert sorted(p.read_bytes() for p in aside) == sorted([a_version, busy.read_bytes()])
    # merging A's bundle again brings back nothing: its version is known (kept aside)
    before = tree_hashes(dataset.root)
    again = merge(dataset, [make_bundle(a, tmp_path / "a2.klaspeil", public, unfinished=True).path], private)
    assert not again.conflicts and not again.new
    assert without_index(tree_hashes(dataset.root)) == without_index(before)
    assert klaspeil("check", "--data", dataset.root).returncode == 0


def test_with_as_many_answers_the_latest_change_wins(simulated: Path, tmp_path: Path) -> None:
    a, b = laptop(simulated, tmp_path / "a", None), laptop(simulated, tmp_path / "b", None)
    path = next(p for p in a.session_paths() if read_session(p).finished)
    record = read_session(path)
    item = record.meta.item_order[0]
    changed = 1 if record.answers()[item] != 1 else 2
    Session(b.root / path.relative_to(a.root)).record(item, changed)  # later, same number of answers
    dataset = DataFolder(tmp_path / "dataset")
    report = merge(dataset, [make_bundle(b, tmp_path / "b.klaspeil", None).path,
                             make_bundle(a, tmp_path / "a.klaspeil", None).path], None)
    assert len(report.conflicts) == 1
    assert read_session(dataset.root / path.relative_to(a.root)).answers()[item] == changed


def test_a_broken_file_in_the_dataset_is_replaced_and_kept_aside(simulated: Path, tmp_path: Path) -> None:
    bundle = make_bundle(laptop(simulated, tmp_path / "a", None), tmp_path / "a.klaspeil", None).path
    dataset = DataFolder(tmp_path / "dataset")
    merge(dataset, [bundle], None)
    (dataset.root / "merge_index.json").unlink()
    victim = next(dataset.session_paths())
    good = victim.read_bytes()
    victim.write_bytes(good[:100])  # a power cut's half file
    report = merge(dataset, [bundle], None)
    assert len(report.conflicts) == 1 and victim.read_bytes() == good
    assert (dataset.root / "conflicts" / victim.stem).is_dir()


def test_a_manifest_that_hides_a_file_is_refused(tmp_path: Path, simulated: Path) -> None:
    plain = make_bundle(laptop(simulated, tmp_path / "a", None), tmp_path / "a.klaspeil", None).path
    tampered = rezip(plain, tmp_path / "t.klaspeil", {"sessions/sim/w1/X/../../../../evil.json": b"{}"})
    with pytest.raises(StorageError, match="manifest and contents disagree"):
        merge(DataFolder(tmp_path / "dataset"), [tampered], None)
    assert not (tmp_path / "evil.json").exists()


def test_a_session_whose_ids_would_climb_out_of_sessions_is_refused(tmp_path: Path, simulated: Path) -> None:
    """Manifest, path and hash all made to agree: the session's own respondent id is what is refused."""
    plain = make_bundle(laptop(simulated, tmp_path / "a", None), tmp_path / "a.klaspeil", None).path
    with zipfile.ZipFile(plain) as archive:
        manifest = json.loads(archive.read(MANIFEST))
        entry = manifest["sessions"][0]
        original = entry["path"]
        document = json.loads(archive.read(original))
    meta = document["meta"]["1"]
    meta["respondent"] = "../../../evil"
    data = json.dumps(document).encode()
    climbing = f"sessions/{meta['study']}/{meta['wave']}/{meta['respondent']}/{meta['session_id']}.json"
    entry.update(path=climbing, sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    tampered = tmp_path / "t.klaspeil"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(tampered, "w") as target:
        for name in source.namelist():
            if name == MANIFEST:
                target.writestr(name, json.dumps(manifest))
            elif name != original:
                target.writestr(name, source.read(name))
        target.writestr(climbing, data)
    dataset = DataFolder(tmp_path / "dataset")
    with pytest.raises(StorageError, match="respondent: not an id"):
        merge(dataset, [tampered], None)
    assert not list(tmp_path.rglob("evil*"))


def test_a_zip_that_is_no_bundle_is_refused(tmp_path: Path) -> None:
    stray = tmp_path / "photos.klaspeil"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photo.jpg", b"\xff\xd8")
    stray.write_bytes(buffer.getvalue())
    with pytest.raises(StorageError, match="holds no manifest.json; nothing merged"):
        merge(DataFolder(tmp_path / "dataset"), [stray], None)


def test_a_laptop_whose_study_changed_keeps_the_datasets_and_says_so(simulated: Path, tmp_path: Path) -> None:
    """Laptop B imported a class list at school (new codes in its study.yaml): its sessions are merged,
    the dataset's study.yaml stays, B's is kept aside for the researcher to compare."""
    a, b = laptop(simulated, tmp_path / "a", "c2"), laptop(simulated, tmp_path / "b", "c1")
    imported = klaspeil("roster", "import", "c2", Path(__file__).parent / "data" / "class_lists" / "english_comma_utf8.csv",
                        "--data", b.root)
    assert imported.returncode == 0, imported.stderr
    dataset = DataFolder(tmp_path / "dataset")
    merge(dataset, [make_bundle(a, tmp_path / "a.klaspeil", None).path], None)
    study = dataset.study_path.read_bytes()
    report = merge(dataset, [make_bundle(b, tmp_path / "b.klaspeil", None).path], None)
    assert sum(report.new.values()) > 0 and report.study_differs == ["b.klaspeil"]
    assert "study.yaml of b.klaspeil differs from the dataset's" in str(report)
    assert dataset.study_path.read_bytes() == study
    [aside] = (dataset.root / "conflicts" / "study").glob("*.yaml")
    assert aside.read_bytes() == b.study_path.read_bytes()


def test_a_session_in_a_wave_the_dataset_lacks_is_refused(simulated: Path, tmp_path: Path) -> None:
    bundle = make_bundle(laptop(simulated, tmp_path / "a", None), tmp_path / "a.klaspeil", None).path
    dataset = DataFolder(tmp_path / "dataset")
    dataset.ensure()
    study = (simulated / "study.yaml").read_text(encoding="utf-8")
    dataset.study_path.write_text(study[: study.index('  - id: "w2"')], encoding="utf-8")  # wave 1 only
    before = tree_hashes(dataset.root)
    with pytest.raises(StorageError, match="wave 'w2' is not in the dataset's study.yaml; nothing merged"):
        merge(dataset, [bundle], None)
    assert tree_hashes(dataset.root) == before


def test_a_dataset_in_use_or_a_damaged_index_is_one_line(simulated: Path, tmp_path: Path) -> None:
    bundle = make_bundle(laptop(simulated, tmp_path / "a", None), tmp_path / "a.klaspeil", None).path
    dataset = DataFolder(tmp_path / "dataset").lock()  # another klaspeil works on it
    try:
        busy = klaspeil("merge", bundle, "--into", dataset.root)
    finally:
        dataset.unlock()
    assert busy.returncode == 1 and "already in use by another klaspeil" in busy.stderr
    (dataset.root / "merge_index.json").write_text("{not json", encoding="utf-8")
    damaged = klaspeil("merge", bundle, "--into", dataset.root)
    assert damaged.returncode == 1
    assert damaged.stderr.strip() == (f"klaspeil: {dataset.root / 'merge_index.json'}: not a readable merge index; "
                                      "move it away and merge again (every bundle is then checked against the "
                                      "dataset's files)")
    assert session_ids(dataset.root) == set()


def test_a_merge_that_fails_halfway_is_completed_by_the_next(
    simulated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fails after 10 session files (a stick pulled, a full disk): the index is not written,
    so the next merge of the same bundle recognises the 10 by content and writes the rest."""
    import storage.merge as merging
    from storage.errors import WriteFailed

    source = laptop(simulated, tmp_path / "a", None)
    bundle = make_bundle(source, tmp_path / "a.klaspeil", None, unfinished=True)
    dataset = DataFolder(tmp_path / "dataset")
    real = merging.write_atomically
    calls = 0

    def failing(path: Path, data: bytes, **options: object) -> None:
        nonlocal calls
        calls += 1
        if calls > 11:  # study.yaml and 10 sessions
            raise WriteFailed(f"{path}: could not save (No space left on device); the previous version is kept")
        real(path, data, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(merging, "write_atomically", failing)
    with pytest.raises(WriteFailed):
        merge(dataset, [bundle.path], None)
    assert len(session_ids(dataset.root)) == 10 and not (dataset.root / "merge_index.json").exists()
    monkeypatch.setattr(merging, "write_atomically", real)
    report = merge(dataset, [bundle.path], None)
    assert sum(report.unchanged.values()) == 10 and sum(report.new.values()) == len(bundle.manifest.sessions) - 10
    assert session_ids(dataset.root) == session_ids(source.root)
    assert klaspeil("check", "--data", dataset.root).returncode == 0
