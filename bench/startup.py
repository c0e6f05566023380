"""Start-up: time until the first question is on screen, klaspeil demo next to a bare Textual app.

    .venv/bin/python bench/startup.py [--rounds 15] [--out FILE] [--importtime]

Each start runs in a tmux pane of 100x30 (`tmux -L bench-<pid> new-session -d -x 100 -y 30 CMD`);
the clock runs from just before tmux is asked to start the command until `capture-pane -p`
shows the question. The two apps take turns (who goes first alternates), so machine noise hits
both alike. One untimed start of each comes first (byte-compiled files, page cache). A holder
session keeps the tmux server up, so neither app pays for starting tmux itself.

- klaspeil: `klaspeil demo --data <tmp>`, whose first screen asks "Wat is jouw code?"; the data
  folder is made by the untimed start and reused, as on a school laptop.
- bare: bench/bare_app.py, a Label and an Input.

With --importtime (or when the ratio misses its target) it adds where klaspeil's extra time goes:
its start-up phases before Textual runs, and `python -X importtime` per package next to the bare app's.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import machine, percentile, publish, table
from tmux_control import kill_server, tmux

REPO = Path(__file__).resolve().parent.parent
QUESTION = "Wat is jouw code?"
TARGET = 1.3


def time_to_question(command: list[str], interval: float, timeout: float) -> float:
    """Seconds from starting `command` in a fresh pane until the question shows; the app is then stopped."""
    started = time.perf_counter()
    tmux("new-session", "-d", "-s", "run", "-x", "100", "-y", "30", shlex.join(command))
    pid = int(tmux("display-message", "-p", "-t", "run", "#{pane_pid}").strip())
    try:
        while True:
            screen = tmux("capture-pane", "-p", "-t", "run")
            elapsed = time.perf_counter() - started
            if QUESTION in screen:
                return elapsed
            if elapsed > timeout:
                raise SystemExit(f"no {QUESTION!r} after {timeout:.0f} s from {shlex.join(command)}; screen:\n{screen}")
            time.sleep(interval)
    finally:
        stop(pid)


def stop(pid: int) -> None:
    """End the pane and wait until its process is gone, so the next start has the machine to itself."""
    try:
        tmux("kill-session", "-t", "run")
    except RuntimeError:
        pass  # the app ended by itself
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.01)
    os.kill(pid, signal.SIGKILL)


KLASPEIL_IMPORTS = "import tui.entry, tui.launch"  # what `klaspeil demo` imports before its first screen (no click)
BARE_IMPORTS = "import textual.app; from textual.widgets import Input, Label"

# Where klaspeil's start-up goes before Textual draws, phase by phase, in a fresh interpreter.
PHASES = """
import json, sys, time
marks = [("start", time.perf_counter())]
import tui.entry
marks.append(("import tui.entry (the kiosk's options read without click)", time.perf_counter()))
import tui.launch
marks.append(("import tui.launch (textual, code screen)", time.perf_counter()))
from storage.datafolder import DataFolder
folder = DataFolder(sys.argv[1]).lock()
folder.install_demo()
folder.require_study()
marks.append(("data folder: lock, study.yaml present", time.perf_counter()))
from tui.setup import load_setup
load_setup(folder, None)
marks.append(("after the first paint, in a worker: study + instruments (pydantic, ruamel)", time.perf_counter()))
folder.unlock()
print(json.dumps([(name, later - earlier) for (_, earlier), (name, later) in zip(marks, marks[1:])]))
"""


def import_times(statement: str) -> dict[str, float]:
    """Milliseconds of `python -X importtime` self time per top-level package imported by `statement`."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", statement], capture_output=True, text=True, cwd=REPO)
    packages: dict[str, float] = {}
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "imported package" in line:
            continue
        own, _, name = line.removeprefix("import time:").split("|")
        package = name.strip().split(".")[0]
        packages[package] = packages.get(package, 0.0) + int(own) / 1000
    return packages


def phases(data: Path, repeats: int = 5) -> list[tuple[str, float]]:
    """Median seconds per phase of klaspeil's start before Textual runs (see PHASES)."""
    runs = []
    for _ in range(repeats):
        done = subprocess.run([sys.executable, "-c", PHASES, str(data)], capture_output=True, text=True, cwd=REPO)
        if done.returncode != 0:
            raise RuntimeError(done.stderr.strip().splitlines()[-1])
        runs.append(json.loads(done.stdout))
    return [(runs[0][n][0], statistics.median(run[n][1] for run in runs)) for n in range(len(runs[0]))]


def breakdown(data: Path, top: int) -> list[str]:
    """Where klaspeil's extra start-up time goes: its phases, and its imports next to the bare app's."""
    lines = ["Where the time goes before Textual runs (median of 5 fresh interpreters):", ""]
    try:
        lines += table(["phase", "ms"], [[name, f"{seconds * 1000:.0f}"] for name, seconds in phases(data)])
    except RuntimeError as error:
        lines.append(f"(phases not measured: {error})")
    ours, bare = import_times(KLASPEIL_IMPORTS), import_times(BARE_IMPORTS)
    rows = [[f"`{name}`", f"{ms_:.1f}", f"{bare.get(name, 0.0):.1f}", f"{ms_ - bare.get(name, 0.0):+.1f}"]
            for name, ms_ in sorted(ours.items(), key=lambda item: -item[1])[:top]]
    rows.append(["all", f"{sum(ours.values()):.0f}", f"{sum(bare.values()):.0f}", f"{sum(ours.values()) - sum(bare.values()):+.0f}"])
    lines += ["", f"`python -X importtime`, self time summed per top-level package (ms): klaspeil "
              f"(`{KLASPEIL_IMPORTS}`) next to the bare app (`{BARE_IMPORTS}`):", "",
              *table(["package", "klaspeil", "bare", "extra"], rows), ""]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=15, help="timed starts of each app (default 15)")
    parser.add_argument("--out", type=Path, help="write the results as a markdown fragment here")
    parser.add_argument("--interval", type=float, default=0.005, help="seconds between screen captures (default 0.005)")
    parser.add_argument("--timeout", type=float, default=30.0, help="give up on a start after this many seconds")
    parser.add_argument("--importtime", action="store_true", help="always add the phase and import-time breakdown")
    parser.add_argument("--top", type=int, default=12, help="packages in the import-time breakdown (default 12)")
    args = parser.parse_args()

    data = Path(tempfile.mkdtemp(prefix="klaspeil-startup-"))
    apps = {
        "klaspeil demo": [str(REPO / ".venv" / "bin" / "klaspeil"), "demo", "--data", str(data / "demo")],
        "bare Textual app": [sys.executable, str(REPO / "bench" / "bare_app.py")],
    }
    times: dict[str, list[float]] = {name: [] for name in apps}
    began = time.perf_counter()
    tmux("new-session", "-d", "-s", "holder", "-x", "100", "-y", "30", "sleep 86400")
    try:
        for command in apps.values():  # untimed: byte-compile, warm the page cache, make the demo folder
            time_to_question(command, args.interval, args.timeout)
        order = list(apps.items())
        for round_ in range(args.rounds):
            for name, command in order if round_ % 2 == 0 else order[::-1]:
                times[name].append(time_to_question(command, args.interval, args.timeout))
            print(f"round {round_ + 1}: " + ", ".join(f"{n} {t[-1] * 1000:.0f} ms" for n, t in times.items()),
                  file=sys.stderr, flush=True)
    finally:
        kill_server()

    real, bare = times["klaspeil demo"], times["bare Textual app"]
    rows = [[name, str(len(t)), f"{statistics.median(t) * 1000:.0f}", f"{percentile(t, 0.9) * 1000:.0f}",
             f"{min(t) * 1000:.0f}", f"{max(t) * 1000:.0f}"] for name, t in times.items()]
    median_ratio = statistics.median(real) / statistics.median(bare)
    p90_ratio = percentile(real, 0.9) / percentile(bare, 0.9)
    paired = statistics.median(r / b for r, b in zip(real, bare))
    lines = [
        f"#### Time until {QUESTION!r} is on screen (ms)", "",
        *table(["app", "starts", "median", "p90", "min", "max"], rows), "",
        f"ratio klaspeil / bare: median {median_ratio:.2f}x, p90 {p90_ratio:.2f}x, median of per-round ratios "
        f"{paired:.2f}x (target <= {TARGET}x: {'met' if median_ratio <= TARGET else 'missed'})", "",
    ]
    if args.importtime or median_ratio > TARGET:
        lines += breakdown(data / "demo", args.top)
    shutil.rmtree(data, ignore_errors=True)
    lines += [*(f"- {line}" for line in machine(Path(tempfile.gettempdir()))),
              f"- whole run: {(time.perf_counter() - began):.0f} s"]
    publish(lines, args.out)


if __name__ == "__main__":
    main()
