"""Where klaspeil keeps its data when `--data` does not say: $KLASPEIL_DATA, else the user data folder.

Free of click, so that the kiosk's fast start (tui/entry.py) and the command line agree on it.
"""

from __future__ import annotations

import os
from pathlib import Path


def default_data_folder() -> Path:
    if env := os.environ.get("KLASPEIL_DATA"):
        return Path(env)
    import platformdirs

    return platformdirs.user_data_path("klaspeil")


def demo_data_folder() -> Path:
    import platformdirs

    return platformdirs.user_data_path("klaspeil") / "demo"
