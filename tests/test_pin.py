"""The researcher PIN: only an argon2 hash is stored, right and wrong PINs are told apart,
three wrong PINs close the gate for a minute, and a PIN must be 4 to 12 digits."""

from __future__ import annotations

import os
import pty
import select
import stat
import subprocess

import pytest

from storage import DataFolder
from storage.pin import LOCKOUT_SECONDS, InvalidPin, PinGate, has_pin, set_pin, verify_pin
from command import KLASPEIL

PIN = "482915"


@pytest.fixture
def folder(demo_folder: DataFolder) -> DataFolder:
    """The demo folder without the PIN 1234 that installing the demo sets."""
    (demo_folder.root / "researcher.json").unlink()
    return demo_folder


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_only_a_hash_is_stored_and_it_tells_right_from_wrong(folder: DataFolder) -> None:
    assert not has_pin(folder) and not verify_pin(folder, PIN)
    set_pin(folder, PIN)
    stored = (folder.root / "researcher.json").read_text()
    assert PIN not in stored and "$argon2id$" in stored
    assert stat.S_IMODE(os.stat(folder.root / "researcher.json").st_mode) == 0o600
    assert has_pin(folder)
    assert verify_pin(folder, PIN)
    assert not verify_pin(folder, "482916")
    assert not verify_pin(folder, PIN + "0")


def test_the_same_pin_twice_gives_different_hashes(folder: DataFolder, tmp_path) -> None:
    other = DataFolder(tmp_path / "other")
    set_pin(folder, PIN)
    set_pin(other, PIN)
    assert (folder.root / "researcher.json").read_text() != (other.root / "researcher.json").read_text()


@pytest.mark.parametrize("bad", ["123", "1234567890123", "12a4", "", " 1234", "١٢٣٤"])
def test_a_pin_must_be_4_to_12_digits(folder: DataFolder, bad: str) -> None:
    with pytest.raises(InvalidPin):
        set_pin(folder, bad)
    assert not (folder.root / "researcher.json").exists()


def test_three_wrong_pins_close_the_gate_for_a_minute(folder: DataFolder) -> None:
    set_pin(folder, PIN)
    clock = FakeClock()
    gate = PinGate(folder, clock=clock)
    assert not gate.try_pin("0000") and not gate.try_pin("1111") and not gate.locked
    assert not gate.try_pin("2222")
    assert gate.locked and gate.seconds_locked() == LOCKOUT_SECONDS == 60
    clock.now += 59
    assert not gate.try_pin(PIN)  # even the right PIN waits
    clock.now += 1
    assert not gate.locked
    assert gate.try_pin(PIN)


def test_a_right_pin_resets_the_count_of_wrong_ones(folder: DataFolder) -> None:
    set_pin(folder, PIN)
    gate = PinGate(folder, clock=FakeClock())
    assert not gate.try_pin("0000") and not gate.try_pin("1111")
    assert gate.try_pin(PIN)
    assert not gate.try_pin("2222") and not gate.locked


def pin_set(folder: DataFolder, typed: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [KLASPEIL, "pin", "set", "--pin-stdin", "--data", str(folder.root)],
        input=typed, capture_output=True, text=True, timeout=60,
    )


def test_klaspeil_pin_set(folder: DataFolder) -> None:
    done = pin_set(folder, PIN + "\n")
    assert done.returncode == 0, done.stderr
    assert verify_pin(folder, PIN)
    refused = pin_set(folder, "12\n")
    assert refused.returncode == 1 and "4 to 12 digits" in refused.stderr and "Traceback" not in refused.stderr
    assert verify_pin(folder, PIN)  # the old PIN stands


def test_klaspeil_pin_set_asks_twice(folder: DataFolder) -> None:
    """Without --pin-stdin the PIN is typed twice on a terminal; a mismatch asks again. A pty
    stands in for the terminal (without one, pin set refuses: tests/test_bad_input_cli.py)."""
    master, slave = pty.openpty()
    # a new session has no controlling terminal, so getpass reads the pty on stdin, not /dev/tty
    child = subprocess.Popen([KLASPEIL, "pin", "set", "--data", str(folder.root)], stdin=slave,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    os.close(slave)
    try:
        assert child.stderr is not None
        for typed in (PIN, "9999", PIN, PIN):
            # type only once the prompt is out: getpass turns echo off first, flushing what was typed
            asked = b""
            while not asked.endswith(b": "):
                ready, _, _ = select.select([child.stderr], [], [], 60)
                assert ready, f"no prompt after {asked!r}"
                byte = os.read(child.stderr.fileno(), 1)
                assert byte, f"klaspeil ended before asking ({asked!r})"
                asked += byte
            os.write(master, f"{typed}\n".encode())
        out, err = child.communicate(timeout=60)
    finally:
        child.kill()
        os.close(master)
    said = (out + err).decode()
    assert child.returncode == 0, said
    assert "do not match" in said
    assert PIN not in said  # hidden input is never echoed
    assert verify_pin(folder, PIN)
