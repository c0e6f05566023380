"""study.yaml: the demo study loads, and a mistake in a study file is answered with the line
to edit (the same `path:line: message` as instrument files), never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from instruments import InvalidFile, shipped
from storage import DataFolder, load_study
from storage.datafolder import DEMO_STUDY

KNOWN = {"pupil_motivation", "teacher_mindset", "roster_ratings"}  # the demo wave's
DEMO = DEMO_STUDY.read_text(encoding="utf-8")


def test_the_demo_study_loads() -> None:
    study = load_study(DEMO_STUDY, set(shipped()))
    assert study.id == "demo"
    assert [c.id for c in study.classes] == ["6a", "7b"]
    assert [c.teacher_term for c in study.classes] == ["juf", "meester"]
    assert study.wave("w1").instruments == {
        "pupil": ["pupil_motivation"], "teacher": ["teacher_mindset"], "roster": ["roster_ratings"],
    }
    assert study.class_of("FNWW4F").id == "6a"
    assert study.class_of("G499Y7").id == "7b"
    assert study.class_of("AAAAAA") is None
    assert [(s.id, s.name, s.place) for s in study.schools] == [("regenboog", "De Regenboog", "Utrecht")]
    assert [c.school for c in study.classes] == ["regenboog", "regenboog"]
    assert study.school_name("regenboog") == "De Regenboog"


def test_a_study_without_schools_still_loads(tmp_path: Path) -> None:
    """study.yaml files written before schools existed: no schools, no class names one."""
    path = tmp_path / "study.yaml"
    text = DEMO[: DEMO.index("schools:")] + DEMO[DEMO.index("classes:") :]
    path.write_text(text.replace("    school: regenboog\n", ""), encoding="utf-8")
    study = load_study(path, KNOWN)
    assert study.schools == [] and [c.school for c in study.classes] == [None, None]
    assert study.school_name(None) is None


def test_a_data_folder_with_the_demo_installed_has_the_demo_study(demo_folder: DataFolder) -> None:
    assert demo_folder.study().id == "demo"
    assert demo_folder.study_path.read_bytes() == DEMO_STUDY.read_bytes()


def changed(old: str, new: str) -> str:
    assert DEMO.count(old) == 1, old
    return DEMO.replace(old, new)


def line_with(text: str, marker: str, occurrence: int = 1) -> int:
    hits = [n for n, line in enumerate(text.splitlines(), start=1) if marker in line]
    return hits[occurrence - 1]


CASES = {
    "invalid_pupil_code": (
        changed("FK33XF", "FK33XG"), "FK33XG", 1, ("'FK33XG' is not a valid pupil code",)),
    "duplicate_code_across_classes": (
        changed("[7V7NJA, RLPPRK", "[FNWW4F, RLPPRK"), "[FNWW4F, RLPPRK", 1, ("'FNWW4F' is also in class '6a'",)),
    "unknown_instrument": (
        changed("pupil: [pupil_motivation]", "pupil: [pupil_motivation, pupil_wellbeing]"),
        "pupil_wellbeing", 1, ("unknown instrument 'pupil_wellbeing'",)),
    "unknown_key": (
        changed("    teacher_term: meester\n", "    teacher_term: meester\n    teacher_name: Jansen\n"),
        "teacher_name", 1, ("unknown key 'teacher_name'",)),
    "typo_with_hint": (
        changed("    teacher_term: juf\n", "    teacher_terms: juf\n"),
        "teacher_terms", 1, ("unknown key 'teacher_terms'", "did you mean 'teacher_term'")),
    "bad_teacher_term": (
        changed("teacher_term: meester", "teacher_term: mevrouw"),
        "mevrouw", 1, ("teacher_term", "'mevrouw'", "'juf', 'meester' or 'juf/meester'")),
    "duplicate_class_id": (
        changed("  - id: 7b", "  - id: 6a"), "- id: 6a", 2, ("duplicate class id '6a'",)),
    "no_waves": (
        DEMO[: DEMO.index("waves:")] + "waves: []\n", "waves: []", 1, ("waves", "at least 1")),
    "audience_unknown": (
        changed("      pupil: [pupil_motivation]", "      parent: [pupil_motivation]"),
        "parent:", 1, ("'parent'",)),
    "unknown_school_of_a_class": (
        changed("    school: regenboog\n    teacher_term: meester", "    school: zon\n    teacher_term: meester"),
        "school: zon", 1, ("class '7b' names unknown school 'zon' (schools: regenboog)",)),
    "unknown_school_of_a_team": (
        DEMO.replace("waves:", "teams:\n  - id: t1\n    name: team\n    school: noord\nwaves:"),
        "school: noord", 1, ("team 't1' names unknown school 'noord'",)),
    "duplicate_school_id": (
        changed("    place: Utrecht\n", "    place: Utrecht\n  - id: regenboog\n    name: De Regenboog\n    place: Ede\n"),
        "- id: regenboog", 2, ("duplicate school id 'regenboog'",)),
    "school_without_name": (
        changed("    name: De Regenboog\n", ""), "- id: regenboog", 1, ("missing required key 'name' in schools.0",)),
    # inputs that once crashed the loader with a traceback
    "pupils_not_a_list": (
        changed("    pupils: [7V7NJA, RLPPRK, W4ENER, XXMMUA, G499Y7]", "    pupils: true"),
        "pupils: true", 1, ("pupils", "valid list")),
    "class_id_a_list": (
        changed("  - id: 7b", "  - id: [7b]"), "- id: [7b]", 1, ("classes.1.id", "valid string")),
    "instruments_a_list": (
        changed("    instruments:\n      pupil: [pupil_motivation]\n      teacher: [teacher_mindset]\n      roster: [roster_ratings]",
                "    instruments: [pupil_motivation]"),
        "instruments: [pupil_motivation]", 1, ("instruments", "valid dictionary")),
    "bad_code_after_a_non_mapping_class": (  # the line must still be the one of the bad code
        changed("classes:\n", "classes:\n  - just a name\n").replace("FK33XF", "FK33XG"),
        "FK33XG", 1, ("'FK33XG' is not a valid pupil code",)),
}


@pytest.mark.parametrize("name", CASES)
def test_a_mistake_in_study_yaml_is_reported_on_its_line(tmp_path: Path, name: str) -> None:
    text, marker, occurrence, says = CASES[name]
    path = tmp_path / "study.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidFile) as raised:
        load_study(path, KNOWN)
    wanted = line_with(text, marker, occurrence)
    matching = [p for p in raised.value.problems if p.line == wanted and all(s in p.message for s in says)]
    assert matching, [str(p) for p in raised.value.problems]
    assert all(p.path == str(path) and p.line for p in raised.value.problems)


def test_every_problem_of_a_study_is_reported_at_once(tmp_path: Path) -> None:
    text = changed("FK33XF", "FK33XG").replace("teacher_term: meester", "teacher_term: mevrouw")
    text = text.replace("pupil: [pupil_motivation]", "pupil: [pupil_wellbeing]")
    path = tmp_path / "study.yaml"
    path.write_text(text)
    with pytest.raises(InvalidFile) as raised:
        load_study(path, KNOWN)
    assert [p.line for p in raised.value.problems] == [
        line_with(text, "FK33XG"), line_with(text, "mevrouw"), line_with(text, "pupil_wellbeing")
    ]


def test_a_data_folder_without_study_says_so(tmp_path: Path) -> None:
    from storage import StorageError

    folder = DataFolder(tmp_path)
    with pytest.raises(StorageError, match="no study here"):
        folder.study()
