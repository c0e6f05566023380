"""Finding, loading and fingerprinting instruments: the files a researcher wrote and the shipped bank."""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

from . import consistency
from .models import Instrument, Item, ResponseScale, Scale, Section, Text
from .yamlfile import InvalidFile, Problem, load_model

BANK = Path(__file__).parent / "bank"
SUFFIXES = (".yaml", ".yml")

# every key the format knows, so that a typo can be answered with "did you mean ...?"
VOCABULARY = {
    name
    for model in (Instrument, Item, ResponseScale, Scale, Section, Text)
    for name in model.model_fields
}


def load_instrument(path: Path) -> Instrument:
    """The instrument in `path`; raises InvalidFile listing every problem with its line."""
    return load_model(Path(path), Instrument, consistency.problems, VOCABULARY)


def content_hash(instrument: Instrument) -> str:
    """SHA-256 of the instrument's meaning (not its formatting or comments), stored with every session."""
    canonical = json.dumps(instrument.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def instrument_files(paths: list[Path]) -> list[Path]:
    """Files named directly, plus every YAML file inside named folders."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file()))
        else:
            found.append(path)
    return found


def validate(paths: list[Path]) -> list[Problem]:
    """Every problem in every instrument file under `paths` (an empty list: all valid)."""
    problems: list[Problem] = []
    files = instrument_files(paths)
    for path in map(Path, paths):
        if path.is_dir() and not any(f.is_relative_to(path) for f in files):
            problems.append(Problem(str(path), None, "folder holds no .yaml instrument files"))
    seen: dict[str, Path] = {}
    for file in files:
        try:
            instrument = load_instrument(file)
        except InvalidFile as error:
            problems.extend(error.problems)
            continue
        if instrument.id in seen:
            problems.append(Problem(str(file), 1, f"instrument id '{instrument.id}' is also used by {seen[instrument.id]}"))
        seen[instrument.id] = file
    return problems


def shipped() -> dict[str, Instrument]:
    """The instruments that ship with klaspeil, by id."""
    return dict(_shipped())  # a copy: callers may add their own


@functools.cache
def _shipped() -> dict[str, Instrument]:
    # parsed once per process: the bank does not change while klaspeil runs (models are frozen)
    return {inst.id: inst for inst in map(load_instrument, instrument_files([BANK]))}
