"""Progress bars on stderr for long commands (export, merge): one bar per stage, fed by the
domain code's `progress(stage, done, total)` callback, so that storage and exports stay free
of any terminal code. Nothing is drawn when stderr is not a terminal: scripts and logs get the
command's own lines only (an error stays one line)."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

import click


class StageBars:
    """`progress(stage, done, total)`; a stage's bar opens on its first report and closes when done == total."""

    def __init__(self, labels: Mapping[str, str]) -> None:
        self.labels = labels
        self.shown = sys.stderr.isatty()
        self._open: dict[str, Any] = {}  # click's ProgressBar is not public API: typed loosely

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.shown:
            return
        bar = self._open.get(stage)
        if bar is None:
            if total == 0:  # nothing to count: no bar
                return
            bar = click.progressbar(length=total, label=self.labels.get(stage, stage), file=sys.stderr)
            bar.__enter__()
            self._open[stage] = bar
        bar.update(done - bar.pos)
        if done >= total:
            self.close(stage)

    def close(self, stage: str | None = None) -> None:
        """Finish one stage's bar (None: every open bar, e.g. when the command fails half-way)."""
        for name in [stage] if stage is not None else list(self._open):
            bar = self._open.pop(name, None)
            if bar is not None:
                bar.__exit__(None, None, None)
