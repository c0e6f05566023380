"""The research tables of an export (issue 7): the wide tables with their derived variables,
the analysis file, the team aggregates and the group comparisons, by file name.

exports/tables.py `build()` adds these to the contract tables; docs/research-variables.md
describes every column and rule.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from instruments import Instrument

from .analysis import analysis_file
from .comparisons import by_group, diversity_talk
from .derived import (
    BIRTH_COUNTRIES, MIGRATION_BACKGROUND, RELATIVE_AUTONOMY, SES_ESTIMATE, SES_GROUP, SUBJECTS,
    accuracy_columns, expectation_accuracy, first_answers, migration_background, pair_actual_levels,
    relative_autonomy, ses_group, wave_ranks,
)
from .meta import Table
from .team_scores import team_scores
from .wide import Wide, labelled, wide


def research_tables(
    sessions: pd.DataFrame,
    items: pd.DataFrame,
    scores: pd.DataFrame,
    instruments: Iterable[Instrument],
    wave_order: list[str],
) -> dict[str, Table]:
    """Every research table from the export's sessions, items_long and scale_scores frames."""
    instruments = list(instruments)
    built = {
        audience: wide(sessions, items, scores, instruments, audience)
        for audience in ("pupil", "teacher", "roster", "team")
    }
    pupils = pupil_table(built["pupil"], wave_order)
    teachers = Table(
        _in_order(built["teacher"].frame, wave_order),
        "one teacher x class x wave: items and scale scores",
        labelled(built["teacher"]),
    )
    ratings = ratings_table(built["roster"], wave_order)
    members = Table(
        _in_order(built["team"].frame, wave_order),
        "one team member x wave: items and scale scores",
        labelled(built["team"]),
    )
    analysis = analysis_file(
        pupils, ratings, teachers, _scale_names(built["pupil"]), _scale_names(built["teacher"]), wave_order
    )
    teams, icc = team_scores(sessions, items, scores, instruments)
    return {
        "pupils": pupils,
        "teachers": teachers,
        "ratings": ratings,
        "team_members": members,
        "analysis": analysis,
        "team_scores": teams,
        "team_icc": icc,
        "by_ses_group": by_group(analysis, "ses_group", wave_order),
        "by_migration": by_group(analysis, "migration_background", wave_order),
        "diversity_talk": diversity_talk(pupils, teachers, wave_order),
    }


def _scale_names(built: Wide) -> list[str]:
    return [name for name, variable in built.variables.items() if variable.kind == "scale"]


def _in_order(frame: pd.DataFrame, wave_order: list[str]) -> pd.DataFrame:
    """Rows by study, the study's wave order, then the keys as they come (class, code)."""
    if frame.empty:
        return frame.reset_index(drop=True)
    keys = [column for column in ("class_id", "team", "pupil", "teacher", "member") if column in frame.columns]
    ordered = frame.assign(_wave=wave_ranks(frame["wave"], wave_order))
    return ordered.sort_values(["study", "_wave", *keys], kind="stable").drop(columns="_wave").reset_index(drop=True)


def pupil_migration(frame: pd.DataFrame, wave_order: list[str]) -> pd.DataFrame:
    """study, pupil, migration_background: from each birth-country item's earliest answer."""
    present = frame.reindex(columns=["study", "pupil", "wave", *BIRTH_COUNTRIES])
    ranks = wave_ranks(present["wave"], wave_order)
    earliest = first_answers(present, ["study", "pupil"], list(BIRTH_COUNTRIES), ranks)
    return pd.DataFrame({"migration_background": migration_background(earliest)}).reset_index()


def pupil_table(built: Wide, wave_order: list[str]) -> Table:
    """The pupils' wide table plus migration_background (carried to every wave) and relative_autonomy."""
    frame = _in_order(built.frame, wave_order)
    migration = pupil_migration(frame, wave_order)
    frame = frame.merge(migration, on=["study", "pupil"], how="left")
    frame["migration_background"] = frame["migration_background"].astype("Int64")
    frame["relative_autonomy"] = relative_autonomy(
        frame.get("autonomous_motivation", pd.Series(index=frame.index, dtype="float64")),
        frame.get("controlled_motivation", pd.Series(index=frame.index, dtype="float64")),
    )
    columns = {**labelled(built), "migration_background": MIGRATION_BACKGROUND, "relative_autonomy": RELATIVE_AUTONOMY}
    return Table(frame, "one pupil x wave: items, scale scores, migration background, relative autonomy", columns)


def ratings_table(built: Wide, wave_order: list[str]) -> Table:
    """The teachers' ratings of each pupil plus ses_group and the expectation accuracy per subject."""
    frame = _in_order(built.frame, wave_order)
    empty = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    frame["ses_group"] = ses_group(frame.get(SES_ESTIMATE, empty), [frame["study"], frame["wave"]])
    columns = {**labelled(built), "ses_group": SES_GROUP}
    for subject in SUBJECTS:
        for level in (f"expected_level_{subject}", f"actual_level_{subject}"):
            if level not in frame.columns:
                frame[level] = empty
        frame = pd.concat([frame, pair_actual_levels(frame, subject, wave_order)], axis=1)
        difference, category = expectation_accuracy(
            frame[f"expected_level_{subject}"], frame[f"actual_level_{subject}_paired"]
        )
        frame[f"expectation_accuracy_{subject}"] = difference
        frame[f"expectation_category_{subject}"] = category
        columns.update(accuracy_columns(subject))
    return Table(frame, "one teacher x pupil x wave: ratings, test results, SES group, expectation accuracy", columns)
