"""What was answered: the study, data folders, crash-safe session files and their integrity check.

Never imports textual (tests/test_import_hygiene.py holds it to that). Names are loaded on
first use (PEP 562), so that importing `storage.errors` does not load pydantic.
"""

from importlib import import_module
from typing import Any

_EXPORTS = {
    "DataFolder": "datafolder", "instrument_fingerprint": "datafolder",
    "CorruptFile": "errors", "DataFolderBusy": "errors", "StorageError": "errors", "WriteFailed": "errors",
    "Answer": "session", "Session": "session", "SessionMeta": "session",
    "SchoolClass": "study", "Study": "study", "Wave": "study", "load_study": "study",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'storage' has no attribute {name!r}")
    value = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    globals()[name] = value
    return value
