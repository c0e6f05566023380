"""Which keys the pupil app takes from Textual's defaults, and the terminal without signals.

Textual's App binds Ctrl+Q to quit and Ctrl+C to a "press Ctrl+Q to quit" notice; the
kiosk's bindings replace both (a subclass's binding for a key replaces its base's). Ctrl+Z and
Ctrl+\\ only reach the app as keys because the terminal's signal keys are off (ISIG cleared by
Textual's Linux driver unless TEXTUAL_ALLOW_SIGNALS is set): they are swallowed too, so no
screen's own key handling turns them into anything."""

from __future__ import annotations

import os

from textual.binding import Binding

TEACHER_KEYS = "ctrl+q,f12"

KIOSK_BINDINGS = [
    Binding(TEACHER_KEYS, "teacher", show=False, priority=True),
    Binding("ctrl+c,ctrl+z,ctrl+backslash", "ignore", show=False, priority=True, system=True),
]


class ForTeacher:
    """Marks a screen a teacher is using (PIN, menu, chooser): Ctrl+Q there opens no second prompt."""


def signals_off() -> None:
    """Make sure Ctrl+C, Ctrl+Z and Ctrl+\\ send no signal: Textual's driver keeps the terminal's
    signal keys on when TEXTUAL_ALLOW_SIGNALS is set in the environment."""
    os.environ.pop("TEXTUAL_ALLOW_SIGNALS", None)
