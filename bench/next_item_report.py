"""The markdown report of bench/next_item.py: the times per step and app, their ratios, the
target, and what a reader needs to weigh them (machine, app code, load, settings)."""

from __future__ import annotations

import argparse
import os
import subprocess
from pathlib import Path

from common import machine, ms, percentile, table

TARGET_P99 = 0.050

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
