"""Why an export refuses: one line for the user, naming the file or option at fault."""

from __future__ import annotations

from storage.errors import StorageError


class ExportError(StorageError):
    """An export that would be wrong if it went on (unknown instrument, unknown format, ...).

    A StorageError, so that `klaspeil` prints it as one line and exits 1.
    """
