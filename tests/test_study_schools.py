"""Schools in the fieldwork overview: `klaspeil status` reads a study of many classes school by
school, and the order of the classes within a school stays the study's."""

from __future__ import annotations

import re

from storage import DataFolder, study_edit
from storage.fieldwork import by_school, fieldwork
from storage.study import School, SchoolClass
from command import klaspeil


def two_schools(folder: DataFolder) -> None:
    """regenboog: 6a and 8 (8 added last); zon: 7b."""
    study_edit.add_school(folder, School(id="zon", name="De Zon", place="Ede"))
    study_edit.edit_class(folder, "7b", name="groep 7b", teacher_term="meester", school="zon")
    study_edit.add_class(folder, SchoolClass(id="8", name="groep 8", school="regenboog"))


def test_classes_are_grouped_by_school_in_study_order(demo_folder: DataFolder) -> None:
    two_schools(demo_folder)
    classes = fieldwork(demo_folder)[0].classes
    assert [(c.class_id, c.school) for c in classes] == [("6a", "regenboog"), ("7b", "zon"), ("8", "regenboog")]
    assert [(c.class_id, c.school) for c in by_school(classes)] == [("6a", "regenboog"), ("8", "regenboog"), ("7b", "zon")]


def test_status_prints_one_table_per_school(demo_folder: DataFolder) -> None:
    two_schools(demo_folder)
    result = klaspeil("status", "--data", demo_folder.root)
    assert result.returncode == 0, result.stderr
    tables: dict[str, list[str]] = {}
    title = None
    for line in result.stdout.splitlines():
        if heading := re.match(r"wave w1 \(meting 1\): school (\S+)", line):
            title = heading.group(1)
            tables[title] = []
        elif title and (cells := [c.strip() for c in line.split("│")[1:-1]]):
            tables[title].append(cells[0])
    assert tables == {"regenboog": ["6a", "8"], "zon": ["7b"]}


def test_status_of_a_study_without_schools_prints_one_table_per_wave(demo_folder: DataFolder) -> None:
    text = demo_folder.study_path.read_text(encoding="utf-8")
    text = text[: text.index("schools:")] + text[text.index("classes:") :]
    demo_folder.study_path.write_text(text.replace("    school: regenboog\n", ""), encoding="utf-8")
    result = klaspeil("status", "--data", demo_folder.root)
    assert result.returncode == 0, result.stderr
    assert "school" not in result.stdout
    assert re.search(r"^wave w1 \(meting 1\)\s*$", result.stdout, re.MULTILINE)
