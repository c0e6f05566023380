"""The read-aloud button and what pressing it (or L) does, for any pupil screen. The voice is
the app's one Speaker (tui/read_aloud.py), so a new reading anywhere stops the last one."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Button

from ..read_aloud import Speaker
from ..texts import text


class ReadAloudButton(Button, can_focus=False):
    """"🔊 Lees voor (L)": never focused, so Enter keeps meaning what it means on the screen."""

    def __init__(self, label: str) -> None:
        super().__init__(label, id="read-aloud", compact=True)


def speaker_of(screen: Screen[object]) -> Speaker | None:
    return getattr(screen.app, "speaker", None)  # PupilApp's


def read_aloud(screen: Screen[object], spoken: str, language: str) -> None:
    """Start reading `spoken`; where that cannot be, say so in a short notice."""
    speaker = speaker_of(screen)
    if speaker is None or not speaker.say(spoken):
        screen.notify(text(language, "read_aloud_unavailable"), severity="warning", timeout=4)


def silence(screen: Screen[object]) -> None:
    speaker = speaker_of(screen)
    if speaker is not None:
        speaker.stop()
