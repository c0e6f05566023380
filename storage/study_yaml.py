"""Round-trip YAML for study.yaml: the ruamel helpers that change the tree or its text.

study_edit.py decides what a change means for the study; this module only knows how to make
such a change while keeping what the researcher wrote: comments, key order, flow lists and
quoting. Codes are written quoted, because YAML reads an unquoted code such as 4E9373 as a
number.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
from ruamel.yaml.tokens import CommentToken

from instruments.yamlfile import read_yaml

from . import codes


def round_trip() -> YAML:
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)  # "  - id: 6a" under "classes:", as the template writes it
    yaml.width = 4096  # never fold a long pupils list
    yaml.preserve_quotes = True  # codes quoted by hand or by an earlier import stay quoted
    return yaml


def dump(yaml: YAML, tree: CommentedMap) -> bytes:
    stream = io.StringIO()
    yaml.dump(tree, stream)
    return stream.getvalue().encode("utf-8")


def load(path: Path) -> tuple[YAML, CommentedMap]:
    """The round-trip tree (parsed once: a study of 70 classes takes half a second a parse)."""
    yaml = round_trip()
    try:
        tree = yaml.load(path.read_text(encoding="utf-8"))
    except Exception:  # not YAML, not UTF-8, not there: the loader's path:line message
        read_yaml(path)
        raise
    if not isinstance(tree, CommentedMap):
        read_yaml(path)  # "the document is a list, not a mapping of keys"
    return yaml, tree


def end_of(tree: CommentedMap, key: str, n: int, lines: list[str]) -> int:
    """The line after entry `n` of list `key`: before the next entry, or before the blank lines
    and comments that introduce the next key."""
    entries = tree[key]
    keys = list(tree)
    after = keys.index(key) + 1
    if n + 1 < len(entries):
        end = entries.lc.item(n + 1)[0]
    else:
        end = tree.lc.key(keys[after])[0] if after < len(keys) else len(lines)
    first, column = entries.lc.item(n)
    if lines[end - 1].strip() == "-":  # the next entry starts with "-" alone on its line
        end -= 1
    while end > first + 1 and (not lines[end - 1].strip() or _outer_comment(lines[end - 1], column)):
        end -= 1
    return end


def _outer_comment(line: str, column: int) -> bool:
    """A comment left of the entry's keys: it introduces what follows (a comment indented like
    the keys belongs to the entry)."""
    return line.lstrip().startswith("#") and len(line) - len(line.lstrip(" ")) < column


def shifted(lines: list[str], by: int) -> list[str]:
    if by >= 0:
        return [" " * by + line if line.strip() else line for line in lines]
    return [line[min(-by, len(line) - len(line.lstrip(" "))) :] for line in lines]


def put(mapping: CommentedMap, name: str, value: Any, order: list[str]) -> None:
    """Set `name`; a key the mapping lacks goes where the model lists it, after the keys before it."""
    if name in mapping or name not in order:
        mapping[name] = value
        return
    before = set(order[: order.index(name)])
    position = max((n + 1 for n, key in enumerate(mapping) if key in before), default=0)
    mapping.insert(position, name, value)


def replace_lists(mapping: CommentedMap, values: Mapping[str, list]) -> None:
    """The instruments of a wave, list by list, so that comments between the audiences stay."""
    for name in [k for k in mapping if k not in values]:
        pop(mapping, name)
    for name, value in values.items():
        if isinstance(mapping.get(name), CommentedSeq):
            mapping[name][:] = flow(value)
        else:
            mapping[name] = flow(value)


def pop(mapping: CommentedMap, name: str) -> None:
    """Remove a field; the comment after it (often the one introducing the next section) moves
    to the field before it."""
    if name not in mapping:
        return
    keys = list(mapping)
    slot = mapping.ca.items.pop(name, None)
    del mapping[name]
    token = slot[2] if slot and len(slot) > 2 else None
    position = keys.index(name)
    if token is None or position == 0 or isinstance(mapping[keys[position - 1]], (CommentedMap, CommentedSeq)):
        return
    text = token.value
    if text.startswith("#"):  # the field's own end-of-line comment goes with it
        text = "\n" + text.split("\n", 1)[1]
    if not text.strip():
        return
    before = mapping.ca.items.setdefault(keys[position - 1], [None, None, None, None])
    if before[2] is None:
        before[2] = CommentToken(text, CommentMark(0), None)
    else:
        before[2].value = before[2].value + text[1:]


def entry(values: dict) -> CommentedMap:
    """A mapping as the template writes it: codes quoted, lists on one line."""
    mapping = CommentedMap()
    for name, value in values.items():
        if isinstance(value, list):
            value = flow(value)
        elif isinstance(value, dict):
            value = CommentedMap((k, flow(v)) for k, v in value.items())
        elif name == "teacher" or (isinstance(value, str) and _reads_back_as_other(value)):
            value = DoubleQuotedScalarString(value)  # class "8" must stay a string
        mapping[name] = value
    return mapping


def flow(values: list) -> CommentedSeq:
    seq = CommentedSeq(DoubleQuotedScalarString(v) if codes.is_valid(str(v)) else v for v in values)
    seq.fa.set_flow_style()
    return seq


def _reads_back_as_other(text: str) -> bool:
    try:
        return YAML(typ="safe").load(text) != text
    except Exception:  # ruamel raises many kinds for odd text: quoting is always safe
        return True
