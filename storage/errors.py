"""Errors that reach a user as one line naming the file, never as a traceback."""

from __future__ import annotations


class StorageError(Exception):
    """Something about stored data went wrong; str() is the one-line message for the user."""


class WriteFailed(StorageError):
    """A save did not complete; the previous version of the file is intact."""


class CorruptFile(StorageError):
    """A stored file cannot be read as what it should be."""


class DataFolderBusy(StorageError):
    """Another klaspeil process holds the data folder's lock."""
