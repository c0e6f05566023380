"""What was answered: the study, data folders, crash-safe session files and their integrity check.

Never imports textual (tests/test_import_hygiene.py holds it to that). Names are loaded on
first use (PEP 562), so that importing `storage.errors` does not load pydantic.
"""

from instruments.lazy import lazy_names

_EXPORTS = {
    "DataFolder": "datafolder", "instrument_fingerprint": "datafolder",
    "CorruptFile": "errors", "DataFolderBusy": "errors", "StorageError": "errors", "WriteFailed": "errors",
    "Answer": "session", "Session": "session", "SessionMeta": "session",
    "SchoolClass": "study", "Study": "study", "Wave": "study", "load_study": "study",
}
__all__ = sorted(_EXPORTS)

__getattr__ = lazy_names(__name__, _EXPORTS)
