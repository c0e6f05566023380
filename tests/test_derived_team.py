"""Team aggregates against a hand computation: mean, SD, n, rwg(j) per team, ICC(1) and ICC(2)
across teams (one-way ANOVA with the adjusted mean team size), cross-checked with pingouin."""

from __future__ import annotations

import pandas as pd
import pingouin
import pytest

from exports.scoring import score
from exports.team_result import rwg_j
from exports.team_scores import team_scores
from instruments import shipped

INSTRUMENT = "team_collective_efficacy"  # 8 items on a 1-5 agree scale, one scale; items 7 and 8 reverse keyed


def alike(x: int) -> list[int | None]:
    """Answers whose scale score is x: x on items 1-6, the reverse-keyed 7 and 8 turned around."""
    return [x] * 6 + [6 - x] * 2


def team_frames(members: dict[str, list[tuple[str, list[int | None]]]]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """sessions, items_long-like answers and scale scores for team -> [(member, 8 values)] in wave w1."""
    instrument = shipped()[INSTRUMENT]
    item_ids = [item.id for item in instrument.items]
    sessions, answers = [], []
    for team, people in members.items():
        for member, values in people:
            session_id = f"{team}-{member}"
            sessions.append({
                "session_id": session_id, "study": "s", "wave": "w1", "class_id": team, "audience": "team",
                "respondent": member, "target": None, "instrument": INSTRUMENT, "status": "finished",
                "updated_at": "2026-10-01T10:00:00+00:00",
            })
            answers += [(session_id, INSTRUMENT, item, value) for item, value in zip(item_ids, values, strict=True) if value is not None]
    session_frame = pd.DataFrame(sessions)
    items = pd.DataFrame(answers, columns=["session_id", "instrument", "item", "value"]).astype({"value": "object"})
    scores = score(session_frame, items[["session_id", "item", "value"]], [instrument])
    return session_frame, items, scores


def test_team_scores_and_icc_match_a_hand_computation() -> None:
    members = {
        "a": [("m1", alike(2)), ("m2", alike(3)), ("m3", alike(4))],
        "b": [("m4", alike(4)), ("m5", alike(5))],
    }
    sessions, items, scores = team_frames(members)
    teams, icc = team_scores(sessions, items, scores, [shipped()[INSTRUMENT]])
    rows = teams.frame.set_index("team")
    assert rows.loc["a", ["n", "mean", "sd"]].tolist() == pytest.approx([3, 3.0, 1.0])
    assert rows.loc["b", ["n", "mean", "sd"]].tolist() == pytest.approx([2, 4.5, 0.5**0.5])
    # rwg(j): item variances 1 (team a) and 0.5 (team b) against sigma2_EU = 2 for 5 options
    assert rows.loc["a", "rwg_j"] == pytest.approx(8 * 0.5 / (8 * 0.5 + 0.5))
    assert rows.loc["b", "rwg_j"] == pytest.approx(8 * 0.75 / (8 * 0.75 + 0.25))
    assert rows.loc["a", "rwg_j"] == pytest.approx(rwg_j([1.0] * 8, [5] * 8))  # the team screen's own number
    assert rows["n_items_rwg"].tolist() == [8, 8]

    # by hand: grand mean 3.6; SSB = 3(0.6^2) + 2(0.9^2) = 2.7 on 1 df; SSW = 2 + 0.5 = 2.5 on 3 df
    msb, msw, k = 2.7, 2.5 / 3, (5 - (9 + 4) / 5) / 1
    row = icc.frame.iloc[0]
    assert (row["n_teams"], row["n_members"]) == (2, 5)
    assert row["ms_between"] == pytest.approx(msb) and row["ms_within"] == pytest.approx(msw)
    assert row["k"] == pytest.approx(2.4)
    assert row["icc1"] == pytest.approx((msb - msw) / (msb + (k - 1) * msw))
    assert row["icc2"] == pytest.approx((msb - msw) / msb)
    # and the mean squares agree with pingouin's one-way ANOVA of the same scores
    data = pd.DataFrame({"team": ["a", "a", "a", "b", "b"], "score": [2, 3, 4, 4, 5]})
    table = pingouin.anova(data=data, dv="score", between="team", detailed=True).set_index("Source")
    assert row["ms_between"] == pytest.approx(table.loc["team", "MS"])
    assert row["ms_within"] == pytest.approx(table.loc["Within", "MS"])


def test_more_spread_than_random_answering_is_no_agreement_and_one_team_has_no_icc() -> None:
    members = {"a": [("m1", [1] * 8), ("m2", [5] * 8), ("m3", [1] * 8), ("m4", [5] * 8)]}
    sessions, items, scores = team_frames(members)
    teams, icc = team_scores(sessions, items, scores, [shipped()[INSTRUMENT]])
    assert teams.frame["rwg_j"].tolist() == [0.0]  # variance 5.33 > 2: truncated to 0
    assert icc.frame[["icc1", "icc2"]].isna().all(axis=None)  # ICC needs two teams


def test_items_answered_by_one_member_only_leave_rwg_j_to_the_other_items() -> None:
    members = {"a": [("m1", [3, 3, 3, 3, 3, 3, 3, 1]), ("m2", [4, 4, 4, 4, 4, 4, 4, None])]}
    sessions, items, scores = team_frames(members)
    teams, _ = team_scores(sessions, items, scores, [shipped()[INSTRUMENT]])
    row = teams.frame.iloc[0]
    assert row["n_items_rwg"] == 7
    assert row["rwg_j"] == pytest.approx(rwg_j([0.5] * 7, [5] * 7))
