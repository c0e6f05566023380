"""The codebook (issue 3, point 8): docs/codebook.md is what `klaspeil codebook` makes of the
bank now, and it lists every instrument, response scale, item (with its reverse key and both
languages) and scale. A bank change without regenerating the file fails here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from instruments import Instrument, content_hash, shipped
from instruments.codebook import REVERSE_MARK, codebook
from tui.cli import cli

COMMITTED = Path(__file__).parents[1] / "docs" / "codebook.md"
REGENERATE = "docs/codebook.md is out of date: run `klaspeil codebook --out docs/codebook.md` and commit it"
BANK = shipped()
PIPE = re.compile(r"(?<!\\)\|")


def printed() -> str:
    result = CliRunner().invoke(cli, ["codebook"])
    assert result.exit_code == 0, result.output
    return result.stdout


def section(text: str, instrument_id: str) -> str:
    """The part of the codebook about one instrument."""
    start = text.index(f"\n### {instrument_id}\n")
    end = re.search(r"\n#{2,3} ", text[start + 1:])  # the next instrument or audience
    return text[start: start + 1 + end.start()] if end else text[start:]


def row(text: str, first_cell: str, table: str) -> list[str]:
    """The cells of the row whose first cell is `first_cell`, in the table under `#### table`."""
    block = text[text.index(f"#### {table}"):]
    end = block.find("\n\n", block.index("|"))  # a blank line ends the table, or the section ends
    block = block if end < 0 else block[:end]
    for line in block.splitlines():
        if line.startswith(f"| {first_cell} |"):
            return [cell.strip().replace("\\|", "|") for cell in PIPE.split(line)[1:-1]]
    raise AssertionError(f"no row '{first_cell}' in {table}")


def test_the_committed_codebook_is_what_the_command_prints_now() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == printed(), REGENERATE


def test_out_writes_the_same_codebook_to_a_file_and_prints_nothing(tmp_path: Path) -> None:
    out = tmp_path / "codebook.md"
    out.write_text("an older codebook\n")
    result = CliRunner().invoke(cli, ["codebook", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert out.read_text(encoding="utf-8") == printed()
    assert [p.name for p in tmp_path.iterdir()] == ["codebook.md"]  # no temporary file left


def test_the_codebook_does_not_depend_on_the_order_it_is_given() -> None:
    assert codebook(reversed(list(BANK.values()))) == codebook(BANK.values()) == codebook()


@pytest.mark.parametrize("instrument_id", sorted(BANK))
def test_every_instrument_is_listed_with_version_and_content_hash(instrument_id: str) -> None:
    instrument = BANK[instrument_id]
    part = section(codebook(), instrument_id)
    assert f"- version: {instrument.version}\n" in part
    assert f"- content hash: `{content_hash(instrument)[:12]}`\n" in part
    assert instrument.title.nl in part and instrument.title.en in part


@pytest.mark.parametrize("instrument_id", sorted(BANK))
def test_every_item_is_listed_with_its_scale_reverse_key_and_both_languages(instrument_id: str) -> None:
    instrument: Instrument = BANK[instrument_id]
    part = section(codebook(), instrument_id)
    for item in instrument.items:
        item_id, kind, on, reverse, answer, nl, en = row(part, item.id, "Items")
        assert (item_id, kind) == (item.id, item.kind)
        assert (on.split(", ") if on else []) == [s.id for s in instrument.scales if item.id in s.items]
        assert reverse == (REVERSE_MARK if item.reverse else ""), item.id
        assert (nl, en) == (" ".join(item.text.nl.split()), " ".join(item.text.en.split()))
        if item.kind == "number":
            assert f"{item.min}..{item.max}" in answer
        elif item.kind == "options":
            assert f"`{item.response}`" in answer


@pytest.mark.parametrize("instrument_id", sorted(BANK))
def test_every_scale_and_response_code_is_listed(instrument_id: str) -> None:
    instrument = BANK[instrument_id]
    part = section(codebook(), instrument_id)
    for scale in instrument.scales:
        assert row(part, scale.id, "Scales") == [
            scale.id, scale.label.nl, scale.label.en, str(len(scale.items)), str(scale.min_valid)
        ]
    for response in instrument.response_scales:
        codes = part[part.index(f"`{response.id}`: {response.kind}, {response.min}..{response.max}"):]
        for code, label in response.labels.items():
            assert f"| {code} | {label.nl} | {label.en} |" in codes


def test_reverse_keyed_items_are_marked_and_only_they() -> None:
    text = codebook()
    marked = len(re.findall(rf"\| {re.escape(REVERSE_MARK)} \|", text))
    assert marked == sum(item.reverse for instrument in BANK.values() for item in instrument.items)
    assert marked > 0  # the bank has reverse-keyed items (mindset, team)


def test_a_pipe_or_line_break_in_a_text_stays_inside_its_cell() -> None:
    motivation = BANK["pupil_motivation"].model_dump()
    motivation["sections"][0]["items"][0]["text"] = {"nl": "ja | nee\nof toch", "en": "yes | no"}
    text = codebook([Instrument.model_validate(motivation, strict=False)])
    cells = row(section(text, "pupil_motivation"), "autonomous_motivation_1", "Items")
    assert cells[5:] == ["ja | nee of toch", "yes | no"]
