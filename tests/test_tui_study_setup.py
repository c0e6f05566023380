"""Setting up a study in the researcher app: from an empty folder to a study with classes and
a wave, a class list import, and forms that refuse what would make study.yaml invalid.
Snapshots at 80x24 with teacher codes fixed (new_code patched), relative paths."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, SelectionList, Static

from storage import DataFolder, codes, study_edit
from storage.pin import set_pin
from storage.roster import load_key
from storage.study import School, SchoolClass, Wave, load_study
from tui.researcher import ResearcherApp
from tui.researcher.class_form import ClassForm
from tui.researcher.dashboard import DashboardScreen
from tui.researcher.import_screen import ImportScreen
from tui.researcher.study_screen import NewStudyForm, StudyScreen
from tui.researcher.wave_form import WaveForm
from pilot import pilot_test, settle

PIN = "482915"
SnapCompare = Callable[..., bool]


@pytest.fixture
def teacher_codes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """new_code hands out valid codes from a fixed list, so screens and snapshots are repeatable."""
    payloads = ("".join(chars) for chars in itertools.product("KLAP", repeat=codes.PAYLOAD))
    fixed = [payload + codes.check_character(payload) for payload in itertools.islice(payloads, 50)]
    handed = iter(fixed)
    monkeypatch.setattr(codes, "new_code", lambda taken=frozenset(), rng=None: next(c for c in handed if c not in taken))
    return fixed


@pytest.fixture
def empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DataFolder:
    """An existing data folder without a study, with the PIN set, named by a relative path."""
    monkeypatch.chdir(tmp_path)
    folder = DataFolder(Path("data"))
    folder.ensure()
    set_pin(folder, PIN)
    return folder


async def fill(pilot: Pilot, selector: str, text: str) -> None:
    pilot.app.screen.query_one(selector, Input).focus()
    await pilot.press(*text)


async def add_class(pilot: Pilot, class_id: str, name: str, term: str) -> None:
    assert isinstance(pilot.app.screen, ClassForm)
    await fill(pilot, "#class-id", class_id)
    await fill(pilot, "#class-name", name)
    pilot.app.screen.query_one("#class-term", Select).value = term
    await pilot.click("#save")
    await settle(pilot)


async def add_wave(pilot: Pilot, wave_id: str, label: str, instrument: str) -> None:
    assert isinstance(pilot.app.screen, WaveForm)
    await fill(pilot, "#wave-id", wave_id)
    await fill(pilot, "#wave-label", label)
    options = pilot.app.screen.query_one("#wave-instruments", SelectionList)
    options.focus()
    index = next(i for i in range(options.option_count) if options.get_option_at_index(i).value == instrument)
    await pilot.press(*["down"] * index, "space")
    await pilot.click("#save")
    await settle(pilot)


async def create_study(pilot: Pilot) -> None:
    """PIN, then the from-scratch forms: study, first class 6a (juf), first wave w1."""
    await settle(pilot)
    await pilot.press(*PIN, "enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, NewStudyForm)
    await fill(pilot, "#study-id", "motivatie2026")
    await fill(pilot, "#study-name", "Motivatie in groep 6 en 7")
    await pilot.press("enter")
    await settle(pilot)
    await add_class(pilot, "6a", "Groep 6a", "juf")
    await add_wave(pilot, "w1", "najaar", "pupil_motivation")


def message(app: ResearcherApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


@pilot_test
async def test_a_study_from_scratch_with_two_classes_and_a_wave(empty: DataFolder, teacher_codes: list[str]) -> None:
    app = ResearcherApp(empty, None)
    async with app.run_test(size=(80, 24)) as pilot:
        await create_study(pilot)
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, StudyScreen)
        await pilot.press("a")
        await settle(pilot)
        await add_class(pilot, "7b", "Groep 7b", "meester")
        assert message(app, "#study-message") == "Klas 7b toegevoegd."
        shown = app.screen.query_one("#study-classes", DataTable)
        assert [str(shown.get_row_at(i)[0]) for i in range(shown.row_count)] == ["6a", "7b"]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert [str(row[0]) for row in map(app.screen.query_one("#classes", DataTable).get_row_at, range(2))] == ["6a", "7b"]
    study = load_study(empty.study_path, set(empty.instruments()))
    assert (study.id, study.title) == ("motivatie2026", "Motivatie in groep 6 en 7")
    assert [(c.id, c.name, c.teacher_term, c.teacher, c.pupils) for c in study.classes] == [
        ("6a", "Groep 6a", "juf", teacher_codes[0], []),
        ("7b", "Groep 7b", "meester", teacher_codes[1], []),
    ]
    assert [(w.id, w.label, w.instruments) for w in study.waves] == [("w1", "najaar", {"pupil": ["pupil_motivation"]})]


@pilot_test
async def test_cancelling_the_new_study_writes_nothing(empty: DataFolder, teacher_codes: list[str]) -> None:
    app = ResearcherApp(empty, None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*PIN, "enter")
        await settle(pilot)
        await fill(pilot, "#study-id", "s1")
        await pilot.press("enter")
        await settle(pilot)
        await add_class(pilot, "6a", "Groep 6a", "juf")
        await pilot.press("escape")  # no wave after all
        await settle(pilot)
    assert not empty.study_path.exists()


async def open_study_screen(pilot: Pilot) -> None:
    await create_study(pilot)
    await pilot.press("s")
    await settle(pilot)


@pilot_test
async def test_a_duplicate_class_id_is_shown_in_the_form_and_nothing_is_written(
    empty: DataFolder, teacher_codes: list[str]
) -> None:
    app = ResearcherApp(empty, None)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_study_screen(pilot)
        before = empty.study_path.read_bytes()
        await pilot.press("a")
        await settle(pilot)
        await add_class(pilot, "6a", "nog een 6a", "meester")
        assert isinstance(app.screen, ClassForm), "the form stays open"
        assert message(app, ".form-message") == "De studie heeft al een klas '6a'."
        field = app.screen.query_one("#class-id", Input)
        field.value = "6 a"
        field.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ClassForm)
        assert message(app, ".form-message") == "id: alleen letters, cijfers, - en _, te beginnen met een letter of cijfer"
    assert empty.study_path.read_bytes() == before


@pilot_test
async def test_a_class_list_import_puts_names_in_the_key_file_and_codes_in_the_study(
    empty: DataFolder, teacher_codes: list[str], tmp_path: Path
) -> None:
    (tmp_path / "groep6a.csv").write_text("voornaam;achternaam\nMirthe;Koster\nSem;Bakker\n", encoding="utf-8")
    app = ResearcherApp(empty, None)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_study_screen(pilot)
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, ImportScreen)
        await fill(pilot, "#import-path", "nowhere.csv")
        await pilot.press("enter")
        assert "nowhere.csv" in message(app, "#import-report")  # the one-line error, the screen stays
        app.screen.query_one("#import-path", Input).value = "groep6a.csv"
        await pilot.press("enter")
        assert message(app, "#import-report").startswith("Groep 6a: 2 pupils (2 added")
        await pilot.press("escape")
        await settle(pilot)
        classes = app.screen.query_one("#study-classes", DataTable)
        assert str(classes.get_row_at(0)[5]) == "2"  # the pupils column
    pupils = empty.study().classes[0].pupils
    names = load_key(empty)
    assert sorted((names[code].first_name, names[code].last_name) for code in pupils) == [("Mirthe", "Koster"), ("Sem", "Bakker")]
    assert "Mirthe" not in empty.study_path.read_text(encoding="utf-8")


# -- editing and removing: the demo study (school regenboog, classes 6a and 7b with pupils) ----
@pytest.fixture
def demo(demo_folder: DataFolder, monkeypatch: pytest.MonkeyPatch) -> DataFolder:
    """The demo study with the PIN set, named by a relative path."""
    monkeypatch.chdir(demo_folder.root.parent)
    folder = DataFolder(Path(demo_folder.root.name))
    set_pin(folder, PIN)
    return folder


async def study_screen_of(pilot: Pilot, tab: str = "2") -> StudyScreen:
    """PIN, dashboard, study screen, the tab pressed (1 schools, 2 classes, 3 teams, 4 waves)."""
    await settle(pilot)
    await pilot.press(*PIN, "enter")
    await settle(pilot)
    await pilot.press("s")
    await settle(pilot)
    await pilot.press(tab)
    await settle(pilot)
    assert isinstance(pilot.app.screen, StudyScreen)
    return pilot.app.screen


async def on_row(pilot: Pilot, table: str, key: str) -> None:
    shown = pilot.app.screen.query_one(table, DataTable)
    shown.move_cursor(row=shown.get_row_index(key))
    await settle(pilot)


def rows(app: ResearcherApp, table: str) -> list[str]:
    shown = app.screen.query_one(table, DataTable)
    return [str(shown.get_row_at(i)[0]) for i in range(shown.row_count)]


def store_pupil_session(folder: DataFolder, pupil: str, class_id: str) -> None:
    from instruments import shipped
    from storage import SessionMeta, instrument_fingerprint

    instrument = shipped()["pupil_motivation"]
    meta = SessionMeta(
        device_id="test", study="demo", wave="w1", class_id=class_id, audience="pupil", respondent=pupil,
        item_order=[item.id for item in instrument.items], **instrument_fingerprint(instrument),
    )
    folder.new_session(meta)


@pilot_test
async def test_editing_a_class_changes_its_name_and_teacher_term(demo: DataFolder) -> None:
    before = demo.study().classes[1]
    app = ResearcherApp(demo, demo.study())
    async with app.run_test(size=(80, 24)) as pilot:
        await study_screen_of(pilot)
        await on_row(pilot, "#study-classes", "7b")
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ClassForm)
        assert form.query_one("#class-id", Input).disabled, "the id stays: the key file is filed under it"
        assert form.query_one("#class-name", Input).value == "groep 7b"
        form.query_one("#class-name", Input).value = ""
        await fill(pilot, "#class-name", "Groep 7B (meester Ali)")
        form.query_one("#class-term", Select).value = "juf/meester"
        await pilot.click("#save")
        await settle(pilot)
        assert message(app, "#study-message") == "Klas 7b gewijzigd."
        shown = app.screen.query_one("#study-classes", DataTable)
        assert [str(cell) for cell in shown.get_row("7b")][:4] == ["7b", "Groep 7B (meester Ali)", "regenboog", "juf/meester"]
    after = demo.study().classes[1]
    assert (after.name, after.teacher_term) == ("Groep 7B (meester Ali)", "juf/meester")
    assert (after.id, after.school, after.teacher, after.pupils) == (before.id, before.school, before.teacher, before.pupils)
    assert demo.study_path.read_text(encoding="utf-8").startswith("# The demo study"), "the comment stays"


@pilot_test
async def test_an_empty_class_is_removed_at_once(empty: DataFolder, teacher_codes: list[str]) -> None:
    app = ResearcherApp(empty, None)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_study_screen(pilot)
        await pilot.press("a")
        await settle(pilot)
        await add_class(pilot, "7b", "Groep 7b", "meester")
        await on_row(pilot, "#study-classes", "7b")
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, StudyScreen), "no question: nothing is lost"
        assert message(app, "#study-message") == "Klas 7b verwijderd."
        assert rows(app, "#study-classes") == ["6a"]
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, StudyScreen)
        assert message(app, "#study-message") == "6a is de enige klas: een studie heeft er minstens één nodig."
    assert [c.id for c in empty.study().classes] == ["6a"]


@pilot_test
async def test_a_class_with_pupils_is_removed_only_after_a_yes(demo: DataFolder) -> None:
    from tui.researcher.form import ConfirmForm

    app = ResearcherApp(demo, demo.study())
    async with app.run_test(size=(80, 24)) as pilot:
        await study_screen_of(pilot)
        await on_row(pilot, "#study-classes", "7b")
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmForm)
        assert "5 leerling(en)" in message(app, ".form-help")
        await pilot.press("escape")  # no
        await settle(pilot)
        assert rows(app, "#study-classes") == ["6a", "7b"]
        await pilot.press("x")
        await settle(pilot)
        await pilot.click("#save")  # "Verwijderen"
        await settle(pilot)
        assert rows(app, "#study-classes") == ["6a"]
    assert [c.id for c in demo.study().classes] == ["6a"]


@pilot_test
async def test_a_class_with_stored_sessions_is_not_removed_and_the_screen_says_why(demo: DataFolder) -> None:
    store_pupil_session(demo, demo.study().classes[0].pupils[1], "6a")
    before = demo.study_path.read_bytes()
    app = ResearcherApp(demo, demo.study())
    async with app.run_test(size=(80, 24)) as pilot:
        await study_screen_of(pilot)
        await on_row(pilot, "#study-classes", "6a")
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, StudyScreen), "no question: the answer is no"
        assert message(app, "#study-message").startswith("Klas 6a heeft 1 opgeslagen sessie(s) en blijft")
        assert rows(app, "#study-classes") == ["6a", "7b"]
    assert demo.study_path.read_bytes() == before


@pilot_test
async def test_a_wave_with_stored_sessions_is_not_removed(demo: DataFolder) -> None:
    from storage.study import Wave

    study_edit.add_wave(demo, Wave(id="w2", instruments={"pupil": ["pupil_motivation"]}))
    store_pupil_session(demo, demo.study().classes[0].pupils[0], "6a")
    app = ResearcherApp(demo, demo.study())
    async with app.run_test(size=(80, 24)) as pilot:
        await study_screen_of(pilot, "4")
        await on_row(pilot, "#study-waves", "w1")
        await pilot.press("x")
        await settle(pilot)
        assert message(app, "#study-message").startswith("Meting w1 heeft 1 opgeslagen sessie(s) en blijft")
    assert [w.id for w in demo.study().waves] == ["w1", "w2"]


@pilot_test
async def test_adding_a_team_with_a_class_teacher_and_two_new_codes(demo: DataFolder, teacher_codes: list[str]) -> None:
    from tui.researcher.team_form import TeamForm

    teacher_6a = demo.study().classes[0].teacher
    app = ResearcherApp(demo, demo.study())
    async with app.run_test(size=(80, 24)) as pilot:
        await study_screen_of(pilot, "3")
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, TeamForm)
        await fill(pilot, "#team-id", "regenboog-team")
        await fill(pilot, "#team-name", "team De Regenboog")
        app.screen.query_one("#team-school", Select).value = "regenboog"
        await fill(pilot, "#team-new", "2")
        app.screen.query_one("#team-teachers", SelectionList).focus()
        await pilot.press("space")  # the first teacher: 6a's
        await pilot.click("#save")
        await settle(pilot)
        assert message(app, "#study-message") == "Team regenboog-team toegevoegd."
        assert rows(app, "#study-teams") == ["regenboog-team"]
    (team,) = demo.study().teams
    assert (team.id, team.name, team.school) == ("regenboog-team", "team De Regenboog", "regenboog")
    assert team.members == [teacher_6a, teacher_codes[0], teacher_codes[1]]


@pilot_test
async def test_adding_a_school_and_putting_a_class_in_it(demo: DataFolder) -> None:
    from tui.researcher.school_form import SchoolForm

    app = ResearcherApp(demo, demo.study())
    async with app.run_test(size=(80, 24)) as pilot:
        await study_screen_of(pilot, "1")
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, SchoolForm)
        await fill(pilot, "#school-id", "zon")
        await fill(pilot, "#school-name", "OBS De Zon")
        await fill(pilot, "#school-place", "Ede")
        await pilot.press("enter")
        await settle(pilot)
        assert message(app, "#study-message") == "School zon toegevoegd."
        assert rows(app, "#study-schools") == ["regenboog", "zon"]
        await pilot.press("2")
        await on_row(pilot, "#study-classes", "7b")
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#class-school", Select).value = "zon"
        await pilot.click("#save")
        await settle(pilot)
        assert str(app.screen.query_one("#study-classes", DataTable).get_row("7b")[2]) == "zon"
        await pilot.press("1")
        await settle(pilot)
        schools = app.screen.query_one("#study-schools", DataTable)
        assert [str(cell) for cell in schools.get_row("zon")] == ["zon", "OBS De Zon", "Ede", "1", "0"]
        await pilot.press("escape")  # the dashboard shows the school of each class
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        shown = app.screen.query_one("#classes", DataTable)
        assert [(str(r[0]), str(r[1])) for r in map(shown.get_row_at, range(shown.row_count))] == [
            ("regenboog", "6a"), ("zon", "7b")
        ]
    study = demo.study()
    assert [(s.id, s.name, s.place) for s in study.schools][1] == ("zon", "OBS De Zon", "Ede")
    assert study.classes[1].school == "zon"


@pilot_test
async def test_editing_a_wave_keeps_the_order_of_its_instruments_and_adds_new_ones_after(demo: DataFolder) -> None:
    from storage.study import Wave

    two = {"pupil": ["pupil_need_support", "pupil_motivation"]}
    study_edit.add_wave(demo, Wave(id="w2", label="voorjaar", instruments=two))
    app = ResearcherApp(demo, demo.study())
    async with app.run_test(size=(80, 24)) as pilot:
        await study_screen_of(pilot, "4")
        await on_row(pilot, "#study-waves", "w2")
        await pilot.press("enter")  # Enter edits the highlighted row
        await settle(pilot)
        form = app.screen
        assert isinstance(form, WaveForm)
        options = form.query_one("#wave-instruments", SelectionList)
        assert sorted(options.selected) == ["pupil_motivation", "pupil_need_support"]
        form.query_one("#wave-label", Input).value = "meting 2, voorjaar"
        options.select("pupil_diversity")
        await pilot.click("#save")
        await settle(pilot)
        assert message(app, "#study-message") == "Meting w2 gewijzigd."
    wave = demo.study().wave("w2")
    assert wave.label == "meting 2, voorjaar"
    assert wave.instruments == {"pupil": ["pupil_need_support", "pupil_motivation", "pupil_diversity"]}


@pilot_test
async def test_a_team_member_who_answered_stays_in_the_team(demo: DataFolder, teacher_codes: list[str]) -> None:
    from instruments import shipped
    from storage import SessionMeta, instrument_fingerprint
    from storage.study import Team
    from tui.researcher.team_form import TeamForm

    teacher_6a = demo.study().classes[0].teacher
    study_edit.add_team(demo, Team(id="t1", name="team", members=[teacher_6a]))
    instrument = shipped()["team_collective_efficacy"]
    demo.new_session(SessionMeta(
        device_id="test", study="demo", wave="w1", class_id="t1", audience="team", respondent=teacher_6a,
        item_order=[item.id for item in instrument.items], **instrument_fingerprint(instrument),
    ))
    before = demo.study_path.read_bytes()
    app = ResearcherApp(demo, demo.study())
    async with app.run_test(size=(80, 24)) as pilot:
        await study_screen_of(pilot, "3")
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, TeamForm)
        teachers = app.screen.query_one("#team-teachers", SelectionList)
        assert teachers.selected == [teacher_6a]
        teachers.deselect(teacher_6a)
        await pilot.click("#save")
        await settle(pilot)
        assert f"member {teacher_6a} has 1 stored session" in message(app, "#study-message")
        await pilot.press("x")
        await settle(pilot)
        assert message(app, "#study-message").startswith("Team t1 heeft 1 opgeslagen sessie(s) en blijft")
    assert demo.study_path.read_bytes() == before


@pilot_test
async def test_a_school_with_classes_is_not_removed(demo: DataFolder) -> None:
    before = demo.study_path.read_bytes()
    app = ResearcherApp(demo, demo.study())
    async with app.run_test(size=(80, 24)) as pilot:
        await study_screen_of(pilot, "1")
        await pilot.press("x")
        await settle(pilot)
        assert "still has class 6a, class 7b" in message(app, "#study-message")
    assert demo.study_path.read_bytes() == before


# -- snapshots ---------------------------------------------------------------------------
def test_study_screen(empty: DataFolder, teacher_codes: list[str], snap_compare: SnapCompare) -> None:
    async def second_class(pilot: Pilot) -> None:
        await open_study_screen(pilot)
        await pilot.press("a")
        await settle(pilot)
        await add_class(pilot, "7b", "Groep 7b", "meester")

    assert snap_compare(ResearcherApp(empty, None), terminal_size=(80, 24), run_before=second_class)


def test_study_screen_with_schools(demo: DataFolder, snap_compare: SnapCompare) -> None:
    """The classes tab of the demo study, one class moved to a second school."""
    study_edit.add_school(demo, School(id="zon", name="OBS De Zon", place="Ede"))
    study_edit.edit_class(demo, "7b", name="groep 7b", teacher_term="meester", school="zon")

    async def classes_tab(pilot: Pilot) -> None:
        await study_screen_of(pilot)

    assert snap_compare(ResearcherApp(demo, demo.study()), terminal_size=(80, 24), run_before=classes_tab)


def test_class_form_editing_a_class_of_a_school(demo: DataFolder, snap_compare: SnapCompare) -> None:
    async def editing_7b(pilot: Pilot) -> None:
        await study_screen_of(pilot)
        await on_row(pilot, "#study-classes", "7b")
        await pilot.press("e")
        await settle(pilot)

    assert snap_compare(ResearcherApp(demo, demo.study()), terminal_size=(80, 24), run_before=editing_7b)


def test_team_form(demo: DataFolder, teacher_codes: list[str], snap_compare: SnapCompare) -> None:
    async def team_form(pilot: Pilot) -> None:
        await study_screen_of(pilot, "3")
        await pilot.press("a")
        await settle(pilot)
        await fill(pilot, "#team-id", "regenboog-team")
        pilot.app.screen.query_one("#team-teachers", SelectionList).focus()
        await pilot.press("space")  # 6a's teacher ticked: ✓, 7b's not
        await settle(pilot)

    assert snap_compare(ResearcherApp(demo, demo.study()), terminal_size=(80, 24), run_before=team_form)


def test_class_form(empty: DataFolder, teacher_codes: list[str], snap_compare: SnapCompare) -> None:
    async def half_filled(pilot: Pilot) -> None:
        await open_study_screen(pilot)
        await pilot.press("a")
        await settle(pilot)
        await fill(pilot, "#class-id", "6a")
        await settle(pilot)

    assert snap_compare(ResearcherApp(empty, None), terminal_size=(80, 24), run_before=half_filled)


# -- the edits behind the screens ------------------------------------------------------------
def test_adding_a_class_and_a_wave_keeps_the_researchers_comments(tmp_path: Path) -> None:
    folder = DataFolder(tmp_path / "data")
    folder.install_demo()
    original = folder.study_path.read_text(encoding="utf-8")
    study_edit.add_class(folder, SchoolClass(id="8", name="groep 8", teacher_term="meester"))
    study_edit.add_wave(folder, Wave(id="w2", start="2027-03-01", instruments={"teacher": ["teacher_mindset"]}))
    text = folder.study_path.read_text(encoding="utf-8")
    assert text.startswith(original.splitlines()[0] + "\n"), "the comment at the top survives"
    study = folder.study()
    assert [c.id for c in study.classes] == ["6a", "7b", "8"]  # "8" stays a string, not the number 8
    assert study.wave("w2").instruments == {"teacher": ["teacher_mindset"]}


def test_an_edit_that_makes_the_study_invalid_leaves_study_yaml_as_it_was(tmp_path: Path) -> None:
    folder = DataFolder(tmp_path / "data")
    folder.install_demo()
    before = folder.study_path.read_bytes()
    teacher_of_6a = folder.study().classes[0].teacher
    with pytest.raises(study_edit.StudyEditError, match="is also the teacher of class '6a'"):
        study_edit.add_class(folder, SchoolClass(id="8", name="groep 8", teacher=teacher_of_6a))
    with pytest.raises(study_edit.StudyEditError, match="unknown instrument 'no_such_list'"):
        study_edit.add_wave(folder, Wave(id="w2", instruments={"pupil": ["no_such_list"]}))
    assert folder.study_path.read_bytes() == before
