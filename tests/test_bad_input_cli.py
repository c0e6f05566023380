"""Hostile but realistic bad input to the real `klaspeil` command (a USB stick that damaged a
file, a hand-edited study.yaml, an Excel export with a stray quote): one line naming the file
(and line), exit 1, no traceback, no "unexpected error", and the data folder as it was."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from command import KLASPEIL, assert_refused, fingerprint, klaspeil


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("simulated") / "data"
    done = klaspeil("simulate", "--data", data, "--classes", 1, "--pupils", 3, "--waves", 2, "--seed", 5)
    assert done.returncode == 0, done.stderr
    return data


@pytest.fixture
def data(simulated: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(simulated, copy)
    return copy


def a_session_file(data: Path) -> Path:
    return sorted((data / "sessions").glob("*/*/*/*.json"))[0]


def test_a_nul_byte_in_study_yaml_is_one_line_naming_its_line(data: Path) -> None:
    """A stick that zeroed a few bytes: ruamel's reader error spans two lines and has no line number."""
    study = data / "study.yaml"
    lines = study.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3].replace("c", "\x00c", 1)
    study.write_text("".join(lines), encoding="utf-8")
    before = fingerprint(data)
    assert_refused(klaspeil("status", "--data", data), f"{study}:4: ", "0x00")
    assert fingerprint(data) == before


@pytest.mark.parametrize("command", ["status", "export", "bundle"])
def test_a_session_file_with_a_number_too_long_to_read_is_one_line(data: Path, tmp_path: Path, command: str) -> None:
    """json refuses integers of more than 4,300 digits with a bare ValueError (was: `unexpected error`, exit 2)."""
    damaged = a_session_file(data)
    text = damaged.read_text(encoding="utf-8")
    damaged.write_text(text.replace('"format":1', '"format":1' + "0" * 5000, 1), encoding="utf-8")
    before = fingerprint(data)
    extra = {"status": [], "export": ["--out", tmp_path / "out"], "bundle": ["--out", tmp_path / "x.klaspeil"]}[command]
    assert_refused(klaspeil(command, "--data", data, *extra), str(damaged), "too long")
    assert fingerprint(data) == before


def test_a_session_file_nested_too_deeply_is_one_line(data: Path, tmp_path: Path) -> None:
    """Brackets nested 100,000 deep: json's RecursionError (was: `unexpected error`, exit 2)."""
    damaged = a_session_file(data)
    damaged.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    before = fingerprint(data)
    assert_refused(klaspeil("export", "--data", data, "--out", tmp_path / "out"), str(damaged), "nested too deeply")
    checked = klaspeil("check", "--data", data)
    assert checked.returncode == 1 and str(damaged) in checked.stdout and "unexpected" not in checked.stderr
    assert fingerprint(data) == before


def test_a_device_file_nested_too_deeply_is_one_line(data: Path, tmp_path: Path) -> None:
    device = data / "device.json"
    device.write_text('{"device_id":' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    before = fingerprint(data)
    assert_refused(klaspeil("bundle", "--data", data, "--out", tmp_path / "x.klaspeil"), str(device), "not a readable device file")
    assert fingerprint(data) == before
    assert not (tmp_path / "x.klaspeil").exists()


@pytest.mark.parametrize("command", ["roster", "results"])
def test_a_csv_with_a_quote_that_is_never_closed_over_a_long_file_is_one_line(data: Path, tmp_path: Path, command: str) -> None:
    """A stray " in a long export makes one cell past csv's 131,072 character limit: csv.Error
    (was: `unexpected error`, exit 2); the message names the line where the row starts."""
    listing = tmp_path / "klas.csv"
    listing.write_text("Voornaam;Achternaam\nEmma;Jansen\n\"Noah;de Vries\n" + "Sem;Bakker\n" * 20_000, encoding="utf-8")
    before = fingerprint(data)
    if command == "roster":
        done = klaspeil("roster", "import", "c1", listing, "--data", data)
    else:
        done = klaspeil("results", "import", "c1", listing, "--wave", "w2", "--data", data)
    assert_refused(done, f"{listing}:3: ", "quote")
    assert fingerprint(data) == before


def test_a_bundle_with_damaged_compressed_bytes_is_refused_whole(data: Path, tmp_path: Path) -> None:
    """A plain bundle (a zip) whose deflate stream was damaged on the stick: zlib.error (was:
    `unexpected error`, exit 2, with --into already made); nothing merged into the dataset."""
    bundle = tmp_path / "laptop.klaspeil"
    made = klaspeil("bundle", "--data", data, "--out", bundle)
    assert made.returncode == 0, made.stderr
    raw = bytearray(bundle.read_bytes())
    with zipfile.ZipFile(bundle) as archive:
        info = archive.getinfo("study.yaml")
    assert info.compress_type == zipfile.ZIP_DEFLATED
    name_length = int.from_bytes(raw[info.header_offset + 26:info.header_offset + 28], "little")
    extra_length = int.from_bytes(raw[info.header_offset + 28:info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_length + extra_length
    raw[start:start + 8] = b"\xff" * 8  # deflate block type 3: "invalid block type"
    bundle.write_bytes(bytes(raw))
    before = fingerprint(data)
    assert_refused(klaspeil("merge", bundle, "--into", data), str(bundle), "damaged", "nothing merged")
    assert fingerprint(data) == before


def test_an_attendance_file_nested_too_deeply_is_one_line(data: Path) -> None:
    attendance = data / "attendance.json"
    attendance.write_text('{"w1":' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    before = fingerprint(data)
    assert_refused(klaspeil("status", "--data", data), str(attendance), "not a readable attendance file")
    code = re.search(r'pupils: \["(\w+)"', (data / "study.yaml").read_text(encoding="utf-8")).group(1)
    assert_refused(klaspeil("mark", code, "absent", "--wave", "w1", "--data", data), str(attendance))
    assert fingerprint(data) == before


def test_a_researcher_file_nested_too_deeply_is_one_line(data: Path) -> None:
    researcher = data / "researcher.json"
    researcher.write_text('{"pin_hash":' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    before = fingerprint(data)
    assert_refused(klaspeil("--data", data), str(researcher), "not a readable researcher file")
    assert fingerprint(data) == before


@pytest.mark.parametrize("damage", ["folder", "dangling link"])
def test_bundle_of_a_session_path_that_cannot_be_read_is_one_line(data: Path, tmp_path: Path, damage: str) -> None:
    """A *.json that is a folder, or a link to nothing (a damaged stick): bundle said `unexpected error`
    (IsADirectoryError, FileNotFoundError) where check, status and export name the file."""
    session = a_session_file(data)
    session.unlink()
    if damage == "folder":
        session.mkdir()
    else:
        session.symlink_to(tmp_path / "gone.json")
    before = fingerprint(data)
    out = tmp_path / "x.klaspeil"
    assert_refused(klaspeil("bundle", "--data", data, "--out", out), str(session), "cannot read", "nothing bundled")
    assert fingerprint(data) == before
    assert not out.exists()


def test_merge_into_a_dataset_whose_session_path_is_a_folder_is_one_line(data: Path, tmp_path: Path) -> None:
    """merge read the dataset's copy of a session with a bare read_bytes (was: `unexpected error`, IsADirectoryError)."""
    bundle = tmp_path / "laptop.klaspeil"
    made = klaspeil("bundle", "--data", data, "--out", bundle, "--unfinished")
    assert made.returncode == 0, made.stderr
    session = a_session_file(data)
    session.unlink()
    session.mkdir()
    before = fingerprint(data)
    assert_refused(klaspeil("merge", bundle, "--into", data), str(session), "cannot read", "nothing merged")
    assert fingerprint(data) == before
    assert not (data / "merge_index.json").exists()


@pytest.mark.parametrize("command", ["bundle", "cards", "codebook"])
def test_output_onto_a_file_that_is_not_regular_is_refused(data: Path, tmp_path: Path, command: str) -> None:
    """`--out /dev/full` renamed a temporary file over the device node (as root: the device is
    gone). A FIFO stands in for the device here; never /dev/* in a test."""
    out = tmp_path / "target"
    os.mkfifo(out)
    args = {"bundle": ["bundle", "--data", data, "--out", out],
            "cards": ["cards", "c1", "--data", data, "--out", out],
            "codebook": ["codebook", "--out", out]}[command]
    before = fingerprint(data)
    assert_refused(klaspeil(*args), str(out), "pipe", "not a regular file", "nothing written")
    assert fingerprint(data) == before
    assert out.is_fifo()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "target"]  # no temporary file left beside it


def test_bundle_out_ending_in_a_slash_onto_a_file_is_refused(data: Path, tmp_path: Path) -> None:
    """`--out notes.txt/`: the / says folder, but Path() drops it and the file was overwritten."""
    existing = tmp_path / "notes.txt"
    existing.write_text("keep me\n", encoding="utf-8")
    assert_refused(klaspeil("bundle", "--data", data, "--out", f"{existing}/"), str(existing), "not a folder")
    assert existing.read_text(encoding="utf-8") == "keep me\n"


@pytest.mark.parametrize("command", ["cards", "codebook"])
def test_a_file_out_ending_in_a_slash_is_refused(data: Path, tmp_path: Path, command: str) -> None:
    """cards and codebook write one file: `--out notes.txt/` overwrote notes.txt."""
    existing = tmp_path / "notes.txt"
    existing.write_text("keep me\n", encoding="utf-8")
    args = ["cards", "c1", "--data", data] if command == "cards" else ["codebook"]
    assert_refused(klaspeil(*args, "--out", f"{existing}/"), f"{existing}/", "ends in /")
    assert existing.read_text(encoding="utf-8") == "keep me\n"


@pytest.mark.parametrize("command", ["pin", "keygen", "merge"])
def test_a_secret_asked_without_a_terminal_is_one_line_naming_the_stdin_option(data: Path, tmp_path: Path, command: str) -> None:
    """Without a TTY, getpass printed its GetPassWarning (several lines) before `aborted`."""
    if command == "merge":
        bundle = tmp_path / "laptop.klaspeil"
        assert klaspeil("bundle", "--data", data, "--out", bundle).returncode == 0
        key = tmp_path / "private.pem"
        key.write_text("not used\n", encoding="utf-8")
        args: list[str | Path] = ["merge", bundle, "--into", tmp_path / "dataset", "--key", key]
    else:
        args = {"pin": ["pin", "set", "--data", data], "keygen": ["keygen", "--out", tmp_path / "keys"]}[command]
    before = fingerprint(data)
    option = "--pin-stdin" if command == "pin" else "--passphrase-stdin"
    done = klaspeil(*args)
    assert_refused(done, "no terminal", option)
    assert "GetPassWarning" not in done.stderr
    assert fingerprint(data) == before
    assert not (tmp_path / "keys").exists() and not (tmp_path / "dataset").exists()


@pytest.mark.parametrize("command", ["check", "status", "export", "simulate", "bundle"])
def test_a_sessions_path_that_is_a_file_is_one_line(data: Path, tmp_path: Path, command: str) -> None:
    """A glob in a file finds nothing: check said `ok: 0 session file(s)`, export and status showed
    nothing, bundle wrote a bundle of 0 sessions."""
    shutil.rmtree(data / "sessions")
    (data / "sessions").write_text("not a folder\n", encoding="utf-8")
    before = fingerprint(data)
    extra = {"export": ["--out", tmp_path / "out"], "simulate": ["--classes", 1, "--pupils", 1],
             "bundle": ["--out", tmp_path / "out"]}.get(command, [])
    assert_refused(klaspeil(command, "--data", data, *extra), str(data / "sessions"), "not the folder of sessions")
    assert fingerprint(data) == before
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("where", ["inside", "itself", "sessions"])
def test_export_into_the_data_folder_is_refused_before_reading(data: Path, where: str) -> None:
    out = {"inside": data / "tables", "itself": data, "sessions": data / "sessions" / "x"}[where]
    before = fingerprint(data)
    assert_refused(klaspeil("export", "--data", data, "--out", out), str(out), "data folder")
    assert fingerprint(data) == before
    assert where == "itself" or not out.exists()


def test_a_data_folder_that_is_a_file_says_so(tmp_path: Path) -> None:
    """KLASPEIL_DATA at a file said `no study here`, as if the folder were merely empty."""
    not_a_folder = tmp_path / "data"
    not_a_folder.write_text("notes\n", encoding="utf-8")
    env = {**os.environ, "KLASPEIL_DATA": str(not_a_folder)}
    for args in (["status"], ["export", "--out", tmp_path / "out"], ["study", "init"]):
        done = subprocess.run([KLASPEIL, *map(str, args)], capture_output=True, text=True, env=env,
                              stdin=subprocess.DEVNULL, timeout=300)
        assert_refused(done, str(not_a_folder), "a file, not a data folder")
    for args in (["check"], ["status"], ["bundle", "--out", tmp_path / "x.klaspeil"]):
        # --data FILE: click's own refusal was a three-line usage error with exit 2
        assert_refused(klaspeil(*args, "--data", not_a_folder), str(not_a_folder), "a file, not a data folder")
    assert not_a_folder.read_text(encoding="utf-8") == "notes\n"


def test_study_init_where_study_yaml_is_a_folder_says_so(tmp_path: Path) -> None:
    study = tmp_path / "data" / "study.yaml"
    study.mkdir(parents=True)
    for extra in ([], ["--force"]):
        assert_refused(klaspeil("study", "init", "--data", study.parent, *extra), str(study), "a folder, not a study file")
    assert study.is_dir() and not any(study.iterdir())


@pytest.mark.parametrize("name, problem", [
    ('"Emma;Jansen\nNoah;de Vries\nSem;Bakker\n', "a quote \" that is never closed?"),
    ("Emma;Jan\u202esen\n", "U+202E"),  # right-to-left override: the name shows reversed
    ("Em\u200bma;Jansen\n", "U+200B"),  # zero-width space: two names that look the same
    ("Emma;Jan\x85sen\n", "line break"),  # NEL, a C1 control
])
def test_a_roster_name_with_a_line_break_or_hidden_character_is_refused(data: Path, tmp_path: Path, name: str, problem: str) -> None:
    """An unclosed quote swallowed three rows into one pupil named `Emma;Jansen Noah;de Vries ...`."""
    listing = tmp_path / "klas.csv"
    listing.write_text("Voornaam;Achternaam\nDaan;Smit\n" + name, encoding="utf-8")
    before = fingerprint(data)
    assert_refused(klaspeil("roster", "import", "c1", listing, "--data", data), f"{listing}:3: ", problem)
    assert fingerprint(data) == before
    assert not (data / "roster_key.json").exists()
