"""End to end: the real `klaspeil demo` in a real terminal (tmux), answered like a pupil
would, then the session file on disk checked against the keys that were pressed."""

from __future__ import annotations

from pathlib import Path

from instruments import shipped
from storage import DataFolder, Session
from tmux import Terminal, item_shown, klaspeil_script, stop_with_pin, through_practice

PUPIL = "FNWW4F"
KEYS = [4, 2, 5, 1, 3, 5, 2, 4, 1]  # the digit pressed for the 1st, 2nd, ... item shown


def test_a_pupil_answers_the_demo_in_a_real_terminal_and_the_session_file_holds_the_keys(tmp_path: Path) -> None:
    klaspeil = klaspeil_script()
    data = tmp_path / "data"
    exit_status = tmp_path / "exit-status"
    sentences = {item.id: item.text.nl for item in shipped()["pupil_motivation"].items}

    terminal = Terminal(tmp_path)
    try:
        terminal.start_demo(klaspeil, data, exit_status)
        terminal.wait_for("Wat is jouw code?", "FNWW4F")  # the demo says which codes to try
        through_practice(terminal, PUPIL, "Emma")

        shown_order: list[str] = []
        for number, key in enumerate(KEYS, start=1):
            screen = terminal.wait_for(f"vraag {number} van 9")
            shown_order.append(item_shown(screen, sentences))
            terminal.press(str(key))
            terminal.wait_for(f"▶ {key}  ")  # marked as chosen, so saved
            terminal.press("Enter")

        terminal.wait_for("Dankjewel!")
        terminal.press("Space")
        terminal.wait_for("Wat is jouw code?", "bijvoorbeeld KT4MRX")  # the placeholder: an empty field

        paths = list(DataFolder(data).session_paths())
        assert len(paths) == 1, paths
        assert paths[0].relative_to(data).parts[:4] == ("sessions", "demo", "w1", PUPIL)
        session = Session(paths[0])
        assert session.meta.item_order == shown_order
        assert session.answers() == dict(zip(shown_order, KEYS))
        assert session.finished

        terminal.press("C-c")  # does nothing in the kiosk
        stop_with_pin(terminal, exit_status, "Alleen voor de juf, meester of onderzoeker")
    finally:
        terminal.kill()
