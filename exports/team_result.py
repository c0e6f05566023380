"""A team's own result for one wave: per scale and item the team mean, SD, n, the spread of the
answers (a count per scale point) and the agreement rwg / rwg(j), for the team's discussion.

Only finished team sessions of the team's members count. A result needs answers from at least
MIN_MEMBERS members (per instrument, and per item and scale): below that nothing is shown, so
that nobody's own answers can be read off the result. The result holds aggregates only, never
a member code or an individual's answers.

Agreement (exports/agreement.py; James, Demaree & Wolf, 1984, "Estimating within-group interrater reliability with
and without response bias", Journal of Applied Psychology 69, 85-98), against the uniform
("rectangular") null distribution of A response options, sigma2_EU = (A^2 - 1) / 12 (2.0 for 5):

- rwg per item = 1 - s^2 / sigma2_EU, with s^2 the observed (n - 1) variance of the item;
- rwg(j) per scale of J items = J(1 - r) / (J(1 - r) + r), with r = mean s^2 / sigma2_EU.

Both are truncated as is common practice (LeBreton & Senter, 2008): a value below 0 or above 1
(more spread than random answering; rwg(j) then even leaves the 0..1 range) is set to 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import fmean, stdev, variance
from typing import TYPE_CHECKING

from storage import DataFolder
from storage.check import known_instruments, session_problems
from storage.session import SessionRecord, read_session

from .agreement import rwg, rwg_j
from .errors import ExportError

if TYPE_CHECKING:
    from instruments import Instrument
    from storage.study import Study, Team, Wave

MIN_MEMBERS = 3  # fewer answers than this: no result, so nobody's answers show


@dataclass(frozen=True)
class ItemResult:
    item_id: str
    text: str
    reverse: bool  # reverse keyed in its scale: the item's own mean is as worded, the scale's turned around
    n: int  # members who answered it
    mean: float | None  # None below MIN_MEMBERS answers (and then the rest is empty too)
    sd: float | None
    rwg: float | None
    counts: dict[int, int] = field(default_factory=dict)  # scale point -> how many chose it

    @property
    def shown(self) -> bool:
        return self.mean is not None


@dataclass(frozen=True)
class ScaleResult:
    scale_id: str
    label: str
    n: int  # members with a scale score (enough valid items, see min_valid)
    mean: float | None  # the mean of the members' scale scores (reverse items turned around)
    sd: float | None
    rwg_j: float | None  # over the items shown
    items: list[ItemResult]


@dataclass(frozen=True)
class InstrumentResult:
    instrument_id: str
    title: str
    answered: int  # members with a finished session holding at least one scale answer
    scales: list[ScaleResult]  # empty when answered < MIN_MEMBERS

    @property
    def shown(self) -> bool:
        return self.answered >= MIN_MEMBERS


@dataclass(frozen=True)
class TeamResult:
    team_id: str
    team_name: str
    wave_id: str
    wave_label: str | None
    members: int  # the team's size in the study
    instruments: list[InstrumentResult]

    @property
    def shown(self) -> bool:
        return any(instrument.shown for instrument in self.instruments)

    @property
    def answered(self) -> int:
        """The most members who answered any one list (what 'n members answered' means)."""
        return max((instrument.answered for instrument in self.instruments), default=0)


def team_and_wave(folder: DataFolder, study: Study, team_id: str, wave_id: str) -> tuple[Team, Wave]:
    """The team and wave by id; an ExportError naming study.yaml and the known ids otherwise."""
    team = next((t for t in study.teams if t.id == team_id), None)
    if team is None:
        known = ", ".join(t.id for t in study.teams) or "none"
        raise ExportError(f"{folder.study_path}: unknown team '{team_id}'; the teams are: {known}")
    try:
        wave = study.wave(wave_id)
    except KeyError:
        known = ", ".join(w.id for w in study.waves)
        raise ExportError(f"{folder.study_path}: unknown wave '{wave_id}'; the waves are: {known}") from None
    if not wave.instruments.get("team"):
        raise ExportError(f"{folder.study_path}: wave '{wave_id}' has no team instruments")
    return team, wave


def team_result(folder: DataFolder, team_id: str, wave_id: str, language: str = "nl", study: Study | None = None) -> TeamResult:
    """The result of `team_id` in `wave_id` from the folder's finished team sessions."""
    study = study or folder.study()
    team, wave = team_and_wave(folder, study, team_id, wave_id)
    instruments = folder.instruments()
    known = known_instruments(instruments)
    by_instrument: dict[str, list[SessionRecord]] = {name: [] for name in wave.instruments["team"]}
    for member in team.members:
        for path in sorted(folder.respondent_folder(study.id, wave.id, member).glob("*.json")):
            record = read_session(path)
            meta = record.meta
            if meta.audience != "team" or meta.class_id != team.id or meta.instrument not in by_instrument:
                continue
            for problem in session_problems(record, known):
                raise ExportError(problem)
            if record.finished and all(r.meta.respondent != member for r in by_instrument[meta.instrument]):
                by_instrument[meta.instrument].append(record)  # one session per member and list: one voice each
    return TeamResult(
        team.id, team.name, wave.id, wave.label, len(team.members),
        [_instrument_result(instruments[name], records, language) for name, records in by_instrument.items()],
    )


def _instrument_result(instrument: Instrument, records: list[SessionRecord], language: str) -> InstrumentResult:
    scale_items = {item_id for scale in instrument.scales for item_id in scale.items}
    answers: dict[str, dict[str, int]] = {}  # session id -> item -> value (scale items only)
    for record in records:
        given = {item: value for item, value in record.answers().items() if item in scale_items and isinstance(value, int)}
        if given:
            answers[record.meta.session_id] = given
    title = instrument.title.get(language)
    if len(answers) < MIN_MEMBERS:
        return InstrumentResult(instrument.id, title, len(answers), [])
    scores = _scale_scores(instrument, answers)
    scales = [
        _scale_result(instrument, scale_id, scores[scale_id], answers, language)
        for scale_id in (scale.id for scale in instrument.scales)
    ]
    return InstrumentResult(instrument.id, title, len(answers), scales)


def _scale_scores(instrument: Instrument, answers: dict[str, dict[str, int]]) -> dict[str, list[float]]:
    """Per scale the members' scale scores, by the export's own scoring (exports.scoring)."""
    import pandas as pd

    from .scoring import score

    sessions = pd.DataFrame({"session_id": list(answers), "instrument": instrument.id})
    rows = [(session, item, value) for session, given in answers.items() for item, value in given.items()]
    table = pd.DataFrame(rows, columns=["session_id", "item", "value"])
    scored = score(sessions, table, [instrument]).dropna(subset=["score"])
    return {scale.id: scored.loc[scored["scale"] == scale.id, "score"].tolist() for scale in instrument.scales}


def _scale_result(
    instrument: Instrument, scale_id: str, scores: list[float], answers: dict[str, dict[str, int]], language: str
) -> ScaleResult:
    scale = next(s for s in instrument.scales if s.id == scale_id)
    items = [_item_result(instrument, item_id, answers, language) for item_id in scale.items]
    shown = [(item, instrument.item(item.item_id)) for item in items if item.shown]
    agreement = None
    if shown:
        variances = [item.sd**2 for item, _ in shown if item.sd is not None]
        options = [len(instrument.response_for(definition).values) for _, definition in shown]
        agreement = rwg_j(variances, options)
    enough = len(scores) >= MIN_MEMBERS
    return ScaleResult(
        scale.id, scale.label.get(language), len(scores),
        fmean(scores) if enough else None, stdev(scores) if enough else None,
        agreement, items,
    )


def _item_result(instrument: Instrument, item_id: str, answers: dict[str, dict[str, int]], language: str) -> ItemResult:
    item = instrument.item(item_id)
    values = [given[item_id] for given in answers.values() if item_id in given]
    text = item.text.get(language)
    if len(values) < MIN_MEMBERS:
        return ItemResult(item.id, text, item.reverse, len(values), None, None, None)
    points = instrument.response_for(item).values
    spread = variance(values)
    return ItemResult(
        item.id, text, item.reverse, len(values), fmean(values), spread**0.5,
        rwg(spread, len(points)), {point: values.count(point) for point in points},
    )
