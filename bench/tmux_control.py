"""Apps in tmux, for the benchmarks that time what reaches a real terminal: the benchmark's own
tmux server, and a control-mode client that sends keys and reads the screen through one pipe."""

from __future__ import annotations

import os
import queue
import shlex
import subprocess
import threading
import time
from collections.abc import Callable

SOCKET = f"bench-{os.getpid()}"  # the benchmark's own tmux server (`tmux -L`), never the user's
TIMEOUT = 20.0  # seconds before an expected screen counts as never coming


def tmux(*args: str) -> str:
    done = subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"tmux {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout


def kill_server() -> None:
    """End the benchmark's tmux server and every app still running in it."""
    subprocess.run(["tmux", "-L", SOCKET, "kill-server"], capture_output=True)


class Kiosk:
    """One `klaspeil demo` in its own tmux session, driven through a control-mode client."""

    def __init__(self, name: str, command: list[str]) -> None:
        self.name = name
        self.bare = name == "bare"  # the yardstick app: items only, no code entry
        env = "env TERM=xterm-256color COLORTERM=truecolor LANG=C.UTF-8 LC_ALL=C.UTF-8 "
        tmux("new-session", "-d", "-s", name, "-x", "100", "-y", "30", env + shlex.join(command))
        self.client = subprocess.Popen(["tmux", "-L", SOCKET, "-C", "attach", "-t", name],
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
        self.replies: queue.Queue[tuple[bool, list[str]]] = queue.Queue()
        self.output = threading.Event()  # set whenever the app writes to its terminal
        threading.Thread(target=self._read, daemon=True).start()
        self.replies.get(timeout=TIMEOUT)  # tmux's reply to the attach itself

    def _read(self) -> None:
        assert self.client.stdout is not None
        block: list[str] | None = None
        for raw in self.client.stdout:
            line = raw.decode("utf-8", errors="replace").rstrip("\n")
            if block is not None:
                if line.startswith(("%end ", "%error ")):
                    self.replies.put((line.startswith("%end "), block))
                    block = None
                else:
                    block.append(line)
            elif line.startswith("%begin "):
                block = []
            elif line.startswith("%output "):
                self.output.set()

    def command(self, line: str) -> list[str]:
        assert self.client.stdin is not None
        self.client.stdin.write(line.encode() + b"\n")
        ok, reply = self.replies.get(timeout=TIMEOUT)
        if not ok:
            raise RuntimeError(f"tmux {line}: {' '.join(reply)}")
        return reply

    def screen(self) -> str:
        return "\n".join(self.command(f"capture-pane -p -t {self.name}"))

    def press(self, key: str, literal: bool = False) -> float:
        """Send a key (or literal text) as the terminal would; returns when it was sent."""
        self.output.clear()
        started = time.perf_counter()
        self.command(f"send-keys -t {self.name} {'-l ' if literal else ''}{shlex.quote(key)}")
        return started

    def wait_for(self, shows: Callable[[str], bool], what: str) -> tuple[float, str]:
        """When the screen first shows what `shows` looks for (captured after each write of the app)."""
        deadline = time.perf_counter() + TIMEOUT
        while True:
            self.output.clear()  # cleared before the capture: a write during it triggers another
            screen = self.screen()
            if shows(screen):
                return time.perf_counter(), screen
            if time.perf_counter() > deadline:
                raise SystemExit(f"{self.name}: waited {TIMEOUT:.0f} s for {what}; the screen shows:\n{screen}")
            self.output.wait(0.2)

    def step(self, key: str, shows: Callable[[str], bool], what: str, literal: bool = False) -> float:
        started = self.press(key, literal)
        done, _ = self.wait_for(shows, what)
        return done - started

    def close(self) -> None:
        if self.client.stdin is not None:
            self.client.stdin.close()
        self.client.wait(timeout=10)
