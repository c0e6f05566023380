"""Read a YAML file into a pydantic model, reporting every problem as `path:line: message`.

ruamel.yaml's round-trip loader remembers where every key and list entry stands, so a
pydantic error location such as ("scales", 1, "min_valid") can be turned into a line.
Used for instrument files here and for `study.yaml` in storage.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from .problems import InvalidFile, Problem

Location = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)


def read_yaml(path: Path) -> CommentedMap:
    """The document as a round-trip tree (dicts and lists that know their lines)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidFile([Problem(str(path), None, "file not found")]) from None
    except UnicodeDecodeError as error:
        raise InvalidFile([Problem(str(path), None, f"not UTF-8 text ({error.reason})")]) from None
    except OSError as error:
        raise InvalidFile([Problem(str(path), None, f"cannot read: {error.strerror}")]) from None
    try:
        tree = YAML(typ="rt").load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        message = " ".join(str(part) for part in (error.problem, error.context) if part) or "invalid YAML"
        raise InvalidFile([Problem(str(path), line, f"YAML syntax: {message}")]) from None
    except Exception as error:  # ruamel raises a few unmarked errors (e.g. bad tags)
        raise InvalidFile([Problem(str(path), None, f"YAML syntax: {error}")]) from None
    if not isinstance(tree, CommentedMap):
        kind = "empty" if tree is None else f"a {type(tree).__name__}, not a mapping of keys"
        raise InvalidFile([Problem(str(path), 1, f"the document is {kind}")])
    return tree


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
            line = node.lc.key(part)[0] + 1
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
