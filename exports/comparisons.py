"""Group comparisons, the tables behind a school feedback report (docs/research-variables.md):

- by_ses_group / by_migration: per study, wave and variable of the analysis file, the mean, SD
  and n of each group (SES group 1-3; migration background 0, 1 and 9 unknown);
- diversity_talk: per class and wave, the pupils' mean, SD and n on talking about ethnic and
  socioeconomic diversity next to their teacher's own score, and the difference (teacher
  minus pupils; both 1-5, the pupils' "true" and the teacher's "agree" scale).
"""

from __future__ import annotations

import pandas as pd

from .analysis import TEACHER_PREFIX
from .derived import wave_ranks
from .meta import Column, Table

# the analysis file's numbers worth comparing between groups: scores, levels, differences
NOT_COMPARED = {"ses_group", "migration_background"}
TOPICS = {"ethnic": "ethnic_diversity_talk", "ses": "ses_diversity_talk"}
TOPIC_NAMES = {"ethnic": "ethnic diversity", "ses": "socioeconomic diversity"}


def compared_variables(analysis: Table) -> list[str]:
    """The analysis file's numeric variables of pupil and rating (scale measure), in file order."""
    return [
        name for name in analysis.frame.columns
        if name not in NOT_COMPARED and not name.startswith(TEACHER_PREFIX)
        and (analysis.column(name).measure in ("scale", "ordinal"))
        and pd.api.types.is_numeric_dtype(analysis.frame[name])
        and not name.startswith("expectation_category_")  # a code, not a number to average
    ]


def by_group(analysis: Table, group: str, wave_order: list[str]) -> Table:
    """Long table: study, wave, variable, label, <group>, n, mean, sd (rows without a group left out)."""
    variables = compared_variables(analysis)
    long = analysis.frame[["study", "wave", group, *variables]].melt(
        id_vars=["study", "wave", group], var_name="variable", value_name="value"
    )
    long = long.dropna(subset=[group, "value"])
    long["value"] = long["value"].astype("float64")
    stats = (
        long.groupby(["study", "wave", "variable", group], sort=False)["value"]
        .agg(n="count", mean="mean", sd="std")
        .reset_index()
    )
    stats["n"] = stats["n"].astype("int64")
    stats[group] = stats[group].astype("Int64")
    stats["label"] = stats["variable"].map({name: analysis.column(name).label for name in variables}).astype("object")
    position = {name: index for index, name in enumerate(variables)}
    stats = stats.assign(_wave=wave_ranks(stats["wave"], wave_order), _var=stats["variable"].map(position))
    stats = stats.sort_values(["study", "_wave", "_var", group], kind="stable").drop(columns=["_wave", "_var"])
    stats = stats[["study", "wave", "variable", "label", group, "n", "mean", "sd"]].reset_index(drop=True)
    columns = {
        "study": Column("study id", measure="nominal"),
        "wave": Column("wave id", measure="nominal"),
        "variable": Column("variable of the analysis file", measure="nominal"),
        "label": Column("what the variable is", measure="nominal"),
        group: analysis.column(group),
        "n": Column("pupils with a value in this group", measure="scale"),
        "mean": Column("mean in this group", measure="scale"),
        "sd": Column("standard deviation in this group (n - 1)", measure="scale"),
    }
    label = f"one variable x wave x {group.replace('_', ' ')}: mean, SD, n"
    return Table(stats.astype({"variable": "object"}), label, columns)


def diversity_talk(pupils: Table, teachers: Table, wave_order: list[str]) -> Table:
    """One row per class x wave with pupils' or the teacher's scores on talking about diversity."""
    keys = ["study", "wave", "class_id"]
    pupil_frame = pupils.frame.reindex(columns=[*keys, *TOPICS.values()])
    teacher_frame = teachers.frame.reindex(columns=[*keys, *TOPICS.values()])
    parts, columns = [], {
        "study": Column("study id", measure="nominal"),
        "wave": Column("wave id", measure="nominal"),
        "class_id": Column("class id (study.yaml)", measure="nominal"),
    }
    for topic, scale in TOPICS.items():
        name = TOPIC_NAMES[topic]
        stats = pupil_frame.groupby(keys)[scale].agg(["mean", "std", "count"]).rename(
            columns={"mean": f"pupils_{topic}_mean", "std": f"pupils_{topic}_sd", "count": f"pupils_{topic}_n"}
        )
        teacher = teacher_frame.groupby(keys)[scale].mean().rename(f"teacher_{topic}")  # two teachers: their mean
        parts.append(stats.join(teacher, how="outer"))
        columns.update({
            f"pupils_{topic}_mean": Column(f"pupils' mean score, talking about {name}", measure="scale"),
            f"pupils_{topic}_sd": Column(f"pupils' SD (n - 1), talking about {name}", measure="scale"),
            f"pupils_{topic}_n": Column(f"pupils with a score, talking about {name}", measure="scale"),
            f"teacher_{topic}": Column(f"the teacher's own score, talking about {name}", measure="scale"),
            f"difference_{topic}": Column(f"teacher minus pupils' mean, talking about {name}", measure="scale"),
        })
    frame = pd.concat(parts, axis=1).reset_index()
    for topic in TOPICS:
        frame[f"pupils_{topic}_n"] = frame[f"pupils_{topic}_n"].fillna(0).astype("int64")
        frame[f"difference_{topic}"] = frame[f"teacher_{topic}"] - frame[f"pupils_{topic}_mean"]
    scores = [c for c in frame.columns if c.startswith(("pupils_", "teacher_")) and not c.endswith("_n")]
    frame = frame.dropna(how="all", subset=scores)
    frame = frame.assign(_wave=wave_ranks(frame["wave"], wave_order))
    frame = frame.sort_values(["study", "_wave", "class_id"], kind="stable")
    frame = frame.drop(columns="_wave")[list(columns)].reset_index(drop=True)
    label = "one class x wave: pupils' and teacher's talk about ethnic and socioeconomic diversity"
    return Table(frame, label, columns)
