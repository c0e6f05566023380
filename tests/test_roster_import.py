"""Class lists as schools export them become pseudonymous codes; names stay in the key file only."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

import pytest

from instruments import shipped
from storage import DataFolder, SessionMeta, instrument_fingerprint
from storage import codes, roster, study_edit
from storage.class_list import ClassListError, read_class_list
from storage.roster import import_class_list, load_key
from command import klaspeil

LISTS = Path(__file__).parent / "data" / "class_lists"
ELIETTE = ("Eliëtte", "van der Berg", "2015-03-12")
ZOE = ("Zoë", "Janssens", "2014-11-01")
NOEL = ("Noël", "de Wit", "2015-06-30")


@pytest.fixture
def demo_folder(demo_folder: DataFolder) -> DataFolder:
    """The demo study without the demo's made-up names: these tests put a school's names in."""
    roster.key_path(demo_folder).unlink()
    return demo_folder


@pytest.mark.parametrize(
    ("file", "expected"),
    [
        ("parnassys_utf8_bom.csv", [ELIETTE, ZOE, NOEL]),  # BOM, ";", roepnaam + tussenvoegsel, ";;;;;" line
        ("excel_cp1252.csv", [ELIETTE, ZOE, NOEL, ("Anaïs", "Çelik", "2015-02-14")]),  # Windows-1252, mixed dates
        ("english_comma_utf8.csv", [ELIETTE, ZOE, NOEL]),  # ",", English header, quoted commas, empty lines
        ("no_birth_date_underscores.csv", [("Mirthe", "Koster", None), ("Sem", "Yılmaz", None)]),
    ],
)
def test_every_export_variant_reads_as_the_same_names(file: str, expected: list[tuple]) -> None:
    pupils = read_class_list(LISTS / file)
    assert [(p.first_name, p.last_name, p.birth_date) for p in pupils] == expected


@pytest.mark.parametrize(
    ("written", "iso"),
    [("31-12-2015", "2015-12-31"), ("1/2/2016", "2016-02-01"), ("31.12.2015", "2015-12-31"),
     ("12-03-15", "2015-03-12"), ("2015-12-31 00:00:00", "2015-12-31"), ("", None)],
)
def test_birth_dates_as_schools_write_them(tmp_path: Path, written: str, iso: str | None) -> None:
    path = tmp_path / "list.csv"
    path.write_text(f"voornaam;achternaam;geboortedatum\nMirthe;Koster;{written}\n", encoding="utf-8")
    assert read_class_list(path)[0].birth_date == iso


def test_a_birth_date_in_the_future_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("voornaam;achternaam;geboortedatum\nMirthe;Koster;01-01-2999\n", encoding="utf-8")
    with pytest.raises(ClassListError, match=r"list.csv:2: birth date '01-01-2999' not understood"):
        read_class_list(path)


def test_the_cp1252_file_really_is_not_utf8() -> None:
    """Guards the fixture: were it saved as UTF-8, the fallback would go untested."""
    with pytest.raises(UnicodeDecodeError):
        (LISTS / "excel_cp1252.csv").read_bytes().decode("utf-8")
    assert (LISTS / "parnassys_utf8_bom.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_import_writes_quoted_valid_codes_keeps_comments_and_names_only_in_the_key_file(demo_folder: DataFolder) -> None:
    before = demo_folder.study_path.read_text(encoding="utf-8")
    done = klaspeil("roster", "import", "6a", LISTS / "parnassys_utf8_bom.csv", "--data", demo_folder.root)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "groep 6a: 3 pupils (3 added, 0 no longer on the list, 0 kept); 5 code(s) in study.yaml have no name"
    study = demo_folder.study()
    pupils = study.classes[0].pupils
    names = load_key(demo_folder)
    new = [code for code in pupils if code in names]
    assert len(new) == 3 and all(codes.is_valid(code) for code in new)
    assert [(n.first_name, n.last_name, n.birth_date) for n in map(names.get, new)] == [ELIETTE, ZOE, NOEL]
    text = demo_folder.study_path.read_text(encoding="utf-8")
    assert all(f'"{code}"' in text for code in new)  # quoted: 4E9373 must stay a string
    assert text.splitlines()[:2] == before.splitlines()[:2]  # the comments are kept
    assert study.classes[1].pupils == ["7V7NJA", "RLPPRK", "W4ENER", "XXMMUA", "G499Y7"]  # other class untouched
    assert stat.S_IMODE(os.stat(roster.key_path(demo_folder)).st_mode) == 0o600


def test_reimport_keeps_codes_and_reports_added_and_removed_pupils(demo_folder: DataFolder) -> None:
    first = import_class_list(demo_folder, "6a", LISTS / "parnassys_utf8_bom.csv")
    code_of = {(n.first_name, n.last_name): c for c, n in load_key(demo_folder).items()}
    # the same pupils from another school system: other encoding, separator, header and date format
    second = import_class_list(demo_folder, "6a", LISTS / "excel_cp1252.csv")
    assert sorted(second.kept) == sorted(first.added)
    assert len(second.added) == 1 and second.removed == []
    anais = second.added[0]
    assert load_key(demo_folder)[anais].first_name == "Anaïs"
    # Zoë left the class: reported, but her code stays (her sessions refer to it)
    shorter = demo_folder.root / "shorter.csv"
    shorter.write_text("voornaam;tussenvoegsel;achternaam;geboortedatum\nEliëtte;van der;Berg;12-03-2015\n"
                       "Noël;de;Wit;30-06-2015\nAnaïs;;Çelik;14-02-2015\n", encoding="utf-8")
    third = import_class_list(demo_folder, "6a", shorter)
    assert third.removed == [code_of[("Zoë", "Janssens")]]
    assert str(third).startswith("groep 6a: 3 pupils (0 added, 1 no longer on the list, 3 kept); pupils no longer")
    assert code_of[("Zoë", "Janssens")] in demo_folder.study().classes[0].pupils
    assert load_key(demo_folder)[code_of[("Zoë", "Janssens")]].first_name == "Zoë"
    assert {(n.first_name, n.last_name): c for c, n in load_key(demo_folder).items() if c != anais} == code_of


def test_new_codes_are_unique_across_the_study_and_the_key_file(demo_folder: DataFolder, monkeypatch: pytest.MonkeyPatch) -> None:
    import_class_list(demo_folder, "7b", LISTS / "no_birth_date_underscores.csv")
    taken_before = study_edit.all_codes(demo_folder.study()) | set(load_key(demo_folder))
    seen: list[set[str]] = []
    real_new_code = codes.new_code

    def spy(taken: set[str] = frozenset(), rng: object = None) -> str:
        seen.append(set(taken))
        return real_new_code(taken)

    monkeypatch.setattr(codes, "new_code", spy)
    report = import_class_list(demo_folder, "6a", LISTS / "excel_cp1252.csv")
    assert len(seen) == 4 and taken_before <= seen[0]
    assert not set(report.added) & taken_before


@pytest.mark.parametrize(
    ("file", "line", "words"),
    [
        ("duplicate.csv", 4, "twice (also on line 2)"),
        ("blank_first_name.csv", 4, "no first name"),
        ("missing_last_name_column.csv", 1, "no last name (achternaam) column"),
        ("binary_garbage.csv", 1, "not a text file"),
        ("bad_birth_date.csv", 3, "birth date 'morgen' not understood"),
    ],
)
def test_a_bad_list_names_file_and_line_and_imports_nothing(demo_folder: DataFolder, file: str, line: int, words: str) -> None:
    import_class_list(demo_folder, "6a", LISTS / "english_comma_utf8.csv")  # a key file to keep intact
    study_before = demo_folder.study_path.read_bytes()
    key_before = roster.key_path(demo_folder).read_bytes()
    done = klaspeil("roster", "import", "6a", LISTS / file, "--data", demo_folder.root)
    assert done.returncode == 1
    assert done.stderr.strip().startswith(f"klaspeil: {LISTS / file}:{line}: ")
    assert words in done.stderr
    assert demo_folder.study_path.read_bytes() == study_before
    assert roster.key_path(demo_folder).read_bytes() == key_before


def test_a_folder_in_use_is_refused(demo_folder: DataFolder) -> None:
    demo_folder.lock()
    try:
        done = klaspeil("roster", "import", "6a", LISTS / "parnassys_utf8_bom.csv", "--data", demo_folder.root)
    finally:
        demo_folder.unlock()
    assert done.returncode == 1 and "already in use" in done.stderr
    assert not roster.key_path(demo_folder).exists()


def test_a_list_without_pupils_and_a_missing_file_are_refused(demo_folder: DataFolder) -> None:
    with pytest.raises(ClassListError, match="no pupils on the list"):
        import_class_list(demo_folder, "6a", LISTS / "header_only.csv")
    with pytest.raises(ClassListError, match="cannot read"):
        import_class_list(demo_folder, "6a", LISTS / "no_such_list.csv")
    assert not roster.key_path(demo_folder).exists()


def test_same_name_without_birth_dates_says_how_to_tell_them_apart(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("voornaam,achternaam\nSem,Bakker\nsem,  bakker\n", encoding="utf-8")
    with pytest.raises(ClassListError, match=r"list.csv:3: sem bakker is on the list twice \(also on line 2\); a birth date"):
        read_class_list(path)


def test_a_class_without_a_pupils_list_gets_one(demo_folder: DataFolder) -> None:
    text = demo_folder.study_path.read_text(encoding="utf-8")
    demo_folder.study_path.write_text(text.replace("    pupils: [7V7NJA, RLPPRK, W4ENER, XXMMUA, G499Y7]\n", ""))
    report = import_class_list(demo_folder, "7b", LISTS / "english_comma_utf8.csv")
    assert demo_folder.study().classes[1].pupils == report.added and len(report.added) == 3


def test_an_unknown_class_lists_the_classes(demo_folder: DataFolder) -> None:
    done = klaspeil("roster", "import", "9z", LISTS / "duplicate.csv", "--data", demo_folder.root)
    assert done.returncode == 1
    assert "no class '9z'" in done.stderr and "(classes: 6a, 7b)" in done.stderr


def test_a_change_that_would_make_the_study_invalid_writes_nothing(
    demo_folder: DataFolder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If a new code clashed with the teacher's, the study check refuses before any file is replaced."""
    import_class_list(demo_folder, "7b", LISTS / "english_comma_utf8.csv")
    study_before = demo_folder.study_path.read_bytes()
    key_before = roster.key_path(demo_folder).read_bytes()
    monkeypatch.setattr(codes, "new_code", lambda taken=frozenset(), rng=None: "UTERYA")  # 6a's teacher
    with pytest.raises(study_edit.StudyEditError, match="would make the study invalid"):
        import_class_list(demo_folder, "6a", LISTS / "no_birth_date_underscores.csv")
    assert demo_folder.study_path.read_bytes() == study_before
    assert roster.key_path(demo_folder).read_bytes() == key_before
    assert sorted(p.name for p in demo_folder.root.iterdir() if p.name.startswith(".")) == []


def test_no_name_reaches_study_sessions_device_file_or_exports(demo_folder: DataFolder, tmp_path: Path) -> None:
    lists = [LISTS / "excel_cp1252.csv", LISTS / "no_birth_date_underscores.csv"]
    import_class_list(demo_folder, "6a", lists[0])
    import_class_list(demo_folder, "7b", lists[1])
    names = load_key(demo_folder)
    code = next(c for c, n in names.items() if n.first_name == "Anaïs")
    instrument = shipped()["pupil_motivation"]
    meta = SessionMeta(
        device_id=demo_folder.device_id, study="demo", wave="w1", class_id="6a", audience="pupil",
        respondent=code, item_order=[item.id for item in instrument.items], **instrument_fingerprint(instrument),
    )
    session = demo_folder.new_session(meta)
    for item in instrument.items:
        session.record(item.id, 4, shown_ms=1500)
    session.finish()
    out = tmp_path / "export"
    assert klaspeil("export", "--data", demo_folder.root, "--out", out).returncode == 0
    assert klaspeil("check", "--data", demo_folder.root).returncode == 0
    exported = [p for p in out.rglob("*") if p.is_file()]
    assert any(code in p.read_text(encoding="utf-8") for p in exported)  # the pupil is in the export, by code
    files = [p for p in demo_folder.root.rglob("*") if p.is_file() and p.name != roster.KEY_FILE] + exported
    # every first and every last name, as whole words ("Wit" may be in "Without", "de Wit" may not)
    wanted = {part for n in names.values() for part in (n.first_name, n.last_name)}
    assert len(wanted) == 12
    spellings = {name: {name, json.dumps(name)[1:-1]} for name in wanted}  # JSON's ensure_ascii: "Zo\\u00eb"
    for path in files:
        text = path.read_bytes().decode("utf-8", errors="replace")
        for name, forms in spellings.items():
            for form in forms:
                assert not re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text), f"{name} found in {path}"
