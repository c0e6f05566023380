"""What an export tells its user at the end: files written, rows per table, warnings."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .meta import Table

# (stage, done, total): "read" counts session files, "write" counts formats
Progress = Callable[[str, int, int], None]

SHOWN_WARNINGS = 12  # more are counted, and the table that holds them is named


def no_progress(stage: str, done: int, total: int) -> None:
    """For callers that show nothing while an export runs (tests, scripts)."""


@dataclass
class ExportSummary:
    sessions: int
    finished: int
    rows: dict[str, int]  # table -> rows, in the order of the export
    formats: list[str]
    written: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        """The summary as a user reads it on stderr after the list of files."""
        lines = [
            f"exported {self.sessions:,} sessions ({self.finished:,} finished): {len(self.rows)} tables as "
            f"{', '.join(self.formats)}, {len(self.written)} files in {self.seconds:.1f} s",
            "rows: " + ", ".join(f"{name} {rows:,}" for name, rows in self.rows.items()),
        ]
        if self.warnings:
            lines.append(f"{len(self.warnings)} warning(s):")
            lines.extend(f"  {warning}" for warning in self.warnings[:SHOWN_WARNINGS])
            if len(self.warnings) > SHOWN_WARNINGS:
                lines.append(f"  ... and {len(self.warnings) - SHOWN_WARNINGS} more (the tables' `warning` columns)")
        else:
            lines.append("no warnings")
        return lines


def table_warnings(tables: Mapping[str, Table]) -> list[str]:
    """One line per row of a table that carries a non-empty `warning` column (reliability: a low
    alpha, an item that looks reverse keyed the wrong way), naming the table and the row."""
    found = []
    for name, table in tables.items():
        frame = table.frame
        if "warning" not in frame.columns:
            continue
        flagged = frame[frame["warning"].fillna("").astype(str) != ""]
        keys = [column for column in ("instrument", "scale", "wave", "item") if column in frame.columns]
        for row in flagged[[*keys, "warning"]].itertuples(index=False):
            where = " ".join(f"{key}={value}" for key, value in zip(keys, row[:-1]) if value == value)
            found.append(f"{name}.csv: {where}: {row[-1]}")
    return found
