"""End to end, a teacher's sitting in the real `klaspeil demo` in a real terminal (tmux, 100x30),
with keys alone: the teacher code at the kiosk's code entry, "Ja", the mindset list (six
statements on one page, typed as digits), then the quick ratings of every pupil of the demo
class in the grid (SES, expected reading, expected maths); the teacher stops with the PIN.
Then `klaspeil export` holds one roster row per pupil and rating in items_long.csv, with the
digits typed, and the teacher's own answers under the teacher's code."""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

from storage import DataFolder, Session
from tmux import demo_in_tmux, stop_with_pin

TEACHER = "UTERYA"  # class 6a of the demo study
PUPILS = ["FNWW4F", "FK33XF", "TYXVYR", "UKA3EG", "FMFUAC"]  # class 6a, in the study's order
MINDSET = [4, 2, 5, 1, 3, 4]  # the digits typed on the page of statements, top to bottom
RATINGS = {  # per pupil: SES (0 = 10), expected reading, expected maths
    "FNWW4F": (7, 4, 3),
    "FK33XF": (0, 5, 5),
    "TYXVYR": (3, 2, 1),
    "UKA3EG": (5, 3, 4),
    "FMFUAC": (6, 1, 2),
}
QUICK = ("ses_estimate", "expected_level_reading", "expected_level_maths")


def test_a_teacher_rates_the_demo_class_with_keys_alone_and_the_export_holds_every_rating(tmp_path: Path) -> None:
    with demo_in_tmux(tmp_path) as demo:
        terminal = demo.terminal
        terminal.wait_for("Wat is jouw code?")
        terminal.type(TEACHER)
        terminal.wait_for(TEACHER)
        terminal.press("Enter")
        terminal.wait_for("Bent u de leerkracht van groep 6a?")
        terminal.press("1")  # Ja
        terminal.wait_for("Beginnen")
        terminal.press("Enter")

        # the six statements on one page, in the order the session stored (read from it below)
        terminal.wait_for("vragen 1-6 van 6", "1 = helemaal mee oneens")
        for digit in MINDSET:  # each digit answers the statement with the cursor and moves on
            terminal.press(str(digit))
        terminal.press("Enter")

        # the quick ratings, cell by cell: digit, Enter (row by row)
        terminal.wait_for("Over uw leerlingen — groep 6a", "0 van 5 leerlingen klaar in deze tabel")
        for pupil in PUPILS:
            for digit in RATINGS[pupil]:
                terminal.press(str(digit))
                terminal.press("Enter")
        terminal.wait_for("leerling 1 van 5")  # past the grid: the first pupil's relationship page

        # the teacher stops here with the PIN (every rating is on disk already)
        stop_with_pin(terminal, demo.exit_status, "Typ de PIN.")

    klaspeil, data = demo.klaspeil, demo.data

    out = tmp_path / "export"
    done = subprocess.run([str(klaspeil), "export", "--data", str(data), "--out", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    with (out / "items_long.csv").open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    roster = [row for row in rows if row["audience"] == "roster"]
    assert sorted((row["target"], row["item"]) for row in roster) == sorted(
        (pupil, item) for pupil in PUPILS for item in QUICK
    ), "one row per pupil and quick rating"
    for row in roster:
        assert row["respondent"] == TEACHER and row["instrument"] == "roster_ratings"
        digit = RATINGS[row["target"]][QUICK.index(row["item"])]
        assert int(row["value"]) == (10 if digit == 0 else digit), row
    stored = [Session(path) for path in DataFolder(data).session_paths()]
    (session,) = [s for s in stored if s.meta.instrument == "teacher_mindset"]
    teacher = {row["item"]: int(row["value"]) for row in rows if row["audience"] == "teacher"}
    assert teacher == dict(zip(session.meta.item_order, MINDSET))
    assert session.finished
    assert all(row["respondent"] == TEACHER for row in rows if row["audience"] == "teacher")

