"""Kill (SIGKILL) a process that is writing answers, hundreds of times at random moments;
afterwards every answer it acknowledged as saved must be in its session file, and every
session file must be readable.

Each round forks a writer that takes the data folder's lock and creates, resumes, answers
and finishes sessions through DataFolder and Session, as the TUI does. After each call
returns, the writer writes an acknowledgement line to a pipe: "this is saved" is what the
TUI tells a pupil by showing the next item. The parent kills the writer after a random
delay, or just after it announces a Session.create or a finish(), then reads every
acknowledgement the writer got out before it died. Forking keeps a round at a few
milliseconds, so hundreds of rounds fit in seconds.
"""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from instruments import shipped
from storage import DataFolder, Session, SessionMeta, instrument_fingerprint
from storage.check import check
from storage.codes import new_code

ROUNDS = 240
MAX_DELAY = 0.030  # seconds until the kill in a "random moment" round
WRITER_LIFETIME = 5.0  # a writer that is never killed stops by itself, and the test fails
STUDY, WAVE = "demo", "w1"


@dataclass(frozen=True)
class Plan:
    """What every writer needs to make sessions: the fixed part of the metadata."""

    root: Path
    meta: dict  # device, study, wave, audience, instrument fingerprint
    items: list[str]
    classes: list[str]


@dataclass
class Acknowledged:
    """What the writers said was saved, as read from their pipes."""

    sessions: dict[str, Path] = field(default_factory=dict)  # session id -> file
    answers: list[tuple[str, str, int | None, int]] = field(default_factory=list)  # id, item, value, token
    finished: set[str] = field(default_factory=set)
    killed_inside: Counter[str] = field(default_factory=Counter)  # create / record / finish
    errors: list[str] = field(default_factory=list)

    def read(self, lines: list[str]) -> None:
        begun: str | None = None
        for line in lines:
            kind, *rest = line.split(" ")
            if kind == "created":
                self.sessions[rest[0]] = Path(rest[1])
            elif kind == "answer":
                session_id, item, value, token = rest
                self.answers.append((session_id, item, None if value == "-" else int(value), int(token)))
            elif kind == "finished":
                self.finished.add(rest[0])
            elif kind == "error":
                self.errors.append(line)
            begun = kind.removeprefix("begin-") if kind.startswith("begin-") else None
        if begun:  # the last thing the writer said was that it was about to do this
            self.killed_inside[begun] += 1

    def unfinished(self) -> list[Path]:
        return [path for sid, path in self.sessions.items() if sid not in self.finished]


def writer(plan: Plan, pipe: int, seed: int, resumable: list[Path]) -> None:
    """Answer questionnaires until killed, acknowledging every call after it returns."""

    def say(line: str) -> None:
        os.write(pipe, (line + "\n").encode())  # shorter than PIPE_BUF: one write, never torn

    rng = random.Random(seed)
    token = seed * 1_000_000  # unique per record over all rounds; shown_ms carries it into the file
    folder = DataFolder(plan.root).lock()
    say("locked")
    stop_at = time.monotonic() + WRITER_LIFETIME
    while time.monotonic() < stop_at:
        if resumable and rng.random() < 0.3:  # a pupil logs in again and resumes
            session = Session(resumable.pop(rng.randrange(len(resumable))))
            session_id = session.meta.session_id
        else:
            meta = SessionMeta(
                **plan.meta, class_id=rng.choice(plan.classes), respondent=new_code(rng=rng),
                item_order=rng.sample(plan.items, k=len(plan.items)),
            )
            session_id = meta.session_id
            say(f"begin-create {session_id}")
            session = folder.new_session(meta)
            say(f"created {session_id} {session.path}")
        order = session.meta.item_order
        start = session.first_unanswered()
        for item in order[start:rng.randint(start, len(order))]:
            for _ in range(2 if rng.random() < 0.1 else 1):  # sometimes changes the answer right away
                value = None if rng.random() < 0.05 else rng.randint(1, 5)
                token += 1
                say(f"begin-record {session_id}")
                session.record(item, value, shown_ms=token)
                say(f"answer {session_id} {item} {'-' if value is None else value} {token}")
        if session.first_unanswered() == len(order) and rng.random() < 0.8:
            say(f"begin-finish {session_id}")
            session.finish()
            say(f"finished {session_id}")
    say("error: the writer was never killed")


def run_round(plan: Plan, seed: int, acknowledged: Acknowledged) -> None:
    """One writer, killed at a moment chosen by `seed`."""
    rng = random.Random(-seed)
    mode = rng.choices(["moment", "create", "finish"], weights=[6, 2, 2])[0]
    marker = {"create": b"begin-create", "finish": b"begin-finish"}.get(mode)
    nth = rng.randint(1, 3)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the writer; never returns into pytest
        try:
            os.close(read_end)
            writer(plan, write_end, seed, acknowledged.unfinished())
        except BaseException as error:  # noqa: BLE001 - the parent fails the test on it
            os.write(write_end, f"error: {error!r}\n".encode())
        finally:
            os._exit(1)
    os.close(write_end)
    deadline = time.monotonic() + (rng.uniform(0, MAX_DELAY) if marker is None else 2.0)
    received = b""
    while True:
        ready, _, _ = select.select([read_end], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:  # the random moment (or a marker that never came)
            break
        chunk = os.read(read_end, 65536)
        if not chunk:  # the writer ended by itself: reported below
            break
        received += chunk
        if marker is not None and received.count(marker) >= nth:
            time.sleep(rng.uniform(0, 0.002))  # somewhere inside the call
            break
    os.kill(pid, signal.SIGKILL)
    while chunk := os.read(read_end, 65536):  # what the writer got out before it died
        received += chunk
    os.close(read_end)
    _, status = os.waitpid(pid, 0)
    lines = received.decode().splitlines()
    acknowledged.read(lines)
    if not (os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL):
        acknowledged.errors.append(f"round {seed}: writer exited with status {status}: {lines[-3:]}")


def test_acknowledged_answers_survive_sigkill_at_random_moments(tmp_path: Path) -> None:
    folder = DataFolder(tmp_path / "data")
    folder.install_demo()
    instrument = shipped()["pupil_motivation"]
    plan = Plan(
        root=folder.root,
        meta={"device_id": folder.device_id, "study": STUDY, "wave": WAVE, "audience": "pupil",
              **instrument_fingerprint(instrument)},
        items=[item.id for item in instrument.items],
        classes=[c.id for c in folder.study().classes],
    )
    acknowledged = Acknowledged()
    started = time.monotonic()
    for seed in range(1, ROUNDS + 1):
        run_round(plan, seed, acknowledged)
    elapsed = time.monotonic() - started

    assert acknowledged.errors == []
    # the kills landed in every kind of call, not only between them
    assert acknowledged.killed_inside["create"] > 0
    assert acknowledged.killed_inside["finish"] > 0
    assert acknowledged.killed_inside["record"] > 0
    assert len(acknowledged.answers) > ROUNDS  # on average more than one saved answer per round

    # every session file is readable, including those created just before a kill (never acknowledged)
    files = list(folder.session_paths())
    assert set(acknowledged.sessions.values()) <= set(files)
    stored = {}
    for path in files:
        session = Session(path)
        stored[session.meta.session_id] = (session.meta, session.history())
    # every acknowledged answer is in its session file, with its value, in the order given
    for session_id, item, value, token in acknowledged.answers:
        _, history = stored[session_id]
        assert [(a.item, a.value) for a in history if a.shown_ms == token] == [(item, value)]
    for meta, history in stored.values():
        tokens = [answer.shown_ms for answer in history]
        assert tokens == sorted(tokens)
    assert all(stored[sid][0].finished_at is not None for sid in acknowledged.finished)
    # a kill can lose the acknowledgement of at most one save, never the other way round
    acknowledged_tokens = {token for *_, token in acknowledged.answers}
    unacknowledged = sum(1 for _, history in stored.values() for a in history if a.shown_ms not in acknowledged_tokens)
    assert unacknowledged <= ROUNDS

    # leftovers of interrupted writes are not sessions: the check ignores them
    leftover = folder.root / "sessions" / STUDY / WAVE / "XXXXXX" / ".half-written.json.999999.tmp"
    leftover.parent.mkdir(parents=True, exist_ok=True)
    leftover.write_bytes(b'{"meta": {"1": {"format": 1, "sess')
    temporaries = list((folder.root / "sessions").rglob("*.tmp"))
    assert list(check(folder)) == []
    done = subprocess.run(
        [str(Path(sys.executable).with_name("klaspeil")), "check", "--data", str(folder.root)],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"ok: {len(files)} session file(s)" in done.stderr

    print(
        f"\n{ROUNDS} rounds in {elapsed:.1f} s; {len(acknowledged.answers)} acknowledged answers checked "
        f"in {len(files)} session files ({len(acknowledged.finished)} finished); "
        f"killed inside: {dict(acknowledged.killed_inside)}; {unacknowledged} saved but unacknowledged; "
        f"{len(temporaries) - 1} temporary files left by kills"
    )
