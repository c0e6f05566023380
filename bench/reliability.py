"""Reliability table: exports.reliability next to pingouin.cronbach_alpha over the same scales x waves.

    .venv/bin/python bench/reliability.py [--classes 70] [--pupils 25] [--waves 3] [--rounds 7] [--keep DIR] [--out FILE]

Simulates a study of every audience (`storage.simulate`, the real storage path), reads it and
builds items_long once, then times, taking turns (who goes first alternates):

- klaspeil: `reliability_tables(items_long, instruments, waves)`: the whole reliability.csv and
  item_total.csv (alpha, Feldt's interval, omega from an ML fit, item-total r, alpha if deleted);
- pingouin: from the same items_long, per instrument x wave a pandas pivot to sessions x items,
  reverse keying, and `pingouin.cronbach_alpha(wide[items], nan_policy="listwise")` per scale of
  two or more items: alpha and its interval only.

Both start from items_long, so both pay for their own pivot. The report gives both times, the
ratio (target: klaspeil no slower, ratio <= 1) and the largest |alpha difference| (target: equal).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pingouin

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from common import machine, ms, publish, simulated_folder, study_options, table  # noqa: E402

from exports.reading import read_sessions  # noqa: E402
from exports.reliability import reliability_tables  # noqa: E402
from exports.tables import items_long as items_long_of  # noqa: E402
from instruments import Instrument  # noqa: E402


def pingouin_alphas(items_long: pd.DataFrame, instruments: list[Instrument], waves: list[str]) -> dict[tuple[str, str, str], float]:
    """{(instrument, scale, wave): alpha} the way an analyst would get it with pandas and pingouin."""
    alphas = {}
    for instrument in instruments:
        of_instrument = items_long[items_long["instrument"] == instrument.id]
        reverse = {item.id: instrument.response_for(item) for item in instrument.items if item.reverse}
        for wave in waves:
            rows = of_instrument[of_instrument["wave"] == wave]
            if rows.empty:
                continue
            wide = rows.pivot(index="session_id", columns="item", values="value")
            for scale in instrument.scales:
                if len(scale.items) < 2:
                    continue
                keyed = wide.reindex(columns=scale.items).astype("float64")
                for item, response in reverse.items():
                    if item in keyed:
                        keyed[item] = response.min + response.max - keyed[item]
                if len(keyed.dropna()) < 3:
                    continue
                alphas[(instrument.id, scale.id, wave)] = pingouin.cronbach_alpha(keyed, nan_policy="listwise")[0]
    return alphas


def ours(items_long: pd.DataFrame, instruments: list[Instrument], waves: list[str]) -> dict[tuple[str, str, str], float]:
    frame = reliability_tables(items_long, instruments, waves)["reliability"].frame
    frame = frame[frame["alpha"].notna()]
    return dict(zip(zip(frame["instrument"], frame["scale"], frame["wave"]), frame["alpha"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    study_options(parser, classes=70, rounds=7)
    args = parser.parse_args()

    started = time.perf_counter()
    folder = simulated_folder(args, "bench-reliability-")
    known = folder.instruments()
    sessions, answers = read_sessions(folder, known)
    items_long = items_long_of(sessions, answers)
    simulated = time.perf_counter() - started
    instruments = sorted(known.values(), key=lambda instrument: instrument.id)
    waves = [wave.id for wave in folder.study().waves]
    print(f"{len(sessions):,} sessions, {len(items_long):,} answers; simulated and read in {simulated:.0f} s", flush=True)

    load_before = os.getloadavg()[0]
    runs: dict[str, list[float]] = {"klaspeil": [], "pingouin": []}
    work = {"klaspeil": ours, "pingouin": pingouin_alphas}
    results = {name: run(items_long, instruments, waves) for name, run in work.items()}  # untimed warm-up
    for round_no in range(args.rounds):
        order = list(work) if round_no % 2 == 0 else list(reversed(work))
        for name in order:
            begin = time.perf_counter()
            results[name] = work[name](items_long, instruments, waves)
            runs[name].append(time.perf_counter() - begin)
    if results["klaspeil"].keys() != results["pingouin"].keys():
        raise SystemExit(f"different scales x waves: {results['klaspeil'].keys() ^ results['pingouin'].keys()}")
    load_after = os.getloadavg()[0]
    difference = max(abs(results["klaspeil"][key] - results["pingouin"][key]) for key in results["klaspeil"])
    median = {name: statistics.median(times) for name, times in runs.items()}
    ratio = median["klaspeil"] / median["pingouin"]

    lines = [
        f"### Reliability table vs. pingouin ({args.classes} classes x {args.pupils} pupils x {args.waves} waves)",
        "",
        *(f"- {line}" for line in machine(folder.root)),
        f"- data: {len(sessions):,} sessions of every audience, {len(items_long):,} answers in items_long; "
        f"{len(results['klaspeil'])} scale x wave alphas (scales of 2+ items with 3+ complete sessions)",
        f"- {args.rounds} rounds, taking turns (who goes first alternates), after one untimed run of each; "
        f"load average (1 min) before / after: {load_before:.1f} / {load_after:.1f}",
        "",
        *table(
            ["from items_long to", "median ms", "min ms", "max ms"],
            [[name_of(name), ms(median[name]), ms(min(runs[name])), ms(max(runs[name]))] for name in runs],
        ),
        "",
        f"- ratio klaspeil / pingouin (medians): **{ratio:.2f}x** (target <= 1: "
        f"{'met' if ratio <= 1 else 'missed'})",
        f"- largest |alpha difference| over the {len(results['klaspeil'])} scale x wave alphas: "
        f"**{difference:.1e}** (target: equal)",
    ]
    publish(lines, args.out)


def name_of(name: str) -> str:
    return {
        "klaspeil": "klaspeil `reliability_tables`: alpha, Feldt CI, omega (ML), item-total r, alpha if deleted",
        "pingouin": "pandas pivot + `pingouin.cronbach_alpha` per scale: alpha and CI only",
    }[name]


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
