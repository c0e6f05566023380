"""Printable login cards for one class: an HTML sheet with print CSS (A4, 2 x 4 cards a page).

One card per pupil (first name from the local key file when there is one, the code, a short
Dutch instruction), a card for the class teacher, and the cards of the members of every team
the class teacher belongs to (their colleagues fill in the team instruments in the same visit).
The sheet holds names, so it is written for this user only (0o600), like the key file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from html import escape
from pathlib import Path

from storage import DataFolder
from storage.atomic import write_atomically
from storage.roster import load_key
from storage.study import SchoolClass, Study, Wave

from .errors import ExportError

CARDS_PER_PAGE = 8  # 2 columns x 4 rows on A4
PUPIL_INSTRUCTION = "Typ deze code als de computer vraagt: Wat is jouw code?"
TEACHER_INSTRUCTION = (
    "Uw code als leerkracht: voor de vragen over uzelf en over elke leerling van uw klas. "
    "Typ deze code als de computer om uw code vraagt."
)
TEAM_INSTRUCTION = (
    "Uw code voor de teamvragenlijst; u vult die alleen in. "
    "Typ deze code als de computer om uw code vraagt."
)


@dataclass(frozen=True)
class Card:
    kind: str  # "pupil", "teacher" or "team": a CSS class
    who: str  # the first name, or a stand-in such as "leerling 3"
    code: str
    instruction: str


def class_cards(study: Study, school_class: SchoolClass, first_names: dict[str, str]) -> Iterator[Card]:
    """The cards of a class, in print order: pupils as listed in the study, teacher, team."""
    for number, code in enumerate(school_class.pupils, start=1):
        yield Card("pupil", first_names.get(code) or f"leerling {number}", code, PUPIL_INSTRUCTION)
    teacher = school_class.teacher
    if teacher is None:
        return
    yield Card("teacher", f"{school_class.teacher_term} van {school_class.name}", teacher, TEACHER_INSTRUCTION)
    for team in study.teams:
        if teacher not in team.members:
            continue
        for number, code in enumerate(team.members, start=1):
            # the team's name and id: the kiosk asks "Hoort u bij <team>?" before the team list
            who = f"{team.name} (team {team.id}): teamlid {number}"
            if code == teacher:
                who += f" ({school_class.teacher_term} van {school_class.name})"
            yield Card("team", who, code, TEAM_INSTRUCTION)


def render(study: Study, school_class: SchoolClass, first_names: dict[str, str], wave: Wave | None = None) -> str:
    """The whole sheet as one HTML document; every text from the study or key file is escaped."""
    heading = f"{study.title} · {school_class.name}"
    if wave is not None:
        heading += f" · {wave.label or wave.id}"
    cards = list(class_cards(study, school_class, first_names))
    pages = [cards[start:start + CARDS_PER_PAGE] for start in range(0, len(cards), CARDS_PER_PAGE)]
    body = "\n".join(
        '<section class="page">\n' + "\n".join(_card_html(card, heading) for card in page) + "\n</section>"
        for page in pages
    )
    title = f"Inlogkaarten {school_class.name}"
    return (
        "<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def _card_html(card: Card, heading: str) -> str:
    return (
        f'<article class="card {card.kind}">'
        f'<p class="heading">{escape(heading)}</p>'
        f'<p class="who">{escape(card.who)}</p>'
        f'<p class="code">{escape(card.code)}</p>'
        f'<p class="instruction">{escape(card.instruction)}</p>'
        "</article>"
    )


def first_names(folder: DataFolder) -> dict[str, str]:
    """code -> first name from the local key file; {} without one (cards then say "leerling 3")."""
    return {code: name.first_name for code, name in load_key(folder).items()}


def write_cards(folder: DataFolder, class_id: str, out: Path, wave_id: str | None = None) -> int:
    """Write the sheet of `class_id` to `out` (atomically, 0o600); returns the number of cards."""
    study = folder.study()
    school_class = next((c for c in study.classes if c.id == class_id), None)
    if school_class is None:
        known = ", ".join(c.id for c in study.classes)
        raise ExportError(f"{folder.study_path}: unknown class '{class_id}'; the classes are: {known}")
    wave = None
    if wave_id is not None:
        try:
            wave = study.wave(wave_id)
        except KeyError:
            known = ", ".join(w.id for w in study.waves)
            raise ExportError(f"{folder.study_path}: unknown wave '{wave_id}'; the waves are: {known}") from None
    names = first_names(folder)
    write_atomically(Path(out), render(study, school_class, names, wave).encode("utf-8"), mode=0o600)
    return len(list(class_cards(study, school_class, names)))


# A4 minus 10 mm margins is 190 x 277 mm: 2 x 4 cards of 95 x 69 mm. The dashed borders are
# the cut lines; a card never splits across pages.
STYLE = """
@page { size: A4; margin: 10mm; }
* { box-sizing: border-box; }
body { margin: 0; font-family: Arial, Helvetica, sans-serif; color: #000; }
.page { display: grid; grid-template-columns: 95mm 95mm; grid-auto-rows: 69mm;
        width: 190mm; page-break-after: always; break-after: page; }
.page:last-child { page-break-after: auto; break-after: auto; }
.card { border: 1px dashed #777; padding: 5mm 6mm; display: flex; flex-direction: column;
        justify-content: space-between; page-break-inside: avoid; break-inside: avoid; }
.heading { margin: 0; font-size: 8pt; color: #444; }
.who { margin: 0; font-size: 18pt; font-weight: bold; }
.code { margin: 0; font-family: "DejaVu Sans Mono", "Courier New", monospace; font-size: 30pt;
        font-weight: bold; letter-spacing: 0.35em; text-align: center; }
.instruction { margin: 0; font-size: 11pt; }
.teacher .who, .team .who { font-size: 13pt; }
.teacher, .team { background: #f2f2f2; }
@media screen { body { background: #ddd; } .page { background: #fff; margin: 10mm auto; padding: 0; } }
"""
