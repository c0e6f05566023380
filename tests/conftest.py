"""Fixtures shared by the test modules. Keep this small: a fixture lives here only when
more than one module needs it."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage import DataFolder


@pytest.fixture
def demo_folder(tmp_path: Path) -> DataFolder:
    """A fresh data folder holding the demo study (classes 6a and 7b, wave w1, pupil motivation)."""
    folder = DataFolder(tmp_path / "data")
    folder.install_demo()
    return folder
