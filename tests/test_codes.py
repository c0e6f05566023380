"""Pupil codes: a child types a code from a card, and a mistyped code must never open
another child's session. The check character has to catch every single wrong character
and every swap of two neighbours."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from storage import codes

payloads = st.text(alphabet=codes.ALPHABET, min_size=codes.PAYLOAD, max_size=codes.PAYLOAD)
valid_codes = payloads.map(lambda payload: payload + codes.check_character(payload))


@given(st.randoms(use_true_random=False))
def test_every_generated_code_is_valid(rng: random.Random) -> None:
    code = codes.new_code(rng=rng)
    assert len(code) == codes.PAYLOAD + 1
    assert set(code) <= set(codes.ALPHABET)
    assert codes.is_valid(code)


def test_new_code_avoids_the_codes_already_taken() -> None:
    rng = random.Random(7)
    taken: set[str] = set()
    for _ in range(2000):
        code = codes.new_code(taken, rng=rng)
        assert code not in taken
        taken.add(code)
    assert all(codes.is_valid(code) for code in taken)


@given(valid_codes)
def test_every_single_character_mistake_is_rejected(code: str) -> None:
    for position in range(len(code)):
        for typed in codes.ALPHABET:
            if typed != code[position]:
                wrong = code[:position] + typed + code[position + 1:]
                assert not codes.is_valid(wrong), (code, wrong)


@given(valid_codes)
def test_every_swap_of_two_different_neighbours_is_rejected(code: str) -> None:
    for position in range(len(code) - 1):
        first, second = code[position], code[position + 1]
        if first != second:
            swapped = code[:position] + second + first + code[position + 2:]
            assert not codes.is_valid(swapped), (code, swapped)


@given(valid_codes, st.data())
def test_what_a_child_types_is_normalised(code: str, data: st.DataObject) -> None:
    """Lower case, spaces and dashes between the characters are what children type."""
    typed = ""
    for char in code:
        typed += data.draw(st.sampled_from([char, char.lower()]))
        typed += data.draw(st.sampled_from(["", " ", "-", " - ", "  "]))
    assert codes.normalise(typed) == code
    assert codes.is_valid(typed)


@given(valid_codes)
def test_look_alike_characters_and_wrong_lengths_are_rejected(code: str) -> None:
    assert not codes.is_valid(code[:-1])
    assert not codes.is_valid(code + code[-1])
    left_out = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") - set(codes.ALPHABET)
    for char in left_out:
        assert not codes.is_valid(char + code[1:])


def test_the_alphabet_holds_at_most_one_of_each_look_alike_group() -> None:
    for group in ("0ODQ", "1I", "2Z", "5S", "6G", "8B"):
        assert len(set(group) & set(codes.ALPHABET)) <= 1, group


def test_the_demo_study_codes_are_valid() -> None:
    from storage.datafolder import DEMO_STUDY
    from storage.study import load_study

    study = load_study(DEMO_STUDY, {"pupil_motivation", "teacher_mindset", "roster_ratings"})
    pupils = [code for school_class in study.classes for code in school_class.pupils]
    assert len(pupils) == 10
    assert all(codes.is_valid(code) for code in pupils)
