"""Read a YAML file into a pydantic model, reporting every problem as `path:line: message`.

ruamel.yaml's round-trip loader remembers where every key and list entry stands, so a
pydantic error location such as ("scales", 1, "min_valid") can be turned into a line.
Used for instrument files here and for `study.yaml` in storage.
"""

from __future__ import annotations

import difflib
import warnings
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.reader import ReaderError

from .problems import InvalidFile, Problem

Location = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)


def read_yaml(path: Path) -> CommentedMap:
    """The document as a round-trip tree (dicts and lists that know their lines)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InvalidFile([Problem(str(path), None, "file not found")]) from None
    except OSError as error:
        raise InvalidFile([Problem(str(path), None, f"cannot read: {error.strerror}")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        byte = raw[error.start]
        message = f"not UTF-8 text (byte 0x{byte:02x} cannot be read; save the file as UTF-8)"
        raise InvalidFile([Problem(str(path), line, message)]) from None
    try:
        with warnings.catch_warnings():  # e.g. a reused anchor: legal YAML, not worth a message
            warnings.simplefilter("ignore")
            tree = YAML(typ="rt").load(text)
    except MarkedYAMLError as error:
        raise InvalidFile([_syntax_problem(path, text, error)]) from None
    except ReaderError as error:  # a control character (NUL from a damaged stick): its line, one line of message
        line = text[: error.position].count("\n") + 1
        message = f"YAML syntax: character 0x{error.character:02x} is not allowed in a YAML file"
        raise InvalidFile([Problem(str(path), line, message)]) from None
    except Exception as error:  # ruamel raises a few unmarked errors (e.g. bad tags)
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise InvalidFile([Problem(str(path), None, f"YAML syntax: {first}")]) from None
    if not isinstance(tree, CommentedMap):
        shape = "a list" if isinstance(tree, list) else "a single value"
        kind = "empty" if tree is None else f"{shape}, not a mapping of keys"
        raise InvalidFile([Problem(str(path), 1, f"the document is {kind}")])
    return tree


BRACKETS = {"while parsing a flow mapping": "{", "while parsing a flow sequence": "["}


def _syntax_problem(path: Path, text: str, error: MarkedYAMLError) -> Problem:
    last = len(text.splitlines()) or 1  # the end of the stream lies past the last line

    def line_of_mark(mark: Any) -> int | None:
        return min(mark.line + 1, last) if mark is not None else None

    line = line_of_mark(error.problem_mark) or line_of_mark(error.context_mark)
    message = " ".join(str(part) for part in (error.problem, error.context) if part) or "invalid YAML"
    # an unclosed bracket is noticed lines later: point at the bracket
    opened = line_of_mark(error.context_mark)
    bracket = BRACKETS.get(str(error.context))
    if bracket and opened and opened != line:
        message = f"'{bracket}' is not closed (on line {line}: {error.problem})"
        line = opened
    return Problem(str(path), line, f"YAML syntax: {message}")


def plain(node: Any) -> Any:
    """Strip ruamel's wrapper types so that pydantic's strict mode sees plain Python values."""
    if isinstance(node, dict):
        return {plain(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    for kind in (bool, int, float, str):
        if isinstance(node, kind):
            return kind(node)
    return node


def line_of(tree: Any, location: Location) -> int | None:
    """The line of the deepest part of `location` that exists in the document."""
    line = _own_line(tree)
    node = tree
    for part in location:
        if isinstance(node, CommentedMap) and part in node:
            # a key brought in by a YAML merge (`<<: *base`) has no position of its own
            line = node.lc.data[part][0] + 1 if part in node.lc.data else line
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            line = node.lc.item(part)[0] + 1
            node = node[part]
        elif isinstance(part, str) and not isinstance(node, CommentedMap | CommentedSeq):
            break
        else:
            # a union branch name or a missing key: stay at the enclosing object
            continue
    return line


def _own_line(node: Any) -> int | None:
    return node.lc.line + 1 if hasattr(node, "lc") and node.lc.line is not None else None


def load_model(
    path: Path,
    model: type[M],
    checks: Callable[[Any], Iterable[tuple[Location, str]]] | None = None,
    vocabulary: Iterable[str] = (),
) -> M:
    """Parse and validate `path`; raise InvalidFile with every problem found.

    `checks` reads the plain document and runs even when pydantic fails, so one run of
    `klaspeil validate` shows the type errors and the cross-reference errors together.
    """
    tree = read_yaml(path)
    data = plain(tree)
    problems: list[Problem] = []
    result: M | None = None
    try:
        result = model.model_validate(data)
    except ValidationError as error:
        problems.extend(_pydantic_problems(str(path), tree, error, set(vocabulary)))
    if checks is not None:
        problems.extend(Problem(str(path), line_of(tree, where), message) for where, message in checks(data))
    if problems or result is None:
        raise InvalidFile(sorted(problems, key=lambda p: p.line or 0))
    return result


def _pydantic_problems(path: str, tree: Any, error: ValidationError, vocabulary: set[str]) -> Iterator[Problem]:
    for detail in error.errors(include_url=False):
        location = tuple(detail["loc"])
        line = line_of(tree, location)
        field = ".".join(str(p) for p in location) or "document"
        kind = detail["type"]
        if kind == "extra_forbidden":
            key = str(location[-1])
            hint = difflib.get_close_matches(key, sorted(vocabulary), n=1)
            suffix = f" (did you mean '{hint[0]}'?)" if hint else ""
            message = f"unknown key '{key}' in {'.'.join(str(p) for p in location[:-1]) or 'document'}{suffix}"
        elif kind == "missing":
            message = f"missing required key '{location[-1]}'" + (
                f" in {'.'.join(str(p) for p in location[:-1])}" if len(location) > 1 else ""
            )
        else:
            got = detail.get("input")
            shown = "" if isinstance(got, dict | list) else f" (got {got!r})"
            message = f"{field}: {detail['msg'][0].lower()}{detail['msg'][1:]}{shown}"
        yield Problem(path, line, message)
