"""What was answered: the study, data folders, crash-safe session files and their integrity check.

Never imports textual (tests/test_import_hygiene.py holds it to that).
"""

from .check import check
from .datafolder import DataFolder, instrument_fingerprint
from .errors import CorruptFile, DataFolderBusy, StorageError, WriteFailed
from .session import Answer, Session, SessionMeta
from .study import SchoolClass, Study, Wave, load_study

__all__ = [
    "Answer", "CorruptFile", "DataFolder", "DataFolderBusy", "SchoolClass", "Session",
    "SessionMeta", "StorageError", "Study", "Wave", "WriteFailed", "check",
    "instrument_fingerprint", "load_study",
]
