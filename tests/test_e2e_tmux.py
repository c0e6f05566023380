"""End to end: the real `klaspeil demo` in a real terminal (tmux), answered like a pupil
would, then the session file on disk checked against the keys that were pressed."""

from __future__ import annotations

from pathlib import Path

from instruments import shipped
from storage import DataFolder, Session
from tmux import answer, demo_in_tmux, item_shown, stop_with_pin, thanked, through_practice

PUPIL = "FNWW4F"
KEYS = [4, 2, 5, 1, 3, 5, 2, 4, 1]  # the digit pressed for the 1st, 2nd, ... item shown


def test_a_pupil_answers_the_demo_in_a_real_terminal_and_the_session_file_holds_the_keys(tmp_path: Path) -> None:
    sentences = {item.id: item.text.nl for item in shipped()["pupil_motivation"].items}
    with demo_in_tmux(tmp_path) as demo:
        terminal = demo.terminal
        terminal.wait_for("Wat is jouw code?", "FNWW4F")  # the demo says which codes to try
        through_practice(terminal, PUPIL, "Emma")

        shown_order: list[str] = []
        for number, key in enumerate(KEYS, start=1):
            screen = terminal.wait_for(f"vraag {number} van 9")
            shown_order.append(item_shown(screen, sentences))
            answer(terminal, key)
        thanked(terminal)

        paths = list(DataFolder(demo.data).session_paths())
        assert len(paths) == 1, paths
        assert paths[0].relative_to(demo.data).parts[:4] == ("sessions", "demo", "w1", PUPIL)
        session = Session(paths[0])
        assert session.meta.item_order == shown_order
        assert session.answers() == dict(zip(shown_order, KEYS))
        assert session.finished

        terminal.press("C-c")  # does nothing in the kiosk
        stop_with_pin(terminal, demo.exit_status, "Alleen voor de juf, meester of onderzoeker")
