"""`klaspeil simulate`: deterministic, realistic synthetic sessions of every audience through the
real session format, and the relations between answers that the research behind klaspeil found."""

from __future__ import annotations

import random
import re
import uuid
from collections import Counter
from itertools import combinations
from pathlib import Path

import pandas as pd
import pytest

from instruments import shipped
from instruments.wording import fill
from storage import DataFolder, Session, StorageError, codes
from storage.session import SessionRecord, read_session
from storage.simulate import STUDY_ID, _study_document, groep_of, plan, simulate, wave_instruments
from storage.simulated_answers import REFLECTIONS
from storage.simulated_people import draw_population
from storage.study import Study
from command import klaspeil

BANK = shipped()
MOTIVATION = BANK["pupil_motivation"]
SCALE_OF = {item: scale.id for scale in MOTIVATION.scales for item in scale.items}
SUMMARY = re.compile(
    r"simulated (\d+) class(?:es)?, (\d+) pupils?, (\d+) waves?: (\d+) sessions? \((\d+) finished\), (\d+) answers? in (.+)"
)




def run(root: Path, classes: int, pupils: int, waves: int, seed: int) -> str:
    folder = DataFolder(root).lock()
    try:
        return simulate(folder, classes=classes, pupils=pupils, waves=waves, seed=seed)
    finally:
        folder.unlock()


def records_in(root: Path) -> list[SessionRecord]:
    return [read_session(path) for path in DataFolder(root).session_paths()]


def contents(root: Path) -> list[tuple]:
    """What a simulation decided: ids, who, when, order shown, every answer record."""
    return [
        (r.meta.session_id, r.meta.wave, r.meta.class_id, r.meta.audience, r.meta.respondent, r.meta.target,
         r.meta.started_at, r.meta.finished_at, tuple(r.meta.item_order), tuple(r.meta.item_texts.items()),
         tuple((a.item, a.value, a.at, a.shown_ms) for a in r.history))
        for r in records_in(root)
    ]


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, list[SessionRecord]]:
    """12 classes x 25 pupils x 2 waves on disk (enough sessions for proportions), its summary
    line and every session file as read back."""
    root = tmp_path_factory.mktemp("large")
    summary = run(root, classes=12, pupils=25, waves=2, seed=3)
    return root, summary, records_in(root)


def test_same_seed_same_study_answers_and_session_ids(tmp_path: Path) -> None:
    run(tmp_path / "a", classes=2, pupils=8, waves=2, seed=42)
    run(tmp_path / "b", classes=2, pupils=8, waves=2, seed=42)
    run(tmp_path / "c", classes=2, pupils=8, waves=2, seed=43)
    assert (tmp_path / "a" / "study.yaml").read_bytes() == (tmp_path / "b" / "study.yaml").read_bytes()
    assert contents(tmp_path / "a") == contents(tmp_path / "b")
    assert len(contents(tmp_path / "a")) > 100
    assert contents(tmp_path / "a") != contents(tmp_path / "c")
    assert (tmp_path / "a" / "study.yaml").read_bytes() != (tmp_path / "c" / "study.yaml").read_bytes()


def test_summary_counts_what_is_stored(large: tuple[Path, str, list[SessionRecord]]) -> None:
    root, summary, records = large
    match = SUMMARY.fullmatch(summary)
    assert match, summary
    classes, pupils, waves, n_sessions, n_finished, n_answers = map(int, match.groups()[:6])
    assert (classes, pupils, waves, Path(match.group(7))) == (12, 300, 2, root)
    assert len(records) == n_sessions
    assert sum(r.finished for r in records) == n_finished
    assert sum(v is not None for r in records for v in r.answers().values()) == n_answers
    # pupils: about 3% absent per wave; every pupil instrument of the wave otherwise
    study = DataFolder(root).study()
    pupil_sessions = [r for r in records if r.meta.audience == "pupil"]
    possible = 300 * sum(len(wave.instruments.get("pupil", [])) for wave in study.waves)
    assert 0.93 * possible <= len(pupil_sessions) < possible
    # about 5% unfinished, about 3% of items skipped
    assert 0.01 * n_sessions <= n_sessions - n_finished <= 0.10 * n_sessions
    finished = [r for r in pupil_sessions if r.finished]
    n_items = sum(len(r.meta.item_order) for r in finished)
    unanswered = sum(len(r.meta.item_order) - sum(v is not None for v in r.answers().values()) for r in finished)
    assert 0.01 <= unanswered / n_items <= 0.06


def test_every_audience_gets_its_instruments_in_each_wave(large: tuple[Path, str, list[SessionRecord]]) -> None:
    """Pupils all pupil instruments, teachers all teacher instruments, the roster and the team
    lists; background and reflection (no scales) in wave 1 only, test results from wave 2 on."""
    root, _, records = large
    study = DataFolder(root).study()
    by_audience: dict[str, set[str]] = {}
    for instrument in BANK.values():
        by_audience.setdefault(instrument.audience, set()).add(instrument.id)
    assert set(by_audience) == {"pupil", "teacher", "roster", "team"}
    first, second = (dict(wave.instruments) for wave in study.waves)
    for audience, ids in by_audience.items():
        assert set(first.get(audience, [])) | set(second.get(audience, [])) == ids, audience
    once = [i for i in BANK.values() if not i.scales]
    assert {i.audience for i in once} >= {"pupil", "teacher"}, "background and reflection have no scales"
    assert all(i.id in first[i.audience] and i.id not in second.get(i.audience, []) for i in once)
    assert "roster_test_results" in second["roster"] and "roster_test_results" not in first["roster"]
    assert wave_instruments(BANK, 0, 1)["roster"] == sorted(by_audience["roster"]), "one wave: test results too"
    seen = Counter((r.meta.wave, r.meta.audience, r.meta.instrument) for r in records)
    for wave in study.waves:
        for audience, ids in wave.instruments.items():
            assert all(seen[(wave.id, audience, i)] > 0 for i in ids), (wave.id, audience)
    assert {audience for _, audience, _ in seen} == {"pupil", "teacher", "roster", "team"}


def test_classes_teachers_and_teams(large: tuple[Path, str, list[SessionRecord]]) -> None:
    root, _, _ = large
    study = DataFolder(root).study()
    assert study.id == STUDY_ID
    assert [c.teacher_term for c in study.classes][:3] == ["juf", "meester", "juf/meester"]
    teachers = [c.teacher for c in study.classes]
    pupils = [code for c in study.classes for code in c.pupils]
    assert all(code is not None and codes.is_valid(code) for code in teachers + pupils)
    assert len(set(teachers + pupils)) == len(teachers) + len(pupils)
    # one team per school of four classes: their teachers and 2-4 other staff
    assert len(study.teams) == 3
    for n, team in enumerate(study.teams):
        own = teachers[4 * n:4 * n + 4]
        assert team.members[:4] == own
        staff = team.members[4:]
        assert 2 <= len(staff) <= 4 and not set(staff) & set(teachers + pupils)


def test_sessions_look_like_the_tui_wrote_them(large: tuple[Path, str, list[SessionRecord]]) -> None:
    root, _, records = large
    study = DataFolder(root).study()
    class_of = {code: c for c in study.classes for code in c.pupils}
    classes = {c.id: c for c in study.classes}
    teams = {t.id: t for t in study.teams}
    for record in records:
        meta, instrument = record.meta, BANK[record.meta.instrument]
        assert uuid.UUID(meta.session_id).version == 4
        assert meta.audience == instrument.audience and meta.language == "nl"
        assert meta.item_order == instrument.shown_order(random.Random(meta.session_id)), "seeded as in the TUI"
        if meta.audience == "pupil":
            assert class_of[meta.respondent].id == meta.class_id and meta.target is None
        elif meta.audience in ("teacher", "roster"):
            assert classes[meta.class_id].teacher == meta.respondent
            assert (meta.target in classes[meta.class_id].pupils) if meta.audience == "roster" else meta.target is None
        else:
            assert meta.respondent in teams[meta.class_id].members and meta.target is None
        term = classes[meta.class_id].teacher_term if meta.class_id in classes else "juf/meester"
        assert meta.item_texts == {item.id: fill(item.text.nl, "nl", term) for item in instrument.items}
        for answer in record.history:
            assert instrument.answer_problem(instrument.item(answer.item), answer.value) is None
            assert meta.started_at < answer.at and (meta.finished_at is None or answer.at < meta.finished_at)
            assert 1500 <= answer.shown_ms <= (180_000 if isinstance(answer.value, str) else 9000)
        # answers come in the order shown (a change of answer right after the first one)
        shown = list(dict.fromkeys(a.item for a in record.history))
        assert shown == [item for item in meta.item_order if item in shown]
    pupil_texts = [r.meta.item_texts["structure_1"] for r in records if r.meta.instrument == "pupil_need_support"]
    assert {text.split(" ", 2)[1] for text in pupil_texts} == {"juf", "meester", "juf/meester"}
    orders = {tuple(r.meta.item_order) for r in records if r.meta.instrument == "pupil_motivation"}
    assert len(orders) > 50, "item order is shuffled per respondent"
    assert any(len(r.history) > len(r.answers()) for r in records), "some answers changed or cleared"
    assert any(not r.finished for r in records)


def test_check_passes_on_simulated_data(tmp_path: Path) -> None:
    result = klaspeil("simulate", "--data", tmp_path, "--classes", 2, "--pupils", 5, "--waves", 1, "--seed", 9)
    assert result.returncode == 0, result.stderr
    assert SUMMARY.fullmatch(result.stdout.strip())
    checked = klaspeil("check", "--data", tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_refuses_a_folder_with_another_study(tmp_path: Path) -> None:
    folder = DataFolder(tmp_path)
    folder.install_demo()
    before = folder.study_path.read_bytes()
    result = klaspeil("simulate", "--data", tmp_path)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "demo" in result.stderr and str(folder.study_path) in result.stderr
    assert folder.study_path.read_bytes() == before
    assert not list(folder.session_paths())


def test_refuses_to_simulate_twice_into_one_folder(tmp_path: Path) -> None:
    run(tmp_path, classes=1, pupils=4, waves=1, seed=1)
    before = contents(tmp_path)
    with pytest.raises(StorageError, match="already holds"):
        run(tmp_path, classes=1, pupils=4, waves=1, seed=1)
    with pytest.raises(StorageError, match="other options"):
        run(tmp_path, classes=2, pupils=4, waves=1, seed=1)
    assert contents(tmp_path) == before


def test_sessions_open_in_the_tui_storage_class(large: tuple[Path, str, list[SessionRecord]]) -> None:
    """Written in one go, read back by the class the TUI resumes sessions with."""
    root, _, _ = large
    for path in list(DataFolder(root).session_paths())[:40]:
        session, record = Session(path), read_session(path)
        assert session.meta == record.meta and session.history() == record.history
        assert session.finished == record.finished


# -- the relations the research found, measured on a larger study planned in memory ----

StudyPlan = tuple[Study, dict[str, dict[str, float]], pd.DataFrame]


@pytest.fixture(scope="module")
def study_plan() -> StudyPlan:
    """24 classes x 25 pupils x 2 waves, planned without writing: (study, pupil traits, answers)."""
    rng = random.Random(5)
    study = Study.model_validate(_study_document(24, 25, 2, 5, BANK, rng))
    population = draw_population(study, groep_of(study), rng)
    planned = list(plan(study, BANK, "test-device", rng, population))
    traits = {p.code: p.traits for pupils in population.pupils.values() for p in pupils}
    rows = [
        (s.meta.wave, s.meta.class_id, s.meta.audience, s.meta.respondent, s.meta.target, s.meta.instrument, item, value)
        for s in planned
        for item, value in {a.item: a.value for a in s.records}.items()
        if value is not None
    ]
    columns = ["wave", "class_id", "audience", "respondent", "target", "instrument", "item", "value"]
    answers = pd.DataFrame(rows, columns=columns)
    answers["number"] = pd.to_numeric(answers["value"].where(answers["value"].map(type) == int))
    return study, traits, answers


def scores(answers: pd.DataFrame, audience: str) -> pd.DataFrame:
    """Scale means after reverse keying, one row per wave x respondent (roster: x target)."""
    key = {
        (i.id, item): (scale.id, i.item(item).reverse, i.response_for(i.item(item)))
        for i in BANK.values() for scale in i.scales for item in scale.items
    }
    part = answers[answers["audience"] == audience]
    rows = []
    for row in part.itertuples():
        if (row.instrument, row.item) in key:
            scale, reverse, response = key[(row.instrument, row.item)]
            who = row.target if audience == "roster" else row.respondent
            rows.append((row.wave, who, scale, response.reverse(row.value) if reverse else row.value))
    table = pd.DataFrame(rows, columns=["wave", "who", "scale", "value"])
    return table.groupby(["wave", "who", "scale"])["value"].mean().unstack()


def r(a: pd.Series, b: pd.Series) -> float:
    both = pd.concat([a.astype("float64"), b.astype("float64")], axis=1).dropna()
    return float(both.corr().iloc[0, 1])


def test_pupil_items_correlate_within_a_scale_more_than_across(study_plan: StudyPlan) -> None:
    _, _, answers = study_plan
    motivation = answers[answers["instrument"] == "pupil_motivation"]
    wide = motivation.pivot_table(index=["wave", "respondent"], columns="item", values="number")[list(SCALE_OF)]
    corr = wide.corr()
    within = [corr.loc[a, b] for a, b in combinations(SCALE_OF, 2) if SCALE_OF[a] == SCALE_OF[b]]
    across = [corr.loc[a, b] for a, b in combinations(SCALE_OF, 2) if SCALE_OF[a] != SCALE_OF[b]]
    assert sum(within) / len(within) > 0.3
    assert abs(sum(across) / len(across)) < 0.2
    for scale in MOTIVATION.scales:
        complete = wide[scale.items].dropna()
        k = len(scale.items)
        alpha = k / (k - 1) * (1 - complete.var().sum() / complete.sum(axis=1).var())
        assert 0.65 <= alpha <= 0.9, (scale.id, alpha)
    pupil = scores(answers, "pupil")
    assert pupil["autonomous_motivation"].mean() > pupil["controlled_motivation"].mean() + 0.5


def test_need_support_goes_with_autonomous_motivation_and_thwarting_against_it(study_plan: StudyPlan) -> None:
    _, _, answers = study_plan
    pupil = scores(answers, "pupil")
    support = pupil[["autonomy_support", "structure", "challenge", "relatedness_support"]].mean(axis=1)
    thwarting = pupil[["autonomy_thwarting", "negative_feedback", "chaos", "relatedness_thwarting"]].mean(axis=1)
    assert r(support, pupil["autonomous_motivation"]) > 0.2
    assert r(thwarting, pupil["autonomous_motivation"]) < -0.1
    assert r(support, thwarting) < -0.2


def test_lower_ses_less_autonomous_motivation_more_thwarting_lower_expectations(study_plan: StudyPlan) -> None:
    _, traits, answers = study_plan
    ses = pd.Series({code: t["ses"] for code, t in traits.items()})
    pupil = scores(answers, "pupil").xs("w1")
    thwarting = pupil[["autonomy_thwarting", "negative_feedback", "chaos", "relatedness_thwarting"]].mean(axis=1)
    assert 0.1 < r(pupil["autonomous_motivation"], ses) < 0.4, "a bit, not a lot"
    assert -0.4 < r(thwarting, ses) < -0.05
    roster = answers[(answers["audience"] == "roster") & (answers["wave"] == "w1")]
    rated = roster.pivot_table(index="target", columns="item", values="number")
    assert 0.5 < r(rated["ses_estimate"], ses) < 0.75, "the teacher's estimate follows SES, about 0.6"
    teacher = scores(answers, "roster").xs("w1")
    assert r(teacher["teacher_closeness"], ses) > 0.1 and r(teacher["teacher_conflict"], ses) < -0.1
    # expectations follow achievement, and SES a little beyond it
    for subject in ("reading", "maths"):
        achievement = pd.Series({code: t[f"achievement_{subject}"] for code, t in traits.items()})
        expected = rated[f"expected_level_{subject}"]
        assert r(expected, achievement) > 0.45
        residual = pd.concat([expected.astype("float64"), achievement, ses], axis=1, keys=["e", "a", "s"]).dropna()
        slope = residual.cov().loc["e", "a"] / residual["a"].var()
        assert 0.05 < r(residual["e"] - slope * residual["a"], residual["s"]) < 0.35


def test_actual_levels_follow_achievement_and_fill_quintiles(study_plan: StudyPlan) -> None:
    _, traits, answers = study_plan
    results = answers[answers["instrument"] == "roster_test_results"]
    assert set(results["wave"]) == {"w2"}
    for subject in ("reading", "maths"):
        level = results[results["item"] == f"actual_level_{subject}"].set_index("target")["number"]
        achievement = pd.Series({code: t[f"achievement_{subject}"] for code, t in traits.items()})
        assert r(level, achievement) > 0.7
        shares = level.value_counts(normalize=True)
        assert set(shares.index) == {1, 2, 3, 4, 5} and shares.between(0.14, 0.26).all(), shares


def test_background_gender_age_by_groep_and_birth_countries(study_plan: StudyPlan) -> None:
    study, traits, answers = study_plan
    groep = groep_of(study)
    background = answers[answers["instrument"] == "pupil_background"]
    wide = background.pivot_table(index=["respondent", "class_id"], columns="item", values="number").reset_index()
    assert set(background["wave"]) == {"w1"}
    gender = wide["gender"].value_counts(normalize=True)
    assert gender[1] > 0.4 and gender[2] > 0.4 and gender[[3, 4]].sum() < 0.08
    age = wide.dropna(subset=["age"])
    expected_age = age["class_id"].map(groep) + 3  # groep 5 is 8 turning 9
    assert (age["age"].between(expected_age, expected_age + 1)).mean() > 0.9
    assert age["age"].between(expected_age - 1, expected_age + 2).all()
    for who in ("mother", "father"):
        assert 0.65 < (wide[f"birth_country_{who}"] == 1).mean() < 0.9
    assert (wide["birth_country_pupil"] == 1).mean() > 0.8
    abroad = wide[["birth_country_mother", "birth_country_father"]].where(lambda d: d != 3) == 2
    assert r(abroad["birth_country_mother"], abroad["birth_country_father"]) > 0.4
    ses = wide["respondent"].map(lambda code: traits[code]["ses"])
    assert r(abroad["birth_country_mother"], ses) < -0.1


def test_teachers_talk_more_about_ethnic_than_socioeconomic_diversity(study_plan: StudyPlan) -> None:
    _, _, answers = study_plan
    teacher = scores(answers, "teacher")
    assert teacher["ethnic_diversity_talk"].mean() > teacher["ses_diversity_talk"].mean() + 0.2
    background = answers[answers["instrument"] == "teacher_background"].pivot_table(
        index="respondent", columns="item", values="number"
    ).dropna()
    assert len(background) > 15 and (background["years_teaching"] <= background["age"] - 18).all()
    texts = answers[answers["value"].map(lambda v: isinstance(v, str))]
    assert set(texts["instrument"]) == {"teacher_reflection"}
    assert set(texts["value"]) <= set(REFLECTIONS)
    possible = 24 * len(BANK["teacher_reflection"].items)
    assert 0.5 * possible < len(texts) < 0.9 * possible, "some open questions are left empty"


def test_team_members_share_their_team_climate(study_plan: StudyPlan) -> None:
    """ICC(1) of every team scale above 0: members of one team answer more alike."""
    study, _, answers = study_plan
    team_of = {code: team.id for team in study.teams for code in team.members}
    team = scores(answers, "team").stack().rename("score").reset_index()
    team["team"] = team["who"].map(team_of)
    iccs = []
    for _, part in team.groupby(["wave", "scale"]):
        groups = part.groupby("team")["score"]
        n, k = groups.ngroups, groups.size().mean()
        between = (groups.size() * (groups.mean() - part["score"].mean()) ** 2).sum() / (n - 1)
        within = ((part["score"] - groups.transform("mean")) ** 2).sum() / (len(part) - n)
        iccs.append((between - within) / (between + (k - 1) * within))
    assert len(iccs) == 2 * sum(len(i.scales) for i in BANK.values() if i.audience == "team")
    assert sum(iccs) / len(iccs) > 0.1, iccs


def test_teacher_expectations_go_with_the_actual_levels_and_the_teacher_s_ses_estimate(study_plan: StudyPlan) -> None:
    """Within the stored answers (not only against the hidden traits): a pupil the teacher
    expects higher scores higher on the test, and the teacher expects a little more of pupils
    they rate higher in SES (through achievement and the bias; about 0.13-0.22 here)."""
    _, _, answers = study_plan
    roster = answers[answers["audience"] == "roster"]
    wide = roster.pivot_table(index=["wave", "target"], columns="item", values="number")
    for subject in ("reading", "maths"):
        expected = wide[f"expected_level_{subject}"]
        with_test = r(expected.xs("w2"), wide[f"actual_level_{subject}"].xs("w2"))  # test results: wave 2
        with_ses = r(expected, wide["ses_estimate"])
        assert 0.4 < with_test < 0.8, (subject, with_test)
        assert 0.1 < with_ses < 0.5, (subject, with_ses)
        assert with_test > with_ses, "achievement counts for more than SES"
