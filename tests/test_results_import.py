"""Test levels from the school's pupil monitoring system become roster_test_results sessions:
every export variant reads as the same levels, every bad row is named by line, and a file with
any problem stores nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from instruments import InvalidFile
from storage import DataFolder, StorageError, roster, study_edit
from storage.result_levels import MappingError, level_of, parse_mapping
from storage.test_results import ResultsReport, import_test_results
from storage.roster import import_class_list, load_key
from storage.session import read_session
from command import csv_rows, klaspeil

RESULTS = Path(__file__).parent / "data" / "results"
TEACHER = "UTERYA"  # the demo's teacher of class 6a
# the levels in cito_wide_bom.csv on klaspeil's scale (I = 5 ... V = 1; IV+ = 2, III- = 3)
CITO = {
    ("Zoë", "Janssens"): {"actual_level_reading": 5, "actual_level_maths": 2},
    ("Eliën", "de Vries"): {"actual_level_reading": 3, "actual_level_maths": 1},
    ("Noël", "van der Berg"): {"actual_level_reading": 4},  # maths not taken
    ("Sem", "Bakker"): {"actual_level_reading": 1, "actual_level_maths": 5},
}


@pytest.fixture
def folder(demo_folder: DataFolder) -> DataFolder:
    """The demo study with the class list of 6a imported and test results in wave w1."""
    roster.key_path(demo_folder).unlink()  # the demo's made-up names make way for the school's
    import_class_list(demo_folder, "6a", RESULTS / "class_6a.csv")
    study_edit.edit_wave(
        demo_folder, "w1", label="meting 1", start=None,
        instruments={"pupil": ["pupil_motivation"], "roster": ["roster_test_results"]},
    )
    return demo_folder


def code_of(folder: DataFolder, first: str, last: str) -> str:
    (code,) = [c for c, n in load_key(folder).items() if (n.first_name, n.last_name) == (first, last)]
    return code


def stored(folder: DataFolder) -> dict[tuple[str, str], dict[str, int | None]]:
    """The current levels per pupil (by name, from the key file) in the data folder's sessions."""
    names = {code: (n.first_name, n.last_name) for code, n in load_key(folder).items()}
    levels = {}
    for path in folder.session_paths():
        record = read_session(path)
        assert record.meta.instrument == "roster_test_results"
        levels[names[record.meta.target]] = {item: value for item, value in record.answers().items() if value is not None}
    return levels


def files(folder: DataFolder) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in folder.session_paths()}


def run_import(folder: DataFolder, file: str | Path, *more: str):
    """As a user runs it: the command line."""
    return klaspeil("results", "import", "6a", RESULTS / file, "--wave", "w1", "--data", folder.root, *more)


def imported(folder: DataFolder, file: str | Path, mapping: dict[str, int] | None = None, class_id: str = "6a") -> ResultsReport:
    """In the test's own process: the same import without starting klaspeil (tests stay fast)."""
    return import_test_results(folder, class_id, "w1", RESULTS / file, mapping)


def problems(folder: DataFolder, file: str | Path, class_id: str = "6a") -> list[str]:
    with pytest.raises(InvalidFile) as refused:
        imported(folder, file, class_id=class_id)
    return [str(problem) for problem in refused.value.problems]


# -- levels -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("written", "level"),
    [("I", 5), ("II", 4), ("III", 3), ("IV", 2), ("V", 1), ("iv", 2), ("IV+", 2), ("III-", 3), ("I+", 5),
     ("V -", 1), (" II ", 4), ("1", 1), ("3", 3), ("5", 5)],
)
def test_cito_levels_and_digits_on_klaspeils_scale(written: str, level: int) -> None:
    assert level_of(written) == level


@pytest.mark.parametrize(("written", "words"), [
    ("VI", "not understood"), ("0", "not understood"), ("6", "not understood"), ("3,5", "not understood"),
    ("B", "A-E levels are not fifths"), ("c+", "A-E levels are not fifths"),
])
def test_levels_outside_the_scale_and_letters_are_refused(written: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        level_of(written)


def test_a_mapping_converts_letters_and_may_turn_digits_around() -> None:
    letters = parse_mapping("A=5, b=4,C=3,D=2,E=1")
    assert [level_of(x, letters) for x in ("A", "B", "c", "D+", "E")] == [5, 4, 3, 2, 1]
    assert level_of("II", letters) == 4  # Cito levels still read as ever
    assert level_of("1", parse_mapping("1=5,2=4,3=3,4=2,5=1")) == 5


@pytest.mark.parametrize(("spec", "words"), [
    ("A5", "'A5' is not LABEL=LEVEL"), ("A=6", "must be 1 to 5"), ("A=5,a=4", "'A' is given twice"), (",", "no LABEL=LEVEL"),
])
def test_a_bad_mapping_is_refused(spec: str, words: str) -> None:
    with pytest.raises(MappingError, match=words):
        parse_mapping(spec)


# -- files as schools export them -------------------------------------------------------
def test_the_fixtures_really_are_bom_and_windows_1252() -> None:
    """Guards the fixtures: saved otherwise, the decoding paths would go untested."""
    assert (RESULTS / "cito_wide_bom.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    with pytest.raises(UnicodeDecodeError):
        (RESULTS / "parnassys_long_cp1252.csv").read_bytes().decode("utf-8")


def test_cito_export_is_stored_as_roster_sessions_of_the_class_teacher(folder: DataFolder) -> None:
    done = run_import(folder, "cito_wide_bom.csv")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        "groep 6a, wave w1: levels of 4 pupils (7 new, 0 changed, 0 unchanged, 1 not taken); "
        "7 pupil(s) of the class not in the file"
    )
    assert stored(folder) == CITO
    for path in folder.session_paths():
        record = read_session(path)
        meta = record.meta
        assert (meta.audience, meta.respondent, meta.class_id, meta.wave) == ("roster", TEACHER, "6a", "w1")
        assert record.finished  # a test not taken leaves the pupil done
        text = path.read_text(encoding="utf-8")
        assert not any(name in text for name in ("Zoë", "Janssens", "Eliën", "Vries", "Bakker"))  # names stay in the key file


def test_parnassys_long_export_in_windows_1252_reads_as_the_same_levels(folder: DataFolder) -> None:
    report = str(imported(folder, "parnassys_long_cp1252.csv"))
    assert "levels of 4 pupils (7 new, 0 changed, 0 unchanged, 0 not taken)" in report
    assert "skipped rows of other subjects: Spelling (1), Technisch lezen (1)" in report
    assert stored(folder) == CITO


def test_letters_are_refused_without_a_mapping_and_stored_with_one(folder: DataFolder) -> None:
    refused = run_import(folder, "letters_a_to_e.csv")
    assert refused.returncode == 1
    lines = refused.stderr.strip().splitlines()
    assert [line.split(": ")[0] for line in lines] == [f"{RESULTS / 'letters_a_to_e.csv'}:{n}" for n in (2, 3, 4)]
    assert all("A-E levels are not fifths" in line and '--mapping "A=5,B=4,C=3,D=2,E=1"' in line for line in lines)
    assert files(folder) == {}
    imported(folder, "letters_a_to_e.csv", parse_mapping("A=5,B=4,C=3,D=2,E=1"))
    assert stored(folder) == {
        ("Zoë", "Janssens"): {"actual_level_reading": 5, "actual_level_maths": 3},
        ("Eliën", "de Vries"): {"actual_level_reading": 4, "actual_level_maths": 1},
        ("Sem", "Bakker"): {"actual_level_reading": 2},
    }


def test_a_bad_mapping_is_one_line_and_exit_1(folder: DataFolder) -> None:
    done = run_import(folder, "letters_a_to_e.csv", "--mapping", "A=7")
    assert done.returncode == 1
    assert done.stderr.strip() == "klaspeil: --mapping: 'A=7': the level must be 1 to 5 (5 = highest 20%)"


def test_a_bad_row_in_the_middle_stores_nothing_and_every_problem_is_named(folder: DataFolder) -> None:
    imported(folder, "cito_wide_bom.csv")
    before = files(folder)
    done = run_import(folder, "bad_row_middle.csv")
    assert done.returncode == 1
    where = RESULTS / "bad_row_middle.csv"
    assert done.stderr.strip().splitlines() == [  # line numbers count the blank line
        f"{where}:5: no pupil 'Mila Smit' in class 6a (names from the roster key file)",
        f"{where}:6: begrijpend lezen: level 'VI' not understood (expected I-V, 1-5; empty = test not taken)",
    ]
    assert files(folder) == before  # not one answer added, not one session made


def test_the_same_pupil_and_subject_twice_with_different_levels_is_refused(folder: DataFolder) -> None:
    # Zoë's reading twice with the same level (lines 2 and 3) is harmless and not reported
    assert problems(folder, "duplicate_rows.csv") == [
        f"{RESULTS / 'duplicate_rows.csv'}:6: rekenen of Sem Bakker twice: 'IV' here, 'II' on line 4 (one test moment per file)"
    ]
    assert files(folder) == {}


def test_an_ambiguous_name_is_reported_and_codes_tell_the_pupils_apart(folder: DataFolder, tmp_path: Path) -> None:
    assert problems(folder, "ambiguous_name.csv") == [
        f"{RESULTS / 'ambiguous_name.csv'}:2: 'Daan Visser' is the name of 2 pupils of class 6a; "
        "add a 'code' column with their klaspeil codes"
    ]
    assert files(folder) == {}
    daans = [c for c, n in load_key(folder).items() if n.first_name == "Daan"]
    by_code = tmp_path / "by_code.csv"
    # codes as a teacher may type them: lower case, with a dash
    by_code.write_text(f"Code,Naam,Rekenen\n{daans[0].lower()},Daan Visser,II\n{daans[1][:3]}-{daans[1][3:]},Daan Visser,IV\n")
    imported(folder, by_code)
    levels = {read_session(p).meta.target: read_session(p).answers() for p in folder.session_paths()}
    assert levels == {daans[0]: {"actual_level_maths": 4}, daans[1]: {"actual_level_maths": 2}}


def test_unknown_codes_and_rows_without_a_pupil_are_named(folder: DataFolder, tmp_path: Path) -> None:
    path = tmp_path / "codes.csv"
    path.write_text("code;voornaam;achternaam;rekenen\nFNWW4X;;;II\n;;;III\n")
    assert problems(folder, path) == [
        f"{path}:2: unknown pupil code 'FNWW4X' (not a pupil of class 6a)",
        f"{path}:3: no pupil code or name",
    ]


@pytest.mark.parametrize(("header", "words"), [
    ("Leerlingnummer;Begrijpend lezen", "no column that names the pupil"),
    ("Naam;Spelling;Technisch lezen", "no test-result columns"),
    ("Naam;Rekenen;Rekenen-Wiskunde niveau", "two columns for rekenen"),
])
def test_a_header_without_what_is_needed_is_refused_on_line_1(folder: DataFolder, tmp_path: Path, header: str, words: str) -> None:
    path = tmp_path / "header.csv"
    path.write_text(f"{header}\nZoë Janssens;I;I\n", encoding="utf-8")
    with pytest.raises(StorageError, match=rf"^{re.escape(str(path))}:1: {words}"):
        imported(folder, path)


@pytest.mark.parametrize(("text", "words"), [
    ("Naam;Rekenen\n;;\n", "no levels of begrijpend lezen or rekenen in the file (only a header row)"),
    ("Naam;Vak;Niveau\nZoë Janssens;Spelling;II\n", "no levels of begrijpend lezen or rekenen in the file (only other subjects: Spelling)"),
    ("", "the file is empty"),
])
def test_a_file_without_levels_is_refused(folder: DataFolder, tmp_path: Path, text: str, words: str) -> None:
    path = tmp_path / "empty.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(StorageError, match=rf"^{re.escape(str(path))}: {re.escape(words)}"):
        imported(folder, path)
    assert files(folder) == {}


# -- re-import --------------------------------------------------------------------------
def test_reimport_adds_nothing_and_a_changed_level_is_a_new_record_in_the_audit_trail(folder: DataFolder, tmp_path: Path) -> None:
    imported(folder, "cito_wide_bom.csv")
    before = files(folder)
    assert "(0 new, 0 changed, 7 unchanged, 1 not taken)" in str(imported(folder, "cito_wide_bom.csv"))
    assert files(folder) == before
    # the school corrects Zoë's maths (IV+ -> III) and Noël took the maths test after all;
    # Sem's row now has empty cells: an empty cell never removes a stored level
    text = (RESULTS / "cito_wide_bom.csv").read_text(encoding="utf-8-sig")
    text = text.replace("Janssens, Zoë;6a;I;IV+", "Janssens, Zoë;6a;I;III").replace("van der;6a;II;;", "van der;6a;II;II;")
    text = text.replace("Bakker, Sem;6a;V;I;IV", "Bakker, Sem;6a;;;IV")
    corrected = tmp_path / "corrected.csv"
    corrected.write_text(text, encoding="utf-8-sig")
    assert "(1 new, 1 changed, 4 unchanged, 2 not taken)" in str(imported(folder, corrected))
    expected = {**CITO, ("Zoë", "Janssens"): {"actual_level_reading": 5, "actual_level_maths": 3},
                ("Noël", "van der Berg"): {"actual_level_reading": 4, "actual_level_maths": 4}}
    assert stored(folder) == expected
    zoe = code_of(folder, "Zoë", "Janssens")
    (history,) = [read_session(p).history for p in folder.session_paths() if read_session(p).meta.target == zoe]
    assert [(a.item, a.value) for a in history if a.item == "actual_level_maths"] == [("actual_level_maths", 2), ("actual_level_maths", 3)]


# -- the study ----------------------------------------------------------------------------
def test_a_wave_that_does_not_collect_test_results_and_an_unknown_wave_are_refused(demo_folder: DataFolder) -> None:
    done = run_import(demo_folder, "cito_wide_bom.csv")
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"klaspeil: {demo_folder.study_path}: wave w1 does not collect test results; add roster_test_results to its roster instruments"
    )
    with pytest.raises(StorageError, match=r"no wave 'w9' in the study \(waves: w1\)"):
        import_test_results(demo_folder, "6a", "w9", RESULTS / "cito_wide_bom.csv")
    assert files(demo_folder) == {}


def test_a_class_without_a_teacher_code_is_refused(folder: DataFolder) -> None:
    text = folder.study_path.read_text(encoding="utf-8")
    folder.study_path.write_text(text.replace(f"    teacher: {TEACHER}\n", ""), encoding="utf-8")
    with pytest.raises(StorageError, match="class 6a has no teacher code; the results are stored under it"):
        imported(folder, "cito_wide_bom.csv")
    assert files(folder) == {}


def test_names_need_the_class_list_first(folder: DataFolder) -> None:
    (first, *_) = problems(folder, "cito_wide_bom.csv", class_id="7b")
    assert "no pupil 'Janssens, Zoë' in class 7b (the roster key file has no names for this class" in first


# -- export -------------------------------------------------------------------------------
def test_export_shows_each_pupils_actual_levels(folder: DataFolder, tmp_path: Path) -> None:
    imported(folder, "parnassys_long_cp1252.csv")
    done = klaspeil("export", "--data", folder.root, "--out", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    rows = [r for r in csv_rows(tmp_path / "out" / "items_long.csv") if r["instrument"] == "roster_test_results"]
    names = {code: (n.first_name, n.last_name) for code, n in load_key(folder).items()}
    exported: dict[tuple[str, str], dict[str, int]] = {}
    for row in rows:
        assert (row["audience"], row["respondent"], row["wave"]) == ("roster", TEACHER, "w1")
        exported.setdefault(names[row["target"]], {})[row["item"]] = int(row["value"])
    assert exported == CITO
