"""`klaspeil cards CLASS --out FILE`: the printed sheet carries every code of the class, the
teacher's and their team's, with first names only when the local key file has them."""

from __future__ import annotations

import json
import stat
from html.parser import HTMLParser
from pathlib import Path

import pytest

from command import klaspeil
from storage import DataFolder
from storage.study_init import init_study


class Sheet(HTMLParser):
    """The cards as a reader sees them: kind, who, code per card; and the style sheet."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.cards: list[dict[str, str]] = []
        self.style = ""
        self._field: str | None = None
        self._in_style = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "article" and "card" in classes:
            self.cards.append({"kind": next(c for c in classes if c != "card")})
        elif tag == "p" and self.cards:
            self._field = classes[0]
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._field = None
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style += data
        elif self._field:
            self.cards[-1][self._field] = self.cards[-1].get(self._field, "") + data

    def of(self, kind: str) -> list[dict[str, str]]:
        return [card for card in self.cards if card["kind"] == kind]


@pytest.fixture
def folder(tmp_path: Path) -> DataFolder:
    """A study from the template: classes 5a and 7b (6 pupils each), one team with both teachers."""
    folder = DataFolder(tmp_path / "data")
    init_study(folder)
    return folder


def write_key(folder: DataFolder, class_id: str, first_names: list[str]) -> None:
    """The key file in the agreed format (storage/roster.py writes it on a class list import)."""
    pupils = next(c for c in folder.study().classes if c.id == class_id).pupils
    names = {code: {"first_name": name, "last_name": "Jansen", "birth_date": None}
             for code, name in zip(pupils, first_names)}
    (folder.root / "roster_key.json").write_text(json.dumps({"classes": {class_id: names}}), encoding="utf-8")


def cards(folder: DataFolder, class_id: str, out: Path, *extra: str) -> Sheet:
    done = klaspeil("cards", class_id, "--data", folder.root, "--out", out, *extra)
    assert done.returncode == 0, done.stderr
    return Sheet(out.read_text(encoding="utf-8"))


def test_every_code_of_the_class_the_teacher_and_the_team_is_on_the_sheet(folder: DataFolder, tmp_path: Path) -> None:
    study = folder.study()
    school_class = next(c for c in study.classes if c.id == "7b")
    sheet = cards(folder, "7b", tmp_path / "cards.html")
    assert [card["code"] for card in sheet.of("pupil")] == school_class.pupils
    assert [card["code"] for card in sheet.of("teacher")] == [school_class.teacher]
    assert [card["code"] for card in sheet.of("team")] == study.teams[0].members
    team = study.teams[0]
    assert all(f"{team.name} (team {team.id})" in card["who"] for card in sheet.of("team"))
    # the other class's codes are not on this sheet
    other = next(c for c in study.classes if c.id == "5a")
    printed = {card["code"] for card in sheet.cards}
    assert not printed & set(other.pupils)
    pupil = sheet.of("pupil")[0]
    assert "Wat is jouw code?" in pupil["instruction"]
    assert study.title in pupil["heading"] and school_class.name in pupil["heading"]


def test_without_a_key_file_the_cards_carry_no_names(folder: DataFolder, tmp_path: Path) -> None:
    sheet = cards(folder, "5a", tmp_path / "cards.html")
    assert [card["who"] for card in sheet.of("pupil")] == [f"leerling {n}" for n in range(1, 7)]


def test_with_a_key_file_each_card_has_the_first_name_and_never_the_last(folder: DataFolder, tmp_path: Path) -> None:
    names = ["Daan", "Sem", "Noor", "Lieke", "Fatima", "Mohammed"]
    write_key(folder, "5a", names)
    out = tmp_path / "cards.html"
    sheet = cards(folder, "5a", out)
    pupils = next(c for c in folder.study().classes if c.id == "5a").pupils
    assert {card["code"]: card["who"] for card in sheet.of("pupil")} == dict(zip(pupils, names))
    assert "Jansen" not in out.read_text(encoding="utf-8")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # it holds names: this user only


def test_names_and_titles_are_escaped(folder: DataFolder, tmp_path: Path) -> None:
    nasty = 'Jo<b>"&amp;</b>'
    write_key(folder, "5a", [nasty])
    text = folder.study_path.read_text(encoding="utf-8")
    folder.study_path.write_text(text.replace("title: Voorbeeldstudie motivatie", "title: Rekenen & <lezen>"),
                                 encoding="utf-8")
    out = tmp_path / "cards.html"
    sheet = cards(folder, "5a", out)
    assert sheet.of("pupil")[0]["who"] == nasty  # read back exactly: escaped, not interpreted
    assert sheet.of("pupil")[0]["heading"].startswith("Rekenen & <lezen>")
    html = out.read_text(encoding="utf-8")
    assert "<b>" not in html and "<lezen>" not in html
    assert "Jo&lt;b&gt;&quot;&amp;amp;&lt;/b&gt;" in html


def test_the_sheet_prints_on_a4_with_cards_that_never_split(folder: DataFolder, tmp_path: Path) -> None:
    sheet = cards(folder, "7b", tmp_path / "cards.html")
    assert "@page" in sheet.style and "size: A4" in sheet.style
    assert "page-break-inside: avoid" in sheet.style
    assert "monospace" in sheet.style and "letter-spacing" in sheet.style
    html = (tmp_path / "cards.html").read_text(encoding="utf-8")
    # 6 pupils + teacher + 4 team members = 11 cards: two pages of at most 8
    assert len(sheet.cards) == 11
    assert html.count('<section class="page">') == 2


def test_the_wave_label_is_printed_when_asked(folder: DataFolder, tmp_path: Path) -> None:
    sheet = cards(folder, "7b", tmp_path / "cards.html", "--wave", "winter")
    assert all("meting 2, winter" in card["heading"] for card in sheet.cards)


@pytest.mark.parametrize(("args", "expected"), [
    (("9z",), ("unknown class '9z'", "5a, 7b")),
    (("7b", "--wave", "zomer"), ("unknown wave 'zomer'", "najaar, winter, voorjaar")),
])
def test_an_unknown_class_or_wave_is_one_line_naming_the_choices(
    folder: DataFolder, tmp_path: Path, args: tuple[str, ...], expected: tuple[str, ...]
) -> None:
    out = tmp_path / "cards.html"
    done = klaspeil("cards", *args, "--data", folder.root, "--out", out)
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1
    assert all(part in done.stderr for part in expected)
    assert not out.exists()


def test_a_class_without_teacher_code_gets_pupil_cards_only_and_a_teacher_outside_teams_no_team_cards() -> None:
    from exports.cards import class_cards
    from storage.study import Study

    study = Study.model_validate({
        "id": "s", "title": "t", "waves": [{"id": "w", "instruments": {}}],
        "classes": [{"id": "a", "name": "groep a", "pupils": ["FNWW4F"]},
                    {"id": "b", "name": "groep b", "teacher": "UTERYA", "pupils": ["FK33XF"]}],
        "teams": [{"id": "t", "name": "team", "members": ["MA9PPX"]}],
    })
    without_teacher, outside_team = study.classes
    assert [(c.kind, c.code) for c in class_cards(study, without_teacher, {})] == [("pupil", "FNWW4F")]
    assert [(c.kind, c.code) for c in class_cards(study, outside_team, {})] == [("pupil", "FK33XF"), ("teacher", "UTERYA")]
