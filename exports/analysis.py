"""The analysis file: one row per pupil per wave, everything an analysis of the research questions
needs side by side (docs/research-variables.md):

- the pupil's own scale scores, migration background and relative autonomy;
- what the class teacher reported about the pupil: SES estimate and group, expected levels,
  actual levels (as entered in the wave and as paired with the expectation), expectation
  accuracy, closeness and conflict;
- the class's teacher-level scores (the teacher's self-report scales), prefixed `t_`.

A pupil rated by the teacher but without answers of their own in a wave still has a row.
"""

from __future__ import annotations

import pandas as pd

from .columns import variable_name
from .derived import SUBJECTS, wave_ranks
from .meta import Column, Table

KEYS = ["study", "wave", "pupil"]
TEACHER_PREFIX = "t_"


def rating_columns() -> list[str]:
    """What the analysis file takes from the ratings table, in this order."""
    columns = ["teacher", "ses_estimate", "ses_group"]
    columns += [f"expected_level_{subject}" for subject in SUBJECTS]
    for subject in SUBJECTS:
        columns += [f"actual_level_{subject}", f"actual_level_{subject}_paired", f"actual_level_{subject}_wave",
                    f"expectation_accuracy_{subject}", f"expectation_category_{subject}"]
    return [*columns, "teacher_closeness", "teacher_conflict"]


def analysis_file(
    pupils: Table,
    ratings: Table,
    teachers: Table,
    pupil_scales: list[str],
    teacher_scales: list[str],
    wave_order: list[str],
) -> Table:
    """One row per study x wave x pupil that has answers of its own or a rating."""
    own = pupils.frame[[*KEYS, "class_id", *pupil_scales, "relative_autonomy"]]
    taken = [column for column in rating_columns() if column in ratings.frame.columns]
    # one rater per pupil and wave (a class has one teacher); with two, the first by teacher code
    rated = (
        ratings.frame[[*KEYS, "class_id", *taken]]
        .sort_values("teacher", kind="stable")
        .drop_duplicates(KEYS)
        .rename(columns={"class_id": "_rated_class"})
    )
    frame = own.merge(rated, on=KEYS, how="outer")
    frame["class_id"] = frame["class_id"].fillna(frame["_rated_class"])
    frame = frame.drop(columns="_rated_class")

    # migration background is a fact about the pupil, the same in every wave
    migration = pupils.frame[["study", "pupil", "migration_background"]].drop_duplicates(["study", "pupil"])
    frame = frame.merge(migration, on=["study", "pupil"], how="left")
    frame["migration_background"] = frame["migration_background"].fillna(9).astype("Int64")

    prefixed = {scale: variable_name(f"{TEACHER_PREFIX}{scale}") for scale in teacher_scales}
    class_level = (
        teachers.frame[["study", "wave", "class_id", "teacher", *teacher_scales]]
        .sort_values("teacher", kind="stable")
        .drop_duplicates(["study", "wave", "class_id"])
        .drop(columns="teacher")
        .rename(columns=prefixed)
    )
    frame = frame.merge(class_level, on=["study", "wave", "class_id"], how="left")

    order = ["study", "wave", "class_id", "pupil", *pupil_scales, "migration_background", "relative_autonomy",
             *taken, *prefixed.values()]
    frame = frame[order]
    frame = frame.assign(_wave=wave_ranks(frame["wave"], wave_order)).sort_values(
        ["study", "_wave", "class_id", "pupil"], kind="stable"
    ).drop(columns="_wave").reset_index(drop=True)

    columns: dict[str, Column] = {}
    for name in order:
        columns[name] = pupils.column(name) if name in pupils.columns else ratings.column(name)
    columns["teacher"] = Column("code of the teacher who rated the pupil (pseudonym)", measure="nominal")
    for scale, name in prefixed.items():
        own_label = teachers.column(scale).label
        columns[name] = Column(f"class teacher, self-report: {own_label}"[:80], measure="scale")
    label = "one pupil x wave: own scale scores, the teacher's ratings, the class teacher's scores"
    return Table(frame, label, columns)
