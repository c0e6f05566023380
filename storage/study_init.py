"""`klaspeil study init`: a commented starting study.yaml with codes no other study has.

The template (templates/study.yaml) is the documentation of the study format; init copies it
with every code replaced by a fresh one. A code that appears twice in the template (a class
teacher who is also in a team) gets the same fresh code twice, so that link survives.
"""

from __future__ import annotations

import re
from pathlib import Path

from . import codes
from .atomic import write_atomically
from .datafolder import DataFolder
from .errors import StorageError
from .study import Study

TEMPLATE = Path(__file__).parent / "templates" / "study.yaml"
# codes are quoted in the template (unquoted, YAML may read one as a number)
QUOTED_CODE = re.compile(r'"([' + codes.ALPHABET + r"]{" + str(codes.PAYLOAD + 1) + r'})"')


class StudyExists(StorageError):
    """init would replace a study the researcher may have edited."""


def fresh_codes(template: str) -> str:
    """`template` with every quoted valid code replaced by a new one (same old code, same new code)."""
    replacement: dict[str, str] = {}

    def swap(match: re.Match[str]) -> str:
        old = match.group(1)
        if not codes.is_valid(old):  # a quoted word that merely looks like a code
            return match.group(0)
        if old not in replacement:
            replacement[old] = codes.new_code(taken=set(replacement.values()) | set(replacement))
        return f'"{replacement[old]}"'

    return QUOTED_CODE.sub(swap, template)


def init_study(folder: DataFolder, *, force: bool = False) -> Study:
    """Write a starting study.yaml into `folder` and return it as loaded (so it is known valid)."""
    if folder.study_path.is_dir():  # not "a study is already there": --force could not replace it either
        raise StorageError(f"{folder.study_path}: a folder, not a study file; nothing written")
    if folder.study_path.exists() and not force:
        raise StudyExists(f"{folder.study_path}: a study is already there; add --force to replace it")
    folder.ensure()
    text = fresh_codes(TEMPLATE.read_text(encoding="utf-8"))
    write_atomically(folder.study_path, text.encode("utf-8"), mode=0o644)
    return folder.study()
