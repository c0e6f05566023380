"""Package names loaded on first use (PEP 562), so that importing a package costs nothing
until one of its names is needed: the pupil app shows its first screen before pydantic loads."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any


def lazy_names(package: str, names: dict[str, str]) -> Callable[[str], Any]:
    """A module `__getattr__` for `package` that imports `name` from its submodule `names[name]`."""
    namespace = import_module(package).__dict__

    def __getattr__(name: str) -> Any:
        if name not in names:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(f".{names[name]}", package), name)
        namespace[name] = value  # found once, then an ordinary attribute
        return value

    return __getattr__
