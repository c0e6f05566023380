"""Changing study.yaml by program without undoing what the researcher wrote in it.

ruamel's round-trip mode keeps comments, key order and flow lists; codes are written
quoted, because YAML reads an unquoted code such as 4E9373 as a number. The new text is
checked with the study loader before it replaces the old file, so a change that would make
the study invalid leaves study.yaml exactly as it was.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from instruments.problems import InvalidFile
from instruments.yamlfile import read_yaml

from . import codes
from .atomic import write_atomically
from .datafolder import DataFolder
from .errors import StorageError
from .study import SchoolClass, Study, Wave, load_study


class StudyEditError(StorageError):
    """A change to study.yaml was refused; study.yaml is unchanged."""


def class_ids(folder: DataFolder) -> list[str]:
    return [str(entry.get("id")) for entry in _classes(read_yaml(folder.study_path))]


def all_codes(study: Study) -> set[str]:
    """Every code the study hands out: pupils, teachers, team members (a new code must be none of them)."""
    taken = {code for school_class in study.classes for code in school_class.pupils}
    taken |= {school_class.teacher for school_class in study.classes if school_class.teacher}
    return taken | {code for team in study.teams for code in team.members}


def new_study_text(folder: DataFolder, class_id: str, added: Iterable[str]) -> bytes:
    """study.yaml with `added` appended to the class's pupils, checked but not yet written."""
    read_yaml(folder.study_path)  # its InvalidFile messages for a file that is not YAML
    yaml = _yaml()
    tree = yaml.load(folder.study_path.read_text(encoding="utf-8"))
    entry = next((e for e in _classes(tree) if str(e.get("id")) == class_id), None)
    if entry is None:
        raise _unknown_class(folder, class_id)
    pupils = entry.get("pupils")
    if not isinstance(pupils, CommentedSeq):
        pupils = CommentedSeq()
        pupils.fa.set_flow_style()  # one line per class, like the template
        entry["pupils"] = pupils
    pupils.extend(DoubleQuotedScalarString(code) for code in added)
    data = _dump(yaml, tree)
    _check(folder, data)
    return data


def write_study(folder: DataFolder, data: bytes) -> None:
    write_atomically(folder.study_path, data, mode=_mode(folder.study_path))


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)  # "  - id: 6a" under "classes:", as the template writes it
    yaml.width = 4096  # never fold a long pupils list
    yaml.preserve_quotes = True  # codes quoted by hand or by an earlier import stay quoted
    return yaml


def _dump(yaml: YAML, tree: CommentedMap) -> bytes:
    stream = io.StringIO()
    yaml.dump(tree, stream)
    return stream.getvalue().encode("utf-8")


def _check(folder: DataFolder, data: bytes) -> None:
    """Load the new text with the study loader from a scratch file next to study.yaml."""
    scratch = folder.study_path.with_name(f".study.yaml.{os.getpid()}.check")
    try:
        write_atomically(scratch, data, durable=False)
        load_study(scratch, set(folder.instruments()))  # what folder.study() runs on study.yaml
    except InvalidFile as error:
        first = "; ".join(problem.message for problem in error.problems[:3])
        message = f"{folder.study_path}: the change would make the study invalid ({first}); nothing changed"
        raise StudyEditError(message) from None
    finally:
        scratch.unlink(missing_ok=True)


def _classes(tree: CommentedMap) -> list[CommentedMap]:
    entries = tree.get("classes")
    return [e for e in entries if isinstance(e, CommentedMap)] if isinstance(entries, list) else []


def _unknown_class(folder: DataFolder, class_id: str) -> StudyEditError:
    known = ", ".join(class_ids(folder)) or "none"
    return StudyEditError(f"{folder.study_path}: no class '{class_id}' in the study (classes: {known})")


def _mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        return 0o600


def add_class(folder: DataFolder, school_class: SchoolClass) -> None:
    """Append a class (no pupils yet: a class list import gives them codes) to study.yaml."""
    _append(folder, "classes", school_class.model_dump(exclude_none=True))


def add_wave(folder: DataFolder, wave: Wave) -> None:
    _append(folder, "waves", wave.model_dump(exclude_none=True))


def create_study(folder: DataFolder, study_id: str, title: str, school_class: SchoolClass, wave: Wave) -> None:
    """A new study.yaml with its first class and wave (a study needs one of each to be valid)."""
    if folder.study_path.exists():
        raise StudyEditError(f"{folder.study_path}: a study is already there; nothing changed")
    folder.ensure()
    tree = CommentedMap(id=study_id, title=title, classes=CommentedSeq(), waves=CommentedSeq())
    tree["classes"].append(_entry(school_class.model_dump(exclude_none=True)))
    tree["waves"].append(_entry(wave.model_dump(exclude_none=True)))
    data = _dump(_yaml(), tree)
    _check(folder, data)
    write_atomically(folder.study_path, data, mode=0o644)


def _append(folder: DataFolder, key: str, entry: dict) -> None:
    """Append `entry` to the study's list `key`, check the result, then replace study.yaml."""
    read_yaml(folder.study_path)  # its InvalidFile messages for a file that is not YAML
    yaml = _yaml()
    tree = yaml.load(folder.study_path.read_text(encoding="utf-8"))
    entries = tree.get(key)
    if not isinstance(entries, CommentedSeq):
        entries = CommentedSeq()
        tree[key] = entries
    entries.append(_entry(entry))
    data = _dump(yaml, tree)
    _check(folder, data)
    write_study(folder, data)


def _entry(values: dict) -> CommentedMap:
    """A mapping as the template writes it: codes quoted, lists on one line."""
    entry = CommentedMap()
    for name, value in values.items():
        if isinstance(value, list):
            value = _flow(value)
        elif isinstance(value, dict):
            value = CommentedMap((k, _flow(v)) for k, v in value.items())
        elif name == "teacher" or (isinstance(value, str) and _reads_back_as_other(value)):
            value = DoubleQuotedScalarString(value)  # class "8" must stay a string
        entry[name] = value
    return entry


def _flow(values: list) -> CommentedSeq:
    seq = CommentedSeq(DoubleQuotedScalarString(v) if codes.is_valid(str(v)) else v for v in values)
    seq.fa.set_flow_style()
    return seq


def _reads_back_as_other(text: str) -> bool:
    try:
        return YAML(typ="safe").load(text) != text
    except Exception:  # ruamel raises many kinds for odd text: quoting is always safe
        return True
