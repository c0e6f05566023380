"""Realistic synthetic sessions, written through the same storage calls the TUI makes.

Each pupil has a stable level per scale (autonomous motivation tends to be higher than
controlled; pupils and classes differ), which drifts a little from wave to wave. An answer
is that level plus the item's own pull plus noise, rounded and clipped to the response
range, so items of one scale correlate (Cronbach's alpha about 0.75-0.85) and items of
different scales much less. Some items are skipped, some answers changed or cleared, some
pupils stop part-way or are absent. One seeded random.Random drives everything: the same
seed gives the same study, answers and session ids.
"""

from __future__ import annotations

import json
import math
import random
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from instruments import Instrument

from . import codes
from .atomic import write_atomically
from .datafolder import DataFolder, instrument_fingerprint
from .errors import StorageError
from .session import SessionMeta
from .study import Study

STUDY_ID = "sim"
INSTRUMENTS = {"pupil": ["pupil_motivation"]}
TEACHER_TERMS = ("juf", "meester", "juf/meester")

# Levels on a 1..5 scale, mapped onto other response ranges. Tuned by hand against the
# alpha and correlations that tests/test_simulate.py checks.
LEVEL = {"autonomous_motivation": 3.8, "controlled_motivation": 2.6}
DEFAULT_LEVEL = 3.0
PUPIL_SD = 0.75  # spread of stable levels between pupils
SHARED = 0.3  # part of a pupil's level common to all scales: the cross-scale correlation
CLASS_SD = 0.25  # classes differ a little
DRIFT_SD = 0.3  # change of a pupil's level from one wave to the next
ITEM_SD = 0.3  # some items are easier to agree with than others
NOISE_SD = 0.8  # everything else about one answer

P_ABSENT = 0.03  # per pupil per wave: no session
P_UNFINISHED = 0.05  # per session: stops part-way
P_SKIP = 0.03  # per item
P_CHANGE = 0.02  # per answer: goes back and picks another option
P_CLEAR = 0.005  # per answer: goes back and clears it

WRITERS = 4  # sessions written at the same time


@dataclass
class Pupil:
    code: str
    class_effect: dict[str, float]
    rng: random.Random
    general: float = 0.0
    walks: dict[str, list[float]] = field(default_factory=dict)

    def level(self, scale: str, wave: int) -> float:
        """This pupil's level on `scale` in wave number `wave` (0-based), on a 1..5 scale."""
        walk = self.walks.get(scale)
        if walk is None:
            own = math.sqrt(SHARED) * self.general + math.sqrt(1 - SHARED) * self.rng.gauss(0, 1)
            class_effect = self.class_effect.setdefault(scale, self.rng.gauss(0, CLASS_SD))
            walk = self.walks[scale] = [LEVEL.get(scale, DEFAULT_LEVEL) + class_effect + PUPIL_SD * own]
        while len(walk) <= wave:
            walk.append(walk[-1] + self.rng.gauss(0, DRIFT_SD))
        return walk[wave]


@dataclass(frozen=True)
class PlannedSession:
    """One session as the pupil will answer it: every record of the audit trail, in order."""

    meta: SessionMeta
    records: list[tuple[str, int | None, int]]  # item, value (None: cleared), shown_ms
    finished: bool

    @property
    def answered(self) -> int:
        current = {item: value for item, value, _ in self.records}
        return sum(value is not None for value in current.values())


def simulate(folder: DataFolder, classes: int, pupils: int, waves: int, seed: int) -> str:
    """Fill `folder` (locked by the caller) with a simulated study; returns a one-line summary."""
    rng = random.Random(seed)
    study = _prepare_study(folder, _study_document(classes, pupils, waves, seed, rng))
    planned = plan(study, folder.instruments(), folder.device_id, rng)
    # Every answer is its own atomic file replacement, as in the TUI; most of that time is
    # waiting for the file system, so a few sessions are written side by side. The plan
    # above already fixed every value, so the result does not depend on the interleaving.
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        try:
            for _ in pool.map(lambda session: _write(folder, session), planned):
                pass
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise
    n_pupils = sum(len(c.pupils) for c in study.classes)
    return (
        f"simulated {_count(len(study.classes), 'class', 'classes')}, {_count(n_pupils, 'pupil')}, "
        f"{_count(len(study.waves), 'wave')}: {_count(len(planned), 'session')} "
        f"({sum(p.finished for p in planned)} finished), "
        f"{_count(sum(p.answered for p in planned), 'answer')} in {folder.root}"
    )


def plan(study: Study, instruments: dict[str, Instrument], device: str, rng: random.Random) -> list[PlannedSession]:
    """Every session of the study's pupils in every wave, drawn from `rng` in a fixed order."""
    item_pull: dict[tuple[str, str], float] = {}
    class_effects: dict[str, dict[str, float]] = {c.id: {} for c in study.classes}
    roster = [
        (school_class, Pupil(code, class_effects[school_class.id], rng, rng.gauss(0, 1)))
        for school_class in study.classes
        for code in school_class.pupils
    ]
    planned: list[PlannedSession] = []
    for wave_no, wave in enumerate(study.waves):
        for school_class, pupil in roster:
            if rng.random() < P_ABSENT:
                continue
            for instrument_id in wave.instruments.get("pupil", []):
                instrument = instruments[instrument_id]
                session_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
                meta = SessionMeta(
                    session_id=session_id, device_id=device, study=study.id, wave=wave.id,
                    class_id=school_class.id, audience="pupil", respondent=pupil.code,
                    # seeded from the session id, as the TUI does, so the order can be re-derived
                    item_order=instrument.shown_order(random.Random(session_id)),
                    **instrument_fingerprint(instrument),
                )
                planned.append(_answer_session(meta, instrument, pupil, wave_no, item_pull, rng))
    return planned


def _answer_session(
    meta: SessionMeta, instrument: Instrument, pupil: Pupil, wave_no: int,
    item_pull: dict[tuple[str, str], float], rng: random.Random,
) -> PlannedSession:
    """How this pupil answers this session: skips, changes of mind, maybe stopping part-way."""
    scale_of = {item_id: scale.id for scale in reversed(instrument.scales) for item_id in scale.items}
    finished = rng.random() >= P_UNFINISHED
    stop = len(meta.item_order) if finished else rng.randrange(len(meta.item_order))
    records: list[tuple[str, int | None, int]] = []
    for item_id in meta.item_order[:stop]:
        if rng.random() < P_SKIP:
            continue
        item = instrument.item(item_id)
        response = instrument.response_for(item)
        pull = item_pull.setdefault((instrument.id, item_id), rng.gauss(0, ITEM_SD))
        latent = pupil.level(scale_of.get(item_id, item_id), wave_no) + pull + rng.gauss(0, NOISE_SD)
        keyed = _on_range(latent, response.min, response.max)
        value = response.reverse(keyed) if item.reverse else keyed
        records.append((item_id, value, _shown_ms(rng)))
        if rng.random() < P_CHANGE:
            other = min(response.max, max(response.min, value + rng.choice((-1, 1))))
            records.append((item_id, other, _shown_ms(rng)))
        elif rng.random() < P_CLEAR:
            records.append((item_id, None, _shown_ms(rng)))
    return PlannedSession(meta, records, finished)


def _write(folder: DataFolder, planned: PlannedSession) -> None:
    """Through the calls the TUI makes. Simulated data needs no fsync; every write is still
    a whole-file atomic replacement."""
    session = folder.new_session(planned.meta, durable=False)
    for item, value, shown_ms in planned.records:
        session.record(item, value, shown_ms=shown_ms)
    if planned.finished:
        session.finish()


def _on_range(latent: float, low: int, high: int) -> int:
    """A level on the 1..5 scale as an option of the low..high range, rounded and clipped."""
    value = round(low + (latent - 1) * (high - low) / 4)
    return min(high, max(low, value))


def _shown_ms(rng: random.Random) -> int:
    """Reading time of one item: mostly 2-5 seconds, a slow reader up to 9."""
    return int(min(9000, max(1500, rng.lognormvariate(math.log(3200), 0.4))))


def _study_document(classes: int, pupils: int, waves: int, seed: int, rng: random.Random) -> dict[str, Any]:
    taken: set[str] = set()
    width = len(str(classes))

    def code() -> str:
        new = codes.new_code(taken, rng)  # type: ignore[arg-type]  # any .choice will do
        taken.add(new)
        return new

    return {
        "id": STUDY_ID,
        "title": f"klaspeil simulation (seed {seed})",
        "classes": [
            {
                "id": f"c{n:0{width}d}",
                "name": f"groep {5 + (n - 1) % 4}, klas {n}",
                "teacher_term": TEACHER_TERMS[(n - 1) % len(TEACHER_TERMS)],
                "teacher": code(),
                "pupils": [code() for _ in range(pupils)],
            }
            for n in range(1, classes + 1)
        ],
        "waves": [
            {"id": f"w{n}", "label": f"meting {n}", "instruments": INSTRUMENTS}
            for n in range(1, waves + 1)
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
        "# Written by `klaspeil simulate`: synthetic pupils, no real data.",
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
    lines.append("waves:")
    for w in document["waves"]:
        lines += [f"  - id: {q(w['id'])}", f"    label: {q(w['label'])}", "    instruments:"]
        lines += [f"      {audience}: [{', '.join(map(q, ids))}]" for audience, ids in w["instruments"].items()]
    return "\n".join(lines) + "\n"


def _count(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else plural or singular + 's'}"
