"""The roster: which name belongs to which pseudonymous pupil code, on this laptop only.

Names live in one file, `<data>/roster_key.json` (mode 0600), and nowhere else: study.yaml,
sessions, exports and bundles hold codes. Importing a class list gives each new pupil a
fresh code and keeps the code of every pupil already in the key file for that class, so a
pupil keeps their code across waves and re-imports.

    {"classes": {class_id: {code: {"first_name": ..., "last_name": ..., "birth_date": "2015-03-31" | null}}}}
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from . import codes, study_edit
from .atomic import write_atomically
from .class_list import identity_of, read_class_list
from .datafolder import KEY_FILE, DataFolder
from .errors import CorruptFile


class PupilName(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    first_name: str
    last_name: str
    birth_date: str | None = None

    @property
    def identity(self) -> tuple[str, str, str | None]:
        return identity_of(self.first_name, self.last_name, self.birth_date)


class KeyFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    classes: dict[str, dict[str, PupilName]] = {}


@dataclass(frozen=True)
class ImportReport:
    class_id: str
    class_name: str
    added: list[str]  # codes
    kept: list[str]
    removed: list[str]  # codes in the key file whose pupil is no longer on the list
    unnamed: int  # codes in study.yaml that have no name in the key file (e.g. made by hand)

    def __str__(self) -> str:
        on_list = len(self.added) + len(self.kept)
        parts = [f"{len(self.added)} added", f"{len(self.removed)} no longer on the list", f"{len(self.kept)} kept"]
        line = f"{self.class_name}: {on_list} pupils ({', '.join(parts)})"
        if self.removed:
            line += "; pupils no longer on the list keep their code in study.yaml and the key file"
        if self.unnamed:
            line += f"; {self.unnamed} code(s) in study.yaml have no name"
        return line


def key_path(folder: DataFolder) -> Path:
    return folder.root / KEY_FILE


def read_key(folder: DataFolder) -> KeyFile:
    path = key_path(folder)
    try:
        return KeyFile.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        return KeyFile()
    except OSError as error:
        raise CorruptFile(f"{path}: cannot read the key file ({error.strerror})") from None
    except ValidationError:
        raise CorruptFile(f"{path}: not a readable key file (names per class and code)") from None


def write_key(folder: DataFolder, key: KeyFile) -> None:
    """Replace the key file; only its owner may read it (names are personal data)."""
    write_atomically(key_path(folder), key.model_dump_json(indent=1).encode("utf-8"), mode=0o600)


def load_key(folder: DataFolder) -> dict[str, PupilName]:
    """Code -> name, over all classes; {} when there is no key file."""
    return {code: name for pupils in read_key(folder).classes.values() for code, name in pupils.items()}


def import_class_list(folder: DataFolder, class_id: str, path: Path) -> ImportReport:
    """Give the pupils on the class list their codes; write the key file and study.yaml.

    Everything is read and checked before anything is written: a bad list, an unknown class
    or a change that would make the study invalid leaves both files as they were."""
    study = folder.study()
    school_class = next((c for c in study.classes if c.id == class_id), None)
    if school_class is None:
        raise study_edit.StudyEditError(
            f"{folder.study_path}: no class '{class_id}' in the study (classes: {', '.join(c.id for c in study.classes)})"
        )
    listed = read_class_list(path)
    key = read_key(folder)
    known = key.classes.get(class_id, {})
    code_of = {name.identity: code for code, name in known.items()}
    taken = study_edit.all_codes(study) | {code for pupils in key.classes.values() for code in pupils}
    names = dict(known)
    added: list[str] = []
    kept: list[str] = []
    for pupil in listed:
        code = code_of.get(pupil.identity)
        if code is None:
            code = codes.new_code(taken)
            taken.add(code)
            added.append(code)
        else:
            kept.append(code)
        names[code] = PupilName(first_name=pupil.first_name, last_name=pupil.last_name, birth_date=pupil.birth_date)
    on_list = set(added) | set(kept)
    removed = [code for code in known if code not in on_list]
    in_study = set(school_class.pupils)
    new_in_study = [code for code in [*kept, *added] if code not in in_study]
    study_text = study_edit.new_study_text(folder, class_id, new_in_study)  # checked, not yet written
    key.classes[class_id] = names
    # the key file first: if study.yaml then fails, a re-import finds the same names and codes
    write_key(folder, key)
    if new_in_study:
        study_edit.write_study(folder, study_text)
    unnamed = len(in_study - set(names))
    return ImportReport(class_id, school_class.name, added, kept, removed, unnamed)
