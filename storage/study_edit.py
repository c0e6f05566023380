"""Changing study.yaml by program without undoing what the researcher wrote in it.

The round-trip machinery that keeps comments, key order, flow lists and quoted codes lives
in study_yaml.py; this module decides what each change means for the study. The new text is
checked with the study loader before it replaces the old file, so a change that would make
the study invalid leaves study.yaml exactly as it was.

Schools, classes, waves and teams can be added, edited and removed. A removal that would
cut answers loose is refused (study_usage.py): a class, wave or team with stored sessions
stays, and so does a school that classes or teams still name. Ids are not edited: the key
file, the attendance marks and the session folders are filed under them. Each edit returns the
study as the check loaded it, which is what study.yaml now holds.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from instruments.problems import InvalidFile
from instruments.yamlfile import read_yaml

from . import study_yaml
from .atomic import write_atomically
from .datafolder import DataFolder
from .errors import StorageError
from .study import School, SchoolClass, Study, Team, Wave, load_study


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
    yaml = study_yaml.round_trip()
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
    data = study_yaml.dump(yaml, tree)
    _check(folder, data)
    return data


def write_study(folder: DataFolder, data: bytes) -> None:
    write_atomically(folder.study_path, data, mode=_mode(folder.study_path))


def _check(folder: DataFolder, data: bytes) -> Study:
    """Load the new text with the study loader from a scratch file next to study.yaml."""
    scratch = folder.study_path.with_name(f".study.yaml.{os.getpid()}.check")
    try:
        write_atomically(scratch, data, durable=False)
        return load_study(scratch, set(folder.instruments()))  # what folder.study() runs on study.yaml
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


def add_class(folder: DataFolder, school_class: SchoolClass) -> Study:
    """Append a class (no pupils yet: a class list import gives them codes) to study.yaml."""
    return _append(folder, "classes", school_class.model_dump(exclude_none=True))


def add_wave(folder: DataFolder, wave: Wave) -> Study:
    return _append(folder, "waves", wave.model_dump(exclude_none=True))


def create_study(folder: DataFolder, study_id: str, title: str, school_class: SchoolClass, wave: Wave) -> None:
    """A new study.yaml with its first class and wave (a study needs one of each to be valid)."""
    if folder.study_path.exists():
        raise StudyEditError(f"{folder.study_path}: a study is already there; nothing changed")
    folder.ensure()
    tree = CommentedMap(id=study_id, title=title, classes=CommentedSeq(), waves=CommentedSeq())
    tree["classes"].append(study_yaml.entry(school_class.model_dump(exclude_none=True)))
    tree["waves"].append(study_yaml.entry(wave.model_dump(exclude_none=True)))
    data = study_yaml.dump(study_yaml.round_trip(), tree)
    _check(folder, data)
    write_atomically(folder.study_path, data, mode=0o644)


def _append(folder: DataFolder, key: str, entry: dict) -> Study:
    """Append `entry` to the study's list `key`, check the result, then replace study.yaml.

    The entry's lines go into the text right after the last entry, so that every other line
    stays as the researcher wrote it: ruamel would put the new entry after the comment that
    introduces the next section, which it hangs on the last entry."""
    yaml, tree = study_yaml.load(folder.study_path)
    entries = tree.get(key)
    lines = folder.study_path.read_text(encoding="utf-8").splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    section = CommentedMap([(key, CommentedSeq([study_yaml.entry(entry)]))])
    block = study_yaml.dump(yaml, section).decode("utf-8").splitlines(keepends=True)
    if isinstance(entries, CommentedSeq) and entries and not entries.fa.flow_style():
        at = study_yaml.end_of(tree, key, len(entries) - 1, lines)
        lines[at:at] = study_yaml.shifted(block[1:], entries.lc.item(0)[1] - 4)  # as indented as its neighbours
    elif isinstance(entries, CommentedSeq) and not entries:  # "teams: []"
        at = tree.lc.key(key)[0]
        lines[at] = re.sub(rf"^({re.escape(key)}:)\s*\[\s*\]", r"\1", lines[at])
        lines[at + 1 : at + 1] = block[1:]
    elif key not in tree:  # where Study lists it: "schools" before "classes"
        order = list(Study.model_fields)
        following = [k for k in order[order.index(key) + 1 :] if k in tree]
        at = tree.lc.key(following[0])[0] if following else len(lines)
        while at > 0 and lines[at - 1].lstrip().startswith("#"):
            at -= 1  # above the comment that introduces the next key
        lines[at:at] = block + (["\n"] if following else [])
    else:  # a list in flow style, [{...}]: let ruamel write it
        entries.append(study_yaml.entry(entry))
        return _save(folder, yaml, tree)
    data = "".join(lines).encode("utf-8")
    return _commit(folder, data)


def _save(folder: DataFolder, yaml: YAML, tree: CommentedMap) -> Study:
    return _commit(folder, study_yaml.dump(yaml, tree))


def _commit(folder: DataFolder, data: bytes) -> Study:
    """Check the new text, then replace study.yaml with it; the study as it now reads."""
    study = _check(folder, data)
    write_study(folder, data)
    return study


_KINDS = {"schools": "school", "classes": "class", "waves": "wave", "teams": "team"}
_MODELS: dict[str, type] = {"schools": School, "classes": SchoolClass, "waves": Wave, "teams": Team}


def _find(folder: DataFolder, tree: CommentedMap, key: str, entry_id: str) -> tuple[CommentedSeq, int]:
    entries = tree.get(key)
    if isinstance(entries, CommentedSeq):
        for n, entry in enumerate(entries):
            if isinstance(entry, CommentedMap) and str(entry.get("id")) == entry_id:
                return entries, n
    listed = entries if isinstance(entries, list) else []
    known = ", ".join(str(e.get("id")) for e in listed if isinstance(e, CommentedMap))
    raise StudyEditError(
        f"{folder.study_path}: no {_KINDS[key]} '{entry_id}' in the study ({key}: {known or 'none'}); nothing changed"
    )


def _update(folder: DataFolder, key: str, entry_id: str, changes: Mapping[str, Any]) -> Study:
    """Change fields of one entry in place (comments around it stay); None removes a field."""
    yaml, tree = study_yaml.load(folder.study_path)
    entries, n = _find(folder, tree, key, entry_id)
    entry = entries[n]
    order = list(_MODELS[key].model_fields)
    for name, value in changes.items():
        if value is None:
            study_yaml.pop(entry, name)
        elif isinstance(value, list) and isinstance(entry.get(name), CommentedSeq):
            entry[name][:] = study_yaml.flow(value)  # in place: a comment hung on the list stays
        elif isinstance(value, dict) and isinstance(entry.get(name), CommentedMap):
            study_yaml.replace_lists(entry[name], value)
        else:
            study_yaml.put(entry, name, study_yaml.entry({name: value})[name], order)
    return _save(folder, yaml, tree)


def _remove(folder: DataFolder, key: str, entry_id: str) -> Study:
    """Cut the entry's lines out of the text, so that every other line, comments included,
    stays as the researcher wrote it (ruamel would drop the comment that introduces the next
    section when it hangs on the removed entry)."""
    _, tree = study_yaml.load(folder.study_path)
    entries, n = _find(folder, tree, key, entry_id)
    if key in ("classes", "waves") and len(entries) == 1:
        raise StudyEditError(
            f"{folder.study_path}: '{entry_id}' is the study's only {_KINDS[key]}; a study needs one; nothing changed"
        )
    lines = folder.study_path.read_text(encoding="utf-8").splitlines(keepends=True)
    if entries.fa.flow_style():  # classes: [{...}, {...}]: no lines to cut
        yaml, tree = study_yaml.load(folder.study_path)
        del tree[key][n]
        return _save(folder, yaml, tree)
    first = entries.lc.item(n)[0]
    if first > 0 and lines[first - 1].strip() == "-":  # "-" alone on the line before the entry's first key
        first -= 1
    end = study_yaml.end_of(tree, key, n, lines)
    if len(entries) == 1:  # "teams:" with nothing under it would read as null: say "teams: []"
        at = tree.lc.key(key)[0]
        lines[at] = re.sub(rf"^({re.escape(key)}:)", r"\1 []", lines[at])
    data = "".join(lines[:first] + lines[end:]).encode("utf-8")
    return _commit(folder, data)


def _refuse(what: str, sessions: int) -> None:
    if sessions:
        raise StudyEditError(
            f"{what} has {sessions} stored session(s): removing it would cut those answers loose from the study, "
            "so it stays (data is never lost)"
        )


# -- schools -----------------------------------------------------------------------------
def add_school(folder: DataFolder, school: School) -> Study:
    return _append(folder, "schools", school.model_dump(exclude_none=True))


def edit_school(folder: DataFolder, school_id: str, *, name: str, place: str | None) -> Study:
    return _update(folder, "schools", school_id, {"name": name, "place": place})


def remove_school(folder: DataFolder, school_id: str) -> Study:
    """Refused while a class or team names the school: move or remove those first."""
    study = folder.study()
    users = [f"class {c.id}" for c in study.classes if c.school == school_id]
    users += [f"team {t.id}" for t in study.teams if t.school == school_id]
    if users:
        raise StudyEditError(f"School {school_id} still has {', '.join(users)}: give them another school first")
    return _remove(folder, "schools", school_id)


# -- classes -----------------------------------------------------------------------------
def edit_class(folder: DataFolder, class_id: str, *, name: str, teacher_term: str, school: str | None) -> Study:
    """Name, teacher term and school; the id, teacher code and pupils stay."""
    return _update(folder, "classes", class_id, {"name": name, "school": school, "teacher_term": teacher_term})


def remove_class(folder: DataFolder, class_id: str) -> Study:
    """Refused when the class has sessions. Its names stay in the key file, filed under the
    class id: a class added again under that id and its list imported again gets the same codes."""
    from .study_usage import class_sessions

    _refuse(f"Class {class_id}", class_sessions(folder, folder.study(), class_id))
    return _remove(folder, "classes", class_id)


# -- waves -------------------------------------------------------------------------------
def edit_wave(
    folder: DataFolder, wave_id: str, *, label: str | None, start: str | None, instruments: dict[str, list[str]]
) -> Study:
    """Label, start and instruments. A wave with sessions keeps every instrument it has (more
    may be added): their sessions would otherwise belong to no wave's plan."""
    from .study_usage import wave_sessions

    study = folder.study()
    old = study.wave(wave_id) if wave_id in {w.id for w in study.waves} else None
    if old is not None:
        kept = {i for ids in instruments.values() for i in ids}
        dropped = sorted({i for ids in old.instruments.values() for i in ids} - kept)
        if dropped and wave_sessions(folder, study, wave_id):
            raise StudyEditError(
                f"Wave {wave_id} has stored sessions: it keeps its instruments ({', '.join(dropped)} cannot go); "
                "instruments can still be added"
            )
    return _update(folder, "waves", wave_id, {"label": label, "start": start, "instruments": instruments})


def remove_wave(folder: DataFolder, wave_id: str) -> Study:
    from .study_usage import wave_sessions

    _refuse(f"Wave {wave_id}", wave_sessions(folder, folder.study(), wave_id))
    return _remove(folder, "waves", wave_id)


# -- teams -------------------------------------------------------------------------------
def add_team(folder: DataFolder, team: Team) -> Study:
    return _append(folder, "teams", team.model_dump(exclude_none=True))


def edit_team(folder: DataFolder, team_id: str, *, name: str, school: str | None, members: list[str]) -> Study:
    """Name, school and members; a member with team sessions stays a member."""
    from .study_usage import team_sessions

    study = folder.study()
    team = next((t for t in study.teams if t.id == team_id), None)
    if team is not None:
        leaving = [code for code in team.members if code not in members]
        _refuse(f"Team {team_id}: member {', '.join(leaving)}", team_sessions(folder, study, team_id, leaving))
    return _update(folder, "teams", team_id, {"name": name, "school": school, "members": members})


def remove_team(folder: DataFolder, team_id: str) -> Study:
    from .study_usage import team_sessions

    _refuse(f"Team {team_id}", team_sessions(folder, folder.study(), team_id))
    return _remove(folder, "teams", team_id)
