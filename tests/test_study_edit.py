"""Editing study.yaml by program (storage.study_edit): schools, classes, waves and teams are
added, changed and removed without losing the researcher's comments; a change that would make
the study invalid, or cut stored answers loose, is refused and leaves study.yaml as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from instruments import shipped
from storage import DataFolder, SessionMeta, codes, instrument_fingerprint, study_edit
from storage.study import School, SchoolClass, Team
from storage.study_edit import StudyEditError
from storage.study_init import init_study


@pytest.fixture
def template(tmp_path: Path) -> DataFolder:
    """A data folder holding the commented starting study of `klaspeil study init`:
    school regenboog; classes 5a and 7b; team de-regenboog; waves najaar, winter, voorjaar."""
    folder = DataFolder(tmp_path / "data")
    init_study(folder)
    return folder


def comments(folder: DataFolder) -> list[str]:
    """Every full-line comment of study.yaml, in order."""
    return [line.strip() for line in folder.study_path.read_text(encoding="utf-8").splitlines() if line.lstrip().startswith("#")]


def store_session(folder: DataFolder, wave: str, respondent: str, instrument_id: str, class_id: str) -> None:
    instrument = shipped()[instrument_id]
    meta = SessionMeta(
        device_id="test", study=folder.study().id, wave=wave, class_id=class_id, audience=instrument.audience,
        respondent=respondent, item_order=[item.id for item in instrument.items], **instrument_fingerprint(instrument),
    )
    folder.new_session(meta)


def refused(folder: DataFolder, edit: object, *args: object, match: str, **kwargs: object) -> None:
    """The edit raises StudyEditError saying `match`, and study.yaml is byte for byte unchanged."""
    before = folder.study_path.read_bytes()
    with pytest.raises(StudyEditError, match=match):
        edit(folder, *args, **kwargs)  # type: ignore[operator]
    assert folder.study_path.read_bytes() == before


# -- schools -------------------------------------------------------------------------------
def test_a_school_is_added_after_the_last_school_and_every_comment_stays(template: DataFolder) -> None:
    before = comments(template)
    study_edit.add_school(template, School(id="zon", name="De Zon", place="Ede"))
    assert comments(template) == before
    assert [(s.id, s.name, s.place) for s in template.study().schools] == [
        ("regenboog", "basisschool De Regenboog", "Utrecht"), ("zon", "De Zon", "Ede")
    ]
    text = template.study_path.read_text(encoding="utf-8")
    assert text.index("id: zon") < text.index("# Classes:"), "the new school is above the comment that introduces classes"


def test_the_first_school_of_a_study_without_schools_goes_before_the_classes(demo_folder: DataFolder) -> None:
    text = demo_folder.study_path.read_text(encoding="utf-8")
    start, end = text.index("schools:"), text.index("classes:")
    demo_folder.study_path.write_text(text[:start] + text[end:].replace("    school: regenboog\n", ""), encoding="utf-8")
    assert demo_folder.study().schools == []  # a study file from before schools still loads
    study_edit.add_school(demo_folder, School(id="noord", name="De Noord"))
    text = demo_folder.study_path.read_text(encoding="utf-8")
    assert text.index("schools:") < text.index("classes:")
    assert text.startswith("# The demo study")
    assert [s.id for s in demo_folder.study().schools] == ["noord"]


def test_editing_a_school_changes_name_and_place_and_keeps_the_comment_below_it(template: DataFolder) -> None:
    before = comments(template)
    study_edit.edit_school(template, "regenboog", name="De Regenboog", place=None)  # place was the last field
    assert comments(template) == before
    assert template.study().schools == [School(id="regenboog", name="De Regenboog")]


def test_a_school_that_classes_or_teams_name_is_not_removed(template: DataFolder) -> None:
    refused(template, study_edit.remove_school, "regenboog", match="still has class 5a, class 7b, team de-regenboog")


def test_an_unused_school_is_removed(template: DataFolder) -> None:
    study_edit.add_school(template, School(id="zon", name="De Zon"))
    before = template.study_path.read_text(encoding="utf-8")
    study_edit.remove_school(template, "zon")
    assert [s.id for s in template.study().schools] == ["regenboog"]
    assert "zon" not in template.study_path.read_text(encoding="utf-8")
    assert len(before.splitlines()) - 2 == len(template.study_path.read_text(encoding="utf-8").splitlines())


def test_a_duplicate_school_id_is_refused(template: DataFolder) -> None:
    refused(template, study_edit.add_school, School(id="regenboog", name="nog een"), match="duplicate school id 'regenboog'")


# -- classes -------------------------------------------------------------------------------
def test_editing_a_class_changes_name_term_and_school_only(template: DataFolder) -> None:
    study_edit.add_school(template, School(id="zon", name="De Zon"))
    old = template.study().classes[1]
    before = comments(template)
    returned = study_edit.edit_class(template, "7b", name="groep 7B", teacher_term="juf/meester", school="zon")
    assert returned == template.study(), "an edit returns the study as study.yaml now holds it"
    assert comments(template) == before
    new = template.study().classes[1]
    assert (new.id, new.name, new.teacher_term, new.school) == ("7b", "groep 7B", "juf/meester", "zon")
    assert (new.teacher, new.pupils) == (old.teacher, old.pupils)
    study_edit.edit_class(template, "7b", name="groep 7B", teacher_term="juf/meester", school=None)
    assert template.study().classes[1].school is None


def test_a_class_cannot_name_a_school_the_study_does_not_have(template: DataFolder) -> None:
    refused(
        template, study_edit.edit_class, "7b", name="groep 7b", teacher_term="juf", school="nergens",
        match="class '7b' names unknown school 'nergens' \\(schools: regenboog\\)",
    )


def test_editing_a_class_that_is_not_there_says_which_are(template: DataFolder) -> None:
    refused(template, study_edit.edit_class, "9z", name="x", teacher_term="juf", school=None, match="no class '9z'.*5a, 7b")


def test_removing_the_last_class_in_the_file_keeps_the_comment_that_introduces_teams(template: DataFolder) -> None:
    before = comments(template)
    study_edit.remove_class(template, "7b")
    assert [c.id for c in template.study().classes] == ["5a"]
    assert comments(template) == before


def test_a_class_with_stored_sessions_is_not_removed(template: DataFolder) -> None:
    pupil = template.study().classes[0].pupils[2]
    store_session(template, "najaar", pupil, "pupil_motivation", "5a")
    refused(template, study_edit.remove_class, "5a", match="Class 5a has 1 stored session.*data is never lost")


def test_the_teachers_self_report_counts_as_a_session_of_the_class_but_their_team_answers_do_not(template: DataFolder) -> None:
    teacher = template.study().classes[1].teacher
    store_session(template, "najaar", teacher, "team_collective_efficacy", "7b")
    study_edit.remove_class(template, "7b")  # the team answer belongs to the team, which stays
    assert [t.members[1] for t in template.study().teams] == [teacher]
    store_session(template, "najaar", template.study().classes[0].teacher, "teacher_mindset", "5a")
    study_edit.add_class(template, SchoolClass(id="6c", name="groep 6c"))
    refused(template, study_edit.remove_class, "5a", match="Class 5a has 1 stored session")


def test_the_only_class_is_not_removed(template: DataFolder) -> None:
    study_edit.remove_class(template, "7b")
    refused(template, study_edit.remove_class, "5a", match="only class; a study needs one")


# -- waves ---------------------------------------------------------------------------------
def test_editing_a_wave_keeps_the_comments_of_the_other_waves(template: DataFolder) -> None:
    before = comments(template)
    study_edit.edit_wave(
        template, "voorjaar", label="meting 3", start="2027-06-28", instruments={"pupil": ["pupil_motivation"]}
    )
    assert comments(template) == before
    wave = template.study().wave("voorjaar")
    assert (wave.label, wave.start, wave.instruments) == ("meting 3", "2027-06-28", {"pupil": ["pupil_motivation"]})


def test_a_wave_with_sessions_keeps_its_instruments_but_may_get_more(template: DataFolder) -> None:
    store_session(template, "winter", template.study().classes[0].pupils[0], "pupil_motivation", "5a")
    winter = template.study().wave("winter")
    refused(
        template, study_edit.edit_wave, "winter", label=winter.label, start=winter.start,
        instruments={**winter.instruments, "teacher": []}, match="keeps its instruments \\(teacher_self_efficacy cannot go\\)",
    )
    more = {**winter.instruments, "team": ["team_collective_efficacy"]}
    study_edit.edit_wave(template, "winter", label=winter.label, start=winter.start, instruments=more)
    assert template.study().wave("winter").instruments["team"] == ["team_collective_efficacy"]


def test_a_wave_with_sessions_is_not_removed_and_one_without_is(template: DataFolder) -> None:
    store_session(template, "winter", template.study().classes[0].pupils[0], "pupil_motivation", "5a")
    refused(template, study_edit.remove_wave, "winter", match="Wave winter has 1 stored session")
    study_edit.remove_wave(template, "voorjaar")
    assert [w.id for w in template.study().waves] == ["najaar", "winter"]


def test_a_wave_with_an_unknown_instrument_is_refused(template: DataFolder) -> None:
    refused(
        template, study_edit.edit_wave, "winter", label=None, start=None, instruments={"pupil": ["pupil_wellbeing"]},
        match="unknown instrument 'pupil_wellbeing'",
    )


# -- teams ---------------------------------------------------------------------------------
def test_a_team_is_added_edited_and_removed_with_the_comments_intact(template: DataFolder) -> None:
    before = comments(template)
    member = codes.new_code(taken=study_edit.all_codes(template.study()))
    other = codes.new_code(taken=study_edit.all_codes(template.study()) | {member})
    study_edit.add_team(template, Team(id="ib", name="intern begeleiders", school="regenboog", members=[member]))
    assert comments(template) == before
    study_edit.edit_team(template, "ib", name="IB", school=None, members=[member, other])
    team = template.study().teams[1]
    assert (team.id, team.name, team.school, team.members) == ("ib", "IB", None, [member, other])
    study_edit.remove_team(template, "ib")
    study_edit.remove_team(template, "de-regenboog")
    assert template.study().teams == []
    assert "teams: []" in template.study_path.read_text(encoding="utf-8")
    assert comments(template) == before


def test_a_team_member_code_that_is_a_pupils_is_refused(template: DataFolder) -> None:
    pupil = template.study().classes[0].pupils[0]
    refused(template, study_edit.add_team, Team(id="t2", name="t2", members=[pupil]), match="is also a pupil code in class '5a'")


def test_a_team_with_team_sessions_is_not_removed_nor_loses_a_member_who_answered(template: DataFolder) -> None:
    team = template.study().teams[0]
    store_session(template, "najaar", team.members[2], "team_collective_efficacy", team.id)  # a team session's class_id is its team (tui/adult_flow.py)
    refused(template, study_edit.remove_team, "de-regenboog", match="Team de-regenboog has 1 stored session")
    refused(
        template, study_edit.edit_team, "de-regenboog", name=team.name, school=team.school, members=team.members[:2],
        match=f"member {team.members[2]}, {team.members[3]} has 1 stored session",
    )
    study_edit.edit_team(template, "de-regenboog", name=team.name, school=team.school, members=team.members[:3])
    assert template.study().teams[0].members == team.members[:3]


def test_removing_a_class_takes_its_own_comments_and_leaves_those_about_the_next(demo_folder: DataFolder) -> None:
    text = demo_folder.study_path.read_text(encoding="utf-8")
    text = text.replace("    pupils: [FNWW4F", "    # 6a's own note\n    pupils: [FNWW4F")
    text = text.replace("  - id: 7b\n", "  # about 7b\n  - id: 7b\n")
    text = text.replace(
        "    pupils: [7V7NJA, RLPPRK, W4ENER, XXMMUA, G499Y7]\n",
        "    pupils: [7V7NJA, RLPPRK, W4ENER, XXMMUA, G499Y7]\n    # 7b's last note\n\n# the waves\n",
    )
    demo_folder.study_path.write_text(text, encoding="utf-8")
    study_edit.remove_class(demo_folder, "6a")
    assert comments(demo_folder)[-3:] == ["# about 7b", "# 7b's last note", "# the waves"]
    assert "6a's own note" not in demo_folder.study_path.read_text(encoding="utf-8")
    study_edit.add_class(demo_folder, SchoolClass(id="8", name="groep 8"))
    after = demo_folder.study_path.read_text(encoding="utf-8")
    assert after.index("# 7b's last note") < after.index("id: \"8\"") < after.index("# the waves")
    assert [c.id for c in demo_folder.study().classes] == ["7b", "8"]
