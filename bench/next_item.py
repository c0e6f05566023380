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
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from answer_stores import INSTRUMENT, STUDY, WAVES, RealPath
from bare_items import bare_app
from common import log, publish
from next_item_report import report
from next_item_where import where_the_time_goes
from tmux_control import Kiosk, kill_server, tmux

from instruments import shipped
from storage import DataFolder, codes

KLASPEIL = Path(sys.executable).parent / "klaspeil"  # the venv's script; PYTHONPATH may point it at other sources


def study_yaml(pupils: list[str]) -> str:
    """One class, three waves of the questionnaire that RealPath fills (so the filled sessions are this study's)."""
    waves = "\n".join(f"  - id: {wave}\n    instruments:\n      pupil: [{INSTRUMENT}]" for wave in WAVES)
    return (f"id: {STUDY}\ntitle: next-item benchmark\nclasses:\n  - id: c1\n    name: groep 6\n"
            f"    teacher_term: juf\n    pupils: [{', '.join(pupils)}]\nwaves:\n{waves}\n")


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
        kill_server()
    return times, statistics.median(capture)



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
        publish(report(times, capture, args, root, facts), args.out)
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
