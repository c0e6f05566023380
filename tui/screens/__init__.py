"""The screens of the pupil flow; each returns its result through `dismiss()`.

Loaded on first use (PEP 562): the code screen must not wait for the item screen's imports.
"""

from importlib import import_module
from typing import Any

_EXPORTS = {
    "CodeEntryScreen": "code_entry",
    "FarewellScreen": "farewell",
    "IntroductionScreen": "introduction",
    "ItemScreen": "item",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'tui.screens' has no attribute {name!r}")
    value = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    globals()[name] = value
    return value
