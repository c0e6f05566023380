"""What can be asked: instrument models, the YAML loader and the shipped item bank.

Never imports textual (tests/test_import_hygiene.py holds it to that). Names are loaded on
first use (PEP 562), so that `from instruments.problems import InvalidFile` stays cheap for
the command line's start-up.
"""

from importlib import import_module
from typing import Any

_EXPORTS = {
    "Audience": "models", "Instrument": "models", "Item": "models", "ResponseScale": "models",
    "Scale": "models", "Section": "models", "Text": "models",
    "content_hash": "catalog", "load_instrument": "catalog", "shipped": "catalog", "validate": "catalog",
    "InvalidFile": "problems", "Problem": "problems",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'instruments' has no attribute {name!r}")
    value = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    globals()[name] = value
    return value
