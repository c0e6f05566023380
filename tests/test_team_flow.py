"""A team member at the kiosk's code entry (tui/adult_flow.py): "Hoort u bij <team>?", the wave's
team instruments in the adult layout, thanks; sessions with audience team, the member's code
as respondent and the team id as class_id. Driven with keys through Pilot."""

from __future__ import annotations

from storage import DataFolder
from tui.app import PupilApp
from tui.launch import make_app
from tui.screens import FarewellScreen
from tui.screens.adult_check import AdultCheckScreen
from tui.screens.adult_items import AdultIntroductionScreen, AdultItemsScreen
from adult import no_at_the_check, rate_every_pupil, sessions, shown, thanked
from pilot import pilot_test, settle

MEMBER = "X4XNMN"  # a team member who teaches no class
TEACHER = "UTERYA"  # the teacher of 6a, also in the team
TEAM = (
    "teams:\n"
    "  - id: regenboog-team\n"
    "    name: team De Regenboog\n"
    "    school: regenboog\n"
    f"    members: [{TEACHER}, {MEMBER}, XMACKF]\n"
)


def with_team(folder: DataFolder) -> None:
    """The demo study with a team, and the collective-efficacy list for teams in wave w1."""
    text = folder.study_path.read_text(encoding="utf-8")
    text = text.replace("waves:\n", TEAM + "waves:\n").replace(
        "      roster: [roster_ratings]\n", "      roster: [roster_ratings]\n      team: [team_collective_efficacy]\n"
    )
    folder.study_path.write_text(text, encoding="utf-8")


def app_for(folder: DataFolder, **options: object) -> PupilApp:
    with_team(folder)
    return make_app(folder, folder.study(), "w1", shuffle_seed=5, return_after=None, **options)


@pilot_test
async def test_a_team_member_confirms_the_team_answers_both_pages_and_is_thanked(demo_folder: DataFolder) -> None:
    app = app_for(demo_folder, class_id="6a")  # a kiosk serving a class takes the school's team members too
    typed: dict[str, int] = {}
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*MEMBER, "enter")
        await settle(pilot)
        assert isinstance(app.screen, AdultCheckScreen)
        assert shown(app, "#name-question") == "Hoort u bij team De Regenboog?"
        assert sessions(demo_folder) == []  # nothing before "Ja"
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, AdultIntroductionScreen)
        await pilot.press("enter")
        await settle(pilot)
        for page, digits in enumerate(([5, 4, 4, 3], [2, 3, 4, 5])):
            assert isinstance(app.screen, AdultItemsScreen)
            assert shown(app, "#progress") == f"vragen {4 * page + 1}-{4 * page + 4} van 8"
            typed.update(zip([item_id for item_id, _ in app.screen.block.rows], digits))
            await pilot.press(*map(str, digits), "enter")
            await settle(pilot)
        await thanked(pilot)

    (session,) = sessions(demo_folder)
    meta = session.meta
    assert (meta.audience, meta.respondent, meta.class_id, meta.instrument) == (
        "team", MEMBER, "regenboog-team", "team_collective_efficacy"
    )
    assert session.finished and session.answers() == typed and len(typed) == 8


@pilot_test
async def test_no_at_the_team_check_opens_nothing(demo_folder: DataFolder) -> None:
    app = app_for(demo_folder)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "uw eigen code" in await no_at_the_check(pilot, MEMBER, "n")
    assert sessions(demo_folder) == []


@pilot_test
async def test_a_teacher_in_the_team_answers_the_team_list_after_the_class_and_rated_pupils_are_skipped(demo_folder: DataFolder) -> None:
    app = app_for(demo_folder)
    rate_every_pupil(app, demo_folder, TEACHER, 4)  # on another day: the roster is done
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*TEACHER, "enter")
        await settle(pilot)
        assert shown(app, "#name-question") == "Bent u de leerkracht van groep 6a?"
        await pilot.press("1", "enter")  # Ja, past the mindset list's introduction
        await settle(pilot)
        await pilot.press(*"333333", "enter")
        await settle(pilot)
        assert isinstance(app.screen, AdultIntroductionScreen)  # straight on to the team list
        assert "team" in shown(app, "#intro-title").lower()
        await pilot.press("enter", *"1111", "enter", *"2222", "enter")
        await settle(pilot)
        assert isinstance(app.screen, FarewellScreen)
    team = [s for s in sessions(demo_folder) if s.meta.audience == "team"]
    assert [(s.meta.respondent, s.meta.class_id, s.finished) for s in team] == [(TEACHER, "regenboog-team", True)]
    teacher = [s for s in sessions(demo_folder) if s.meta.audience == "teacher"]
    assert [(s.meta.class_id, s.finished) for s in teacher] == [("6a", True)]
