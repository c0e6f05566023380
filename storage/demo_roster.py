"""Made-up first names for the demo study's pupils, so `klaspeil demo` shows the name check
("Ben jij Emma?"). Written once into the demo folder's key file, like a real class list."""

from __future__ import annotations

from .datafolder import DataFolder
from .roster import KeyFile, PupilName, write_key

# class id -> code -> (first name, last name); the codes of storage/demo/study.yaml
DEMO_PUPILS: dict[str, dict[str, tuple[str, str]]] = {
    "6a": {
        "FNWW4F": ("Emma", "de Vries"),
        "FK33XF": ("Daan", "Jansen"),
        "TYXVYR": ("Noor", "Bakker"),
        "UKA3EG": ("Sem", "El Amrani"),
        "FMFUAC": ("Lotte", "Visser"),
    },
    "7b": {
        "7V7NJA": ("Adam", "Smit"),
        "RLPPRK": ("Mila", "Meijer"),
        "W4ENER": ("Finn", "de Boer"),
        "XXMMUA": ("Yara", "Mulder"),
        "G499Y7": ("Luuk", "de Groot"),
    },
}


def write_demo_key(folder: DataFolder) -> None:
    key = KeyFile(
        classes={
            class_id: {code: PupilName(first_name=first, last_name=last) for code, (first, last) in pupils.items()}
            for class_id, pupils in DEMO_PUPILS.items()
        }
    )
    write_key(folder, key)
