"""`klaspeil status` as rich tables: per wave, per class the pupils' states and the adults'
progress, then the teams. Plain rich (no textual), so the command starts fast."""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from storage.fieldwork import PUPIL_STATES, ClassProgress, WaveProgress, by_school

NOT_ASKED = "–"


def wave_tables(wave: WaveProgress) -> list[RenderableType]:
    """The classes of a wave (one table per school when the study names schools: 70 classes
    read school by school, and the table keeps fitting 80 columns), then the teams."""
    title = f"wave {wave.wave_id}" + (f" ({wave.label})" if wave.label else "")
    groups: dict[str | None, list[ClassProgress]] = {}
    for progress in by_school(wave.classes):
        groups.setdefault(progress.school, []).append(progress)
    named = any(school is not None for school in groups)
    tables: list[RenderableType] = [
        _classes_table(f"{title}: school {school or NOT_ASKED}" if named else title, classes)
        for school, classes in groups.items()
    ]
    if wave.teams:
        teams = Table(title=f"wave {wave.wave_id}: teams", title_justify="left")
        team_schools = any(team.school for team in wave.teams)
        if team_schools:
            teams.add_column("school")
        teams.add_column("team")
        teams.add_column("members done", justify="right")
        for team in wave.teams:
            teams.add_row(*([team.school or NOT_ASKED] if team_schools else []), team.team_id, str(team.members))
        tables.append(teams)
    return tables


def _classes_table(title: str, rows: list[ClassProgress]) -> Table:
    classes = Table(title=title, title_justify="left")
    classes.add_column("class")
    for state in PUPIL_STATES:
        classes.add_column(state, justify="right")
    classes.add_column("teacher", justify="right")
    classes.add_column("roster", justify="right")
    for progress in rows:
        classes.add_row(
            progress.class_id,
            *(str(progress.count(state)) for state in PUPIL_STATES),
            str(progress.teacher) if progress.teacher else NOT_ASKED,
            str(progress.roster) if progress.roster else NOT_ASKED,
        )
    return classes


def pupil_lines(progress: ClassProgress, names: Mapping[str, str]) -> RenderableType:
    """Who is in which state, by code or (locally, --names) by first name."""
    lines = [Text(f"{progress.class_id}:", style="bold")]
    for state in PUPIL_STATES:
        who = [names.get(code, code) for code, s in progress.pupils.items() if s == state]
        if who:
            lines.append(Text(f"  {state}: {', '.join(who)}"))
    return Group(*lines)


def print_status(waves: list[WaveProgress], *, pupils: bool = False, names: Mapping[str, str] | None = None) -> None:
    console = Console()
    for wave in waves:
        for table in wave_tables(wave):
            console.print(table)
        if pupils:
            for progress in by_school(wave.classes):
                console.print(pupil_lines(progress, names or {}))
        console.print()
