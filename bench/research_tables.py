"""Research tables (issue 7: wide tables, analysis file, team aggregates, comparisons) next to the
contract tables they are built on, and next to the plain pandas pivots an analyst would write.

    .venv/bin/python bench/research_tables.py [--classes 40] [--pupils 25] [--waves 3] [--rounds 5] [--keep DIR] [--out FILE]

Simulates a study of every audience (`storage.simulate`, the real storage path), reads it once,
then times, taking turns (who goes first alternates):

- contract: `items_long` + `scale_scores` (exports/tables.py), what the research tables start from;
- research: `research_tables(...)` (exports/research.py): the ten research tables with labels;
- pivots: per audience, `pivot_table(aggfunc="first")` of items_long and of scale_scores to one row
  per respondent x target x wave: the wide tables alone, no derived variables, no labels.

The report gives the medians and the ratios research / contract and research / pivots.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from common import machine, ms, publish, simulated_folder, study_options, table  # noqa: E402

from exports.reading import read_sessions  # noqa: E402
from exports.research import research_tables  # noqa: E402
from exports.tables import items_long, scale_scores  # noqa: E402

KEYS = ["study", "wave", "audience", "respondent", "target"]


def pivots(items: pd.DataFrame, scores: pd.DataFrame) -> list[pd.DataFrame]:
    """One wide frame of items and one of scores per audience, with pandas' pivot_table."""
    frames = []
    for audience in ("pupil", "teacher", "roster", "team"):
        of_items = items[items["audience"] == audience].fillna({"target": ""})
        of_scores = scores[scores["audience"] == audience].fillna({"target": ""})
        frames.append(of_items.pivot_table(index=KEYS, columns="item", values="value", aggfunc="first"))
        frames.append(of_scores.pivot_table(index=KEYS, columns="scale", values="score", aggfunc="first"))
    return frames


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    study_options(parser, classes=40, rounds=5)
    args = parser.parse_args()

    folder = simulated_folder(args, "bench-research-")
    study = folder.study()
    classes, pupils = len(study.classes), sum(len(school_class.pupils) for school_class in study.classes)
    known = folder.instruments()
    instruments = sorted(known.values(), key=lambda instrument: instrument.id)
    waves = [wave.id for wave in study.waves]
    sessions, answers = read_sessions(folder, known)
    items, scores = items_long(sessions, answers), scale_scores(sessions, answers, instruments)
    print(f"{len(sessions):,} sessions, {len(items):,} answers", flush=True)

    work = {
        "contract": lambda: (items_long(sessions, answers), scale_scores(sessions, answers, instruments)),
        "research": lambda: research_tables(sessions, items, scores, instruments, waves),
        "pivots": lambda: pivots(items, scores),
    }
    load_before = os.getloadavg()[0]
    for run in work.values():
        run()  # untimed warm-up
    runs: dict[str, list[float]] = {name: [] for name in work}
    for round_no in range(args.rounds):
        order = list(work) if round_no % 2 == 0 else list(reversed(work))
        for name in order:
            begin = time.perf_counter()
            work[name]()
            runs[name].append(time.perf_counter() - begin)
    load_after = os.getloadavg()[0]
    median = {name: statistics.median(times) for name, times in runs.items()}

    lines = [
        f"### Research tables ({classes} classes, {pupils} pupils, {len(waves)} waves)",
        "",
        *(f"- {line}" for line in machine(folder.root)),
        f"- data: {len(sessions):,} sessions of every audience, {len(items):,} answers in items_long",
        f"- {args.rounds} rounds, taking turns, after one untimed run of each; "
        f"load average (1 min) before / after: {load_before:.1f} / {load_after:.1f}",
        "",
        *table(
            ["from the sessions and answers frames", "median ms", "min ms", "max ms"],
            [[name_of(name), ms(median[name]), ms(min(runs[name])), ms(max(runs[name]))] for name in runs],
        ),
        "",
        f"- ratio research / contract (medians): **{median['research'] / median['contract']:.2f}x**",
        f"- ratio research / plain pivots (medians): **{median['research'] / median['pivots']:.2f}x**",
    ]
    publish(lines, args.out)


def name_of(name: str) -> str:
    return {
        "contract": "`items_long` + `scale_scores` (the contract tables research builds on)",
        "research": "`research_tables`: 4 wide tables, analysis file, team aggregates, comparisons, labels",
        "pivots": "pandas `pivot_table` of items and scores per audience (wide tables only, unlabelled)",
    }[name]


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    main()
