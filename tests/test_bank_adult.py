"""The teacher, roster and team item banks (issue 3), and the study template.

The banks: every shipped file valid, the item counts the research fixes (teacher diversity:
ethnic 4, socioeconomic 1), DESIGN.md's teacher wordings verbatim in the right scale,
fixed-mindset items reverse keyed, the roster's 1-10 and 1-5 ratings as the research
defines them, both languages, the id conventions. The template: it loads, it uses only
shipped instruments, and every audience answers in some wave. The expectations here are the
research's (DESIGN.md, issue 3, /tmp/banks.md), not copies of the YAML.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from instruments import Instrument, InvalidFile, load_instrument, shipped
from instruments.catalog import BANK
from storage import codes, load_study
from tui.cli import cli

TEMPLATE = Path(__file__).parents[1] / "storage" / "templates" / "study.yaml"

# instrument -> scale -> allowed numbers of items (fixed by the research where one number)
SCALES: dict[str, dict[str, range]] = {
    "teacher_diversity": {"ethnic_diversity_talk": range(4, 5), "ses_diversity_talk": range(1, 2)},
    "teacher_self_efficacy": {
        "efficacy_learning_behaviour": range(4, 7), "efficacy_pupil_outcomes": range(4, 5),
        "responsibility_outcomes": range(4, 5),
    },
    "teacher_mindset": {"growth_mindset": range(6, 7)},
    "teacher_background": {},
    "teacher_reflection": {},
    "roster_ratings": {
        "ses_estimate": range(1, 2), "expected_level_reading": range(1, 2), "expected_level_maths": range(1, 2),
        "teacher_closeness": range(4, 6), "teacher_conflict": range(4, 6),
    },
    "roster_test_results": {"actual_level_reading": range(1, 2), "actual_level_maths": range(1, 2)},
    "team_collective_efficacy": {"collective_efficacy": range(6, 9)},
    "team_academic_optimism": {
        "ao_collective_efficacy": range(4, 5), "trust_pupils_parents": range(4, 5), "academic_emphasis": range(4, 5),
    },
}
AUDIENCE = {"teacher": "teacher", "roster": "roster", "team": "team"}  # file prefix -> audience

# DESIGN.md's example wordings of teacher items
RESEARCH_WORDINGS = [
    ("teacher_diversity", "ethnic_diversity_talk", "Ik praat tijdens de les wel eens over racisme en/of discriminatie."),
    ("teacher_diversity", "ses_diversity_talk",
     "Ik praat wel eens met mijn leerlingen over de verschillen in sociale achtergronden die er in Nederland zijn."),
]
# what a fixed view of ability says in Dutch: it is fixed ("ligt vast"), it cannot change, it is "nu eenmaal" so
FIXED_VIEW = re.compile(r"\bvast\b|\bweinig aan veranderen\b|\bniet veranderen\b|\bnu eenmaal\b")
# Dutch addressed to a child or a peer: adults are addressed with "u"
JIJ_FORM = re.compile(r"\b(je|jij|jou|jouw|jullie)\b", re.IGNORECASE)
U_FORM = re.compile(r"\b(u|uw)\b", re.IGNORECASE)
MAX_WORDS = 25  # adults read longer items than pupils, one idea each


def instrument(instrument_id: str) -> Instrument:
    return load_instrument(BANK / f"{instrument_id}.yaml")


def all_items() -> list[tuple[str, str]]:
    return [(i, item.id) for i in SCALES for item in instrument(i).items]


def scale_items(instrument_id: str, scale_id: str) -> list[str]:
    return next(s.items for s in instrument(instrument_id).scales if s.id == scale_id)


# -- the files ---------------------------------------------------------------------------


def test_every_shipped_instrument_file_validates() -> None:
    result = CliRunner().invoke(cli, ["validate", str(BANK)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


@pytest.mark.parametrize("instrument_id", SCALES)
def test_each_adult_instrument_ships_for_its_audience(instrument_id: str) -> None:
    shipped_instrument = shipped()[instrument_id]
    assert shipped_instrument.audience == AUDIENCE[instrument_id.partition("_")[0]]
    assert shipped_instrument.version == "1.0.0"


# -- scales, counts and wordings ---------------------------------------------------------


@pytest.mark.parametrize("instrument_id", SCALES)
def test_scales_hold_the_agreed_number_of_items(instrument_id: str) -> None:
    scales = {scale.id: len(scale.items) for scale in instrument(instrument_id).scales}
    assert set(scales) == set(SCALES[instrument_id])
    for scale_id, count in scales.items():
        assert count in SCALES[instrument_id][scale_id], (scale_id, count)


def test_teachers_talk_about_ethnic_diversity_in_four_items_and_socioeconomic_in_one() -> None:
    assert len(scale_items("teacher_diversity", "ethnic_diversity_talk")) == 4
    assert len(scale_items("teacher_diversity", "ses_diversity_talk")) == 1


@pytest.mark.parametrize("instrument_id, scale_id, wording", RESEARCH_WORDINGS)
def test_the_research_wording_is_verbatim_in_its_scale(instrument_id: str, scale_id: str, wording: str) -> None:
    bank = instrument(instrument_id)
    assert [item for item in scale_items(instrument_id, scale_id) if bank.item(item).text.nl == wording]


def test_fixed_mindset_items_are_reverse_keyed_and_growth_items_are_not() -> None:
    bank = instrument("teacher_mindset")
    items = [bank.item(item_id) for item_id in scale_items("teacher_mindset", "growth_mindset")]
    fixed = {item.id for item in items if FIXED_VIEW.search(item.text.nl)}
    reversed_ = {item.id for item in items if item.reverse}
    assert len(fixed) == 3, fixed
    assert reversed_ == fixed


@pytest.mark.parametrize("instrument_id", SCALES)
def test_reverse_keyed_items_count_towards_a_scale(instrument_id: str) -> None:
    """Reverse keying means something only inside a scale score."""
    bank = instrument(instrument_id)
    on_a_scale = {item for scale in bank.scales for item in scale.items}
    assert {item.id for item in bank.items if item.reverse} <= on_a_scale


# -- the roster ---------------------------------------------------------------------------


def test_the_ses_estimate_is_rated_1_to_10_labelled_low_and_high_at_its_ends() -> None:
    bank = instrument("roster_ratings")
    ses = bank.response_for(bank.item("ses_estimate"))
    assert (ses.min, ses.max, ses.kind, ses.labelled) == (1, 10, "ordinal", "ends")
    assert set(ses.labels) == {1, 10}
    assert (ses.labels[1].nl, ses.labels[10].nl) == ("laag", "hoog")


@pytest.mark.parametrize("instrument_id, item_id", [
    ("roster_ratings", "expected_level_reading"), ("roster_ratings", "expected_level_maths"),
    ("roster_test_results", "actual_level_reading"), ("roster_test_results", "actual_level_maths"),
])
def test_levels_are_quintiles_from_lowest_to_highest_20_percent(instrument_id: str, item_id: str) -> None:
    bank = instrument(instrument_id)
    level = bank.response_for(bank.item(item_id))
    assert (level.min, level.max, level.kind, level.labelled) == (1, 5, "ordinal", "all")
    assert len(level.labels) == 5
    assert "laagste 20%" in level.labels[1].nl and "lowest 20%" in level.labels[1].en
    assert "hoogste 20%" in level.labels[5].nl and "highest 20%" in level.labels[5].en


def test_expected_and_actual_levels_share_one_orientation() -> None:
    """Expectation accuracy is expected minus actual level: both must mean the same codes."""
    ratings, results = instrument("roster_ratings"), instrument("roster_test_results")
    expected = ratings.response_for(ratings.item("expected_level_reading"))
    actual = results.response_for(results.item("actual_level_reading"))
    assert expected.labels == actual.labels


@pytest.mark.parametrize("item_id", ["expected_level_reading", "expected_level_maths"])
def test_an_expected_level_says_it_is_the_next_test_compared_with_pupils_nationally(item_id: str) -> None:
    text = instrument("roster_ratings").item(item_id).text
    assert "volgende toets" in text.nl and "heel Nederland" in text.nl
    assert "next" in text.en and "across the Netherlands" in text.en


@pytest.mark.parametrize("instrument_id", ["roster_ratings", "roster_test_results"])
def test_single_roster_items_are_one_item_scales_so_they_are_scored(instrument_id: str) -> None:
    for scale in instrument(instrument_id).scales:
        if len(scale.items) == 1:
            assert scale.items == [scale.id] and scale.min_valid == 1


def test_every_roster_item_is_about_this_one_pupil() -> None:
    for instrument_id in ("roster_ratings", "roster_test_results"):
        for item in instrument(instrument_id).items:
            assert "deze leerling" in item.text.nl.lower() and "this pupil" in item.text.en.lower(), item.id


# -- teacher background and reflection -----------------------------------------------------


def test_teacher_background_asks_gender_as_a_choice_and_age_and_experience_as_numbers() -> None:
    bank = instrument("teacher_background")
    assert [item.id for item in bank.items] == ["gender", "age", "years_teaching"]
    assert bank.response_for(bank.item("gender")).kind == "nominal"
    assert (bank.item("age").kind, bank.item("age").min, bank.item("age").max) == ("number", 18, 75)
    teaching = bank.item("years_teaching")
    assert (teaching.kind, teaching.min, teaching.max) == ("number", 0, 50)
    assert bank.item("age").unit.nl == teaching.unit.nl == "jaar"


def test_reflection_questions_are_open_and_unscored() -> None:
    bank = instrument("teacher_reflection")
    assert 3 <= len(bank.items) <= 4
    assert all(item.kind == "text" for item in bank.items)
    assert bank.scales == []
    assert "achtergronden van leerlingen" in bank.item("reflection_backgrounds").text.nl
    assert all(item.id.startswith("reflection_") for item in bank.items)


# -- language and ids -----------------------------------------------------------------------


@pytest.mark.parametrize("instrument_id, item_id", all_items())
def test_every_item_has_dutch_and_english_text(instrument_id: str, item_id: str) -> None:
    text = instrument(instrument_id).item(item_id).text
    assert text.nl.strip() and text.en.strip()
    assert text.nl != text.en  # an untranslated copy is not English
    assert len(text.nl.split()) <= MAX_WORDS and len(text.en.split()) <= MAX_WORDS


@pytest.mark.parametrize("instrument_id", SCALES)
def test_adults_are_addressed_with_u(instrument_id: str) -> None:
    bank = instrument(instrument_id)
    texts = [bank.introduction.nl, bank.title.nl, *(item.text.nl for item in bank.items)]
    assert not [text for text in texts if JIJ_FORM.search(text)]
    assert U_FORM.search(bank.introduction.nl)


@pytest.mark.parametrize("instrument_id", SCALES)
def test_item_ids_are_prefixed_by_their_scale_and_numbered(instrument_id: str) -> None:
    bank = instrument(instrument_id)
    for scale in bank.scales:
        if len(scale.items) > 1:
            assert scale.items == [f"{scale.id}_{n}" for n in range(1, len(scale.items) + 1)]
    on_a_scale = {item for scale in bank.scales for item in scale.items}
    for item in bank.items:
        if item.id not in on_a_scale:  # named for what it asks, not numbered
            assert not re.search(r"_\d+$", item.id), item.id


@pytest.mark.parametrize("instrument_id", SCALES)
def test_min_valid_is_about_two_thirds_of_a_scale(instrument_id: str) -> None:
    for scale in instrument(instrument_id).scales:
        n = len(scale.items)
        assert scale.min_valid == 1 if n == 1 else 0.6 <= scale.min_valid / n <= 0.75, scale.id


# -- the study template -------------------------------------------------------------------


def test_the_template_study_loads_with_shipped_instruments_only() -> None:
    known = set(shipped())
    study = load_study(TEMPLATE, known)
    used = {i for wave in study.waves for ids in wave.instruments.values() for i in ids}
    assert used <= known
    assert len(study.classes) == 2 and {c.teacher_term for c in study.classes} == {"juf", "meester"}
    assert len(study.waves) == 3 and study.teams


def test_every_audience_answers_in_some_wave_of_the_template() -> None:
    study = load_study(TEMPLATE, set(shipped()))
    bank = shipped()
    for audience in ("pupil", "teacher", "roster", "team"):
        assert any(wave.instruments.get(audience) for wave in study.waves), audience
    for wave in study.waves:  # each instrument is asked of its own audience
        for audience, ids in wave.instruments.items():
            assert all(bank[i].audience == audience for i in ids), (wave.id, audience)


def test_the_template_asks_background_once_and_test_results_after_the_first_wave() -> None:
    study = load_study(TEMPLATE, set(shipped()))
    asked = [{i for ids in wave.instruments.values() for i in ids} for wave in study.waves]
    assert [("pupil_background" in a, "teacher_background" in a) for a in asked] == [(True, True)] + [(False, False)] * 2
    assert ["roster_test_results" in a for a in asked] == [False, True, True]


def test_every_code_in_the_template_is_valid_and_quoted() -> None:
    study = load_study(TEMPLATE, set(shipped()))
    people = [*(c.teacher for c in study.classes), *(p for c in study.classes for p in c.pupils),
              *(m for t in study.teams for m in t.members)]
    text = TEMPLATE.read_text(encoding="utf-8")
    for code in people:
        assert codes.is_valid(code) and f'"{code}"' in text, code


TEMPLATE_TEXT = TEMPLATE.read_text(encoding="utf-8")
MEMBERS = '    members: ["YNHLCL", "4XE93X", "3UJXW9", "P3F97L"]\n'
# (what to change in the template, the marker of the line to blame, what the message says)
CODE_MISTAKES = {
    "invalid_teacher_code": ('teacher: "YNHLCL"', 'teacher: "YNHLCM"', "YNHLCM", "not a valid teacher code"),
    "teacher_is_a_pupil": ('teacher: "4XE93X"', 'teacher: "RV3CVC"', 'teacher: "RV3CVC"',
                           "teacher code 'RV3CVC' is also a pupil code in class '5a'"),
    "teacher_of_two_classes": ('teacher: "4XE93X"', 'teacher: "YNHLCL"', 'teacher: "YNHLCL"',
                               "teacher code 'YNHLCL' is also the teacher of class '5a'"),
    "invalid_member_code": ('"3UJXW9"', '"3UJXW8"', "3UJXW8", "not a valid code of a team member"),
    "member_is_a_pupil": ('"3UJXW9"', '"HTWVJU"', 'members: ["YNHLCL", "4XE93X", "HTWVJU"',
                          "team member code 'HTWVJU' is also a pupil code in class '7b'"),
    "member_of_two_teams": (MEMBERS, MEMBERS + '  - id: de-zon\n    name: team De Zon\n    members: ["P3F97L"]\n',
                            'members: ["P3F97L"]', "team member code 'P3F97L' is already in team 'de-regenboog'"),
    "duplicate_team_id": (MEMBERS, MEMBERS + '  - id: de-regenboog\n    name: nog een team\n',
                          "nog een team", "duplicate team id 'de-regenboog'"),
}


@pytest.mark.parametrize("name", CODE_MISTAKES)
def test_a_wrong_teacher_or_team_code_is_reported_on_its_line(tmp_path: Path, name: str) -> None:
    old, new, marker, says = CODE_MISTAKES[name]
    assert TEMPLATE_TEXT.count(old) == 1, old
    text = TEMPLATE_TEXT.replace(old, new)
    path = tmp_path / "study.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidFile) as raised:
        load_study(path, set(shipped()))
    line = [n for n, row in enumerate(text.splitlines(), start=1) if marker in row][-1]  # the changed one
    if name == "duplicate_team_id":
        line -= 1  # the id is on the line above the marker
    matching = [p for p in raised.value.problems if says in p.message]
    assert [p.line for p in matching] == [line], [str(p) for p in raised.value.problems]
