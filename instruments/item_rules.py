"""What each kind of item must and must not say, checked on the plain document (see consistency.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .wording import unknown_placeholders

Location = tuple[str | int, ...]
Found = Iterator[tuple[Location, str]]

ONLY_FOR = {"response": "options", "min": "number", "max": "number", "unit": "number", "max_length": "text"}


def item_problems(where: Location, item: dict[str, Any], response_kinds: dict[str, Any]) -> Found:
    """Problems of one item at `where`; `response_kinds` maps known response scale ids to their kind."""
    name, kind = item.get("id"), item.get("kind", "options")
    if kind not in ("options", "number", "text"):
        return  # pydantic reports the unknown kind
    for key, owner in ONLY_FOR.items():
        if key in item and owner != kind:
            yield where + (key,), f"item '{name}': '{key}' is for {owner} items, and this is a {kind} item"
    if kind == "options" and "response" not in item:
        yield where, f"item '{name}' needs 'response:', the id of one of the response scales"
    if kind == "number":
        low, high = item.get("min"), item.get("max")
        if "min" not in item or "max" not in item:
            yield where, f"item '{name}': a number item needs both 'min:' and 'max:'"
        elif _is_int(low) and _is_int(high) and low >= high:
            yield where + ("max",), f"item '{name}': max {high} must be above min {low}"
    if item.get("reverse") is True:
        response = item.get("response")
        if kind != "options":
            yield where + ("reverse",), f"item '{name}': only items on an ordinal response scale can be reverse keyed"
        elif isinstance(response, str) and response_kinds.get(response) == "nominal":
            yield where + ("reverse",), f"item '{name}': '{response}' is a nominal scale (a choice); it cannot be reverse keyed"
    text = item.get("text")
    if isinstance(text, dict):
        for language in ("nl", "en"):
            if isinstance(text.get(language), str):
                for unknown in unknown_placeholders(text[language], language):
                    yield where + ("text", language), f"item '{name}': unknown placeholder '{{{unknown}}}' in the {language} text"


def scale_member_problem(scale: str, item: str, kind: Any, response_kind: Any) -> str | None:
    """Why `item` cannot count towards the mean of `scale`, if it cannot."""
    if kind in ("number", "text"):
        return f"scale '{scale}' includes '{item}', a {kind} item; only items on an ordinal response scale can be averaged"
    if response_kind == "nominal":
        return f"scale '{scale}' includes '{item}', whose answers are the codes of a choice; they cannot be averaged"
    return None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
