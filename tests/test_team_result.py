"""The team's own result (issue 6 item 4): hidden below 3 members, and from 3 on per scale and
item the numbers of a hand computation (mean, SD, n, counts, rwg, rwg(j)); the print as plain
text and as HTML that parses and holds no member code; the researcher screen behind the PIN
(dashboard -> t -> the result; P writes the print) and its snapshot; `klaspeil team-result`.
"""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from command import klaspeil
from exports.errors import ExportError
from exports.team_print import render_html, render_text, write_print
from exports.team_result import rwg, rwg_j, team_result
from pilot import pilot_test, settle
from storage import DataFolder
from storage.datafolder import instrument_fingerprint
from storage.pin import set_pin
from storage.session import SessionMeta
from tui.researcher import ResearcherApp
from tui.researcher.team_result import TeamResultScreen, print_paths

PIN = "482915"
SnapCompare = Callable[..., bool]
TEACHER, PUPIL = "UNYWLU", "TWJ3MA"
A, B, C, D = "GV3N9E", "7VFLRT", "FHPAEJ", "RVK7HE"  # the team members
INSTRUMENT = "team_collective_efficacy"  # 8 items on 1..5; items 7 and 8 reverse keyed

STUDY = f"""\
id: teamtest
title: team test
classes:
  - id: k1
    name: groep 5
    teacher: {TEACHER}
    pupils: [{PUPIL}]
teams:
  - id: kern
    name: team De Linde
    members: [{A}, {B}, {C}, {D}]
waves:
  - id: w1
    label: meting 1
    instruments:
      team: [{INSTRUMENT}]
"""

# answers to collective_efficacy_1..8 of the members who finish
ANSWERS = {
    A: [4, 4, 3, 5, 4, 4, 2, 2],
    B: [5, 4, 4, 4, 3, 5, 1, 2],
    C: [3, 4, 2, 4, 4, 3, 2, 4],
}


def write_session(folder: DataFolder, member: str, answers: list[int], *, finish: bool = True) -> None:
    """A member's team session as the kiosk leaves it: one durable record per answer."""
    instrument = folder.instruments()[INSTRUMENT]
    items = [item.id for item in instrument.items]
    meta = SessionMeta(
        device_id="test-device", study="teamtest", wave="w1", class_id="kern", audience="team",
        respondent=member, item_order=items, **instrument_fingerprint(instrument),
    )
    session = folder.new_session(meta)
    for item, value in zip(items, answers):
        session.record(item, value, shown_ms=4000)
    if finish:
        session.finish()


def team_folder(root: Path, members: list[str]) -> DataFolder:
    folder = DataFolder(root).ensure()
    (root / "study.yaml").write_text(STUDY, encoding="utf-8")
    for member in members:
        write_session(folder, member, ANSWERS[member])
    # D started and stopped half-way: an unfinished session never counts
    write_session(folder, D, [1, 1, 1], finish=False)
    return folder


@pytest.fixture
def three(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DataFolder:
    """Members A, B and C finished; D did not. A relative path, for the snapshots."""
    monkeypatch.chdir(tmp_path)
    return team_folder(Path("data"), [A, B, C])


@pytest.fixture
def two(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DataFolder:
    monkeypatch.chdir(tmp_path)
    return team_folder(Path("data"), [A, B])


# -- the numbers ---------------------------------------------------------------------------
def test_below_three_members_nothing_is_shown_and_the_reason_counts_them(two: DataFolder) -> None:
    result = team_result(two, "kern", "w1")
    assert not result.shown
    [instrument] = result.instruments
    assert instrument.answered == 2 and instrument.scales == []  # no numbers at all, not even a mean
    assert "2 van de 4 teamleden" in render_text(result)
    with pytest.raises(ExportError, match="only 2 of 4 members have answered; the result shows from 3 on"):
        write_print(result, two.root.parent / "print.txt")
    assert not (two.root.parent / "print.txt").exists()


def test_from_three_members_the_numbers_match_a_hand_computation(three: DataFolder) -> None:
    result = team_result(three, "kern", "w1")
    assert result.shown and result.members == 4
    [instrument] = result.instruments
    assert instrument.answered == 3  # D's unfinished session does not count
    [scale] = instrument.scales
    items = {item.item_id: item for item in scale.items}

    # item 1: 4, 5, 3 -> mean 4, s^2 = (0 + 1 + 1) / 2 = 1, rwg = 1 - 1/2 (sigma2_EU = (25 - 1) / 12 = 2)
    first = items["collective_efficacy_1"]
    assert (first.n, first.mean, first.sd, first.rwg) == (3, 4.0, 1.0, 0.5)
    assert first.counts == {1: 0, 2: 0, 3: 1, 4: 1, 5: 1}
    # item 2: all 4 -> s^2 = 0, full agreement
    assert (items["collective_efficacy_2"].sd, items["collective_efficacy_2"].rwg) == (0.0, 1.0)
    assert items["collective_efficacy_2"].counts == {1: 0, 2: 0, 3: 0, 4: 3, 5: 0}
    # item 4: 5, 4, 4 -> mean 13/3, s^2 = (4/9 + 1/9 + 1/9) / 2 = 1/3, rwg = 1 - (1/3)/2 = 5/6
    fourth = items["collective_efficacy_4"]
    assert fourth.mean == pytest.approx(13 / 3)
    assert fourth.sd == pytest.approx((1 / 3) ** 0.5)
    assert fourth.rwg == pytest.approx(5 / 6)
    # item 8 (reverse keyed; the item's own mean is as worded): 2, 2, 4 -> mean 8/3, s^2 = 4/3, rwg = 1/3
    eighth = items["collective_efficacy_8"]
    assert eighth.reverse
    assert (eighth.mean, eighth.rwg) == (pytest.approx(8 / 3), pytest.approx(1 / 3))

    # rwg(j): item variances 1, 0, 1, 1/3, 1/3, 1, 1/3, 4/3 -> mean 2/3; r = (2/3) / 2 = 1/3;
    # J = 8: 8(2/3) / (8(2/3) + 1/3) = 16/17
    assert scale.rwg_j == pytest.approx(16 / 17)
    # scale scores, items 7 and 8 turned around (6 - v): A 32/8 = 4, B 34/8 = 4.25, C 26/8 = 3.25
    assert scale.n == 3
    assert scale.mean == pytest.approx(11.5 / 3)
    assert scale.sd == pytest.approx((((4 - 11.5 / 3) ** 2 + (4.25 - 11.5 / 3) ** 2 + (3.25 - 11.5 / 3) ** 2) / 2) ** 0.5)


def test_agreement_beyond_random_answering_is_truncated_to_zero() -> None:
    # answers 1, 5, 1, 5: s^2 = 16/3 > 2, so 1 - s^2/2 < 0 -> 0
    assert rwg(16 / 3, 5) == 0.0
    # r = 1.5 with J = 4 would give 4(-0.5) / (4(-0.5) + 1.5) = 4, above 1 -> 0
    assert rwg_j([3.0] * 4, [5] * 4) == 0.0
    # r = 4/3 = J / (J - 1) for J = 4: the denominator is 0 -> 0, no division error
    assert rwg_j([8 / 3] * 4, [5] * 4) == 0.0
    # within range it is the formula: r = 0.5, J = 2 -> 2(0.5) / (2(0.5) + 0.5) = 2/3
    assert rwg_j([1.0, 1.0], [5, 5]) == pytest.approx(2 / 3)


def test_an_item_fewer_than_three_answered_is_not_shown(tmp_path: Path) -> None:
    folder = team_folder(tmp_path / "data", [A, B])
    write_session(folder, C, [3, 4, 2, 4, 4, 3])  # C left items 7 and 8 open
    [scale] = team_result(folder, "kern", "w1").instruments[0].scales
    items = {item.item_id: item for item in scale.items}
    assert items["collective_efficacy_7"].n == 2 and not items["collective_efficacy_7"].shown
    assert items["collective_efficacy_7"].counts == {}  # two people's answers would be theirs
    # rwg(j) over the six items shown: variances 1, 0, 1, 1/3, 1/3, 1 -> r = (11/18) / 2 = 11/36
    r = 11 / 36
    assert scale.rwg_j == pytest.approx(6 * (1 - r) / (6 * (1 - r) + r))


# -- the print -----------------------------------------------------------------------------
class TagChecker(HTMLParser):
    """Every opened element closed in order; the text kept for reading."""

    VOID = {"meta", "br", "hr", "img", "link"}

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open[-1:]}"
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_the_html_print_parses_shows_the_numbers_and_holds_no_member_code(three: DataFolder) -> None:
    out = three.root.parent / "kern.html"
    write_print(team_result(three, "kern", "w1"), out)
    html = out.read_text(encoding="utf-8")
    checker = TagChecker()
    checker.feed(html)
    checker.close()
    assert checker.open == []
    text = " ".join(checker.text)
    assert "Teamuitkomst · team De Linde · meting 1" in text
    assert "rwg(j) 0.94" in text  # 16/17
    assert "De leerkrachten van deze school geloven dat elke leerling kan leren." in text
    assert "3: 1 ■   4: 1 ■   5: 1 ■" in text  # item 1's spread
    for code in (A, B, C, D):
        assert code not in html


def test_the_text_print_in_english(three: DataFolder) -> None:
    out = three.root.parent / "kern.txt"
    write_print(team_result(three, "kern", "w1", "en"), out, "en")
    text = out.read_text(encoding="utf-8")
    assert "Team result · team De Linde · meting 1" in text
    assert "3 of the 4 team members filled in the list" in text
    assert "mean 3.83   SD 0.52   n 3   rwg(j) 0.94" in text
    assert not any(code in text for code in (A, B, C, D))


def test_klaspeil_team_result_writes_html_or_text_by_suffix(three: DataFolder) -> None:
    done = klaspeil("team-result", "kern", "--wave", "w1", "--out", "kern.html", "--data", three.root)
    assert done.returncode == 0, done.stderr
    assert Path("kern.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    done = klaspeil("team-result", "kern", "--wave", "w1", "--out", "kern.txt", "--data", three.root)
    assert done.returncode == 0 and "Collectieve effectiviteit" in Path("kern.txt").read_text(encoding="utf-8")
    refused = klaspeil("team-result", "kern", "--wave", "w1", "--out", "kern.pdf", "--data", three.root)
    assert refused.returncode == 1 and "kern.pdf: write the team result to a .txt or .html file" in refused.stderr
    unknown = klaspeil("team-result", "linde", "--wave", "w1", "--out", "x.txt", "--data", three.root)
    assert unknown.returncode == 1 and "unknown team 'linde'; the teams are: kern" in unknown.stderr


def test_klaspeil_team_result_refuses_below_three_members(two: DataFolder) -> None:
    done = klaspeil("team-result", "kern", "--wave", "w1", "--out", "kern.txt", "--data", two.root)
    assert done.returncode == 1
    assert "only 2 of 4 members have answered; the result shows from 3 on" in done.stderr
    assert not Path("kern.txt").exists()


# -- the screen ----------------------------------------------------------------------------
async def open_result(pilot: Pilot) -> None:
    """PIN, then t on the dashboard: the (only) team's result."""
    await pilot.press(*PIN, "enter")
    await settle(pilot)
    await pilot.press("t")
    await settle(pilot)
    assert isinstance(pilot.app.screen, TeamResultScreen)


def researcher(folder: DataFolder) -> ResearcherApp:
    set_pin(folder, PIN)
    return ResearcherApp(folder, folder.study())


def screen_text(app: ResearcherApp) -> str:
    return "\n".join(str(widget.render()) for widget in app.screen.query(Static))


@pilot_test
async def test_the_screen_hides_the_result_of_two_members(two: DataFolder) -> None:
    app = researcher(two)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_result(pilot)
        text = screen_text(app)
        assert "Nog geen uitkomst: 2 van de 4 teamleden hebben deze lijst ingevuld." in text
        assert "rwg" not in text and "gemiddeld" not in text
        await pilot.press("p")
        await pilot.pause()
        assert "Not printed" in screen_text(app)
        assert not any(path.exists() for path in print_paths(two, "kern", "w1"))


@pilot_test
async def test_the_screen_shows_three_members_and_p_writes_the_print_next_to_the_data(three: DataFolder) -> None:
    app = researcher(three)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_result(pilot)
        text = screen_text(app)
        assert "3 van de 4 teamleden hebben de lijst ingevuld" in text
        assert "gemiddeld 3.83   SD 0.52   n 3   rwg(j) 0.94" in text
        assert "gemiddeld 4.0   SD 1.0   n 3   rwg 0.50\n1: 0 ·   2: 0 ·   3: 1 ■   4: 1 ■   5: 1 ■" in text
        await pilot.press("p")
        await pilot.pause()
        text_path, html_path = print_paths(three, "kern", "w1")
        assert text_path.parent == Path.cwd().resolve()  # next to the data folder, not in it
        assert text_path.read_text(encoding="utf-8") == render_text(team_result(three, "kern", "w1"))
        assert html_path.read_text(encoding="utf-8") == render_html(team_result(three, "kern", "w1"))
        assert f"Written: {text_path}" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "DashboardScreen"


@pilot_test
async def test_enter_on_a_team_row_of_the_dashboard_opens_its_result(three: DataFolder) -> None:
    app = researcher(three)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*PIN, "enter")
        await settle(pilot)
        app.screen.query_one("#teams").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TeamResultScreen)
        assert "Teamuitkomst · team De Linde · meting 1" in screen_text(app)
        assert "Schaal 1 = helemaal mee oneens" in screen_text(app)  # the legend under the result


def test_team_result_screen(three: DataFolder, snap_compare: SnapCompare) -> None:
    assert snap_compare(researcher(three), terminal_size=(80, 24), run_before=open_result)


def test_team_result_screen_hidden(two: DataFolder, snap_compare: SnapCompare) -> None:
    assert snap_compare(researcher(two), terminal_size=(80, 24), run_before=open_result)
