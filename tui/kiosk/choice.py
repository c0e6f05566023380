"""The class and wave a kiosk serves, and the check of a class asked for on the command line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from storage.errors import StorageError

if TYPE_CHECKING:
    from pathlib import Path

    from storage import Study


@dataclass(frozen=True)
class Choice:
    class_id: str
    wave_id: str


def check_class(study_path: Path, study: Study, class_id: str | None) -> None:
    """A `--class` that the study does not have is an error, named with the classes it does have."""
    if class_id is None or any(c.id == class_id for c in study.classes):
        return
    known = ", ".join(c.id for c in study.classes)
    raise StorageError(f"{study_path}: study '{study.id}' has no class '{class_id}' (classes: {known})")
