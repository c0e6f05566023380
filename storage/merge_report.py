"""What a merge did, for the researcher: bundles, sessions new / unchanged / conflicting, per wave and class."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Conflict:
    """One session id with more than one content: the kept version and where every version is."""

    session_id: str
    wave: str
    class_id: str
    respondent: str
    kept_sha256: str
    kept_answers: int
    kept_updated_at: str
    versions: int
    aside: Path  # conflicts/<session_id>/: every version as <sha256>.json

    def __str__(self) -> str:
        return (f"conflict: session {self.session_id} (wave {self.wave}, class {self.class_id}, {self.respondent}): "
                f"{self.versions} versions; kept the one with {self.kept_answers} answers, last changed "
                f"{self.kept_updated_at or 'unknown'}; all versions in {self.aside}")


@dataclass
class MergeReport:
    into: Path
    bundles: int = 0  # given
    bundles_known: int = 0  # merged before (same bytes): skipped without opening
    bundles_merged: int = 0
    new: Counter[tuple[str, str]] = field(default_factory=Counter)  # (wave, class) -> sessions
    unchanged: Counter[tuple[str, str]] = field(default_factory=Counter)
    conflicting: Counter[tuple[str, str]] = field(default_factory=Counter)
    conflicts: list[Conflict] = field(default_factory=list)
    study_created: bool = False
    study_differs: list[str] = field(default_factory=list)  # bundles whose study.yaml is not the dataset's
    total_sessions: int = 0  # sessions the dataset holds from merges, after this one

    @property
    def changed(self) -> bool:
        return bool(self.new or self.conflicts or self.study_created)

    def lines(self) -> list[str]:
        total = {name: sum(counter.values()) for name, counter in
                 (("new", self.new), ("unchanged", self.unchanged), ("conflicting", self.conflicting))}
        lines = [
            f"merged into {self.into}: {self.bundles} bundle(s), {self.bundles_merged} opened and verified, "
            f"{self.bundles_known} merged before (skipped)",
            f"sessions: {total['new']} new, {total['unchanged']} unchanged, {total['conflicting']} conflicting; "
            f"the dataset holds {self.total_sessions} merged sessions",
        ]
        keys = sorted(set(self.new) | set(self.unchanged) | set(self.conflicting))
        if keys:
            lines.append(f"  {'wave':<10} {'class':<12} {'new':>7} {'unchanged':>10} {'conflicting':>12}")
            for wave, class_id in keys:
                key = (wave, class_id)
                lines.append(f"  {wave:<10} {class_id:<12} {self.new[key]:>7} {self.unchanged[key]:>10} "
                             f"{self.conflicting[key]:>12}")
        if self.study_created:
            lines.append("study.yaml: taken from the first bundle (the dataset had none)")
        lines += [f"study.yaml of {name} differs from the dataset's; the dataset's is kept, the bundle's is in "
                  f"conflicts/study/" for name in self.study_differs]
        lines += map(str, self.conflicts)
        return lines

    def __str__(self) -> str:
        return "\n".join(self.lines())
