"""Checks that need the whole instrument, each answered with the location it comes from.

They read the plain document (dicts and lists), not the validated model, so that they run
even when pydantic found type errors elsewhere: a researcher sees every problem at once.
Anything malformed here is pydantic's to report; these checks skip it quietly.
A location is a path into the document, such as ("scales", 1, "items", 2), which the
loader turns into a line number.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

Location = tuple[str | int, ...]
Found = Iterator[tuple[Location, str]]


def problems(document: Any) -> Found:
    if not isinstance(document, dict):
        return
    responses = _entries(document, "response_scales")
    sections = _entries(document, "sections")
    items = [
        ((s, i), item)
        for s, section in sections
        for i, item in _entries(section, "items")
    ]
    scales = _entries(document, "scales")
    yield from _response_scale_problems(responses)
    yield from _duplicates("response scale", [(("response_scales", r), x) for r, x in responses])
    yield from _duplicates("section", [(("sections", s), x) for s, x in sections])
    yield from _duplicates("item", [(("sections", s, "items", i), x) for (s, i), x in items])
    yield from _duplicates("scale", [(("scales", k), x) for k, x in scales])
    known_responses = {x.get("id") for _, x in responses}
    for (s, i), item in items:
        response = item.get("response")
        if isinstance(response, str) and response not in known_responses:
            yield (
                ("sections", s, "items", i, "response"),
                f"item '{item.get('id')}' uses unknown response scale '{response}'",
            )
    item_responses = {x.get("id"): x.get("response") for _, x in items}
    yield from _scale_problems(scales, item_responses)


def _entries(node: Any, key: str) -> list[tuple[int, dict]]:
    """The (index, mapping) pairs of a list under `key`, skipping anything that is not a mapping."""
    value = node.get(key) if isinstance(node, dict) else None
    if not isinstance(value, list):
        return []
    return [(n, entry) for n, entry in enumerate(value) if isinstance(entry, dict)]


def _duplicates(kind: str, entries: list[tuple[Location, dict]]) -> Found:
    seen: set[Any] = set()
    for where, entry in entries:
        key = entry.get("id")
        if isinstance(key, str) and key in seen:
            yield where + ("id",), f"duplicate {kind} id '{key}'"
        seen.add(key)


def _response_scale_problems(responses: list[tuple[int, dict]]) -> Found:
    for r, scale in responses:
        where: Location = ("response_scales", r)
        low, high, labels = scale.get("min"), scale.get("max"), scale.get("labels")
        if not (_is_int(low) and _is_int(high)):
            continue
        if low >= high:
            yield where + ("max",), f"response scale '{scale.get('id')}': max {high} must be above min {low}"
            continue
        if not isinstance(labels, dict):
            continue
        expected, given = set(range(low, high + 1)), {k for k in labels if _is_int(k)}
        parts = []
        if missing := sorted(expected - given):
            parts.append(f"no label for {_listing(missing)}")
        if extra := sorted(given - expected):
            parts.append(f"label for {_listing(extra)} outside {low}..{high}")
        if parts:
            yield where + ("labels",), f"response scale '{scale.get('id')}': " + "; ".join(parts)


def _scale_problems(scales: list[tuple[int, dict]], item_responses: dict[Any, Any]) -> Found:
    for k, scale in scales:
        name = scale.get("id")
        members = scale.get("items")
        if not isinstance(members, list):
            continue
        for j, item_id in enumerate(members):
            if item_id not in item_responses:
                yield ("scales", k, "items", j), f"scale '{name}' names unknown item '{item_id}'"
            elif item_id in members[:j]:
                yield ("scales", k, "items", j), f"scale '{name}' names item '{item_id}' twice"
        min_valid = scale.get("min_valid")
        if _is_int(min_valid) and min_valid > len(members):
            yield (
                ("scales", k, "min_valid"),
                f"scale '{name}': min_valid {min_valid} is larger than its {len(members)} items",
            )
        responses = {item_responses[i] for i in members if i in item_responses}
        if len(responses) > 1:
            yield (
                ("scales", k, "items"),
                f"scale '{name}' mixes response scales {_listing(sorted(map(str, responses)))}; a mean needs one",
            )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _listing(values: list) -> str:
    return ", ".join(str(v) for v in values)
