"""Pseudonymous respondent codes that a child can type from a card.

The alphabet leaves out one of each pair of characters that look alike (0/O/D/Q, 1/I,
2/Z, 5/S, 6/G, 8/B). It has 23 characters, a prime, so a weighted check character
(ISO 7064 style, weights 1..6 mod 23) catches every single mistyped character and every
swap of two neighbours before a session is opened.
"""

from __future__ import annotations

import secrets

ALPHABET = "ACEFGHJKLMNPRTUVWXY3479"
PAYLOAD = 5  # 23**5 = 6 million codes per study: collisions stay rare at 10,000 pupils


def check_character(payload: str) -> str:
    """The character that makes sum(weight * value) divisible by 23, weights 1, 2, 3, ..."""
    n = len(ALPHABET)
    total = sum(weight * ALPHABET.index(char) for weight, char in enumerate(payload, start=1))
    weight = len(payload) + 1  # the check character's own weight, invertible mod a prime
    return ALPHABET[(-total * pow(weight, -1, n)) % n]


def normalise(typed: str) -> str:
    """What a child typed, without spaces or dashes, in capitals."""
    return "".join(ch for ch in typed.upper() if ch not in " -_")


def is_valid(code: str) -> bool:
    code = normalise(code)
    if len(code) != PAYLOAD + 1 or any(ch not in ALPHABET for ch in code):
        return False
    return check_character(code[:-1]) == code[-1]


def new_code(taken: set[str] = frozenset(), rng: secrets.SystemRandom | None = None) -> str:
    """A fresh code not in `taken`."""
    choose = (rng or secrets.SystemRandom()).choice
    while True:
        payload = "".join(choose(ALPHABET) for _ in range(PAYLOAD))
        code = payload + check_character(payload)
        if code not in taken:
            return code
