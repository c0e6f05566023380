"""Writes that fail half-way (disk full, an I/O error, a failed rename, an exception inside
TinyDB's write) must leave the previous file byte for byte, leave no temporary file, say
which file could not be saved, and leave the session usable once the fault clears."""

from __future__ import annotations

import errno
import json
import os
import sys
import types
from collections.abc import Callable
from pathlib import Path

import pytest

import storage.tinydb_storage
from instruments import shipped
from storage import DataFolder, Session, SessionMeta, WriteFailed, instrument_fingerprint
from storage.check import check

REAL_WRITE, REAL_FSYNC, REAL_REPLACE = os.write, os.fsync, os.replace


def is_temporary(descriptor: int) -> bool:
    """Whether `descriptor` is open on one of write_atomically's temporary files."""
    try:
        return os.readlink(f"/proc/self/fd/{descriptor}").endswith(".tmp")
    except OSError:
        return False


def disk_full_half_way(descriptor: int, data: bytes) -> int:
    """The first write to a temporary file gets half the bytes on disk; the next one finds the disk full."""
    if not is_temporary(descriptor):
        return REAL_WRITE(descriptor, data)
    if os.fstat(descriptor).st_size == 0 and len(data) > 1:
        return REAL_WRITE(descriptor, bytes(data[: len(data) // 2]))
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def fsync_io_error(descriptor: int) -> None:
    if is_temporary(descriptor):
        raise OSError(errno.EIO, os.strerror(errno.EIO))
    REAL_FSYNC(descriptor)


def replace_refused(source: str | Path, target: str | Path) -> None:
    raise OSError(errno.EACCES, os.strerror(errno.EACCES))


def encoding_fails(*args: object, **kwargs: object) -> str:
    raise ValueError("Out of range float values are not JSON compliant")


def break_encoding(monkeypatch: pytest.MonkeyPatch) -> None:
    broken = types.SimpleNamespace(**{name: getattr(json, name) for name in json.__all__})
    broken.dumps = encoding_fails
    monkeypatch.setattr(storage.tinydb_storage, "json", broken)


FAULTS: dict[str, tuple[Callable[[pytest.MonkeyPatch], None], str]] = {
    "disk_full_half_way": (lambda mp: mp.setattr(os, "write", disk_full_half_way), "No space left on device"),
    "fsync_io_error": (lambda mp: mp.setattr(os, "fsync", fsync_io_error), "Input/output error"),
    "replace_refused": (lambda mp: mp.setattr(os, "replace", replace_refused), "Permission denied"),
    "json_encoding_raises": (break_encoding, "Out of range float"),
}


@pytest.fixture
def folder(tmp_path: Path) -> DataFolder:
    folder = DataFolder(tmp_path / "data")
    folder.install_demo()
    return folder


def new_meta(folder: DataFolder, respondent: str = "FNWW4F") -> SessionMeta:
    instrument = shipped()["pupil_motivation"]
    return SessionMeta(
        device_id=folder.device_id, study="demo", wave="w1", class_id="6a", audience="pupil",
        respondent=respondent, item_order=[item.id for item in instrument.items],
        **instrument_fingerprint(instrument),
    )


def temporaries(folder: DataFolder) -> list[Path]:
    return sorted(p for p in folder.root.rglob("*") if p.name.endswith(".tmp"))


@pytest.mark.parametrize("fault", FAULTS)
def test_a_failed_save_keeps_the_previous_file_and_says_which_file(
    folder: DataFolder, monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    session = folder.new_session(new_meta(folder))
    session.record("autonomous_motivation_1", 4, shown_ms=1200)
    session.record("autonomous_motivation_2", 2, shown_ms=900)
    before = session.path.read_bytes()
    inject, reason = FAULTS[fault]

    with monkeypatch.context() as patch:
        inject(patch)
        with pytest.raises(WriteFailed) as raised:
            session.record("autonomous_motivation_3", 5, shown_ms=700)

    message = str(raised.value)
    assert str(session.path) in message and reason in message
    assert "previous version is kept" in message
    assert "\n" not in message
    assert session.path.read_bytes() == before
    assert temporaries(folder) == []
    # the fault cleared: the same session object saves again, and nothing of the failed save shows
    session.record("autonomous_motivation_3", 3, shown_ms=650)
    assert [(a.item, a.value) for a in Session(session.path).history()] == [
        ("autonomous_motivation_1", 4), ("autonomous_motivation_2", 2), ("autonomous_motivation_3", 3)
    ]
    assert list(check(folder)) == []


@pytest.mark.parametrize("fault", FAULTS)
def test_a_failed_finish_leaves_the_session_unfinished(
    folder: DataFolder, monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    session = folder.new_session(new_meta(folder))
    for item in session.meta.item_order:
        session.record(item, 3)
    before = session.path.read_bytes()
    with monkeypatch.context() as patch:
        FAULTS[fault][0](patch)
        with pytest.raises(WriteFailed, match=str(session.path)):
            session.finish()
    assert session.path.read_bytes() == before
    assert not Session(session.path).finished
    assert temporaries(folder) == []
    session.finish()
    assert Session(session.path).finished


@pytest.mark.parametrize("fault", FAULTS)
def test_a_failed_create_leaves_no_session_file(folder: DataFolder, monkeypatch: pytest.MonkeyPatch, fault: str) -> None:
    meta = new_meta(folder)
    with monkeypatch.context() as patch:
        FAULTS[fault][0](patch)
        with pytest.raises(WriteFailed, match=meta.session_id):
            folder.new_session(meta)
    assert list(folder.session_paths()) == []
    assert temporaries(folder) == []
    assert folder.new_session(meta).meta == meta


def test_an_interrupt_during_a_save_leaves_the_previous_file_and_no_temporary(
    folder: DataFolder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C (or any exception that is not an OSError) half-way through writing the temporary file."""
    session = folder.new_session(new_meta(folder))
    session.record("autonomous_motivation_1", 4)
    before = session.path.read_bytes()

    def interrupted(descriptor: int, data: bytes) -> int:
        if is_temporary(descriptor):
            REAL_WRITE(descriptor, bytes(data[:10]))
            raise KeyboardInterrupt
        return REAL_WRITE(descriptor, data)

    with monkeypatch.context() as patch:
        patch.setattr(os, "write", interrupted)
        with pytest.raises(KeyboardInterrupt):
            session.record("autonomous_motivation_2", 1)
    assert session.path.read_bytes() == before
    assert temporaries(folder) == []


# -- through the command line ------------------------------------------------------------


def run_main(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    from tui.cli import main

    monkeypatch.setattr(sys, "argv", ["klaspeil", *args])
    with pytest.raises(SystemExit) as exited:
        main()
    return exited.value.code


def test_a_disk_full_during_simulate_is_one_line_and_exit_1(
    folder: DataFolder, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    saves = {"sessions": 0}

    def fills_up(source: str | Path, target: str | Path) -> None:
        if "sessions" in Path(target).parts:
            saves["sessions"] += 1
            if saves["sessions"] > 25:  # the disk fills up part-way through the run
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        REAL_REPLACE(source, target)

    data = folder.root.parent / "simulated"
    monkeypatch.setattr(os, "replace", fills_up)
    code = run_main(monkeypatch, "simulate", "--data", str(data), "--classes", "2", "--pupils", "5")
    out, err = capsys.readouterr()
    assert code == 1
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("klaspeil: ") and "No space left on device" in lines[0]
    assert str(data / "sessions") in lines[0]
    assert "Traceback" not in err
    monkeypatch.setattr(os, "replace", REAL_REPLACE)
    # what was saved before the disk filled up is intact, and no temporary file is left
    simulated = DataFolder(data)
    assert len(list(simulated.session_paths())) > 0
    assert list(check(simulated)) == []
    assert temporaries(simulated) == []


def test_a_broken_encoder_during_simulate_is_one_line_and_exit_1(
    folder: DataFolder, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    break_encoding(monkeypatch)
    data = folder.root.parent / "simulated"
    code = run_main(monkeypatch, "simulate", "--data", str(data), "--classes", "1", "--pupils", "2")
    _, err = capsys.readouterr()
    assert code == 1
    assert len(err.splitlines()) == 1 and err.startswith("klaspeil: ") and "could not save" in err
    assert "Traceback" not in err


def test_a_folder_that_does_not_confirm_the_rename_is_a_failed_save(folder: DataFolder, monkeypatch: pytest.MonkeyPatch) -> None:
    """The new file is in place but the disk did not promise the rename survives a power cut:
    the pupil must not be told the answer is safe."""
    session = folder.new_session(new_meta(folder))

    def folder_fsync_fails(descriptor: int) -> None:
        if os.path.isdir(os.readlink(f"/proc/self/fd/{descriptor}")):
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        REAL_FSYNC(descriptor)

    with monkeypatch.context() as patch:
        patch.setattr(os, "fsync", folder_fsync_fails)
        with pytest.raises(WriteFailed, match="did not confirm it.*Input/output error") as raised:
            session.record("autonomous_motivation_1", 4)
    assert str(session.path) in str(raised.value)
    assert temporaries(folder) == []
