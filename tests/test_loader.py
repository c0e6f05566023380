"""`klaspeil validate` on malformed instrument files: every problem answered as `path:LINE: message`,
with the line where the mistake is and a message that says what is wrong; never a traceback.

Each malformed file is the small valid instrument below with one mistake in it. The expected
line is found by looking for the mistaken text in the malformed file, so that it is the line
a researcher would have to edit.
"""

from __future__ import annotations

import re
import resource
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from instruments import InvalidFile, content_hash, load_instrument
from instruments.catalog import BANK
from tui.cli import cli
from command import KLASPEIL, klaspeil


VALID = """\
# a small valid instrument
id: tiny
version: "1.0"
audience: pupil
title: {nl: Klein, en: Small}
introduction: {nl: Lees goed., en: Read carefully.}
response_scales:
  - id: agree5
    min: 1
    max: 5
    labels:
      1: {nl: nee, en: no}
      2: {nl: beetje nee, en: rather no}
      3: {nl: soms, en: sometimes}
      4: {nl: beetje ja, en: rather yes}
      5: {nl: ja, en: "yes"}
sections:
  - id: first
    items:
      - id: a1
        text: {nl: Een, en: One}
        response: agree5
      - id: a2
        text: {nl: Twee, en: Two}
        response: agree5
        reverse: true
scales:
  - id: alpha
    label: {nl: Alfa, en: Alpha}
    items: [a1, a2]
    min_valid: 1
"""

SECOND_SECTION = """\
  - id: second
    items:
      - id: a1
        text: {nl: Drie, en: Three}
        response: agree5
"""

THREE_POINT_SCALE = """\
  - id: yes3
    min: 1
    max: 3
    labels:
      1: {nl: nee, en: no}
      2: {nl: soms, en: sometimes}
      3: {nl: ja, en: "yes"}
"""


def changed(old: str, new: str, text: str = VALID) -> str:
    """`text` with its one occurrence of `old` replaced: a mistake the test knows the place of."""
    assert text.count(old) == 1, f"{old!r} must occur once"
    return text.replace(old, new)


def line_with(text: str, marker: str, occurrence: int = 1) -> int:
    """The 1-based number of the line holding the `occurrence`-th `marker`."""
    hits = [n for n, line in enumerate(text.splitlines(), start=1) if marker in line]
    assert len(hits) >= occurrence, f"{marker!r} not in the file"
    return hits[occurrence - 1]


@dataclass(frozen=True)
class Expected:
    """A problem the loader must report: where (a marker line, or a line number) and what."""

    marker: str | int
    says: tuple[str, ...]  # every fragment must be in the message
    occurrence: int = 1

    def line(self, text: str) -> int:
        return self.marker if isinstance(self.marker, int) else line_with(text, self.marker, self.occurrence)


@dataclass(frozen=True)
class Case:
    name: str
    text: str | bytes
    problems: tuple[Expected, ...]

    @property
    def readable(self) -> str:
        return self.text if isinstance(self.text, str) else self.text.decode("latin-1")


def case(name: str, text: str | bytes, marker: str | int, *says: str, occurrence: int = 1) -> Case:
    return Case(name, text, (Expected(marker, says, occurrence),))


CASES = [
    case("yaml_unclosed_bracket", changed("title: {nl: Klein, en: Small}", "title: {nl: Klein, en: Small"),
         "title:", "YAML syntax", "'{' is not closed"),
    case("yaml_indented_too_far", changed("    min: 1\n", "     min: 1\n"),
         "     min: 1", "YAML syntax", "mapping values are not allowed"),
    case("yaml_indented_too_little", changed("        reverse: true", "       reverse: true"),
         "reverse: true", "YAML syntax"),
    case("yaml_tab", changed("    max: 5\n", "\tmax: 5\n"), "\tmax: 5", "YAML syntax", "'\\t'"),
    case("yaml_duplicate_key", changed("    max: 5\n", "    max: 5\n    max: 4\n"),
         "max: 4", "duplicate key", "max"),
    case("empty_file", "", 1, "empty"),
    case("only_comments", "# nothing here yet\n", 1, "empty"),
    case("list_instead_of_mapping", "- id: tiny\n- version: '1.0'\n", 1, "a list", "not a mapping"),
    case("unknown_top_level_key", changed("audience: pupil\n", "audience: pupil\nauthor: me\n"),
         "author: me", "unknown key 'author'"),
    case("typo_reversed", changed("        reverse: true", "        reversed: true"),
         "reversed: true", "unknown key 'reversed'", "did you mean 'reverse'?"),
    case("options_item_without_response", changed("        text: {nl: Een, en: One}\n        response: agree5\n",
                                                  "        text: {nl: Een, en: One}\n"),
         "- id: a1", "item 'a1' needs 'response:'"),
    case("missing_required_key", changed("        text: {nl: Een, en: One}\n        response: agree5\n",
                                         "        response: agree5\n"),
         "- id: a1", "missing required key 'text'"),
    case("missing_translation", changed("{nl: Een, en: One}", "{nl: Een}"),
         "text: {nl: Een}", "missing required key 'en'"),
    case("min_not_a_number", changed("    min: 1\n", '    min: "one"\n'),
         'min: "one"', "min", "valid integer", "'one'"),
    case("reverse_not_a_boolean", changed("        reverse: true", '        reverse: "yes"'),
         'reverse: "yes"', "reverse", "valid boolean", "'yes'"),
    case("version_unquoted", changed('version: "1.0"', "version: 1.0"),
         "version: 1.0", "version", "valid string", "1.0"),
    case("version_not_dotted", changed('version: "1.0"', 'version: "first"'),
         'version: "first"', "version", "'first'"),
    case("duplicate_item_id_across_sections", changed("\nscales:\n", "\n" + SECOND_SECTION + "scales:\n"),
         "- id: a1", "duplicate item id 'a1'", occurrence=2),
    case("duplicate_scale_id", VALID + "  - id: alpha\n    label: {nl: Beta, en: Beta}\n    items: [a1]\n    min_valid: 1\n",
         "- id: alpha", "duplicate scale id 'alpha'", occurrence=2),
    case("scale_names_unknown_item", changed("items: [a1, a2]", "items: [a1, a3]"),
         "items: [a1, a3]", "scale 'alpha'", "unknown item 'a3'"),
    case("min_valid_larger_than_scale", changed("min_valid: 1", "min_valid: 3"),
         "min_valid: 3", "min_valid 3", "larger than its 2 items"),
    case("min_valid_zero", changed("min_valid: 1", "min_valid: 0"),
         "min_valid: 0", "min_valid", "greater than or equal to 1"),
    case("label_missing_for_a_point", changed("      3: {nl: soms, en: sometimes}\n", ""),
         "labels:", "agree5", "no label for 3"),
    case("label_outside_range", changed('      5: {nl: ja, en: "yes"}\n', '      5: {nl: ja, en: "yes"}\n      6: {nl: heel erg, en: very}\n'),
         "6: {nl: heel erg", "label for 6", "outside 1..5"),
    case("min_not_below_max", changed("    max: 5\n", "    max: 1\n"),
         "max: 1", "max 1 must be above min 1"),
    case("unknown_response_scale", changed("        response: agree5\n        reverse", "        response: agree7\n        reverse"),
         "response: agree7", "item 'a2'", "unknown response scale 'agree7'"),
    case("unknown_audience", changed("audience: pupil", "audience: parent"),
         "audience: parent", "audience", "'parent'", "'pupil', 'teacher', 'roster' or 'team'"),
    case("empty_items_list", changed("    items:\n      - id: a1", "    items: []\n  - id: more\n    items:\n      - id: a1"),
         "items: []", "items", "at least 1 item"),
    case("bad_id_characters", changed("  - id: first", "  - id: First-Part"),
         "- id: First-Part", "sections.0.id", "'First-Part'", "pattern"),
    case("non_utf8_file", changed("nl: Twee", "nl: Tw\xe9e").encode("latin-1"),
         "nl: Tw", "not UTF-8", "0xe9"),
    case("scale_mixes_response_scales",
         changed("sections:", THREE_POINT_SCALE + "sections:").replace("        response: agree5\n        reverse", "        response: yes3\n        reverse"),
         "items: [a1, a2]", "scale 'alpha'", "mixes response scales agree5, yes3"),
    # inputs that once crashed the loader with a traceback
    case("id_is_a_mapping", changed("  - id: first", "  - id: {1: 2}"), "- id: {1: 2}", "sections.0.id", "valid string"),
    case("scale_item_is_a_list", changed("items: [a1, a2]", "items: [a1, [a2]]"),
         "items: [a1, [a2]]", "scales.0.items.1", "valid string"),
    case("merge_key_brings_unknown_key", "<<: {colour: red}\n" + VALID, 1, "unknown key 'colour'"),
]


def run_validate(*paths: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli, ["validate", *map(str, paths)])
    assert "Traceback" not in result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout.splitlines()


def write(tmp_path: Path, c: Case) -> Path:
    path = tmp_path / f"{c.name}.yaml"
    if isinstance(c.text, bytes):
        path.write_bytes(c.text)
    else:
        path.write_text(c.text, encoding="utf-8")
    return path


def test_there_are_at_least_twenty_different_mistakes() -> None:
    texts = {c.text for c in CASES}
    assert len(texts) == len(CASES) >= 20


@pytest.mark.parametrize("c", CASES, ids=lambda c: c.name)
def test_each_mistake_is_one_line_naming_its_line_and_what_is_wrong(tmp_path: Path, c: Case) -> None:
    path = write(tmp_path, c)
    code, lines = run_validate(path)
    assert code == 1
    assert len(lines) == len(c.problems), lines
    for line, expected in zip(lines, c.problems):
        where, _, message = line.partition(": ")
        assert where == f"{path}:{expected.line(c.readable)}", line
        for fragment in expected.says:
            assert fragment in message, f"{fragment!r} not in {line!r}"


def test_a_file_with_several_problems_reports_all_of_them(tmp_path: Path) -> None:
    text = VALID
    text = changed("audience: pupil", "audience: parent", text)
    text = changed("    min: 1\n", '    min: "one"\n', text)
    text = changed("        reverse: true", "        reversed: true", text)
    text = changed("items: [a1, a2]", "items: [a1, a9]", text)
    text = changed("min_valid: 1", "min_valid: 3", text)
    path = tmp_path / "several.yaml"
    path.write_text(text)
    code, lines = run_validate(path)
    assert code == 1
    expected = [
        (line_with(text, "audience: parent"), "'parent'"),
        (line_with(text, 'min: "one"'), "valid integer"),
        (line_with(text, "reversed: true"), "unknown key 'reversed'"),
        (line_with(text, "items: [a1, a9]"), "unknown item 'a9'"),
        (line_with(text, "min_valid: 3"), "larger than its 2 items"),
    ]
    assert len(lines) == len(expected) == 5
    for line, (number, fragment) in zip(lines, expected):
        assert line.startswith(f"{path}:{number}: ") and fragment in line, line


def test_a_folder_with_one_bad_file_lists_only_the_bad_one(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(VALID)
    bad = tmp_path / "nested" / "bad.yml"
    bad.parent.mkdir()
    bad.write_text(changed("min_valid: 1", "min_valid: 0"))
    code, lines = run_validate(tmp_path)
    assert code == 1
    assert lines == [f"{bad}:{line_with(bad.read_text(), 'min_valid: 0')}: scales.0.min_valid: "
                     "input should be greater than or equal to 1 (got 0)"]


def test_two_files_with_the_same_instrument_id_are_a_problem(tmp_path: Path) -> None:
    (tmp_path / "one.yaml").write_text(VALID)
    (tmp_path / "two.yaml").write_text(VALID.replace("Klein", "Klein twee"))
    code, lines = run_validate(tmp_path)
    assert code == 1
    assert len(lines) == 1 and lines[0].startswith(f"{tmp_path / 'two.yaml'}:") and "'tiny'" in lines[0]


def test_a_huge_response_range_is_reported_without_exhausting_memory(tmp_path: Path) -> None:
    """`max: 99999999999999` once made the label check build the whole range in memory."""
    path = tmp_path / "huge.yaml"
    path.write_text(changed("    max: 5\n", "    max: 99999999999999\n"))

    def limit_memory() -> None:  # a regression fails with exit 2, not by swapping the machine
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    done = subprocess.run([KLASPEIL, "validate", str(path)], capture_output=True, text=True,
                          preexec_fn=limit_memory, timeout=120)
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines() == [
        f"{path}:{line_with(path.read_text(), 'labels:')}: response scale 'agree5': "
        "no label for 6, 7, 8, 9, 10 and 99999999999989 more"
    ]


# -- the real command, in a subprocess ---------------------------------------------------




def test_the_shipped_bank_validates() -> None:
    done = klaspeil("validate", str(BANK))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == ""


def test_real_command_reports_bad_files_on_stdout_and_exits_1(tmp_path: Path) -> None:
    picked = [c for c in CASES if c.name in {"typo_reversed", "yaml_tab", "non_utf8_file", "empty_file"}]
    paths = [write(tmp_path, c) for c in picked]
    done = klaspeil("validate", *map(str, paths))
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert len(lines) == len(picked)
    for line, c, path in zip(lines, picked, paths):
        assert line.startswith(f"{path}:{c.problems[0].line(c.readable)}: "), line


def test_a_missing_path_is_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    done = klaspeil("validate", str(missing))
    assert done.returncode == 1
    assert done.stdout.splitlines() == [f"{missing}: file not found"]
    assert "Traceback" not in done.stderr


def test_an_empty_folder_is_a_problem(tmp_path: Path) -> None:
    code, lines = run_validate(tmp_path)
    assert code == 1
    assert lines == [f"{tmp_path}: folder holds no .yaml instrument files"]


# -- whatever the file holds, the loader answers with InvalidFile, never a crash ----------

TOKENS = ["null", "[]", "{}", "- x", "1", "true", "'s'", ":", "&a x", "*a", "~", "1.5", "{1: 2}",
          "[a1, [b]]", "\t", "{", "---", "<<: {x: 1}", "99999999999999999999", "!!set {a, b}",
          "2024-01-01", "[{x: 1}]", "!!binary aGVsbG8=", "é", "#"]

def mangle(text: str, data: st.DataObject) -> str:
    """`text` with one to three random edits: a value replaced, a line deleted, copied,
    indented, or a token put in the middle of it."""
    lines = text.splitlines(keepends=True)
    for _ in range(data.draw(st.integers(1, 3))):
        op = data.draw(st.sampled_from(["value", "delete", "duplicate", "indent", "insert"]))
        token = data.draw(st.sampled_from(TOKENS))
        keyed = [n for n, line in enumerate(lines) if ":" in line]
        i = data.draw(st.sampled_from(keyed if op == "value" and keyed else range(len(lines))))
        line = lines[i]
        if op == "value":
            lines[i] = f"{line.partition(':')[0]}: {token}\n"
        elif op == "delete" and len(lines) > 1:
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, data.draw(st.sampled_from(lines)))
        elif op == "indent":
            lines[i] = " " * data.draw(st.integers(1, 3)) + line
        else:
            j = data.draw(st.integers(0, len(line)))
            lines[i] = line[:j] + token + line[j:]
    return "".join(lines)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_mangled_file_is_answered_with_problems_not_a_crash(tmp_path: Path, data: st.DataObject) -> None:
    path = tmp_path / "mangled.yaml"
    text = mangle(VALID, data)
    path.write_text(text, encoding="utf-8")
    try:
        load_instrument(path)
    except InvalidFile as error:
        assert error.problems
        for problem in error.problems:
            assert str(problem).startswith(str(path))
            if problem.line is not None:
                assert problem.line in range(1, max(1, len(text.splitlines())) + 1)


# -- the content hash: the meaning of an instrument, not its formatting --------------------


def hash_of(tmp_path: Path, text: str, name: str) -> str:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text)
    return content_hash(load_instrument(path))


def test_content_hash_ignores_comments_formatting_and_key_order(tmp_path: Path) -> None:
    reformatted = (
        "introduction:\n  en: Read carefully.\n  nl: Lees goed.\n"  # moved, block style, keys swapped
        + VALID.replace("# a small valid instrument\n", "# another comment\n")
        .replace("introduction: {nl: Lees goed., en: Read carefully.}\n", "")
        .replace('version: "1.0"', "version: '1.0'   # quoted differently")
        .replace("items: [a1, a2]", "items:\n      - a1\n      - a2")
        .replace("    min: 1\n    max: 5\n", "    max: 5\n    min: 1\n")
    )
    assert reformatted != VALID
    assert hash_of(tmp_path, reformatted, "reformatted") == hash_of(tmp_path, VALID, "original")


@pytest.mark.parametrize("edit", [
    ("{nl: Een, en: One}", "{nl: Een!, en: One}"),
    ("        reverse: true", "        reverse: false"),
    ("min_valid: 1", "min_valid: 2"),
    ('version: "1.0"', 'version: "1.1"'),
], ids=["item_text", "reverse_keying", "min_valid", "version"])
def test_content_hash_changes_with_what_is_asked_or_scored(tmp_path: Path, edit: tuple[str, str]) -> None:
    assert hash_of(tmp_path, changed(*edit), "edited") != hash_of(tmp_path, VALID, "original")


def test_validate_output_is_exactly_the_problem_lines(tmp_path: Path) -> None:
    """Scripts parse this output: every line is `path:line: message`."""
    paths = [write(tmp_path, c) for c in CASES]
    code, lines = run_validate(*paths)
    assert code == 1
    pattern = re.compile(rf"^{re.escape(str(tmp_path))}/[a-z0-9_]+\.yaml:\d+: \S")
    assert [line for line in lines if not pattern.match(line)] == []
    assert len(lines) == sum(len(c.problems) for c in CASES)
