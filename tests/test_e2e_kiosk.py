"""End to end, the kiosk as a class uses it: the real `klaspeil demo` in a real terminal (tmux,
100x30), two pupils in a row with keys alone (code, name check, practice item, the items, the
review of a skipped item, thank-you), a pupil's escape attempts in between, and the teacher's
way out. Then the session files on disk are checked against the keys that were pressed."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from instruments import shipped
from storage import DataFolder, Session
from tmux import WAIT, Terminal, answer, demo_in_tmux, item_shown, stop_with_pin, thanked, through_practice

PIN_PROMPT = "Alleen voor de juf, meester of onderzoeker"


@dataclass(frozen=True)
class Pupil:
    code: str
    name: str  # in the demo's local key file, never in a session
    class_id: str
    keys: list[int | None]  # the digit pressed on the 1st, 2nd, ... item shown; None: skipped with Enter
    in_review: int | None = None  # the digit given to the skipped item from the review


EMMA = Pupil("FNWW4F", "Emma", "6a", [4, 2, 5, 1, 3, 5, 2, 4, 1])
ADAM = Pupil("7V7NJA", "Adam", "7b", [2, 5, None, 3, 1, 4, 4, 2, 5], in_review=1)


def still_there(terminal: Terminal, exit_status: Path, *texts: str) -> None:
    """Half a second later the app still runs and shows `texts`."""
    time.sleep(0.5)
    assert not exit_status.exists(), f"klaspeil stopped:\n{terminal.screen()}"
    terminal.wait_for(*texts)


def prompt_closed(terminal: Terminal) -> str:
    """Wait until the PIN prompt (a layer over the pupil's screen) is gone; the screen then."""
    deadline = time.monotonic() + WAIT
    while PIN_PROMPT in (screen := terminal.screen()):
        assert time.monotonic() < deadline, f"the PIN prompt stayed after Escape:\n{screen}"
        time.sleep(0.05)
    return screen


def take_through(terminal: Terminal, pupil: Pupil, sentences: dict[str, str], exit_status: Path,
                 escape_at: int | None = None) -> dict[str, int]:
    """Answer the questionnaire as `pupil`; returns the answers given, by item id. At item
    `escape_at` the pupil tries Ctrl+C and Ctrl+Q (and closes the PIN prompt with Escape)."""
    terminal.wait_for("Wat is jouw code?", "bijvoorbeeld KT4MRX")  # an empty field, nothing of the previous pupil
    through_practice(terminal, pupil.code, pupil.name)

    given: dict[str, int] = {}
    skipped: str | None = None
    for number, key in enumerate(pupil.keys, start=1):
        screen = terminal.wait_for(f"vraag {number} van 9")
        item = item_shown(screen, sentences)
        if number == escape_at:
            terminal.press("C-c")
            still_there(terminal, exit_status, f"vraag {number} van 9", sentences[item])
            terminal.press("C-q")
            terminal.wait_for(PIN_PROMPT)
            terminal.press("Escape")  # back to the pupil, on the same item
            screen = prompt_closed(terminal)
            assert f"vraag {number} van 9" in screen and sentences[item] in screen, screen
        if key is None:
            skipped = item
            terminal.press("Enter")
        else:
            answer(terminal, key)
            given[item] = key

    if skipped is not None:
        assert pupil.in_review is not None
        terminal.wait_for("Je hebt 1 vraag overgeslagen.", sentences[skipped], "Klaar")
        terminal.press("Up")  # from Klaar to the skipped item
        terminal.wait_for(f"▶ vraag {pupil.keys.index(None) + 1}:")
        terminal.press("Enter")
        terminal.wait_for(sentences[skipped])
        answer(terminal, pupil.in_review)
        given[skipped] = pupil.in_review

    thanked(terminal)
    return given


def test_two_pupils_in_a_row_in_the_real_kiosk_and_only_the_pin_stops_it(tmp_path: Path) -> None:
    sentences = {item.id: item.text.nl for item in shipped()["pupil_motivation"].items}
    with demo_in_tmux(tmp_path) as demo:
        terminal, exit_status = demo.terminal, demo.exit_status
        given = {
            EMMA.code: take_through(terminal, EMMA, sentences, exit_status),
            ADAM.code: take_through(terminal, ADAM, sentences, exit_status, escape_at=5),
        }

        # at code entry too, the pupil's escapes leave the kiosk where it is
        terminal.press("C-c")
        still_there(terminal, exit_status, "Wat is jouw code?")
        terminal.press("C-q")
        terminal.wait_for(PIN_PROMPT)
        terminal.press("Escape")
        prompt_closed(terminal)
        still_there(terminal, exit_status, "Wat is jouw code?")

        # the teacher's way out: Ctrl+Q, the demo's PIN, Stoppen
        stop_with_pin(terminal, exit_status, PIN_PROMPT)

    data = demo.data
    paths = list(DataFolder(data).session_paths())
    assert sorted(path.relative_to(data).parts[:4] for path in paths) == sorted(
        ("sessions", "demo", "w1", pupil.code) for pupil in (EMMA, ADAM)
    ), paths
    for pupil in (EMMA, ADAM):
        path = next(path for path in paths if pupil.code in path.parts)
        session = Session(path)
        assert session.finished
        assert session.meta.class_id == pupil.class_id
        assert session.answers() == given[pupil.code]  # as typed; the practice answer is not among them
        assert len(given[pupil.code]) == 9
        assert pupil.name not in path.read_text(encoding="utf-8")  # names stay in the local key file
