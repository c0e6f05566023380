"""Checks that need the whole instrument, each answered with the location it comes from.

They read the plain document (dicts and lists), not the validated model, so that they run
even when pydantic found type errors elsewhere: a researcher sees every problem at once.
Anything malformed here is pydantic's to report; these checks skip it quietly.
A location is a path into the document, such as ("scales", 1, "items", 2), which the
loader turns into a line number.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import Any

from .item_rules import item_problems, scale_member_problem

Location = tuple[str | int, ...]
Found = Iterator[tuple[Location, str]]


def problems(document: Any) -> Found:
    if not isinstance(document, dict):
        return
    responses = entries(document, "response_scales")
    sections = entries(document, "sections")
    items = [
        ((s, i), item)
        for s, section in sections
        for i, item in entries(section, "items")
    ]
    scales = entries(document, "scales")
    yield from _response_scale_problems(responses)
    yield from duplicate_ids("response scale", [(("response_scales", r), x) for r, x in responses])
    yield from duplicate_ids("section", [(("sections", s), x) for s, x in sections])
    yield from duplicate_ids("item", [(("sections", s, "items", i), x) for (s, i), x in items])
    yield from duplicate_ids("scale", [(("scales", k), x) for k, x in scales])
    known_responses = {_id(x) for _, x in responses}
    response_kinds = {_id(x): x.get("kind", "ordinal") for _, x in responses if _id(x) is not None}
    for (s, i), item in items:
        yield from item_problems(("sections", s, "items", i), item, response_kinds)
        response = item.get("response")
        if isinstance(response, str) and response not in known_responses:
            yield (
                ("sections", s, "items", i, "response"),
                f"item '{item.get('id')}' uses unknown response scale '{response}'",
            )
    # ids and responses that are not text are pydantic's to report, an unknown response scale
    # was reported above: keep them out of the scale checks
    item_responses = {
        _id(x): response if (response := _text(x.get("response"))) in known_responses else None
        for _, x in items
        if _id(x) is not None
    }
    item_kinds = {
        _id(x): (x.get("kind", "options"), response_kinds.get(_text(x.get("response")) or ""))
        for _, x in items
        if _id(x) is not None
    }
    yield from _scale_problems(scales, item_responses, item_kinds)


def entries(node: Any, key: str) -> list[tuple[int, dict]]:
    """The (index, mapping) pairs of a list under `key`, skipping anything that is not a mapping
    (the index gives the line). Shared with storage/study.py."""
    value = node.get(key) if isinstance(node, dict) else None
    if not isinstance(value, list):
        return []
    return [(n, entry) for n, entry in enumerate(value) if isinstance(entry, dict)]


def duplicate_ids(kind: str, entries: list[tuple[Location, dict]]) -> Found:
    seen: set[str] = set()
    for where, entry in entries:
        key = _id(entry)
        if key is None:
            continue
        if key in seen:
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
        given = {k for k in labels if _is_int(k)}
        if scale.get("labelled") == "ends":
            for end in (low, high):
                if end not in given:
                    yield where + ("labels",), f"response scale '{scale.get('id')}': no label for its end {end}"
            for between in sorted(k for k in given if k not in (low, high)):
                yield (
                    where + ("labels", between),
                    f"response scale '{scale.get('id')}' is labelled at its ends only, but {between} has a label",
                )
            continue
        # never build the range itself: `max: 99999999999` must not exhaust memory
        if missing_count := high - low + 1 - sum(1 for k in given if low <= k <= high):
            missing = list(islice((v for v in range(low, high + 1) if v not in given), 5))
            more = f" and {missing_count - len(missing)} more" if missing_count > len(missing) else ""
            yield where + ("labels",), f"response scale '{scale.get('id')}': no label for {_listing(missing)}{more}"
        for extra in sorted(k for k in given if not low <= k <= high):
            yield (
                where + ("labels", extra),
                f"response scale '{scale.get('id')}': label for {extra} is outside {low}..{high}",
            )


def _scale_problems(
    scales: list[tuple[int, dict]], item_responses: dict[Any, Any], item_kinds: dict[Any, tuple[Any, Any]]
) -> Found:
    for k, scale in scales:
        name = scale.get("id")
        members = scale.get("items")
        if not isinstance(members, list):
            continue
        for j, item_id in enumerate(members):
            if not isinstance(item_id, str):
                continue
            if item_id not in item_responses:
                yield ("scales", k, "items", j), f"scale '{name}' names unknown item '{item_id}'"
            elif item_id in members[:j]:
                yield ("scales", k, "items", j), f"scale '{name}' names item '{item_id}' twice"
            elif problem := scale_member_problem(str(name), item_id, *item_kinds[item_id]):
                yield ("scales", k, "items", j), problem
        min_valid = scale.get("min_valid")
        if _is_int(min_valid) and min_valid > len(members):
            yield (
                ("scales", k, "min_valid"),
                f"scale '{name}': min_valid {min_valid} is larger than its {len(members)} items",
            )
        responses = {item_responses[i] for i in members if isinstance(i, str) and item_responses.get(i)}
        if len(responses) > 1:
            yield (
                ("scales", k, "items"),
                f"scale '{name}' mixes response scales {_listing(sorted(map(str, responses)))}; a mean needs one",
            )


def _id(entry: dict) -> str | None:
    return _text(entry.get("id"))


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _listing(values: list) -> str:
    return ", ".join(str(v) for v in values)
