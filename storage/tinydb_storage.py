"""A TinyDB storage that replaces its file atomically instead of rewriting it in place."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from .atomic import write_atomically
from .errors import CorruptFile, WriteFailed


class AtomicJSONStorage(Storage):
    """TinyDB's JSONStorage without its in-place rewrite: every write is a new file renamed over the old."""

    def __init__(self, path: str | Path, durable: bool = True) -> None:
        self.path = path if isinstance(path, Path) else Path(path)
        self.durable = durable

    def read(self) -> dict[str, dict[str, Any]] | None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:
            raise CorruptFile(f"{self.path}: cannot read ({error.strerror})") from None
        return decode_tables(self.path, raw)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        try:
            encoded = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        except (TypeError, ValueError) as error:  # a value JSON cannot hold: nothing was written
            raise WriteFailed(f"{self.path}: could not save ({error}); the previous version is kept") from error
        write_atomically(self.path, encoded, durable=self.durable)

    def close(self) -> None:
        pass


def decode_tables(path: Path, raw: bytes) -> dict[str, dict[str, Any]]:
    """The TinyDB tables of a session file's bytes (raises CorruptFile naming `path`): what the
    storage reads from disk, and what a merge reads from inside a bundle."""
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        line = getattr(error, "lineno", None)
        where = f"{path}:{line}" if line else str(path)
        raise CorruptFile(f"{where}: not a readable session file ({error.__class__.__name__})") from None
    except ValueError:  # json's own limit: an integer of more than 4,300 digits
        raise CorruptFile(f"{path}: not a readable session file (a number too long to read)") from None
    except RecursionError:  # brackets nested thousands deep: damage, never a session
        raise CorruptFile(f"{path}: not a readable session file (nested too deeply)") from None
    if not isinstance(data, dict):
        raise CorruptFile(f"{path}: not a readable session file (no tables)")
    if problem := _shape_problem(data):  # TinyDB itself would fail on it with a bare TypeError
        raise CorruptFile(f"{path}: not a readable session file ({problem})")
    return data


def _shape_problem(data: dict[str, Any]) -> str | None:
    """What keeps `data` from being TinyDB tables: {table: {numeric id: record mapping}}."""
    for name, table in data.items():
        if not isinstance(table, dict):
            return f"table '{name}' is not a set of records"
        for doc_id, record in table.items():
            if not doc_id.isdecimal():
                return f"table '{name}' has a record id '{doc_id}' that is not a number"
            if not isinstance(record, dict):
                return f"record {doc_id} of table '{name}' is not a mapping"
    return None
