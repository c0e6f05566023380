"""The options every `klaspeil` command shares (where the data folder is: tui/data_folders.py).

Its own module so that command groups in other files (tui/cli_export.py, tui/cli_sync.py) can
use them without importing tui/cli.py, which registers those groups.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from storage.errors import StorageError

high_contrast_option = click.option(
    "--high-contrast", is_flag=True, help="Black, white and yellow for pupils who see less well (F2 switches it)."
)

data_option = click.option(
    "--data",
    "data",
    # no file_okay=False: click's refusal is a three-line usage error; DataFolder says it in one
    type=click.Path(path_type=Path),
    default=None,
    help="Data folder (default: $KLASPEIL_DATA or the user data folder).",
)


def prompt_secret(text: str, *, what: str, stdin_option: str, confirm: str | None = None) -> str:
    """click.prompt with hidden input, but only on a terminal: without one, getpass prints its
    several-line warning and reads an echoed line, so refuse in one line naming the option."""
    if not sys.stdin.isatty():
        raise StorageError(f"no terminal to ask for the {what} on; give it on standard input with {stdin_option}")
    return str(click.prompt(text, hide_input=True, confirmation_prompt=confirm or False))


def file_out(_ctx: click.Context, _param: click.Parameter, text: str | None) -> Path | None:
    """--out FILE as a Path, refusing a name that ends in /: Path() drops the / and the file of
    that name would be overwritten, where the user meant a folder."""
    if text is not None and text.endswith(("/", os.sep)):
        raise StorageError(f"{text}: ends in /, so a folder; give a file name")
    return None if text is None else Path(text)
