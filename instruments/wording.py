"""Placeholders in item text, filled per class from the study's teacher term.

A pupil item says "{Leerkracht} luistert naar mijn ideeën."; in a class whose teacher term is
"juf" the pupil reads "De juf luistert naar mijn ideeën.", and the session stores that text.
Dutch text uses the Dutch names, English text the English ones; the loader refuses any other
{name} so that a typo never reaches a child as "{leerkrcht}".
"""

from __future__ import annotations

import re
from typing import Literal

TeacherTerm = Literal["juf", "meester", "juf/meester"]

# placeholder -> the words for a "juf", a "meester", and a class that has both or either
PLACEHOLDERS: dict[str, dict[str, tuple[str, str, str]]] = {
    "nl": {
        "leerkracht": ("de juf", "de meester", "de juf/meester"),
        "Leerkracht": ("De juf", "De meester", "De juf/meester"),
        "hij_zij": ("zij", "hij", "hij/zij"),
        "Hij_zij": ("Zij", "Hij", "Hij/zij"),
        "hem_haar": ("haar", "hem", "hem/haar"),
        "zijn_haar": ("haar", "zijn", "zijn/haar"),
    },
    "en": {
        "teacher": ("the teacher", "the teacher", "the teacher"),
        "Teacher": ("The teacher", "The teacher", "The teacher"),
        "he_she": ("she", "he", "he or she"),
        "He_she": ("She", "He", "He or she"),
        "him_her": ("her", "him", "him or her"),
        "his_her": ("her", "his", "his or her"),
    },
}
TERMS: tuple[TeacherTerm, ...] = ("juf", "meester", "juf/meester")
PATTERN = re.compile(r"\{([^{}]*)\}")


def unknown_placeholders(text: str, language: str) -> list[str]:
    """Names between braces that `language` does not know."""
    known = PLACEHOLDERS.get(language, {})
    return [name for name in PATTERN.findall(text) if name not in known]


def fill(text: str, language: str, teacher_term: TeacherTerm = "juf/meester") -> str:
    """The text as the respondent reads it in a class with this teacher term."""
    words = PLACEHOLDERS.get(language, {})
    index = TERMS.index(teacher_term)
    return PATTERN.sub(lambda match: words[match.group(1)][index] if match.group(1) in words else match.group(0), text)
