"""The options every `klaspeil` command shares (where the data folder is: tui/data_folders.py).

Its own module so that command groups in other files (tui/cli_export.py, tui/cli_sync.py) can
use them without importing tui/cli.py, which registers those groups.
"""

from __future__ import annotations

from pathlib import Path

import click

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
