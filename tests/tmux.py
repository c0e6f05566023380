"""Helpers for the end-to-end tests in tmux: the real `klaspeil demo` in a real terminal,
driven with keys like a person would, and stopped the teacher's way (Ctrl+Q, PIN, Stoppen)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

WAIT = 30.0  # seconds before a screen that never comes fails the test
DEMO_PIN = "1234"


class Terminal:
    """A tmux server of our own (its own socket), one 100x30 window running a command."""

    def __init__(self, tmp: Path) -> None:
        self.socket = f"klaspeil-e2e-{uuid.uuid4().hex[:12]}"
        self.config = tmp / "tmux.conf"
        self.socket_path: Path | None = None
        # keep a crashed app's last words on screen instead of closing the window
        self.config.write_text("set -g remain-on-exit on\n")

    def tmux(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=10)
        if done.returncode != 0:
            raise AssertionError(f"tmux {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout

    def start(self, command: str) -> None:
        self.tmux("-f", str(self.config), "new-session", "-d", "-x", "100", "-y", "30", command)
        self.socket_path = Path(self.tmux("display-message", "-p", "#{socket_path}").strip())

    def start_demo(self, klaspeil: Path, data: Path, exit_status: Path) -> None:
        """Run `klaspeil demo` on `data`; its exit status lands in `exit_status`."""
        # a fixed TERM and UTF-8 locale: the same rendering whatever terminal runs the tests
        self.start(
            "env TERM=xterm-256color COLORTERM=truecolor LANG=C.UTF-8 LC_ALL=C.UTF-8"
            f" '{klaspeil}' demo --data '{data}'; echo $? > '{exit_status}'"
        )

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p")

    def wait_for(self, *texts: str) -> str:
        deadline = time.monotonic() + WAIT
        while True:
            screen = self.screen()
            if all(text in screen for text in texts):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"waited {WAIT}s for {texts}; the screen shows:\n{screen}")
            time.sleep(0.05)

    def type(self, keys: str) -> None:
        for key in keys:  # one key at a time, like a person
            self.tmux("send-keys", "-l", key)
            time.sleep(0.05)

    def press(self, key: str) -> None:
        self.tmux("send-keys", key)
        time.sleep(0.05)

    def kill(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=10)
        if self.socket_path is not None:
            self.socket_path.unlink(missing_ok=True)  # tmux may leave its socket file behind


def klaspeil_script() -> Path:
    """The installed `klaspeil` command; fails (never skips) when tmux or the script is missing."""
    if shutil.which("tmux") is None:
        pytest.fail("tmux is not installed: install it (apt-get install tmux; .ci/run installs it) to run this test")
    klaspeil = Path(sys.executable).parent / "klaspeil"
    assert klaspeil.exists(), f"no klaspeil script next to {sys.executable}: run pip install -e '.[test]'"
    return klaspeil


@dataclass(frozen=True)
class Demo:
    """`klaspeil demo` running in `terminal` on the data folder `data`."""

    terminal: Terminal
    klaspeil: Path
    data: Path
    exit_status: Path  # holds klaspeil's exit status once it stopped


@contextmanager
def demo_in_tmux(tmp: Path) -> Iterator[Demo]:
    """The real `klaspeil demo` in a 100x30 tmux window; the tmux server is gone afterwards."""
    demo = Demo(Terminal(tmp), klaspeil_script(), tmp / "data", tmp / "exit-status")
    try:
        demo.terminal.start_demo(demo.klaspeil, demo.data, demo.exit_status)
        yield demo
    finally:
        demo.terminal.kill()


def item_shown(screen: str, sentences: dict[str, str]) -> str:
    """The id of the one item whose sentence is on screen."""
    shown = [item for item, sentence in sentences.items() if sentence in screen]
    assert len(shown) == 1, f"expected one item sentence on screen, found {shown}:\n{screen}"
    return shown[0]


def through_practice(terminal: Terminal, code: str, name: str) -> None:
    """A pupil at the empty code entry: code, "Ja" at the name check, the practice item
    (answered 3, not stored), then the introduction's Beginnen."""
    terminal.type(code)
    terminal.wait_for(code)
    terminal.press("Enter")
    terminal.wait_for(f"Ben jij {name}?")  # the demo's key file names its pupils
    terminal.press("j")  # Ja
    terminal.wait_for("Dit is een oefenvraag", "Ik eet graag pannenkoeken.")
    terminal.press("3")
    terminal.wait_for("▶ 3  ")  # chosen like a real answer, but not stored
    terminal.press("Enter")
    terminal.wait_for("Waarom doe jij je best op school?", "Beginnen")
    terminal.press("Enter")


def answer(terminal: Terminal, key: int) -> None:
    """Choose `key` on the item shown, see it marked as chosen (so saved), go on."""
    terminal.press(str(key))
    terminal.wait_for(f"▶ {key}  ")
    terminal.press("Enter")


def thanked(terminal: Terminal) -> None:
    """The thank-you screen, Space, and the empty code entry for the next pupil."""
    terminal.wait_for("Dankjewel!")
    terminal.press("Space")
    terminal.wait_for("Wat is jouw code?", "bijvoorbeeld KT4MRX")  # the placeholder: an empty field


def wait_until_stopped(terminal: Terminal, exit_status: Path) -> str:
    """Wait until klaspeil has exited; its exit status."""
    deadline = time.monotonic() + WAIT
    while not exit_status.exists() or not exit_status.read_text().strip():
        assert time.monotonic() < deadline, f"klaspeil did not stop:\n{terminal.screen()}"
        time.sleep(0.05)
    return exit_status.read_text().strip()


def stop_with_pin(terminal: Terminal, exit_status: Path, prompt: str) -> None:
    """The teacher's way out: Ctrl+Q, `prompt` shows, the demo's PIN, Stoppen; klaspeil exits 0."""
    terminal.press("C-q")
    terminal.wait_for(prompt)
    terminal.type(DEMO_PIN)
    terminal.press("Enter")
    terminal.wait_for("Stoppen", "Andere klas of meting", "Terug")
    terminal.press("Up")  # from "Terug" (focused first) up to "Stoppen"
    terminal.press("Up")
    terminal.press("Enter")
    assert wait_until_stopped(terminal, exit_status) == "0", terminal.screen()
