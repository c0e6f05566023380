"""The people of a simulated study and the latent traits their answers come from.

Pupils carry a socioeconomic status (SES, partly shared by their school), achievement that
follows SES in part, perceived need support and need thwarting (correlated -0.6) and a
response style. Teachers and other staff carry self-efficacy; the members of one team share
that team's climate. Every scale of the bank has a PROFILE: its mean on a 1..5 scale, how
far the class or team differs on it (`group_sd`) and how strongly it loads on the traits.
The relations are the ones the research behind klaspeil found (DESIGN.md): pupils from
lower-SES families report less autonomous motivation and more need thwarting, teachers
report less closeness and more conflict with them, and teachers talk more about ethnic
than about socioeconomic diversity. A scale no profile knows gets a neutral one, so a new
bank simulates without a change here.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from .study import Study


@dataclass(frozen=True)
class Profile:
    mean: float  # on a 1..5 scale
    loadings: tuple[tuple[str, float], ...] = ()  # (trait, weight) on standardised traits
    group_sd: float = 0.25  # spread between classes (pupils, rosters) or teams


def profile(mean: float, group_sd: float = 0.25, **loadings: float) -> Profile:
    return Profile(mean, tuple(loadings.items()), group_sd)


STYLE = 0.25  # acquiescence: a little of every Likert answer is the person's way of answering
PROFILES: dict[str, dict[str, Profile]] = {
    "pupil": {
        "autonomous_motivation": profile(3.8, support=0.45, thwarting=-0.15, ses=0.25),
        "controlled_motivation": profile(2.6, thwarting=0.3),
        "autonomy_support": profile(3.7, support=0.75),
        "structure": profile(3.9, support=0.7),
        "challenge": profile(3.8, support=0.7),
        "relatedness_support": profile(3.5, support=0.7),
        "autonomy_thwarting": profile(2.3, thwarting=0.7, ses=-0.2),
        "negative_feedback": profile(2.0, thwarting=0.7, ses=-0.2),
        "chaos": profile(2.2, thwarting=0.65, ses=-0.2),
        "relatedness_thwarting": profile(1.8, thwarting=0.7, ses=-0.2),
        # talking about diversity is the teacher's doing: classes differ more
        "ethnic_diversity_talk": profile(2.8, group_sd=0.45),
        "ses_diversity_talk": profile(2.3, group_sd=0.45),
        "closeness": profile(3.9, support=0.6, ses=0.15),
        "conflict": profile(1.9, thwarting=0.55, ses=-0.15),
    },
    "teacher": {
        "ethnic_diversity_talk": profile(3.4, group_sd=0),
        "ses_diversity_talk": profile(2.7, group_sd=0),
        "efficacy_learning_behaviour": profile(3.9, group_sd=0, efficacy=0.75),
        "efficacy_pupil_outcomes": profile(3.6, group_sd=0, efficacy=0.65),
        "responsibility_outcomes": profile(3.5, group_sd=0, efficacy=0.4),
        "growth_mindset": profile(3.7, group_sd=0, efficacy=0.2),
    },
    # the teacher about one pupil: the pupil's traits, the class's effect is the rater's
    "roster": {
        "teacher_closeness": profile(4.0, group_sd=0.3, support=0.35, ses=0.3),
        "teacher_conflict": profile(1.9, group_sd=0.3, thwarting=0.4, ses=-0.3),
    },
    "team": {
        "collective_efficacy": profile(3.7, group_sd=0.15, climate=0.6, efficacy=0.3),
        "ao_collective_efficacy": profile(3.7, group_sd=0.15, climate=0.6, efficacy=0.3),
        "trust_pupils_parents": profile(3.6, group_sd=0.15, climate=0.55),
        "academic_emphasis": profile(3.5, group_sd=0.15, climate=0.55),
    },
}
NEUTRAL = profile(3.0)
SUPPORT_THWARTING = -0.6  # pupils who feel supported feel less thwarted, but not simply the opposite
# correlations between traits; all other pairs are independent
TRAIT_CORRELATION = {frozenset(("support", "thwarting")): SUPPORT_THWARTING}

PUPIL_SD = 0.75  # spread of stable levels between pupils, on the 1..5 scale
ADULT_SD = 0.6  # teachers differ a little less
PUPIL_NOISE = 0.8  # everything else about one answer
ADULT_NOISE = 0.6  # adults answer a little more consistently
DRIFT_SD = 0.3  # change of a level from one wave to the next
SCHOOL_SES_SD = 0.55  # schools differ in SES (segregation): part of a pupil's SES is the school's
SES_TO_ACHIEVEMENT = 0.45
SUBJECT_LOADING = 0.85  # achievement in reading or maths: mostly general achievement
TEAM_CLIMATE_SD = 1.0  # the team's climate is one draw per team, shared by every member


@dataclass
class Person:
    """One respondent: traits (standardised), effects shared with the class or team, and
    facts decided once (gender, age, birth countries) or drifting over waves."""

    code: str
    rng: random.Random
    traits: dict[str, float]
    group: dict[str, float]  # per scale, shared by the class (pupils, rosters) or the team
    spread: float = PUPIL_SD
    noise: float = PUPIL_NOISE  # everything else about one answer
    facts: dict[str, int] = field(default_factory=dict)
    walks: dict[str, list[float]] = field(default_factory=dict)

    def level(self, audience: str, scale: str, wave: int) -> float:
        """Level on `scale` (1..5) in wave number `wave` (0-based)."""
        chosen = PROFILES.get(audience, {}).get(scale, NEUTRAL)

        def start() -> float:
            effect = self.group.setdefault(f"{audience}:{scale}", self.rng.gauss(0, chosen.group_sd))
            return chosen.mean + effect + self.spread * self._standardised(chosen)

        return self.drifting(f"{audience}:{scale}", start, wave, DRIFT_SD)

    def drifting(self, key: str, start: Callable[[], float], wave: int, sd: float) -> float:
        """A value that starts at `start()` and takes a random step of `sd` each later wave."""
        walk = self.walks.get(key)
        if walk is None:
            walk = self.walks[key] = [start()]
        while len(walk) <= wave:
            walk.append(walk[-1] + self.rng.gauss(0, sd))
        return walk[wave]

    def trait(self, name: str) -> float:
        """A trait, drawn the first time it is needed (achievement per subject, ...)."""
        if name not in self.traits:
            if name.startswith("achievement_"):  # a subject
                general = self.trait("achievement")
                self.traits[name] = SUBJECT_LOADING * general + math.sqrt(1 - SUBJECT_LOADING**2) * self.rng.gauss(0, 1)
            else:
                self.traits[name] = self.rng.gauss(0, 1)
        return self.traits[name]

    def _standardised(self, chosen: Profile) -> float:
        """Loadings on the traits plus a unique part, with variance 1."""
        common = sum(weight * self.trait(name) for name, weight in chosen.loadings) + STYLE * self.trait("style")
        weights = [*chosen.loadings, ("style", STYLE)]
        variance = sum(
            a * b * (1.0 if x == y else TRAIT_CORRELATION.get(frozenset((x, y)), 0.0))
            for x, a in weights for y, b in weights
        )
        return common + math.sqrt(max(0.15, 1 - variance)) * self.rng.gauss(0, 1)


@dataclass
class Population:
    """Everyone who answers in a simulated study."""

    pupils: dict[str, list[Person]]  # by class id
    teachers: dict[str, Person]  # by class id
    members: dict[str, list[Person]]  # by team id


def draw_population(study: Study, grade: dict[str, int], rng: random.Random) -> Population:
    """Everyone in `study`, with traits drawn from `rng` in a fixed order."""
    school_of = {code: team.id for team in study.teams for code in team.members}
    school_ses = {team.id: rng.gauss(0, SCHOOL_SES_SD) for team in study.teams}
    climate = {team.id: rng.gauss(0, TEAM_CLIMATE_SD) for team in study.teams}
    teachers: dict[str, Person] = {}
    pupils: dict[str, list[Person]] = {}
    for school_class in study.classes:
        group: dict[str, float] = {}  # the class's effect per scale, shared by its pupils
        shared = school_ses.get(school_of.get(school_class.teacher or "", ""), 0.0)
        pupils[school_class.id] = [_pupil(code, shared, group, rng) for code in school_class.pupils]
        for pupil in pupils[school_class.id]:
            pupil.facts["groep"] = grade.get(school_class.id, 6)
        if school_class.teacher:
            teachers[school_class.id] = Person(
                school_class.teacher, rng, {"efficacy": rng.gauss(0, 1)}, {}, spread=ADULT_SD, noise=ADULT_NOISE
            )
    by_code = {teacher.code: teacher for teacher in teachers.values()}
    members: dict[str, list[Person]] = {}
    for team in study.teams:
        group = {}  # the team's effect per scale
        members[team.id] = []
        for code in team.members:
            # a class teacher brings the self-efficacy of their own answers to the team lists
            efficacy = by_code[code].traits["efficacy"] if code in by_code else rng.gauss(0, 1)
            traits = {"efficacy": efficacy, "climate": climate[team.id]}
            members[team.id].append(Person(code, rng, traits, group, spread=ADULT_SD, noise=ADULT_NOISE))
    return Population(pupils, teachers, members)


def _pupil(code: str, school_ses: float, group: dict[str, float], rng: random.Random) -> Person:
    ses = school_ses + math.sqrt(1 - SCHOOL_SES_SD**2) * rng.gauss(0, 1)
    support = rng.gauss(0, 1)
    traits = {
        "ses": ses,
        "achievement": SES_TO_ACHIEVEMENT * ses + math.sqrt(1 - SES_TO_ACHIEVEMENT**2) * rng.gauss(0, 1),
        "support": support,
        "thwarting": SUPPORT_THWARTING * support + math.sqrt(1 - SUPPORT_THWARTING**2) * rng.gauss(0, 1),
    }
    return Person(code, rng, traits, group)
