"""Scale scores: mean of valid items after reverse keying (min + max - value), missing below min_valid.

Expected values are worked out by hand in the comments; the instrument is made up
(tests/data/scoring_instrument.yaml) so that reversed items sit on a 1..5 and a 0..4 range.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exports.reading import read_sessions
from exports.scoring import reverse_keyed, score
from instruments import Instrument, Section, load_instrument
from storage import DataFolder, SessionMeta, instrument_fingerprint

INSTRUMENT: Instrument = load_instrument(Path(__file__).parent / "data" / "scoring_instrument.yaml")
RANGES = {item.id: INSTRUMENT.response_for(item) for item in INSTRUMENT.items}


def scores_of(answers: dict[str, int | None]) -> dict[str, tuple[float | None, int]]:
    """Score one session given {item: value}; {scale: (score or None, n_valid)}."""
    sessions = pd.DataFrame({"session_id": ["s1"], "instrument": [INSTRUMENT.id]})
    rows = [("s1", item, value) for item, value in answers.items() if value is not None]
    table = pd.DataFrame(rows, columns=["session_id", "item", "value"]).astype({"value": "int64"})
    result = score(sessions, table, [INSTRUMENT])
    assert list(result["session_id"]) == ["s1"] * len(INSTRUMENT.scales)
    return {
        row.scale: (None if pd.isna(row.score) else float(row.score), int(row.n_valid))
        for row in result.itertuples()
    }


def test_reverse_keying_by_hand() -> None:
    scores = scores_of({
        "mood_1": 5, "mood_2": 4, "mood_3r": 2, "mood_4r": 1,  # keyed 5, 4, 4, 5 -> 18 / 4
        "effort_1": 3, "effort_2": 1,  # not reversed -> 4 / 2
        "strain_1r": 0, "strain_2r": 3,  # 0..4 reversed: 4, 1 -> 5 / 2 (not 5 and 2 as max+1-v would give)
        "free_1": 1,  # on no scale: scored nowhere
    })
    assert scores == {"mood": (4.5, 4), "effort": (2.0, 2), "strain": (2.5, 2)}


def test_score_at_min_valid_and_missing_one_below() -> None:
    # mood needs 3 valid items: 5, 4 and reversed 2 -> 4 gives 13 / 3
    at_boundary = scores_of({"mood_1": 5, "mood_2": 4, "mood_3r": 2})
    assert at_boundary["mood"][1] == 3
    assert at_boundary["mood"][0] == pytest.approx(13 / 3, rel=1e-15)
    one_fewer = scores_of({"mood_1": 5, "mood_3r": 2})
    assert one_fewer["mood"] == (None, 2)
    # a scale with nothing answered still has its row: missing, n_valid 0
    assert one_fewer["effort"] == (None, 0)


def test_unanswered_session_gets_a_missing_row_per_scale() -> None:
    assert scores_of({}) == {"mood": (None, 0), "effort": (None, 0), "strain": (None, 0)}


def test_cleared_answer_counts_as_missing(tmp_path: Path) -> None:
    """Through a real session file: the last record of the audit trail wins, and None is missing."""
    folder = DataFolder(tmp_path).ensure()
    meta = SessionMeta(
        device_id="test-device", study="s", wave="w1", class_id="c1", audience="pupil",
        respondent="FNWW4F", item_order=[item.id for item in INSTRUMENT.items],
        **instrument_fingerprint(INSTRUMENT),
    )
    session = folder.new_session(meta)
    session.record("mood_1", 5)
    session.record("mood_2", 1)
    session.record("mood_2", 4)  # changed: 4 counts, not 1
    session.record("mood_3r", 2)
    session.record("mood_3r", None)  # cleared: missing, so mood has 2 valid items < min_valid 3
    session.record("effort_1", 2)
    session.record("effort_2", 4)

    sessions, answers = read_sessions(folder, {INSTRUMENT.id: INSTRUMENT})
    assert dict(zip(answers["item"], answers["value"])) == {"mood_1": 5, "mood_2": 4, "effort_1": 2, "effort_2": 4}
    assert sessions.loc[0, "n_answered"] == 4
    result = score(sessions, answers, [INSTRUMENT]).set_index("scale")
    assert pd.isna(result.loc["mood", "score"]) and result.loc["mood", "n_valid"] == 2
    assert result.loc["effort", "score"] == 3.0


# -- properties ------------------------------------------------------------------------

answers_strategy = st.fixed_dictionaries({
    item: st.none() | st.integers(response.min, response.max) for item, response in RANGES.items()
})


def by_hand(answers: dict[str, int | None]) -> dict[str, tuple[float | None, int]]:
    """The definition, one item at a time."""
    result = {}
    for scale in INSTRUMENT.scales:
        keyed = []
        for item_id in scale.items:
            value = answers.get(item_id)
            if value is None:
                continue
            response = RANGES[item_id]
            keyed.append(response.min + response.max - value if INSTRUMENT.item(item_id).reverse else value)
        result[scale.id] = (sum(keyed) / len(keyed) if len(keyed) >= scale.min_valid else None, len(keyed))
    return result


@settings(max_examples=150, deadline=None)
@given(answers_strategy)
def test_scores_match_the_definition_and_stay_in_range(answers: dict[str, int | None]) -> None:
    scores = scores_of(answers)
    expected = by_hand(answers)
    for scale in INSTRUMENT.scales:
        got, n_valid = scores[scale.id]
        want, want_n = expected[scale.id]
        assert n_valid == want_n
        assert (got is None) == (want is None)
        if got is not None:
            assert got == pytest.approx(want, rel=1e-12)
            response = RANGES[scale.items[0]]
            assert response.min <= got <= response.max


@given(st.integers(-20, 20), st.integers(1, 20), st.data())
def test_reversing_twice_is_identity(low: int, width: int, data: st.DataObject) -> None:
    high = low + width
    value = data.draw(st.integers(low, high))
    once = reverse_keyed(value, low, high)
    assert low <= once <= high
    assert reverse_keyed(once, low, high) == value
    series = pd.Series([value, low, high])
    assert list(reverse_keyed(reverse_keyed(series, low, high), low, high)) == [value, low, high]


@settings(deadline=None)
@given(st.integers(0, 4))
def test_identical_answers_score_v_or_its_reverse(v: int) -> None:
    """Every item answered v: a plain scale scores v, an all-reversed scale min + max - v,
    and mood (two plain, two reversed items on 1..5) the midpoint."""
    answers = {item: v for item, response in RANGES.items() if response.min == 0}
    answers |= {item: v + 1 for item, response in RANGES.items() if response.min == 1}
    scores = scores_of(answers)
    assert scores["effort"] == (v, 2)
    assert scores["strain"] == (0 + 4 - v, 2)
    assert scores["mood"] == (3.0, 4)
    assert not any(math.isnan(s) for s, _ in scores.values() if s is not None)


def test_numbers_and_open_text_are_exported_as_answered_and_never_scored(tmp_path: Path) -> None:
    """A number item (age) and an open question next to the scale items: both reach the
    answers table as given, an empty text is no answer, and the scores are those of the
    scale items alone."""
    extra = Section.model_validate({"id": "about", "items": [
        {"id": "age", "kind": "number", "min": 6, "max": 14, "text": {"nl": "Hoe oud ben jij?", "en": "How old are you?"}},
        {"id": "remark", "kind": "text", "text": {"nl": "Wil je nog iets zeggen?", "en": "Anything else?"}},
        {"id": "wish", "kind": "text", "text": {"nl": "Wat wens je?", "en": "What do you wish?"}},
    ]})
    instrument = INSTRUMENT.model_copy(update={"sections": [*INSTRUMENT.sections, extra]})
    folder = DataFolder(tmp_path).ensure()
    meta = SessionMeta(
        device_id="test-device", study="s", wave="w1", class_id="c1", audience="pupil",
        respondent="FNWW4F", item_order=[item.id for item in instrument.items],
        **instrument_fingerprint(instrument),
    )
    session = folder.new_session(meta)
    scale_answers = {"mood_1": 5, "mood_2": 4, "mood_3r": 2, "effort_1": 3, "effort_2": 1, "strain_1r": 0}
    for item, value in scale_answers.items():
        session.record(item, value)
    text = 'Ja, maar "soms",\nniet altijd; 100%'
    session.record("age", 11)
    session.record("remark", text)
    session.record("wish", "")

    sessions, answers = read_sessions(folder, {instrument.id: instrument})
    given = dict(zip(answers["item"], answers["value"]))
    assert given == {**scale_answers, "age": 11, "remark": text}
    assert sessions.loc[0, "n_answered"] == len(scale_answers) + 2
    with_extra = score(sessions, answers, [instrument]).set_index("scale")
    alone = scores_of(scale_answers)
    assert list(with_extra.index) == [scale.id for scale in INSTRUMENT.scales]
    for scale, (value, n_valid) in alone.items():
        assert with_extra.loc[scale, "n_valid"] == n_valid
        assert with_extra.loc[scale, "score"] == pytest.approx(value)
