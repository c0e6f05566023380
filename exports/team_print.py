"""The team result as the team reads it: lines shared by the TUI screen and the print, and the
print itself as plain text or HTML (for the team's discussion; Dutch, or English with "en").

The spread of an item is drawn with characters, never colour alone: per scale point its count
and a bar of ■ (one per member, scaled down when a bar would be longer than BAR_MAX).
"""

from __future__ import annotations

from html import escape
from math import ceil
from pathlib import Path

from storage.atomic import write_atomically

from .errors import ExportError
from .team_result import MIN_MEMBERS, InstrumentResult, ItemResult, ScaleResult, TeamResult

BAR_MAX = 8
SUFFIXES = (".txt", ".html")

TEXTS = {
    "nl": {
        "title": "Teamuitkomst",
        "wave": "meting",
        "members": "{answered} van de {members} teamleden hebben de lijst ingevuld",
        "hidden": "Nog geen uitkomst: {answered} van de {members} teamleden hebben deze lijst ingevuld. "
                  "De uitkomst komt als minstens {minimum} teamleden hem hebben ingevuld.",
        "mean": "gemiddeld",
        "item_hidden": "minder dan {minimum} antwoorden: niet getoond",
        "reverse": "(omgekeerd geteld in de schaal)",
        "legend": "Schaal 1 = helemaal mee oneens ... 5 = helemaal mee eens. SD = spreiding. "
                  "n = aantal antwoorden. rwg = overeenstemming (0 = geen, 1 = iedereen hetzelfde). "
                  "Per antwoord: hoe vaak het gekozen is (■ = teamleden).",
        "none": "geen",
    },
    "en": {
        "title": "Team result",
        "wave": "wave",
        "members": "{answered} of the {members} team members filled in the list",
        "hidden": "No result yet: {answered} of the {members} team members filled in this list. "
                  "The result shows once at least {minimum} team members have filled it in.",
        "mean": "mean",
        "item_hidden": "fewer than {minimum} answers: not shown",
        "reverse": "(counted the other way round in the scale)",
        "legend": "Scale 1 = strongly disagree ... 5 = strongly agree. SD = spread. n = number of "
                  "answers. rwg = agreement (0 = none, 1 = everyone the same). Per answer: how often "
                  "it was chosen (■ = team members).",
        "none": "none",
    },
}


def number(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def heading(result: TeamResult, language: str) -> str:
    t = TEXTS[language]
    return f"{t['title']} · {result.team_name} · {result.wave_label or t['wave'] + ' ' + result.wave_id}"


def instrument_line(instrument: InstrumentResult, members: int, language: str) -> str:
    """Under the instrument's title: how many answered, or why nothing is shown."""
    t = TEXTS[language]
    key = "members" if instrument.shown else "hidden"
    return t[key].format(answered=instrument.answered, members=members, minimum=MIN_MEMBERS)


def scale_line(scale: ScaleResult, language: str) -> str:
    t = TEXTS[language]
    return (f"{t['mean']} {number(scale.mean)}   SD {number(scale.sd)}   n {scale.n}   "
            f"rwg(j) {number(scale.rwg_j)}")


def item_line(item: ItemResult, language: str) -> str:
    t = TEXTS[language]
    if not item.shown:
        return t["item_hidden"].format(minimum=MIN_MEMBERS)
    return f"{t['mean']} {number(item.mean, 1)}   SD {number(item.sd, 1)}   n {item.n}   rwg {number(item.rwg)}"


def bar(count: int, largest: int) -> str:
    if count == 0:
        return "·"
    length = count if largest <= BAR_MAX else max(1, ceil(count * BAR_MAX / largest))
    return "■" * length


def distribution(item: ItemResult) -> str:
    """'1: 0 ·  2: 1 ■  3: 2 ■■  4: 4 ■■■■  5: 0 ·' — counts per point, readable without colour."""
    largest = max(item.counts.values(), default=0)
    return "   ".join(f"{point}: {count} {bar(count, largest)}" for point, count in item.counts.items())


def item_text(item: ItemResult, language: str) -> str:
    return f"{item.text} {TEXTS[language]['reverse']}" if item.reverse else item.text


def render_text(result: TeamResult, language: str = "nl") -> str:
    lines = [heading(result, language), ""]
    for instrument in result.instruments:
        lines += [instrument.title, "=" * len(instrument.title), instrument_line(instrument, result.members, language), ""]
        for scale in instrument.scales:
            lines += [scale.label.capitalize(), "  " + scale_line(scale, language), ""]
            for number_, item in enumerate(scale.items, start=1):
                lines.append(f"  {number_}. {item_text(item, language)}")
                lines.append("     " + item_line(item, language))
                if item.shown:
                    lines.append("     " + distribution(item))
            lines.append("")
    lines.append(TEXTS[language]["legend"])
    return "\n".join(lines) + "\n"


def render_html(result: TeamResult, language: str = "nl") -> str:
    parts = [f"<h1>{escape(heading(result, language))}</h1>"]
    for instrument in result.instruments:
        parts.append(f"<section><h2>{escape(instrument.title)}</h2>")
        parts.append(f"<p class=\"count\">{escape(instrument_line(instrument, result.members, language))}</p>")
        for scale in instrument.scales:
            parts.append(f"<h3>{escape(scale.label.capitalize())}</h3>")
            parts.append(f"<p class=\"scale\">{escape(scale_line(scale, language))}</p><ol>")
            for item in scale.items:
                parts.append(f"<li><p class=\"item\">{escape(item_text(item, language))}</p>")
                parts.append(f"<p class=\"stats\">{escape(item_line(item, language))}</p>")
                if item.shown:
                    parts.append(f"<p class=\"spread\">{escape(distribution(item))}</p>")
                parts.append("</li>")
            parts.append("</ol>")
        parts.append("</section>")
    parts.append(f"<p class=\"legend\">{escape(TEXTS[language]['legend'])}</p>")
    body = "\n".join(parts)
    return (
        f"<!DOCTYPE html>\n<html lang=\"{language}\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{escape(heading(result, language))}</title>\n<style>{STYLE}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )


def write_print(result: TeamResult, out: Path, language: str = "nl") -> Path:
    """Write the print to `out`, plain text or HTML by its suffix (atomically)."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in SUFFIXES:
        raise ExportError(f"{out}: write the team result to a .txt or .html file")
    if not result.shown:
        raise ExportError(
            f"team '{result.team_id}', wave '{result.wave_id}': only {result.answered} of "
            f"{result.members} members have answered; the result shows from {MIN_MEMBERS} on"
        )
    text = render_html(result, language) if suffix == ".html" else render_text(result, language)
    write_atomically(out, text.encode("utf-8"), mode=0o644)  # a WriteFailed names the file
    return out


STYLE = """
body { font-family: Arial, Helvetica, sans-serif; max-width: 60em; margin: 1em auto; color: #000; }
h1 { font-size: 16pt; } h2 { font-size: 14pt; border-bottom: 1px solid #000; } h3 { font-size: 12pt; margin-bottom: 0; }
.scale { font-weight: bold; margin-top: 0.2em; }
.stats, .spread { margin: 0.1em 0; font-family: "DejaVu Sans Mono", "Courier New", monospace; }
li { margin-bottom: 0.6em; page-break-inside: avoid; break-inside: avoid; } .item { margin: 0; }
.legend { font-size: 9pt; }
"""
