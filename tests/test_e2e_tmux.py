"""End to end: the real `klaspeil demo` in a real terminal (tmux), answered like a pupil
would, then the session file on disk checked against the keys that were pressed."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from instruments import shipped
from storage import DataFolder, Session

PUPIL = "FNWW4F"
KEYS = [4, 2, 5, 1, 3, 5, 2, 4, 1]  # the digit pressed for the 1st, 2nd, ... item shown
WAIT = 30.0  # seconds before a screen that never comes fails the test


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


def item_shown(screen: str, sentences: dict[str, str]) -> str:
    shown = [item for item, sentence in sentences.items() if sentence in screen]
    assert len(shown) == 1, f"expected one item sentence on screen, found {shown}:\n{screen}"
    return shown[0]


def test_a_pupil_answers_the_demo_in_a_real_terminal_and_the_session_file_holds_the_keys(tmp_path: Path) -> None:
    if shutil.which("tmux") is None:
        pytest.fail("tmux is not installed: install it (apt-get install tmux; .ci/run installs it) to run this test")
    klaspeil = Path(sys.executable).parent / "klaspeil"
    assert klaspeil.exists(), f"no klaspeil script next to {sys.executable}: run pip install -e '.[test]'"
    data = tmp_path / "data"
    sentences = {item.id: item.text.nl for item in shipped()["pupil_motivation"].items}

    terminal = Terminal(tmp_path)
    try:
        # a fixed TERM and UTF-8 locale: the same rendering whatever terminal runs the tests
        exit_status = tmp_path / "exit-status"
        terminal.start(
            "env TERM=xterm-256color COLORTERM=truecolor LANG=C.UTF-8 LC_ALL=C.UTF-8"
            f" '{klaspeil}' demo --data '{data}'; echo $? > '{exit_status}'"
        )
        terminal.wait_for("Wat is jouw code?", "FNWW4F")  # the demo says which codes to try
        terminal.type(PUPIL)
        terminal.wait_for(PUPIL)
        terminal.press("Enter")
        terminal.wait_for("Ben jij Emma?")  # the demo's key file names its pupils
        terminal.press("j")
        terminal.wait_for("Dit is een oefenvraag", "Ik eet graag pannenkoeken.")
        terminal.press("3")
        terminal.wait_for("▶ 3  ")  # chosen like a real answer, but not stored
        terminal.press("Enter")
        terminal.wait_for("Waarom doe jij je best op school?", "Beginnen")
        terminal.press("Enter")

        shown_order: list[str] = []
        for number, key in enumerate(KEYS, start=1):
            screen = terminal.wait_for(f"vraag {number} van 9")
            shown_order.append(item_shown(screen, sentences))
            terminal.press(str(key))
            terminal.wait_for(f"▶ {key}  ")  # marked as chosen, so saved
            terminal.press("Enter")

        terminal.wait_for("Dankjewel!")
        terminal.press("Space")
        terminal.wait_for("Wat is jouw code?", "bijvoorbeeld KT4MRX")  # the placeholder: an empty field

        paths = list(DataFolder(data).session_paths())
        assert len(paths) == 1, paths
        assert paths[0].relative_to(data).parts[:4] == ("sessions", "demo", "w1", PUPIL)
        session = Session(paths[0])
        assert session.meta.item_order == shown_order
        assert session.answers() == dict(zip(shown_order, KEYS))
        assert session.finished

        terminal.press("C-c")  # does nothing in the kiosk
        terminal.press("C-q")  # the teacher's way out: the PIN (the demo's is 1234), then Stoppen
        terminal.wait_for("Alleen voor de juf, meester of onderzoeker")
        terminal.type("1234")
        terminal.press("Enter")
        terminal.wait_for("Stoppen", "Andere klas of meting", "Terug")
        terminal.press("Up")  # from "Terug" (focused first) up to "Stoppen"
        terminal.press("Up")
        terminal.press("Enter")
        deadline = time.monotonic() + WAIT
        while not exit_status.exists() or not exit_status.read_text().strip():
            assert time.monotonic() < deadline, f"klaspeil did not stop from the teacher menu:\n{terminal.screen()}"
            time.sleep(0.05)
        assert exit_status.read_text().strip() == "0", terminal.screen()
    finally:
        terminal.kill()
