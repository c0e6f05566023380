"""Answer-save latency with 1,000 … 1,000,000 answers already on the device, three stores side by side.

    .venv/bin/python bench/save_latency.py [--sizes 1000,100000,1000000] [--samples 1000] [--out FILE]

- real: `Session.record` on a session in a `DataFolder` (one TinyDB file per session, written by
  AtomicJSONStorage: temporary file, fsync, rename, fsync of the folder).
- tinydb: one plain TinyDB file with the default JSONStorage (rewrites the whole file, then fsync).
- sqlite: one SQLite file in WAL mode with synchronous=FULL, one INSERT + commit per answer.
- floor: the disk alone, write_atomically of a session-sized file (no TinyDB, JSON or pydantic).

Every size has its own three stores, all filled first and synced to disk; then the disk is left
to settle. The measuring is done in turns: in each turn every store of every size saves one
answer, in a shuffled order, so machine noise (this disk's fsync time drifts by 2-4x over
minutes) hits every size and store alike. The plain TinyDB takes seconds per insert at 1,000,000
answers, so each size gets a time budget for it; its inserts go into the last turns.
Also timed, in turns too: `DataFolder.find_session` for random filled pupils, each once (a pupil's login).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import tempfile
import time
from pathlib import Path

from answer_stores import DiskFloor, PlainTinyDB, RealPath, SQLiteWAL
from common import log, machine, ms, percentile, publish, table

LABELS = {
    "real": "real: Session.record, a file per session",
    "tinydb": "plain TinyDB, one file",
    "sqlite": "SQLite WAL, synchronous=FULL",
    "floor": "disk floor: write_atomically, 1.4 kB",
}


def fill(sizes: list[int], root: Path, args: argparse.Namespace, rng: random.Random) -> tuple[dict, dict[int, int], dict]:
    """The stores of every size, filled; how many plain TinyDB inserts each size gets; fill facts."""
    stores: dict[int, dict] = {}
    tiny_saves: dict[int, int] = {}
    facts: dict = {"seconds": {}}
    for size in sizes:
        started = time.perf_counter()
        real = RealPath(root / f"data-{size}", args.api_fill, rng)
        real.fill_to(size)
        sqlite = SQLiteWAL(root / f"answers-{size}.sqlite", rng)
        sqlite.fill_to(size)
        tiny = PlainTinyDB(root / f"plain-tinydb-{size}.json", rng)
        first = tiny.fill_to(size)
        stores[size] = {"real": real, "tinydb": tiny, "sqlite": sqlite}
        tiny_saves[size] = min(args.samples, max(args.tinydb_min, int(args.tinydb_budget / first)))
        facts["seconds"][size] = time.perf_counter() - started
        facts[size] = {"sessions": real.sessions, "api_sessions": real.api_sessions}
        log(f"filled {size:,} answers in {facts['seconds'][size]:.0f} s ({real.sessions:,} session files, "
            f"{real.api_sessions:,} through the API); a plain TinyDB insert took {first * 1000:,.0f} ms, "
            f"so it gets {tiny_saves[size]} timed inserts")
    started = time.perf_counter()
    os.sync()
    time.sleep(args.settle)
    facts["settle"] = time.perf_counter() - started
    return stores, tiny_saves, facts


def measure(stores: dict, tiny_saves: dict[int, int], floor: DiskFloor, args: argparse.Namespace,
            rng: random.Random) -> tuple[dict, dict[int, list[float]]]:
    saves: dict = {(size, name): [] for size in stores for name in ("real", "tinydb", "sqlite")}
    saves[(None, "floor")] = []
    for turn in range(args.samples):
        tasks = [(None, "floor", floor.save)]
        for size, by_name in stores.items():
            tasks += [(size, name, store.save) for name, store in by_name.items()
                      if name != "tinydb" or turn >= args.samples - tiny_saves[size]]
        rng.shuffle(tasks)
        for size, name, save in tasks:
            saves[(size, name)].append(save())
        if (turn + 1) % 250 == 0:
            log(f"turn {turn + 1} of {args.samples}")
    logins: dict[int, list[float]] = {size: [] for size in stores}
    pupils = {size: by_name["real"].pupils_to_log_in(args.lookups) for size, by_name in stores.items()}
    for turn in range(args.lookups):
        sizes = [size for size in stores if turn < len(pupils[size])]
        rng.shuffle(sizes)
        for size in sizes:
            logins[size].append(stores[size]["real"].login(pupils[size][turn]))
    return saves, logins


def report(saves: dict, logins: dict[int, list[float]], facts: dict, args: argparse.Namespace, root: Path,
           total: float) -> list[str]:
    sizes = sorted(logins)
    rows = []
    for size in sizes:
        for name in ("real", "tinydb", "sqlite"):
            t = saves[(size, name)]
            rows.append([f"{size:,}", LABELS[name], str(len(t)), ms(percentile(t, 0.5)), ms(percentile(t, 0.99)), ms(max(t))])
    floor = saves[(None, "floor")]
    rows.append(["(any)", LABELS["floor"], str(len(floor)), ms(percentile(floor, 0.5)), ms(percentile(floor, 0.99)), ms(max(floor))])
    lines = ["#### Answer save latency (ms)", "",
             *table(["stored answers", "store", "saves timed", "p50", "p99", "max"], rows), ""]

    first, last = sizes[0], sizes[-1]
    ratio_rows = []
    for name in ("real", "tinydb", "sqlite"):
        a, b = percentile(saves[(first, name)], 0.5), percentile(saves[(last, name)], 0.5)
        ratio_rows.append([LABELS[name], ms(a), ms(b), f"{b / a:.2f}x"])
    lines += [f"#### p50 at {last:,} / p50 at {first:,} stored answers", "",
              *table(["store", f"p50 at {first:,}", f"p50 at {last:,}", "ratio"], ratio_rows), ""]

    login_rows = [[f"{size:,}", f"{facts[size]['sessions']:,}", str(len(logins[size])), ms(percentile(logins[size], 0.5)),
                   ms(percentile(logins[size], 0.99)), ms(max(logins[size]))] for size in sizes]
    lines += ["#### Finding a pupil's session at login: DataFolder.find_session (ms)", "",
              *table(["stored answers", "session files", "lookups", "p50", "p99", "max"], login_rows), ""]

    fills = "; ".join(f"{size:,}: {facts['seconds'][size]:.0f} s" for size in sizes)
    lines += [
        *(f"- {line}" for line in machine(root)),
        f"- filling, per size: the first {args.api_fill:,} answers through DataFolder.new_session + Session.record with "
        f"durable=False ({facts[last]['api_sessions']:,} sessions at {last:,}); the rest written as the same JSON through "
        "AtomicJSONStorage.write (durable=False). Plain TinyDB written as one JSON file plus one untimed insert; "
        "SQLite with one executemany. Then os.sync() and "
        f"{args.settle:.0f} s to settle ({facts['settle']:.0f} s in all).",
        f"- fill time per size: {fills}",
        f"- whole run: {total / 60:.1f} min (without removing the stores afterwards)",
    ]
    return lines


def parse_sizes(text: str) -> list[int]:
    return sorted({int(part.replace("_", "")) for part in text.split(",") if part.strip()})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=parse_sizes, default=parse_sizes("1000,100000,1000000"),
                        help="answers stored before measuring, comma-separated (default 1000,100000,1000000)")
    parser.add_argument("--samples", type=int, default=1000, help="turns: timed saves per size and store (default 1000)")
    parser.add_argument("--out", type=Path, help="write the results as a markdown fragment here")
    parser.add_argument("--raw", type=Path, help="write every timing (seconds, in measuring order) as JSON here")
    parser.add_argument("--dir", type=Path, default=None, help="where to put the stores (default: the system temp folder)")
    parser.add_argument("--api-fill", type=int, default=100_000,
                        help="answers per size filled through the real API; beyond, the same JSON is written directly")
    parser.add_argument("--tinydb-budget", type=float, default=30.0, help="seconds of plain TinyDB inserts per size (default 30)")
    parser.add_argument("--tinydb-min", type=int, default=5, help="at least this many plain TinyDB inserts per size (default 5)")
    parser.add_argument("--lookups", type=int, default=300, help="find_session calls per size, each for another pupil (default 300)")
    parser.add_argument("--settle", type=float, default=20.0, help="seconds to let the disk settle after filling (default 20)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the stores (prints where)")
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="klaspeil-bench-", dir=args.dir))
    rng = random.Random(args.seed)
    began = time.perf_counter()
    stores: dict = {}
    try:
        stores, tiny_saves, facts = fill(args.sizes, root, args, rng)
        saves, logins = measure(stores, tiny_saves, DiskFloor(root / "floor"), args, rng)
        lines = report(saves, logins, facts, args, root, time.perf_counter() - began)
    finally:
        for by_name in stores.values():
            for store in by_name.values():
                store.close()
        if args.keep:
            log(f"kept {root}")
        else:
            log(f"removing {root}")
            shutil.rmtree(root, ignore_errors=True)
    publish(lines, args.out)
    if args.raw:
        args.raw.write_text(json.dumps({f"{size}:{name}": t for (size, name), t in saves.items()}
                                       | {f"{size}:login": t for size, t in logins.items()}))


if __name__ == "__main__":
    main()
