"""A teacher at the kiosk's code entry (tui/adult_flow.py): the check "Bent u de leerkracht van
...?", the wave's teacher instruments in the adult layout (several statements on one page),
the roster screens, thanks; resume and "already done". Driven with keys through Pilot and
checked against the session files."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot
from textual.widgets import Static

from storage import DataFolder
from tui.app import PupilApp
from tui.launch import make_app
from tui.roster import RosterRatingsScreen
from tui.screens import CodeEntryScreen, FarewellScreen
from tui.screens.adult_check import AdultCheckScreen
from tui.screens.adult_items import AdultIntroductionScreen, AdultItemsScreen, AdultReviewScreen, pages_of
from adult import no_at_the_check, rate_every_pupil, sessions, shown, thanked
from pilot import pilot_test, settle

TEACHER = "UTERYA"  # the teacher of class 6a in the demo study
OTHER_TEACHER = "MA9PPX"  # of class 7b
SnapCompare = Callable[..., bool]  # pytest-textual-snapshot's fixture


def app_for(folder: DataFolder, **options: object) -> PupilApp:
    return make_app(folder, folder.study(), "w1", shuffle_seed=3, return_after=None, **options)


def with_teacher_instruments(folder: DataFolder, *ids: str) -> None:
    """The demo's wave with these teacher instruments instead of the mindset list."""
    text = folder.study_path.read_text(encoding="utf-8")
    folder.study_path.write_text(text.replace("teacher: [teacher_mindset]", f"teacher: [{', '.join(ids)}]"), encoding="utf-8")


async def log_in(pilot: Pilot, code: str = TEACHER) -> None:
    """The code, "Ja" at the check, Enter past the introduction: on the first page of items."""
    await pilot.press(*code, "enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, AdultCheckScreen)
    await pilot.press("1")
    await settle(pilot)
    assert isinstance(pilot.app.screen, AdultIntroductionScreen)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, AdultItemsScreen)


def rows(app: PupilApp) -> list[str]:
    screen = app.screen
    assert isinstance(screen, AdultItemsScreen) and screen.block is not None
    return [item_id for item_id, _ in screen.block.rows]


@pilot_test
async def test_a_teacher_answers_a_page_of_statements_with_digits_and_reaches_the_roster(demo_folder: DataFolder) -> None:
    app = app_for(demo_folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*TEACHER, "enter")
        await settle(pilot)
        assert shown(app, "#name-question") == "Bent u de leerkracht van groep 6a?"
        assert sessions(demo_folder) == []  # nothing before "Ja"
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        # the mindset list's six statements on one page, the choices' meaning above them
        assert isinstance(app.screen, AdultItemsScreen)
        statements = rows(app)
        assert len(statements) == 6
        assert shown(app, "#progress") == "vragen 1-6 van 6"
        assert "1 = helemaal mee oneens" in str(app.screen.query_one(".block-legend", Static).content)
        hint = shown(app, "#keys-hint")
        assert "↑ ↓" in hint and " je " not in f" {hint} "
        typed = [4, 5, 3, 2, 1, 4]
        await pilot.press(*map(str, typed))  # each digit answers a statement and moves on
        await settle(pilot)
        assert app.screen.session.answers() == dict(zip(statements, typed))  # on disk already
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RosterRatingsScreen)
        assert "groep 6a" in shown(app, "#roster-title")

    (session,) = sessions(demo_folder)
    meta = session.meta
    assert (meta.audience, meta.respondent, meta.class_id, meta.instrument) == ("teacher", TEACHER, "6a", "teacher_mindset")
    assert meta.target is None and session.finished
    assert session.answers() == dict(zip(statements, typed))


@pilot_test
async def test_up_and_down_move_between_statements_and_a_click_answers_one(demo_folder: DataFolder) -> None:
    app = app_for(demo_folder)
    async with app.run_test(size=(100, 40)) as pilot:
        await log_in(pilot)
        statements = rows(app)
        await pilot.press("down", "down", "3", "up", "up", "up")  # the third, then to the first
        await settle(pilot)
        block = app.screen.block
        assert block.row == 0 and block.item_id == statements[0]
        await pilot.click(".statement-choices", offset=(4 * 4 + 1, 0))  # the fifth choice of the first row
        await settle(pilot)
        assert app.screen.session.answers() == {statements[2]: 3, statements[0]: 5}
        assert "[5]" in str(app.screen.block.row_widgets[0].query_one(".statement-choices", Static).content)


@pilot_test
async def test_number_items_and_a_lone_choice_get_a_page_each_and_the_hints_say_u(demo_folder: DataFolder) -> None:
    with_teacher_instruments(demo_folder, "teacher_background", "teacher_reflection")
    app = app_for(demo_folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        assert app.screen.block is None and shown(app, "#item-text") == "Wat is uw gender?"
        assert shown(app, "#progress") == "vraag 1 van 3"
        await pilot.press("2", "enter")
        await settle(pilot)
        assert shown(app, "#item-text") == "Wat is uw leeftijd?"
        await pilot.press(*"47", "enter")
        await settle(pilot)
        await pilot.press(*"21", "enter")
        await settle(pilot)
        assert isinstance(app.screen, AdultIntroductionScreen)  # the reflection questions next
        await pilot.press("enter")
        await settle(pilot)
        hint = shown(app, "#keys-hint")
        assert "Typ uw antwoord." in hint and "je" not in hint.split()
    background = next(s for s in sessions(demo_folder) if s.meta.instrument == "teacher_background")
    assert background.answers() == {"gender": 2, "age": 47, "years_teaching": 21} and background.finished


def test_statements_of_one_section_and_scale_share_pages_split_evenly() -> None:
    from instruments import shipped

    bank = shipped()
    efficacy = bank["teacher_self_efficacy"]
    order = [item.id for item in efficacy.items]
    assert [len(page.items) for page in pages_of(efficacy, order)] == [6, 4, 4]  # its three sections
    team = bank["team_collective_efficacy"]
    assert [len(page.items) for page in pages_of(team, [item.id for item in team.items])] == [4, 4]
    background = bank["teacher_background"]
    pages = pages_of(background, [item.id for item in background.items])
    assert [(page.items, page.block) for page in pages] == [(("gender",), False), (("age",), False), (("years_teaching",), False)]


@pilot_test
async def test_a_skipped_statement_is_offered_in_the_review_and_answered_on_its_page(demo_folder: DataFolder) -> None:
    app = app_for(demo_folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        statements = rows(app)
        await pilot.press("4", "4", "down", "4", "4", "4")  # the third statement skipped
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AdultReviewScreen)
        assert shown(app, "#review-title") == "U hebt 1 vraag overgeslagen."
        await pilot.press("up", "enter")  # from Klaar to the skipped statement
        await settle(pilot)
        assert isinstance(app.screen, AdultItemsScreen) and app.screen.block.item_id == statements[2]
        await pilot.press("2", "enter")
        await settle(pilot)
        assert isinstance(app.screen, RosterRatingsScreen)
    (session,) = sessions(demo_folder)
    assert session.answers()[statements[2]] == 2 and session.finished


@pilot_test
async def test_an_interrupted_teacher_resumes_on_the_first_open_statement(demo_folder: DataFolder) -> None:
    first = app_for(demo_folder)
    async with first.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        statements = rows(first)
        await pilot.press("3", "3", "3")
        await settle(pilot)
    second = app_for(demo_folder)
    async with second.run_test(size=(80, 24)) as pilot:
        await pilot.press(*TEACHER, "enter", "1")
        await settle(pilot)
        assert isinstance(second.screen, AdultIntroductionScreen)
        assert shown(second, "#welcome-back") == "Welkom terug! U gaat verder waar u gebleven was."
        await pilot.press("enter")
        await settle(pilot)
        assert second.screen.block.row == 3 and rows(second) == statements
        assert len(sessions(demo_folder)) == 1  # the same session, no second one


@pilot_test
async def test_a_teacher_who_finished_everything_is_told_so(demo_folder: DataFolder) -> None:
    app = app_for(demo_folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press(*"444444", "enter")
        await settle(pilot)
        assert isinstance(app.screen, RosterRatingsScreen)
        rate_every_pupil(app, demo_folder, TEACHER, 3)  # then the teacher comes back
    again = app_for(demo_folder)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.press(*TEACHER, "enter", "1")
        await settle(pilot)
        assert isinstance(again.screen, FarewellScreen)
        assert shown(again, "#farewell-title") == "U bent al klaar."
        count = len(sessions(demo_folder))
        await pilot.press("space")
        await settle(pilot)
        assert isinstance(again.screen, CodeEntryScreen)
    assert len(sessions(demo_folder)) == count  # nothing new


@pilot_test
async def test_no_at_the_check_and_another_class_s_teacher_open_nothing(demo_folder: DataFolder) -> None:
    app = app_for(demo_folder, class_id="6a")  # the kiosk serves class 6a
    async with app.run_test(size=(80, 24)) as pilot:
        message = await no_at_the_check(pilot, TEACHER, "2")  # Nee
        assert message == "⚠  Typ dan uw eigen code. Die staat op uw kaartje."
        await pilot.press(*OTHER_TEACHER, "enter")
        await settle(pilot)
        assert isinstance(app.screen, CodeEntryScreen)
        assert "hoort niet bij deze klas" in shown(app, "#code-message")
    assert sessions(demo_folder) == []


@pilot_test
async def test_the_whole_sitting_ends_with_thanks_and_a_fresh_code_entry(demo_folder: DataFolder) -> None:
    app = app_for(demo_folder)
    async with app.run_test(size=(100, 40)) as pilot:
        await log_in(pilot)
        await pilot.press(*"555555", "enter")
        await settle(pilot)
        school_class = app.study.classes[0]
        for _ in school_class.pupils:  # the grid: SES, expected reading, expected maths per pupil
            await pilot.press("7", "enter", "3", "enter", "4", "enter")
        await settle(pilot)
        for _ in school_class.pupils:  # then a page per pupil: eight statements each
            await pilot.press(*["2", "enter"] * 8)
            await settle(pilot)
        await thanked(pilot)
    roster = [s for s in sessions(demo_folder) if s.meta.audience == "roster"]
    assert sorted(s.meta.target for s in roster) == sorted(school_class.pupils)
    assert all(s.finished and s.meta.respondent == TEACHER and s.meta.class_id == "6a" for s in roster)
    assert {tuple(sorted(s.answers().items()))[-1] for s in roster} == {("teacher_conflict_4", 2)}
    assert all(s.answers()["ses_estimate"] == 7 for s in roster)


def test_snapshot_of_a_page_of_statements(demo_folder: DataFolder, snap_compare: SnapCompare) -> None:
    async def answered_two(pilot: Pilot) -> None:
        await log_in(pilot)
        await pilot.press("4", "2")
        await settle(pilot)

    assert snap_compare(app_for(demo_folder), terminal_size=(80, 24), run_before=answered_two)


@pilot_test
async def test_in_english_the_teacher_is_asked_and_guided_in_english(demo_folder: DataFolder) -> None:
    app = make_app(demo_folder, demo_folder.study(), "w1", "en", shuffle_seed=3, return_after=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*TEACHER, "enter")
        await settle(pilot)
        assert shown(app, "#name-question") == "Are you the teacher of groep 6a?"
        await pilot.press("1", "enter")
        await settle(pilot)
        assert shown(app, "#progress") == "questions 1-6 of 6"
        assert shown(app, "#keys-hint").startswith("1 to 5 = answer")
        assert "1 = strongly disagree" in str(app.screen.query_one(".block-legend", Static).content)
        await pilot.press("enter")  # all six skipped
        await settle(pilot)
        assert shown(app, "#review-title") == "You skipped 6 questions."
