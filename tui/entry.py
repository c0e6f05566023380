"""The `klaspeil` command's entry point: the pupil kiosk starts without click.

Importing click and defining every command costs ~30 ms (bench/startup.py), an eighth of what a
bare Textual app needs to show a question, and the kiosk's code screen must come about as fast
as a bare app. So `klaspeil [OPTIONS]` and `klaspeil demo [OPTIONS]` with the kiosk's few
options are read here, and everything else (another command, --help, an option or value this
does not know, a mistake) goes to click (tui/cli.py), which runs it or says what is wrong.
tests/test_entry.py holds both readings of the kiosk's options to be the same.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path
from typing import Any

from .data_folders import default_data_folder, demo_data_folder
from .guard import run_guarded

LANGUAGES = ("nl", "en")
KIOSK_OPTIONS = {"--data": "data", "--wave": "wave", "--class": "class_id", "--lang": "lang"}
DEMO_OPTIONS = {"--data": "data", "--lang": "lang"}
FLAG = "--high-contrast"


def start_kiosk(data: Path | None, wave: str | None, class_id: str | None, lang: str, high_contrast: bool) -> None:
    """`klaspeil`: the PIN, class and wave, then the pupils of that class."""
    gc.disable()  # start-up only makes long-lived objects; the app re-enables gc once loaded
    from .launch import run_pupil_app

    run_pupil_app(data or default_data_folder(), wave=wave, language=lang, demo=False,
                  class_id=class_id, high_contrast=high_contrast)


def start_demo(data: Path | None, lang: str, high_contrast: bool) -> None:
    """`klaspeil demo`: the kiosk on a ready demo study in its own data folder."""
    gc.disable()
    from .launch import run_pupil_app

    run_pupil_app(data or demo_data_folder(), wave=None, language=lang, demo=True, high_contrast=high_contrast)


def kiosk_arguments(argv: list[str]) -> tuple[str, dict[str, Any]] | None:
    """("kiosk" | "demo", keyword arguments of start_kiosk / start_demo), or None: let click read it."""
    command, known = ("demo", DEMO_OPTIONS) if argv[:1] == ["demo"] else ("kiosk", KIOSK_OPTIONS)
    words = argv[1:] if command == "demo" else argv
    given: dict[str, Any] = {name: None for name in known.values()} | {"lang": "nl", "high_contrast": False}
    position = 0
    while position < len(words):
        word = words[position]
        if word == FLAG:
            given["high_contrast"] = True
            position += 1
            continue
        option, equals, value = word.partition("=")
        if option not in known:
            return None  # another command, --help, an option of another command, a typo: click's to say
        if not equals:
            if position + 1 >= len(words):
                return None  # an option without its value: click says so
            value = words[position + 1]
            position += 1
        position += 1
        if value == "" or (option == "--lang" and value not in LANGUAGES):
            return None
        given[known[option]] = value
    if given["data"] is not None:
        data = Path(given["data"])
        if data.exists() and not data.is_dir():
            return None  # click refuses a file as the data folder, in its own words
        given["data"] = data
    return command, given


def main() -> None:
    arguments = kiosk_arguments(sys.argv[1:])
    if arguments is None:
        from .cli import main as commands

        commands()
        return
    command, given = arguments
    run_guarded(lambda: start_demo(**given) if command == "demo" else start_kiosk(**given))
