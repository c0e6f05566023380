"""Bundles: the researcher's keys, one file per laptop with its sessions and a manifest, sealed
for the researcher's key; never a name, the PIN hash or (sealed) anything readable.

The helpers at the top (laptop folders, keys, tree hashes, running klaspeil with a
passphrase on stdin) are shared with tests/test_merge.py.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import stat
import subprocess
import zipfile
from pathlib import Path

import pytest

from storage import DataFolder
from storage.bundle import make_bundle
from storage.bundle_format import MAGIC, MANIFEST, Manifest, unseal
from storage.keys import generate, inline_text, load_private, load_public
from storage.pin import set_pin
from storage.session import read_session
from storage.simulate import simulate
from command import KLASPEIL, klaspeil

PASSPHRASE = "groep zes wint"
LISTS = Path(__file__).parent / "data" / "class_lists"
NAMES = ["Eliëtte", "Zoë", "Noël", "Janssens", "van der", "Berg"]


def klaspeil_with(stdin: str, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """`klaspeil ARGS` with `stdin` typed in (a passphrase); never a traceback."""
    done = subprocess.run([KLASPEIL, *map(str, args)], capture_output=True, text=True, timeout=300, input=stdin)
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    return done


def tree_hashes(root: Path) -> dict[str, str]:
    """Every file under `root` by content; the lock's owner note (a pid) is left out."""
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*")) if path.is_file() and path.name not in ("klaspeil.lock", "klaspeil.owner")
    }


def session_ids(root: Path) -> set[str]:
    return {path.stem for path in (root / "sessions").glob("*/*/*/*.json")}


@pytest.fixture(scope="session")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One school's fieldwork: 2 classes x 4 pupils x 2 waves, with unfinished sessions."""
    folder = DataFolder(tmp_path_factory.mktemp("sim") / "data").lock()
    try:
        simulate(folder, classes=2, pupils=4, waves=2, seed=3)
    finally:
        folder.unlock()
    return folder.root


@pytest.fixture(scope="session")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    private, public, _ = generate(tmp_path_factory.mktemp("keys"), PASSPHRASE)
    return private, public


def laptop(simulated: Path, root: Path, drop_class: str | None) -> DataFolder:
    """A copy of the simulated folder as one laptop holds it: without `drop_class`'s sessions,
    and with a device id of its own."""
    shutil.copytree(simulated, root)
    (root / "device.json").unlink()
    if drop_class:
        for path in (root / "sessions").glob("*/*/*/*.json"):
            if read_session(path).meta.class_id == drop_class:
                path.unlink()
    return DataFolder(root)


def members(bundle: Path | io.BytesIO) -> dict[str, bytes]:
    with zipfile.ZipFile(bundle) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


# -- keys ----------------------------------------------------------------------------------

def test_keygen_writes_a_passphrase_protected_private_key_and_refuses_to_overwrite(tmp_path: Path) -> None:
    done = klaspeil_with(PASSPHRASE + "\n", "keygen", "--out", tmp_path / "keys", "--passphrase-stdin")
    assert done.returncode == 0, done.stderr
    private, public = tmp_path / "keys" / "klaspeil_private.pem", tmp_path / "keys" / "klaspeil_public.pem"
    assert b"BEGIN ENCRYPTED PRIVATE KEY" in private.read_bytes()
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert inline_text(load_public(public)) in done.stdout  # the line for study.yaml
    before = private.read_bytes(), public.read_bytes()
    again = klaspeil_with("another passphrase\n", "keygen", "--out", tmp_path / "keys", "--passphrase-stdin")
    assert again.returncode == 1
    assert again.stderr.startswith("klaspeil: ") and "never replaced" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1
    assert (private.read_bytes(), public.read_bytes()) == before


def test_keygen_refuses_a_short_passphrase(tmp_path: Path) -> None:
    done = klaspeil_with("kort\n", "keygen", "--out", tmp_path / "keys", "--passphrase-stdin")
    assert done.returncode == 1 and "passphrase too short" in done.stderr
    assert not (tmp_path / "keys" / "klaspeil_private.pem").exists()


# -- plain bundles -------------------------------------------------------------------------

def test_a_bundle_holds_the_finished_sessions_study_and_a_manifest_with_their_hashes(simulated: Path, tmp_path: Path) -> None:
    folder = laptop(simulated, tmp_path / "laptop", None)
    done = klaspeil("bundle", "--data", folder.root, "--out", tmp_path / "day1.klaspeil")
    assert done.returncode == 0, done.stderr
    assert "not encrypted" in done.stderr
    inside = members(tmp_path / "day1.klaspeil")
    manifest = Manifest.model_validate_json(inside[MANIFEST])
    finished = {p.stem for p in folder.session_paths() if read_session(p).finished}
    assert {s.session_id for s in manifest.sessions} == finished
    assert len(finished) < len(list(folder.session_paths()))  # the simulation has unfinished ones: left out
    assert manifest.study == "sim" and manifest.device_id == folder.device_id
    assert manifest.counts["sessions"] == len(finished) and manifest.counts["unfinished"] == 0
    for entry in manifest.sessions:
        assert hashlib.sha256(inside[entry.path]).hexdigest() == entry.sha256
        assert inside[entry.path] == (folder.root / entry.path).read_bytes()
    assert inside["study.yaml"] == folder.study_path.read_bytes()


def test_an_out_ending_in_a_slash_is_a_folder_made_for_the_bundle(simulated: Path, tmp_path: Path) -> None:
    """`--out /media/usb/dag1/`: the researcher means a folder, even before it exists."""
    folder = laptop(simulated, tmp_path / "laptop", None)
    stick = tmp_path / "usb" / "dag1"
    done = klaspeil("bundle", "--data", folder.root, "--out", f"{stick}/")
    assert done.returncode == 0, done.stderr
    assert stick.is_dir() and [p.suffix for p in stick.iterdir()] == [".klaspeil"]


def test_unfinished_sessions_go_along_on_request(simulated: Path, tmp_path: Path) -> None:
    folder = laptop(simulated, tmp_path / "laptop", None)
    made = make_bundle(folder, tmp_path / "all.klaspeil", None, unfinished=True)
    assert {s.session_id for s in made.manifest.sessions} == session_ids(folder.root)
    assert made.manifest.counts["unfinished"] > 0


def test_no_name_pin_hash_or_key_file_in_a_bundle(simulated: Path, tmp_path: Path, keys: tuple[Path, Path]) -> None:
    folder = laptop(simulated, tmp_path / "laptop", None)
    imported = klaspeil("roster", "import", "c1", LISTS / "parnassys_utf8_bom.csv", "--data", folder.root)
    assert imported.returncode == 0, imported.stderr
    set_pin(folder, "482915")
    key_file = (folder.root / "roster_key.json").read_bytes()
    assert all(name.encode() in key_file for name in NAMES[:3])  # the names are on this laptop
    plain = make_bundle(folder, tmp_path / "plain.klaspeil", None, unfinished=True).path
    sealed = make_bundle(folder, tmp_path / "sealed.klaspeil", load_public(keys[1]), unfinished=True).path
    inside = members(plain)
    assert set(inside) == {"manifest.json", "study.yaml", *(m for m in inside if m.startswith("sessions/"))}
    unsealed = unseal(sealed.read_bytes(), load_private(keys[0], PASSPHRASE))
    sealed_inside = members(io.BytesIO(unsealed))
    assert sealed_inside == inside | {"manifest.json": sealed_inside["manifest.json"]}  # the same files
    readable = [*inside.values(), *sealed_inside.values(), "\n".join(inside).encode()]
    for blob in [plain.read_bytes(), sealed.read_bytes(), *readable]:
        for name in NAMES:
            for encoding in ("utf-8", "cp1252", "latin-1"):
                encoded = name.encode(encoding, "ignore")
                # compressed or encrypted bytes are random: a 3-byte name ("Zoë") turns up in them by
                # chance (a few percent of runs); there, only names of 6 bytes or more are looked for
                if blob in readable or len(encoded) >= 6:
                    assert encoded not in blob, name
        assert b"argon2" not in blob and b"roster_key" not in blob


def test_a_study_with_a_recipient_seals_by_default_and_a_sealed_bundle_shows_nothing(
    simulated: Path, tmp_path: Path, keys: tuple[Path, Path]
) -> None:
    folder = laptop(simulated, tmp_path / "laptop", None)
    with folder.study_path.open("a", encoding="utf-8") as study:
        study.write(f"bundle_recipient: \"{inline_text(load_public(keys[1]))}\"\n")
    done = klaspeil("bundle", "--data", folder.root, "--out", tmp_path)  # a folder: a made-up name in it
    assert done.returncode == 0, done.stderr
    assert "sealed for key" in done.stdout and "warning" not in done.stderr
    [bundle] = tmp_path.glob("*.klaspeil")
    data = bundle.read_bytes()
    assert data.startswith(MAGIC)
    # nothing readable: no item text, no JSON of answers, no pupil code, no study id, no zip inside
    record = read_session(next(folder.session_paths()))
    readable = [b"sessions/", b"manifest", b'"value"', b"answers", b"growth_mindset", b"PK\x03\x04", b"sim/"]
    readable += [text.encode()[:20] for text in record.meta.item_texts.values()]
    readable += [code.encode() for c in folder.study().classes for code in c.pupils]
    for text in readable:
        assert text not in data
    # and a second bundle of the same sessions shares no ciphertext with the first (a fresh key)
    again = make_bundle(folder, tmp_path / "again.bin", load_public(keys[1])).path.read_bytes()
    assert again[200:264] not in data


def test_a_bad_inline_recipient_is_reported_at_its_line(simulated: Path, tmp_path: Path) -> None:
    folder = laptop(simulated, tmp_path / "laptop", None)
    lines = folder.study_path.read_text(encoding="utf-8").count("\n")
    with folder.study_path.open("a", encoding="utf-8") as study:
        study.write("bundle_recipient: \"x25519:bm90IGEga2V5\"\n")
    done = klaspeil("bundle", "--data", folder.root, "--out", tmp_path / "b.klaspeil")
    assert done.returncode == 1
    assert f"study.yaml:{lines + 1}: not a valid public key" in done.stderr
    assert not (tmp_path / "b.klaspeil").exists()


def test_a_bundle_refuses_to_leave_a_damaged_session_out(simulated: Path, tmp_path: Path) -> None:
    folder = laptop(simulated, tmp_path / "laptop", None)
    broken = next(folder.session_paths())
    broken.write_bytes(b'{"meta": {"1": {"format": 1')
    done = klaspeil("bundle", "--data", folder.root, "--out", tmp_path / "b.klaspeil")
    assert done.returncode == 1 and str(broken) in done.stderr and "nothing bundled" in done.stderr
    assert not (tmp_path / "b.klaspeil").exists()


def test_manifest_json_is_plain_json_for_other_tools(simulated: Path, tmp_path: Path) -> None:
    folder = laptop(simulated, tmp_path / "laptop", None)
    made = make_bundle(folder, tmp_path / "b.klaspeil", None)
    manifest = json.loads(members(made.path)[MANIFEST])
    assert manifest["kind"] == "klaspeil-bundle" and manifest["format"] == 1
    assert set(manifest["sessions"][0]) >= {"session_id", "sha256", "wave", "class_id"}
    assert io.BytesIO(made.path.read_bytes()).read(4) == b"PK\x03\x04"
