"""How a simulated respondent answers a session (some items skipped, some answers changed or
cleared, now and then stopped part-way) and each item: by the item's kind, its scale, and,
for the items whose meaning the research fixes, by that meaning.

- an item on an ordinal scale: the person's level on the scale (simulated_people.py) plus
  the item's own pull plus noise, rounded onto the response range, turned around when the
  item is reverse keyed; so items of one scale correlate and reverse keying is undone by
  scoring;
- gender, age, birth_country_*: facts of the person (age by groep; about three in four
  parents and nine in ten pupils born in the Netherlands; mother and father related, and
  born abroad more often in lower-SES families);
- roster: ses_estimate follows the pupil's SES (r about 0.6), expected_level_* the pupil's
  achievement and, a little, SES beyond it; actual_level_* achievement alone (a new test
  each time);
- years_teaching follows age; other numbers fall around the middle of their range;
- a choice (nominal) no rule knows: earlier options more often;
- open text: one of a few Dutch reflections (with commas, quotes, line breaks), or none.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from datetime import datetime, timedelta
from statistics import NormalDist

from instruments import Instrument, Item, ResponseScale, Scale

from .session import Answer, SessionMeta
from .simulated_people import SES_TO_ACHIEVEMENT, SUBJECT_LOADING, Person

Value = int | str | None  # None: the respondent leaves the item open (or clears it)
P_UNFINISHED = 0.05  # per session: stops part-way
P_SKIP = 0.03  # per item
P_CHANGE = 0.02  # per answer: goes back and picks another option
P_CLEAR = 0.005  # per answer: goes back and clears it
ITEM_SD = 0.3  # some items are easier to agree with than others

REFLECTIONS = (
    "Ik probeer het niet te laten meetellen, maar ik merk het wel: van kinderen met hoogopgeleide ouders verwacht ik sneller meer.",
    "Weinig. Ik kijk vooral naar de toetsen en naar hoe een kind in de klas werkt.",
    'Bij het thema "feest" vertelden kinderen hoe ze thuis vieren.\nDaarna ging het vanzelf over verschillen.',
    "Een moeder zei: \"hij gaat later toch niet studeren\". Dat heb ik bijgesteld, want hij kan veel.",
    "Extra uitleg in een klein groepje, en ik let erop dat uitstapjes niets kosten;\nniemand hoeft dan thuis te blijven.",
    "Als een kind een toets veel beter maakt dan ik dacht, stel ik mijn beeld bij.",
    "Eerlijk gezegd: daar heb ik nog niet zo over nagedacht.",
)
P_NO_TEXT = 0.25  # an open question left empty

# a "juf" is a woman, a "meester" a man; a class with both, and other staff, mostly women
P_FEMALE_TEACHER = {"juf": 1.0, "meester": 0.0, "juf/meester": 0.75}
P_OTHER_GENDER = 0.01
P_UNSAID_GENDER = 0.01
P_MOTHER_ABROAD = 0.2  # at average SES; more often in lower-SES families
MIGRATION_BY_SES = 0.6  # log-odds per SD of SES
P_FATHER_ABROAD = (0.08, 0.75)  # mother born in the Netherlands / elsewhere
P_PUPIL_ABROAD = (0.01, 0.3)  # both parents born in the Netherlands / not
P_PARENT_UNKNOWN = 0.04  # "weet ik niet" about a parent
P_PUPIL_UNKNOWN = 0.01
SES_ESTIMATE_R = 0.65  # the teacher's impression of a pupil's SES vs the latent SES
EXPECTATION_ACHIEVEMENT = 0.6
EXPECTATION_SES = 0.15  # beyond achievement: the expectation bias the research studies
TEST_RELIABILITY = 0.85  # actual level vs latent achievement


class Answers:
    """Answers items for every audience; the item pulls are shared by all respondents."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.pulls: dict[tuple[str, str], float] = {}

    def session(
        self, meta: SessionMeta, instrument: Instrument, person: Person, wave_no: int, term: str
    ) -> tuple[list[Answer], str | None]:
        """The audit trail of one session and when it was finished (None: stopped part-way):
        skips, changes of mind, each record `shown_ms` after the one before."""
        rng = self.rng
        scale_of = {item_id: scale for scale in reversed(instrument.scales) for item_id in scale.items}
        finished = rng.random() >= P_UNFINISHED
        stop = len(meta.item_order) if finished else rng.randrange(len(meta.item_order))
        clock = datetime.fromisoformat(meta.started_at)
        records: list[Answer] = []

        def record(item_id: str, value: Value, typed: bool = False) -> None:
            nonlocal clock
            shown_ms = _shown_ms(rng, typed)
            clock += timedelta(milliseconds=shown_ms)
            records.append(Answer(item=item_id, value=value, at=iso(clock), shown_ms=shown_ms))

        for item_id in meta.item_order[:stop]:
            if rng.random() < P_SKIP:
                clock += timedelta(milliseconds=_shown_ms(rng))
                continue
            item = instrument.item(item_id)
            value = self.answer(person, instrument, item, scale_of.get(item_id), wave_no, term)
            if value is None:
                continue
            record(item_id, value, typed=isinstance(value, str))
            allowed = instrument.allowed_values(item)
            if isinstance(value, str) or allowed is None:
                continue
            if rng.random() < P_CHANGE:
                record(item_id, min(allowed.stop - 1, max(allowed.start, value + rng.choice((-1, 1)))))
            elif rng.random() < P_CLEAR:
                record(item_id, None)
        return records, iso(clock + timedelta(seconds=2)) if finished else None

    def answer(
        self, person: Person, instrument: Instrument, item: Item, scale: Scale | None, wave: int, term: str
    ) -> Value:
        """The answer of `person` to `item` in wave number `wave` (0-based); `scale` is the item's scale, if any."""
        if item.kind == "text":
            return None if self.rng.random() < P_NO_TEXT else self.rng.choice(REFLECTIONS)[: item.max_length]
        allowed = instrument.allowed_values(item)
        assert allowed is not None
        rule = self._rule(item.id, instrument.audience)
        if rule is not None:
            return _clip(rule(person, item, instrument, wave, term), allowed)
        if item.kind == "number":
            middle = (allowed.start + allowed.stop - 1) / 2
            return _clip(round(middle + len(allowed) / 6 * self.rng.gauss(0, 1)), allowed)
        response = instrument.response_for(item)
        if response.kind == "nominal":
            weights = [1 / (n + 1) for n in range(len(allowed))]
            return self.rng.choices(list(allowed), weights)[0]
        level = person.level(instrument.audience, scale.id if scale else f"{instrument.id}.{item.id}", wave)
        latent = level + self._pull(instrument, item, scale) + self.rng.gauss(0, person.noise)
        keyed = _on_range(latent, response)
        return response.reverse(keyed) if item.reverse else keyed

    def _pull(self, instrument: Instrument, item: Item, scale: Scale | None) -> float:
        """How much easier than its scale's level an item is to agree with. Centred within the
        scale, so that the scale's mean is its profile's, however few items it has."""
        key = (instrument.id, item.id)
        if key not in self.pulls:
            items = scale.items if scale else [item.id]
            draws = [self.rng.gauss(0, ITEM_SD) for _ in items]
            self.pulls.update({(instrument.id, i): d - sum(draws) / len(draws) for i, d in zip(items, draws)})
        return self.pulls[key]

    def _rule(self, item_id: str, audience: str) -> Callable[[Person, Item, Instrument, int, str], int] | None:
        if audience == "roster":
            for prefix, rule in (("ses_estimate", self._ses_estimate), ("expected_level_", self._expected),
                                 ("actual_level_", self._actual)):
                if item_id.startswith(prefix):
                    return rule
            return None
        if item_id == "gender":
            return self._gender
        if item_id == "age":
            return self._age
        if item_id.startswith("birth_country_"):
            return self._birth_country
        if item_id == "years_teaching":
            return self._years_teaching
        return None

    # -- background -------------------------------------------------------------------
    def _gender(self, person: Person, item: Item, instrument: Instrument, wave: int, term: str) -> int:
        if "gender" not in person.facts:
            codes = _codes_by_label(instrument.response_for(item))
            p_female = 0.5 if instrument.audience == "pupil" else P_FEMALE_TEACHER.get(term, 0.85)
            draw = self.rng.random()
            if draw < P_UNSAID_GENDER:
                choice = codes.get("zeg ik liever niet")
            elif draw < P_UNSAID_GENDER + P_OTHER_GENDER:
                choice = codes.get("anders")
            else:
                if self.rng.random() < p_female:
                    choice = codes.get("meisje", codes.get("vrouw"))
                else:
                    choice = codes.get("jongen", codes.get("man"))
            person.facts["gender"] = choice if choice is not None else min(codes.values())
        return person.facts["gender"]

    def _age(self, person: Person, item: Item, instrument: Instrument, wave: int, term: str) -> int:
        if "age" not in person.facts:
            if instrument.audience == "pupil":
                groep = person.facts.get("groep", 6)
                # groep 5 is 8 turning 9; now and then a year older (held back) or younger
                off_year = self.rng.choices((0, 1, -1), (94, 5, 1))[0]
                person.facts["age"] = groep + 3 + (self.rng.random() < 0.45) + off_year
            else:
                person.facts["age"] = round(self.rng.triangular(23, 64, 38))
        return person.facts["age"]

    def _years_teaching(self, person: Person, item: Item, instrument: Instrument, wave: int, term: str) -> int:
        age = self._age(person, item, instrument, wave, term)
        return max(0, age - 22 - round(self.rng.expovariate(1 / 3)))

    def _birth_country(self, person: Person, item: Item, instrument: Instrument, wave: int, term: str) -> int:
        codes = _codes_by_label(instrument.response_for(item))
        netherlands, elsewhere = codes.get("nederland", 1), codes.get("een ander land", 2)
        unknown = codes.get("weet ik niet", 3)
        if "born_abroad" not in person.facts:
            odds = math.log(P_MOTHER_ABROAD / (1 - P_MOTHER_ABROAD)) - MIGRATION_BY_SES * person.trait("ses")
            mother = self.rng.random() < 1 / (1 + math.exp(-odds))
            father = self.rng.random() < P_FATHER_ABROAD[mother]
            pupil = self.rng.random() < P_PUPIL_ABROAD[mother or father]
            person.facts["born_abroad"] = 4 * mother + 2 * father + pupil
        who = item.id.removeprefix("birth_country_")
        bit = {"mother": 4, "father": 2}.get(who, 1)
        if self.rng.random() < (P_PUPIL_UNKNOWN if bit == 1 else P_PARENT_UNKNOWN):
            return unknown
        return elsewhere if person.facts["born_abroad"] & bit else netherlands

    # -- roster -----------------------------------------------------------------------
    def _ses_estimate(self, person: Person, item: Item, instrument: Instrument, wave: int, term: str) -> int:
        def first_impression() -> float:
            return SES_ESTIMATE_R * person.trait("ses") + math.sqrt(1 - SES_ESTIMATE_R**2) * self.rng.gauss(0, 1)

        impression = person.drifting("ses_estimate", first_impression, wave, 0.15)
        allowed = instrument.allowed_values(item)
        assert allowed is not None
        # teachers rate a little above the middle (1-10: around 6) and seldom use the ends
        middle, spread = (allowed.start + allowed.stop - 1) / 2 + 0.4, len(allowed) / 5
        return round(middle + spread * impression)

    def _expected(self, person: Person, item: Item, instrument: Instrument, wave: int, term: str) -> int:
        achievement = person.trait("achievement_" + item.id.removeprefix("expected_level_"))
        ses = person.trait("ses")
        a, s, r = EXPECTATION_ACHIEVEMENT, EXPECTATION_SES, SUBJECT_LOADING * SES_TO_ACHIEVEMENT
        explained = a * a + s * s + 2 * a * s * r  # variance of a * achievement + s * SES

        def first_expectation() -> float:
            return a * achievement + s * ses + math.sqrt(1 - explained) * self.rng.gauss(0, 1)

        expectation = person.drifting(item.id, first_expectation, wave, 0.2)
        return _quantile(expectation, instrument.response_for(item))

    def _actual(self, person: Person, item: Item, instrument: Instrument, wave: int, term: str) -> int:
        achievement = person.trait("achievement_" + item.id.removeprefix("actual_level_"))
        score = TEST_RELIABILITY * achievement + math.sqrt(1 - TEST_RELIABILITY**2) * self.rng.gauss(0, 1)
        return _quantile(score, instrument.response_for(item))


def iso(moment: datetime) -> str:
    """A time as storage.session.now() writes it."""
    return moment.isoformat(timespec="milliseconds")


def _shown_ms(rng: random.Random, typed: bool = False) -> int:
    """Time on one item: mostly 2-5 seconds, a slow reader up to 9; typing an answer 15-180."""
    if typed:
        return int(min(180_000, max(15_000, rng.lognormvariate(math.log(45_000), 0.6))))
    return int(min(9000, max(1500, rng.lognormvariate(math.log(3200), 0.4))))


def _codes_by_label(response: ResponseScale) -> dict[str, int]:
    return {label.nl.strip().lower(): code for code, label in response.labels.items()}


def _on_range(latent: float, response: ResponseScale) -> int:
    """A level on the 1..5 scale as an option of the response range, rounded and clipped."""
    low, high = response.min, response.max
    return min(high, max(low, round(low + (latent - 1) * (high - low) / 4)))


def _quantile(z: float, response: ResponseScale) -> int:
    """A standard normal value as one of equally likely options (level5: quintiles)."""
    n = response.max - response.min + 1
    return response.min + sum(z > NormalDist().inv_cdf(k / n) for k in range(1, n))


def _clip(value: int, allowed: range) -> int:
    return min(allowed.stop - 1, max(allowed.start, value))

