"""Test levels as pupil monitoring systems write them, on klaspeil's 1-5 scale (5 = highest 20%).

- Cito LVS I..V runs the other way (I = highest 20%): I -> 5, II -> 4, III -> 3, IV -> 2, V -> 1.
  Variants with a sign ("IV+", "III-") are their base level: the sign splits a level in two
  halves, and both halves lie in the same fifth.
- 1..5 are taken as they are (klaspeil's orientation; a system whose 1 is the highest needs a
  mapping "1=5,2=4,3=3,4=2,5=1").
- A..E (Cito's older levels) are refused without a mapping: they are not fifths (A = highest
  25%, B = next 25%, C = next 25%, D = next 15%, E = lowest 10%), so any conversion is the
  researcher's decision, given as `--mapping "A=5,B=4,C=3,D=2,E=1"`.
- Empty (or "-", "n.v.t.") is a test not taken: the level stays open.
"""

from __future__ import annotations

import re

from .errors import StorageError

LOW, HIGH = 1, 5
ROMAN = {"I": 5, "II": 4, "III": 3, "IV": 2, "V": 1}
NOT_TAKEN = frozenset({"", "-", "–", "—", "nvt", "n.v.t.", "n.v.t"})
SIGNED = re.compile(r"^(?P<base>.+?)\s*[+-]$")
LETTER = re.compile(r"^[A-Ea-e]$")
MAPPING_HELP = 'e.g. --mapping "A=5,B=4,C=3,D=2,E=1"'


class MappingError(StorageError):
    """A --mapping that cannot be used; str() is the one-line message."""


def parse_mapping(spec: str) -> dict[str, int]:
    """`"A=5,B=4"` -> {"A": 5, "B": 4}; labels compared without case or spaces."""
    mapping: dict[str, int] = {}
    for part in spec.replace(";", ",").split(","):
        if not part.strip():
            continue
        label, equals, level = part.partition("=")
        label = _key(label)
        if not equals or not label:
            raise MappingError(f"--mapping: '{part.strip()}' is not LABEL=LEVEL ({MAPPING_HELP})")
        if not level.strip().isdigit() or not LOW <= int(level) <= HIGH:
            raise MappingError(f"--mapping: '{part.strip()}': the level must be {LOW} to {HIGH} (5 = highest 20%)")
        if label in mapping:
            raise MappingError(f"--mapping: '{label}' is given twice")
        mapping[label] = int(level)
    if not mapping:
        raise MappingError(f"--mapping: no LABEL=LEVEL pairs ({MAPPING_HELP})")
    return mapping


def is_not_taken(text: str) -> bool:
    return _key(text).lower() in NOT_TAKEN


def level_of(text: str, mapping: dict[str, int] | None = None) -> int:
    """The 1-5 level a written level stands for; raises ValueError with the reason.
    The mapping comes first (it may re-map digits); a sign (+/-) falls back to its base level."""
    key = _key(text)
    for candidate in (key, _base(key)):
        if candidate is None:
            continue
        if mapping and candidate in mapping:
            return mapping[candidate]
        if candidate in ROMAN:
            return ROMAN[candidate]
        if candidate.isdigit() and len(candidate) == 1 and LOW <= int(candidate) <= HIGH:
            return int(candidate)
        if LETTER.match(candidate):
            raise ValueError(
                f"level '{text}': A-E levels are not fifths (A, B and C are 25% each, D 15%, E 10%), so "
                f"klaspeil does not convert them by itself; give a mapping, {MAPPING_HELP}"
            )
    labels = "I-V, 1-5" + (f" or the mapping's {', '.join(mapping)}" if mapping else "")
    raise ValueError(f"level '{text}' not understood (expected {labels}; empty = test not taken)")


def _key(text: str) -> str:
    """Upper case, no spaces: "iv +" and "IV+" are one level."""
    return "".join(text.split()).upper()


def _base(key: str) -> str | None:
    """"IV+" -> "IV"; None when there is no sign."""
    match = SIGNED.match(key)
    return match.group("base") if match else None
