"""Realistic synthetic sessions for every audience, in the session files the TUI writes.

The study ("sim") has classes of pupils, a teacher per class, and a team per school (every
4 classes: their teachers and 2-4 other staff). Each wave gives pupils every pupil
instrument, teachers every teacher instrument, the roster (the class teacher about each
pupil) and the team lists; instruments without scales (background, reflection) only in
the first wave, test results (actual_level_*) from the second wave on. Who answers what,
and how, comes from simulated_people.py and simulated_answers.py. Some items are skipped,
some answers changed or cleared, some sessions stopped part-way, some pupils absent. One
seeded random.Random drives everything: the same seed gives the same study, answers and
session ids.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from itertools import islice
from typing import Any

from tinydb import TinyDB
from tinydb.storages import MemoryStorage

from instruments import Instrument
from instruments.wording import TeacherTerm, fill

from . import codes
from .atomic import write_atomically
from .datafolder import DataFolder, instrument_fingerprint
from .errors import StorageError
from .session import Answer, SessionMeta
from .simulated_answers import Answers, iso
from .simulated_people import Person, Population, draw_population
from .study import Study
from .tinydb_storage import AtomicJSONStorage

STUDY_ID = "sim"
TEACHER_TERMS: tuple[TeacherTerm, ...] = ("juf", "meester", "juf/meester")
CLASSES_PER_SCHOOL = 4  # groep 5, 6, 7 and 8 of one school
OTHER_STAFF = (2, 4)  # team members besides the class teachers: intern begeleider, director, ...
LANGUAGE = "nl"
LAPTOPS = 5  # pupils of a class answering at the same time
FIRST_WAVE = date(2025, 10, 6)  # a Monday
WAVE_WEEKS = 17

P_ABSENT = 0.03  # per pupil per wave: no session

WRITERS = 2  # sessions written at the same time, while the next batch is planned
BATCH = 512  # sessions planned ahead of the writers


@dataclass(frozen=True)
class PlannedSession:
    """One session as the respondent answers it: every record of the audit trail, in order."""

    meta: SessionMeta  # finished_at set when the respondent reaches the end
    records: list[Answer]  # value None: an answer cleared

    @property
    def finished(self) -> bool:
        return self.meta.finished_at is not None

    @property
    def answered(self) -> int:
        current = {answer.item: answer.value for answer in self.records}
        return sum(value is not None for value in current.values())


def simulate(folder: DataFolder, classes: int, pupils: int, waves: int, seed: int) -> str:
    """Fill `folder` (locked by the caller) with a simulated study; returns a one-line summary."""
    rng = random.Random(seed)
    instruments = folder.instruments()
    study = _prepare_study(folder, _study_document(classes, pupils, waves, seed, instruments, rng))
    planned = plan(study, instruments, folder.device_id, rng)
    # Much of the writing is waiting for the file system, so a few sessions are written side
    # by side while the next batch is planned; at most two batches are held, so memory stays
    # flat however large the study. The plan already fixed every value, so the result does
    # not depend on the interleaving.
    n_sessions = n_finished = n_answers = 0
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        try:
            writing: list[Future[None]] = []
            while batch := list(islice(planned, BATCH)):
                for done in writing:
                    done.result()
                writing = [pool.submit(_write, folder, session) for session in batch]
                n_sessions += len(batch)
                n_finished += sum(p.finished for p in batch)
                n_answers += sum(p.answered for p in batch)
            for done in writing:
                done.result()
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise
    n_pupils = sum(len(c.pupils) for c in study.classes)
    return (
        f"simulated {_count(len(study.classes), 'class', 'classes')}, {_count(n_pupils, 'pupil')}, "
        f"{_count(len(study.waves), 'wave')}: {_count(n_sessions, 'session')} ({n_finished} finished), "
        f"{_count(n_answers, 'answer')} in {folder.root}"
    )


def wave_instruments(instruments: dict[str, Instrument], wave_no: int, waves: int) -> dict[str, list[str]]:
    """Instrument ids per audience for wave number `wave_no` (0-based) of `waves`."""
    chosen: dict[str, list[str]] = {}
    for instrument in sorted(instruments.values(), key=lambda i: i.id):
        once = not instrument.scales  # background and reflection: who someone is, asked once
        test_results = all(item.id.startswith("actual_level_") for item in instrument.items)
        if (once and wave_no > 0) or (test_results and wave_no == 0 and waves > 1):
            continue
        chosen.setdefault(instrument.audience, []).append(instrument.id)
    return chosen


@dataclass(frozen=True)
class Place:
    """Where sessions are answered: a class (pupils, its teacher, the roster) or a team."""

    study: str
    wave_id: str
    wave_no: int  # 0-based
    class_id: str  # a team's sessions carry the team id
    term: TeacherTerm  # fills {leerkracht} in the item texts


def plan(
    study: Study, instruments: dict[str, Instrument], device: str, rng: random.Random,
    population: Population | None = None,
) -> Iterator[PlannedSession]:
    """Every session of every respondent in every wave, drawn from `rng` in a fixed order
    (class by class, so that a large study never has to be held in memory at once).
    `population` (default: drawn here from `rng`) lets a test compare answers with the traits."""
    if population is None:
        population = draw_population(study, groep_of(study), rng)
    answers = Answers(rng)
    ready: list[PlannedSession] = []  # sessions of the class or team being planned
    fingerprints = {name: instrument_fingerprint(instrument) for name, instrument in instruments.items()}
    texts: dict[tuple[str, str], dict[str, str]] = {}  # what each item reads like, per teacher term

    def sessions(person: Person, audience: str, place: Place, respondent: str, start: datetime,
                 target: str | None = None) -> datetime:
        """The wave's instruments for `audience`, one after another from `start`; returns the end."""
        for instrument_id in study.wave(place.wave_id).instruments.get(audience, []):
            instrument = instruments[instrument_id]
            session_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            meta = SessionMeta(
                session_id=session_id, device_id=device, study=place.study, wave=place.wave_id,
                class_id=place.class_id, audience=audience, respondent=respondent, target=target,
                language=LANGUAGE, started_at=iso(start),
                # seeded from the session id, as the TUI does, so the order can be re-derived
                item_order=instrument.shown_order(random.Random(session_id)),
                item_texts=texts.setdefault((instrument_id, place.term), {
                    item.id: fill(item.text.get(LANGUAGE), LANGUAGE, place.term) for item in instrument.items
                }),
                **fingerprints[instrument_id],
            )
            records, finished_at = answers.session(meta, instrument, person, place.wave_no, place.term)
            ready.append(PlannedSession(meta.model_copy(update={"finished_at": finished_at}), records))
            start = max([start, *(datetime.fromisoformat(a.at) for a in records)]) + timedelta(seconds=20)
        return start

    for wave_no, wave in enumerate(study.waves):
        for class_no, school_class in enumerate(study.classes):
            place = Place(study.id, wave.id, wave_no, school_class.id, school_class.teacher_term)
            pupils = population.pupils[school_class.id]
            for k, pupil in enumerate(pupils):  # a few laptops, handed on from child to child
                if rng.random() >= P_ABSENT:
                    start = _visit(wave_no, class_no, hours=7.5 + 0.4 * (k // LAPTOPS))
                    sessions(pupil, "pupil", place, pupil.code, start)
            teacher = population.teachers.get(school_class.id)
            if teacher is not None:
                clock = sessions(teacher, "teacher", place, teacher.code, _visit(wave_no, class_no, hours=14))
                for pupil in pupils:  # the roster, pupil after pupil; absent pupils are rated too
                    clock = sessions(pupil, "roster", place, teacher.code, clock, target=pupil.code)
            yield from ready
            ready.clear()
        for school, team in enumerate(study.teams):  # after school, on the day of the school's visit
            place = Place(study.id, wave.id, wave_no, team.id, "juf/meester")
            for member in population.members[team.id]:
                sessions(member, "team", place, member.code, _visit(wave_no, CLASSES_PER_SCHOOL * school, hours=14.5))
            yield from ready
            ready.clear()


def _visit(wave_no: int, class_no: int, hours: float) -> datetime:
    """When a class is visited: waves 17 weeks apart (October, February, June), five classes a
    week, `hours` after midnight (UTC)."""
    day = FIRST_WAVE + timedelta(weeks=WAVE_WEEKS * wave_no + (class_no // 5) % 12, days=class_no % 5)
    return datetime.combine(day, time(), timezone.utc) + timedelta(hours=hours)


def _write(folder: DataFolder, planned: PlannedSession) -> None:
    """The session file as the TUI leaves it: the meta record (SessionMeta) and the audit
    trail (Answer records) as TinyDB tables, written by the sessions' own atomic storage. The
    TUI replaces the file once per answer; here it is written once, complete, which keeps a
    70-class simulation under a minute. Simulated data needs no fsync."""
    meta = planned.meta
    document = TinyDB(storage=MemoryStorage)
    document.table("meta").insert(meta.model_dump())
    if planned.records:
        document.table("answers").insert_multiple([answer.model_dump() for answer in planned.records])
    where = folder.respondent_folder(meta.study, meta.wave, meta.respondent)
    where.mkdir(parents=True, exist_ok=True)
    AtomicJSONStorage(where / f"{meta.session_id}.json", durable=False).write(document.storage.read())


def _groep(n: int) -> int:
    """The groep (5..8) of class number `n` (0-based): each school has one class of each."""
    return 5 + n % CLASSES_PER_SCHOOL


def groep_of(study: Study) -> dict[str, int]:
    """The groep (5..8) of every class of a simulated study, by class id."""
    return {school_class.id: _groep(n) for n, school_class in enumerate(study.classes)}


def _study_document(
    classes: int, pupils: int, waves: int, seed: int, instruments: dict[str, Instrument], rng: random.Random,
) -> dict[str, Any]:
    taken: set[str] = set()
    width = len(str(classes))

    def code() -> str:
        new = codes.new_code(taken, rng)  # type: ignore[arg-type]  # any .choice will do
        taken.add(new)
        return new

    school_classes = [
        {
            "id": f"c{n + 1:0{width}d}",
            "name": f"groep {_groep(n)}, klas {n + 1}",
            "teacher_term": TEACHER_TERMS[n % len(TEACHER_TERMS)],
            "teacher": code(),
            "pupils": [code() for _ in range(pupils)],
        }
        for n in range(classes)
    ]
    teams = [
        {
            "id": f"t{s + 1}",
            "name": f"team school {s + 1}",
            "members": [c["teacher"] for c in school_classes[start:start + CLASSES_PER_SCHOOL]]
            + [code() for _ in range(rng.randint(*OTHER_STAFF))],
        }
        for s, start in enumerate(range(0, classes, CLASSES_PER_SCHOOL))
    ]
    return {
        "id": STUDY_ID,
        "title": f"klaspeil simulation (seed {seed})",
        "classes": school_classes,
        "teams": teams,
        "waves": [
            {"id": f"w{n + 1}", "label": f"meting {n + 1}", "instruments": wave_instruments(instruments, n, waves)}
            for n in range(waves)
        ],
    }


def _prepare_study(folder: DataFolder, document: dict[str, Any]) -> Study:
    """Write the simulated study, or accept the same one already there; refuse anything else."""
    wanted = Study.model_validate(document)
    if folder.study_path.exists():
        there = folder.study()
        if there.id != STUDY_ID:
            raise StorageError(
                f"{folder.study_path}: holds study '{there.id}', not a simulation; simulate into a new or empty data folder"
            )
        if there != wanted:
            raise StorageError(
                f"{folder.study_path}: holds a simulation made with other options or another seed; use a new data folder"
            )
    existing = sum(1 for _ in folder.session_paths())
    if existing:
        raise StorageError(f"{folder.root}: already holds {_count(existing, 'session file')}; simulate into a new or empty data folder")
    if not folder.study_path.exists():
        write_atomically(folder.study_path, _study_yaml(document).encode("utf-8"))
    return folder.study()


def _study_yaml(document: dict[str, Any]) -> str:
    """The study as YAML a researcher can read; every string quoted (a code like 3E4797 is a number to YAML)."""
    q = json.dumps
    lines = [
        "# Written by `klaspeil simulate`: synthetic respondents, no real data.",
        f"id: {q(document['id'])}",
        f"title: {q(document['title'])}",
        "classes:",
    ]
    for c in document["classes"]:
        lines += [
            f"  - id: {q(c['id'])}",
            f"    name: {q(c['name'])}",
            f"    teacher_term: {q(c['teacher_term'])}",
            f"    teacher: {q(c['teacher'])}",
            f"    pupils: [{', '.join(map(q, c['pupils']))}]",
        ]
    lines.append("teams:")
    for t in document["teams"]:
        lines += [f"  - id: {q(t['id'])}", f"    name: {q(t['name'])}", f"    members: [{', '.join(map(q, t['members']))}]"]
    lines.append("waves:")
    for w in document["waves"]:
        lines += [f"  - id: {q(w['id'])}", f"    label: {q(w['label'])}", "    instruments:"]
        lines += [f"      {audience}: [{', '.join(map(q, ids))}]" for audience, ids in w["instruments"].items()]
    return "\n".join(lines) + "\n"


def _count(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else plural or singular + 's'}"
