"""What the pupil app needs before a pupil's answers can be stored: the study, the wave and
its instruments, and the pupils' first names for "Ben jij ...?". Loading it imports pydantic
and ruamel and reads YAML, so the app does it in a worker while the first screen is already
on display."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from storage.errors import StorageError

if TYPE_CHECKING:
    from instruments import Instrument
    from storage import DataFolder, Study


@dataclass(frozen=True)
class Setup:
    study: Study
    wave_id: str
    instruments: list[Instrument]  # the wave's pupil instruments, in order
    # code -> first name from the local key file (storage/roster.py); only in memory and on screen
    first_names: dict[str, str] = field(default_factory=dict)
    # the wave's instruments for adults, per audience ("teacher", "roster", "team"), in order
    adult_instruments: dict[str, list[Instrument]] = field(default_factory=dict)


def load_setup(folder: DataFolder, wave_id: str | None) -> Setup:
    """The study in the folder and the wave asked for (default: the study's first)."""
    available = folder.instruments()
    study = folder.study(available)
    return setup_for(folder, study, wave_id, available)


def setup_for(folder: DataFolder, study: Study, wave_id: str | None, available: dict[str, Instrument]) -> Setup:
    if wave_id is None:
        wave = study.waves[0]
    else:
        try:
            wave = study.wave(wave_id)
        except KeyError:
            known = ", ".join(w.id for w in study.waves)
            raise StorageError(f"{folder.study_path}: study '{study.id}' has no wave '{wave_id}' (waves: {known})") from None
    ids = wave.instruments.get("pupil", [])
    if not any(wave.instruments.values()):  # a wave for teachers only (test results) is fine
        raise StorageError(f"{folder.study_path}: wave '{wave.id}' gives nobody any instruments")
    from storage.roster import load_key

    first_names = {code: name.first_name for code, name in load_key(folder).items()}
    adults = {audience: [available[i] for i in wave.instruments.get(audience, [])] for audience in ("teacher", "roster", "team")}
    return Setup(study, wave.id, [available[i] for i in ids], first_names, adults)
