"""Who was absent or excused in a wave: `<data>/attendance.json` {wave_id: {code: status}}.

The dashboard needs this to tell a pupil who has not started yet from one who will not
come; a pupil without a mark is present. The researcher sets marks (`klaspeil mark`, later
the dashboard), holding the data folder's lock; the file is replaced atomically.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Literal, get_args

from .atomic import write_atomically
from .errors import CorruptFile, StorageError

if TYPE_CHECKING:
    from .datafolder import DataFolder
    from .study import Study

ATTENDANCE_FILE = "attendance.json"
Status = Literal["absent", "excused"]
STATUSES: tuple[str, ...] = get_args(Status)


def load_attendance(folder: DataFolder) -> dict[str, dict[str, str]]:
    """{wave_id: {pupil code: "absent" | "excused"}}; {} when nobody was ever marked."""
    path = folder.root / ATTENDANCE_FILE
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, RecursionError):  # RecursionError: brackets nested deep
        raise CorruptFile(f"{path}: not a readable attendance file") from None
    if not isinstance(document, dict) or not all(
        isinstance(marks, dict) and all(isinstance(c, str) and s in STATUSES for c, s in marks.items())
        for marks in document.values()
    ):
        raise CorruptFile(f"{path}: not an attendance file ({{wave: {{code: absent|excused}}}})")
    return document


def mark(folder: DataFolder, wave_id: str, code: str, status: str | None, study: Study | None = None) -> None:
    """Mark `code` absent or excused in `wave_id`, or present again (status None).

    The wave and the pupil must be in the study (`study`, default: the folder's), so a typo
    never makes a mark nobody sees. The caller holds the folder's lock."""
    if status is not None and status not in STATUSES:
        raise StorageError(f"'{status}' is not an attendance mark (absent, excused, or present to clear)")
    study = folder.study() if study is None else study
    try:
        study.wave(wave_id)
    except KeyError:
        known = ", ".join(w.id for w in study.waves)
        raise StorageError(f"{folder.study_path}: no wave '{wave_id}' (waves: {known})") from None
    if study.class_of(code) is None:
        raise StorageError(f"{folder.study_path}: no pupil with code '{code}'")
    attendance = load_attendance(folder)
    marks = attendance.setdefault(wave_id, {})
    if status is None:
        marks.pop(code, None)
        if not marks:
            del attendance[wave_id]
    else:
        marks[code] = status
    folder.ensure()
    text = json.dumps(attendance, indent=1, sort_keys=True) + "\n"
    write_atomically(folder.root / ATTENDANCE_FILE, text.encode("utf-8"))
