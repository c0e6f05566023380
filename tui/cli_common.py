"""What every `klaspeil` command shares: where the data folder is, and the options that say so.

Its own module so that command groups in other files (tui/cli_export.py, tui/cli_sync.py) can
use them without importing tui/cli.py, which registers those groups.
"""

from __future__ import annotations

import os
from pathlib import Path

import click


def default_data_folder() -> Path:
    if env := os.environ.get("KLASPEIL_DATA"):
        return Path(env)
    import platformdirs

    return platformdirs.user_data_path("klaspeil")


def demo_data_folder() -> Path:
    import platformdirs

    return platformdirs.user_data_path("klaspeil") / "demo"


high_contrast_option = click.option(
    "--high-contrast", is_flag=True, help="Black, white and yellow for pupils who see less well (F2 switches it)."
)

data_option = click.option(
    "--data",
    "data",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Data folder (default: $KLASPEIL_DATA or the user data folder).",
)
