"""`klaspeil study init`: a commented starting study.yaml that loads, with codes no other study
shares, and never silently over an existing study."""

from __future__ import annotations

import re
from pathlib import Path

from storage import DataFolder, codes
from storage.study import Study
from storage.study_init import TEMPLATE, fresh_codes

from command import klaspeil


def all_codes(study: Study) -> list[str]:
    """Every pupil and teacher code, and the team members who are not a class teacher."""
    teachers = [c.teacher for c in study.classes if c.teacher]
    pupils = [code for c in study.classes for code in c.pupils]
    others = [code for team in study.teams for code in team.members if code not in teachers]
    return pupils + teachers + others


def init(folder: Path, *extra: str):
    return klaspeil("study", "init", "--data", folder, *extra)


def test_init_writes_a_study_that_loads_with_valid_unique_codes(tmp_path: Path) -> None:
    done = init(tmp_path / "data")
    assert done.returncode == 0, done.stderr
    assert "klaspeil roster import" in done.stdout  # says what to do next
    study = DataFolder(tmp_path / "data").study()
    found = all_codes(study)
    assert len(found) >= 12
    assert all(codes.is_valid(code) for code in found)
    assert len(set(found)) == len(found)
    # a class teacher keeps their code in the team, so self-report and team answers link up
    team_members = {code for team in study.teams for code in team.members}
    assert {c.teacher for c in study.classes} <= team_members


def test_init_keeps_the_template_comments_and_quotes_every_code(tmp_path: Path) -> None:
    assert init(tmp_path / "data").returncode == 0
    text = (tmp_path / "data" / "study.yaml").read_text(encoding="utf-8")
    template = TEMPLATE.read_text(encoding="utf-8")
    comment_lines = [line for line in template.splitlines() if line.lstrip().startswith("#")]
    assert comment_lines == [line for line in text.splitlines() if line.lstrip().startswith("#")]
    study = DataFolder(tmp_path / "data").study()
    for code in all_codes(study):
        assert f'"{code}"' in text


def test_two_studies_never_share_a_code(tmp_path: Path) -> None:
    assert init(tmp_path / "one").returncode == 0
    assert init(tmp_path / "two").returncode == 0
    one = set(all_codes(DataFolder(tmp_path / "one").study()))
    two = set(all_codes(DataFolder(tmp_path / "two").study()))
    template_codes = set(re.findall(r'"([A-Z0-9]{6})"', TEMPLATE.read_text(encoding="utf-8")))
    assert not one & two
    assert not (one | two) & template_codes


def test_init_refuses_to_replace_a_study_in_one_line(tmp_path: Path) -> None:
    assert init(tmp_path / "data").returncode == 0
    path = tmp_path / "data" / "study.yaml"
    edited = path.read_text(encoding="utf-8").replace("Voorbeeldstudie motivatie", "Mijn eigen studie")
    path.write_text(edited, encoding="utf-8")
    done = init(tmp_path / "data")
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1
    assert "--force" in done.stderr and "study.yaml" in done.stderr
    assert path.read_text(encoding="utf-8") == edited


def test_init_with_force_replaces_the_study_with_new_codes(tmp_path: Path) -> None:
    assert init(tmp_path / "data").returncode == 0
    before = set(all_codes(DataFolder(tmp_path / "data").study()))
    done = init(tmp_path / "data", "--force")
    assert done.returncode == 0, done.stderr
    after = DataFolder(tmp_path / "data").study()
    assert after.title.startswith("Voorbeeldstudie")
    assert not before & set(all_codes(after))


def test_fresh_codes_replaces_each_code_consistently_and_nothing_else() -> None:
    text = 'teacher: "YNHLCL"\nmembers: ["YNHLCL", "3UJXW9"]\nstart: "2026-10-05"\nterm: "juf"\nx: "AAAAAC"\n'
    new = fresh_codes(text)
    teacher, first_member, other = re.findall(r'"([A-Z0-9]{6})"', new)[:3]
    assert teacher == first_member != other
    assert teacher != "YNHLCL" and codes.is_valid(teacher) and codes.is_valid(other)
    # not codes: a date, a word, and six letters with a wrong check character stay as they were
    assert '"2026-10-05"' in new and '"juf"' in new and '"AAAAAC"' in new
