"""Key press to the next item on screen, in the real app in a real terminal, with 1,000,000
answers already stored on the device and with none, side by side.

    .venv/bin/python bench/next_item.py [--stored 1000000] [--pupils 40] [--out FILE]

Two `klaspeil demo --data <folder>` run at the same time, each in its own tmux session of 100x30:
one on a data folder holding `--stored` answers (session files in the real layout, filled as
bench/save_latency.py fills its stores: answer_stores.RealPath), one on an empty data folder.
Both folders hold the same study (one class of `--pupils` pupils, three waves of the 9-item
pupil_motivation questionnaire; the filled sessions are this study's, in all three waves).

The benchmark is a tmux control-mode client per app (`tmux -C attach`): it sends keys with
`send-keys` and reads the screen with `capture-pane` through the same pipe, with no process
started per poll, and tmux tells it (`%output`) when the app wrote to its terminal, so it
captures the screen right after every write. A step's time runs from just before `send-keys`
is written to tmux until the capture that first shows the expected text returns.

The yardstick, in a third session: a bare Textual app (`next_item.py --bare-app`: a label, the
sentence, a line for the chosen answer) that shows the next sentence on Enter, without saving.

Timed steps (the three apps take turns step by step, in a shuffled order, so machine noise hits
all alike; every key press comes after a pause, as a pupil's would, to an idle app):
- Enter on an answered item -> the next item's sentence and "vraag n van 9" on screen;
- a digit on an item -> the answer marked as chosen ("▶ n") on screen: saved durably first;
- the code and Enter -> the first screen after code entry (the pupil's session looked up among
  the stored ones and a new one created).

`--where PUPILS` measures something else: inside the app, headless, how much of an Enter is
Textual's layout, rendering and CSS (a guide for making the item screen cheaper).
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import random
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from answer_stores import INSTRUMENT, STUDY, WAVES, RealPath
from common import machine, ms, percentile, table

from instruments import shipped
from storage import DataFolder, codes

REPO = Path(__file__).resolve().parent.parent
KLASPEIL = Path(sys.executable).parent / "klaspeil"  # the venv's script; PYTHONPATH may point it at other sources
SOCKET = f"bench-next-{os.getpid()}"
TARGET_P99 = 0.050
TIMEOUT = 20.0  # seconds before an expected screen counts as never coming


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def tmux(*args: str) -> str:
    done = subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"tmux {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout


def study_yaml(pupils: list[str]) -> str:
    """One class, three waves of the questionnaire that RealPath fills (so the filled sessions are this study's)."""
    waves = "\n".join(f"  - id: {wave}\n    instruments:\n      pupil: [{INSTRUMENT}]" for wave in WAVES)
    return (f"id: {STUDY}\ntitle: next-item benchmark\nclasses:\n  - id: c1\n    name: groep 6\n"
            f"    teacher_term: juf\n    pupils: [{', '.join(pupils)}]\nwaves:\n{waves}\n")


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


MARKS = ("Ben jij", "oefenvraag", "Beginnen")  # the screens between code and first item, as they say


class Pupil:
    """Takes one pupil through the questionnaire on one kiosk, timing the steps."""

    def __init__(self, kiosk: Kiosk, code: str, sentences: list[str], times: dict[str, list[float]],
                 rng: random.Random, pause: float) -> None:
        self.kiosk, self.code, self.sentences, self.times = kiosk, code, sentences, times
        self.rng, self.pause = rng, pause
        self.total = len(sentences)

    def item_on_screen(self, number: int, before: str | None) -> Callable[[str], bool]:
        """Item `number`'s progress and one whole sentence, not the one shown before."""
        def shows(screen: str) -> bool:
            shown = [s for s in self.sentences if s in screen]
            return f"vraag {number} van {self.total}" in screen and len(shown) == 1 and shown[0] != before
        return shows

    def steps(self):
        """A generator: each `next()` does one step, so two kiosks can take turns."""
        kiosk = self.kiosk
        if kiosk.bare:
            _, screen = kiosk.wait_for(self.item_on_screen(1, None), "the first item")
            yield from self.items(screen)
            return
        kiosk.wait_for(lambda s: "Wat is jouw code?" in s, "the code screen")
        kiosk.press(self.code, literal=True)
        kiosk.wait_for(lambda s: self.code in s, "the typed code")
        time.sleep(self.pause)
        self.times["login"].append(kiosk.step("Enter", lambda s: "Wat is jouw code?" not in s, "the screen after the code"))
        yield from self.items(self.to_first_item())
        kiosk.press("Space")
        kiosk.wait_for(lambda s: "Wat is jouw code?" in s and "bijvoorbeeld" in s, "a fresh, empty code screen")

    def to_first_item(self) -> str:
        """Through the screens between code and first item, untimed: name check, practice item, introduction."""
        kiosk, first = self.kiosk, self.item_on_screen(1, None)
        while True:
            _, screen = kiosk.wait_for(lambda s: first(s) or any(mark in s for mark in MARKS), "the first item or a screen before it")
            if first(screen):
                return screen
            mark = next(mark for mark in MARKS if mark in screen)
            time.sleep(self.pause)
            if mark == "oefenvraag":  # the practice item: answer it, then on
                kiosk.press("3")
                kiosk.wait_for(lambda s: "▶ 3  " in s, "the practice answer marked")
                time.sleep(self.pause)
            kiosk.press("Enter")  # "Ja" at the name check, on after the practice item, "Beginnen"
            kiosk.wait_for(lambda s, gone=mark: gone not in s, f"the screen with {mark!r} gone")

    def items(self, screen: str):
        kiosk = self.kiosk
        yield
        for number in range(1, self.total + 1):
            sentence = next(s for s in self.sentences if s in screen)
            digit = self.rng.randint(1, 5)
            time.sleep(self.pause)
            self.times["choose"].append(kiosk.step(str(digit), lambda s: f"▶ {digit}  " in s, f"answer {digit} marked"))
            yield
            time.sleep(self.pause)
            if number < self.total:
                started = kiosk.press("Enter")
                done, screen = kiosk.wait_for(self.item_on_screen(number + 1, sentence), f"item {number + 1}")
                self.times["next"].append(done - started)
            elif kiosk.bare:  # from the last item back to the first, untimed (8 timed per pupil, as in the app)
                kiosk.step("Enter", self.item_on_screen(1, sentence), "item 1")
            else:
                kiosk.step("Enter", lambda s: "Dankjewel!" in s, "the thank-you")
            yield


def fill(root: Path, args: argparse.Namespace, pupils: list[str], rng: random.Random) -> dict[str, Path]:
    """The two data folders with the study of `pupils`; the stored one filled unless a kept run filled it."""
    folders = {"empty": root / "empty", "stored": root / "stored"}
    shutil.rmtree(folders["empty"], ignore_errors=True)  # a kept run's pupils answered there
    marker = root / "filled.json"  # what a kept run filled (its measured pupils' sessions come on top)
    if marker.exists() and json.loads(marker.read_text())["stored"] == args.stored:
        log(f"reusing the {args.stored:,} answers in {folders['stored']}")
    else:
        started = time.perf_counter()
        real = RealPath(folders["stored"], args.api_fill, rng)
        real.fill_to(args.stored)
        marker.write_text(json.dumps({"stored": args.stored}))
        log(f"filled {args.stored:,} answers in {time.perf_counter() - started:.0f} s ({real.sessions:,} session files)")
    for folder in folders.values():
        DataFolder(folder).ensure().study_path.write_text(study_yaml(pupils))
    os.sync()
    time.sleep(args.settle)
    return folders


def measure(folders: dict[str, Path], pupils: list[str], args: argparse.Namespace,
            rng: random.Random) -> tuple[dict[str, dict[str, list[float]]], float]:
    sentences = [item.text.nl for item in shipped()[INSTRUMENT].items]
    commands = {name: [str(KLASPEIL), "demo", "--data", str(folder)] for name, folder in folders.items()}
    commands["bare"] = [sys.executable, str(Path(__file__).resolve()), "--bare-app"]
    times = {name: {"next": [], "choose": [], "login": []} for name in commands}
    tmux("new-session", "-d", "-s", "holder", "-x", "100", "-y", "30", "sleep 86400")
    kiosks = {name: Kiosk(name, command) for name, command in commands.items()}
    try:
        for kiosk in kiosks.values():
            kiosk.wait_for(lambda s: "vraag 1 van" in s if kiosk.bare else "Wat is jouw code?" in s, "the first screen")
        capture = []
        for _ in range(200):  # what one look at the screen costs: the resolution of every time below
            started = time.perf_counter()
            kiosks["empty"].screen()
            capture.append(time.perf_counter() - started)
        for n, code in enumerate(pupils):
            runs = [Pupil(kiosk, code, sentences, times[name], rng, args.pause).steps() for name, kiosk in kiosks.items()]
            while runs:
                rng.shuffle(runs)
                for run in list(runs):
                    if next(run, StopIteration) is StopIteration:
                        runs.remove(run)
            if (n + 1) % 10 == 0:
                log(f"pupil {n + 1} of {len(pupils)}")
    finally:
        for kiosk in kiosks.values():
            kiosk.close()
        subprocess.run(["tmux", "-L", SOCKET, "kill-server"], capture_output=True)
    return times, statistics.median(capture)


LABELS = {
    "next": "Enter -> next item on screen",
    "choose": "digit -> answer saved and marked",
    "login": "code + Enter -> next screen",
}


def app_source() -> str:
    """Which code the apps ran: the tui package's folder, and its commit when it is a git checkout."""
    import tui

    where = Path(tui.__file__).resolve().parent.parent
    head = subprocess.run(["git", "-C", str(where), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    if head.returncode != 0:
        return f"{where} (not a git checkout)"
    dirty = subprocess.run(["git", "-C", str(where), "status", "--porcelain", "--", "tui", "storage", "instruments"],
                           capture_output=True, text=True).stdout.strip()
    return f"{where} at {head.stdout.strip()}" + (", with uncommitted changes in tui/storage/instruments" if dirty else "")


def report(times: dict[str, dict[str, list[float]]], capture: float, args: argparse.Namespace, root: Path,
           facts: dict[str, float]) -> list[str]:
    apps = {"empty": "klaspeil, 0 stored", "stored": f"klaspeil, {args.stored:,} stored", "bare": "bare Textual app"}
    rows = []
    for step in LABELS:
        for name, label in apps.items():
            t = times[name][step]
            if t:
                rows.append([LABELS[step], label, str(len(t)), ms(percentile(t, 0.5)), ms(percentile(t, 0.9)),
                             ms(percentile(t, 0.99)), ms(max(t))])
    ratios = []
    for step in LABELS:
        empty, stored = times["empty"][step], times["stored"][step]
        bare = times["bare"][step]
        ratios.append([LABELS[step], f"{percentile(stored, 0.5) / percentile(empty, 0.5):.2f}x",
                       f"{percentile(stored, 0.99) / percentile(empty, 0.99):.2f}x",
                       f"{percentile(stored, 0.5) / percentile(bare, 0.5):.2f}x" if bare else "",
                       f"{percentile(stored, 0.99) / percentile(bare, 0.99):.2f}x" if bare else ""])
    p99 = percentile(times["stored"]["next"], 0.99)
    return [
        "#### Key press to screen, in klaspeil demo in tmux (ms)", "",
        *table(["step", "app", "samples", "p50", "p90", "p99", "max"], rows), "",
        f"#### Ratios: {args.stored:,} stored answers / none; klaspeil ({args.stored:,} stored) / bare Textual app", "",
        *table(["step", "stored / none, p50", "stored / none, p99", "klaspeil / bare, p50", "klaspeil / bare, p99"], ratios), "",
        f"Enter -> next item with {args.stored:,} answers stored: p99 {ms(p99)} ms "
        f"(target < {TARGET_P99 * 1000:.0f} ms: {'met' if p99 < TARGET_P99 else 'missed'})", "",
        *(f"- {line}" for line in machine(root)),
        f"- app code: {app_source()}",
        f"- priority: nice {os.nice(0)} (benchmark, tmux server and apps; 0 is the default)",
        f"- load average (1 min) before / after measuring: {facts['load_before']:.1f} / {facts['load_after']:.1f} "
        f"on {os.cpu_count()} cores (other work on the machine shows here)",
        f"- one screen capture through the control client (the resolution of every time above): median {ms(capture)} ms",
        f"- pupils: {args.pupils} per app, {args.pause * 1000:.0f} ms pause before every key press; the filled sessions: "
        f"the first {min(args.api_fill, args.stored):,} answers through DataFolder.new_session + Session.record, "
        "the rest as the same JSON (answer_stores.RealPath)",
        f"- fill: {facts['fill']:.0f} s; measuring: {facts['measure']:.0f} s; whole run: {facts['total'] / 60:.1f} min "
        "(without removing the folders afterwards)",
    ]


def where_the_time_goes(pupils: int) -> list[str]:
    """Inside the app, headless (Pilot): from Enter on an answered item to the last screen refresh
    after it, and how much of that is Textual's layout, its rendering and CSS. Times Textual's
    private methods by wrapping them: a guide to where the time goes, not the measurement above."""
    import asyncio
    from collections import defaultdict

    from textual import _compositor, events
    from textual import screen as screen_module
    from textual.css import stylesheet

    from tui.launch import make_app

    spent: dict[str, float] = defaultdict(float)
    refreshed: list[float] = []

    def timed(owner: type, name: str, label: str) -> None:
        original = getattr(owner, name)

        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[label] += time.perf_counter() - started
                if label == "refresh":
                    refreshed.append(time.perf_counter())

        setattr(owner, name, wrapper)

    timed(screen_module.Screen, "_refresh_layout", "layout: arranging the screen's widgets")
    timed(_compositor.Compositor, "render_update", "rendering the changed regions")
    timed(stylesheet.Stylesheet, "update_nodes", "CSS applied again (class changes)")
    timed(screen_module.Screen, "_compositor_refresh", "refresh")

    async def run() -> tuple[list[float], dict[str, list[float]]]:
        folder = DataFolder(Path(tempfile.mkdtemp(prefix="klaspeil-where-")) / "data")
        folder.install_demo()
        study = folder.study()
        codes_ = [code for school_class in study.classes for code in school_class.pupils][:pupils]
        app = make_app(folder, study, demo=True, shuffle_seed=1, return_after=None)
        totals: list[float] = []
        parts: dict[str, list[float]] = defaultdict(list)
        async with app.run_test(size=(100, 30)) as pilot:
            for code in codes_:
                await pilot.press(*code, "enter")
                for _ in range(6):  # name check, practice item, introduction: on to the first item
                    await pilot.pause(0.1)
                    if type(app.screen).__name__ == "ItemScreen":
                        break
                    await pilot.press("j" if type(app.screen).__name__ == "NameCheckScreen" else "enter")
                for number in range(9):
                    await pilot.press("3")
                    await pilot.pause(0.05)
                    if number == 8:
                        break
                    spent.clear()
                    refreshed.clear()
                    started = time.perf_counter()
                    app.post_message(events.Key("enter", "\r"))
                    await pilot.pause(0.1)  # long enough for every refresh the Enter causes
                    totals.append(refreshed[-1] - started)
                    for label, seconds in spent.items():
                        if label != "refresh":
                            parts[label].append(seconds)
                await pilot.press("enter")
                await pilot.pause(0.1)
                await pilot.press("space")
                await pilot.pause(0.1)
        shutil.rmtree(folder.root.parent, ignore_errors=True)
        return totals, parts

    totals, parts = asyncio.run(run())
    rows = [["Enter -> last screen refresh done", str(len(totals)), ms(percentile(totals, 0.5)), ms(percentile(totals, 0.99))]]
    rows += [[f"of which {label}", str(len(t)), ms(percentile(t, 0.5)), ms(percentile(t, 0.99))] for label, t in parts.items()]
    return [f"#### Inside the app (headless, Pilot, demo study, {len(totals)} Enters): where the time goes (ms)", "",
            *table(["step", "samples", "p50", "p99"], rows), "",
            f"- load average (1 min): {os.getloadavg()[0]:.1f}; priority: nice {os.nice(0)}"]


def bare_app() -> None:
    """The yardstick: the least a Textual app does to put the next sentence on screen (no saving)."""
    from textual.app import App, ComposeResult
    from textual.events import Key
    from textual.widgets import Label, Static

    sentences = [item.text.nl for item in shipped()[INSTRUMENT].items]

    class BareItems(App[None]):
        index = 0

        def compose(self) -> ComposeResult:
            yield Label(id="progress")
            yield Static(id="item-text")
            yield Static(id="chosen")

        def on_mount(self) -> None:
            self.show()

        def show(self) -> None:
            self.query_one("#progress", Label).update(f"vraag {self.index + 1} van {len(sentences)}")
            self.query_one("#item-text", Static).update(sentences[self.index])
            self.query_one("#chosen", Static).update("")

        def on_key(self, event: Key) -> None:
            if event.key in "12345":
                self.query_one("#chosen", Static).update(f"▶ {event.key}  gekozen")
            elif event.key == "enter":
                self.index = (self.index + 1) % len(sentences)
                self.show()

    BareItems().run()


def main() -> None:
    if sys.argv[1:] == ["--bare-app"]:
        bare_app()
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stored", type=int, default=1_000_000, help="answers on the device before measuring (default 1000000)")
    parser.add_argument("--pupils", type=int, default=40, help="pupils per app, 9 items each (default 40)")
    parser.add_argument("--pause", type=float, default=0.05, help="seconds before each key press (default 0.05)")
    parser.add_argument("--api-fill", type=int, default=20_000,
                        help="answers filled through the real API; beyond, the same JSON is written directly (default 20000)")
    parser.add_argument("--settle", type=float, default=20.0, help="seconds to let the disk settle after filling (default 20)")
    parser.add_argument("--out", type=Path, help="write the results as a markdown fragment here")
    parser.add_argument("--raw", type=Path, help="write every timing (seconds) as JSON here")
    parser.add_argument("--dir", type=Path, default=None, help="where to put the data folders (default: the system temp folder)")
    parser.add_argument("--seed", type=int, default=1, help="pupil codes and answers; a kept folder needs a new seed per run")
    parser.add_argument("--priority", type=int, default=0,
                        help="raise the priority of the benchmark, tmux and the apps by this much (nice -N, needs root): "
                             "a laptop that runs only klaspeil, on a machine shared with other work")
    parser.add_argument("--where", type=int, metavar="PUPILS", default=0,
                        help="instead: time Textual's layout and rendering inside the app, headless, for PUPILS demo pupils")
    parser.add_argument("--keep", type=Path, help="fill (or reuse) the data folders here and keep them: re-runs skip the fill")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        raise SystemExit("next_item.py needs tmux (apt-get install tmux)")

    if args.priority:
        os.nice(-args.priority)  # inherited by the tmux server started below, and so by the apps
    if args.where:
        print("\n".join(where_the_time_goes(args.where)))
        return
    rng = random.Random(args.seed)
    taken: set[str] = set()
    for _ in range(args.pupils):
        taken.add(codes.new_code(taken, rng))  # type: ignore[arg-type]  (any Random has .choice)
    pupils = sorted(taken)
    root = args.keep or Path(tempfile.mkdtemp(prefix="klaspeil-next-", dir=args.dir))
    began = time.perf_counter()
    try:
        folders = fill(root, args, pupils, rng)
        filled, load_before = time.perf_counter(), os.getloadavg()[0]
        times, capture = measure(folders, pupils, args, rng)
        facts = {"fill": filled - began, "measure": time.perf_counter() - filled, "total": time.perf_counter() - began,
                 "load_before": load_before, "load_after": os.getloadavg()[0]}
        text = "\n".join(report(times, capture, args, root, facts)) + "\n"
        print(text)
        if args.out:
            args.out.write_text(text)
        if args.raw:
            args.raw.write_text(json.dumps(times))
    finally:
        if args.keep:
            log(f"kept {root}")
        else:
            log(f"removing {root} (minutes for a million answers on a busy disk)")
            started = time.perf_counter()
            shutil.rmtree(root, ignore_errors=True)
            log(f"removed in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
