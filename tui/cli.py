"""The `klaspeil` command line. Heavy imports (textual, pandas) happen inside the commands
that need them, so `klaspeil validate` and `klaspeil check` start fast."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from storage.errors import StorageError

from .cli_common import data_option, file_out, high_contrast_option, prompt_secret
from .data_folders import default_data_folder
from .entry import start_demo, start_kiosk
from .guard import run_guarded


@click.group(invoke_without_command=True)
@data_option
@click.option("--wave", default=None, help="Wave to administer, preselected after the PIN (default: the study's first).")
@click.option("--class", "class_id", default=None, help="Class whose pupils may log in, preselected after the PIN.")
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
@high_contrast_option
@click.pass_context
def cli(ctx: click.Context, data: Path | None, wave: str | None, class_id: str | None, lang: str, high_contrast: bool) -> None:
    """klaspeil: research questionnaires for the classroom, offline in the terminal."""
    if ctx.invoked_subcommand is None:  # usually started by tui/entry.py without click
        start_kiosk(data, wave, class_id, lang, high_contrast)


@cli.command()
@data_option
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
@high_contrast_option
def demo(data: Path | None, lang: str, high_contrast: bool) -> None:
    """Open the pupil questionnaire on a ready demo study (its own data folder)."""
    start_demo(data, lang, high_contrast)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Check instrument files or folders: one `path:line: message` per problem."""
    from instruments import validate as validate_paths

    problems = validate_paths(list(paths))
    for problem in problems:
        click.echo(str(problem))
    if problems:
        sys.exit(1)
    click.echo(f"ok: {len(paths)} path(s) valid", err=True)


@cli.command()
@click.option("--out", type=click.Path(dir_okay=False), callback=file_out, default=None,
              help="Write the codebook to FILE (replaced atomically) instead of printing it.")
def codebook(out: Path | None) -> None:
    """The codebook of the shipped item banks, as Markdown (docs/codebook.md is made with it)."""
    from instruments.codebook import codebook as render

    text = render()
    if out is None:
        click.echo(text, nl=False)
        return
    from storage.atomic import write_atomically  # instruments never imports storage: write here

    write_atomically(out, text.encode("utf-8"))
    click.echo(f"wrote {out}", err=True)


@cli.command()
@data_option
def check(data: Path | None) -> None:
    """Integrity check of a data folder: exit 0 healthy, 1 with what is wrong."""
    from storage import DataFolder
    from storage.check import check as check_folder

    folder = DataFolder(data or default_data_folder())
    folder.require_folder()  # check itself would call a file "no such data folder"
    problems = list(check_folder(folder))
    for problem in problems:
        click.echo(problem)
    if problems:
        sys.exit(1)
    count = sum(1 for _ in folder.session_paths())
    click.echo(f"ok: {count} session file(s) in {folder.root} are readable and consistent", err=True)


@cli.command()
@data_option
@click.option("--classes", default=3, show_default=True, type=click.IntRange(1, 1000))
@click.option("--pupils", default=25, show_default=True, type=click.IntRange(1, 60), help="Pupils per class.")
@click.option("--waves", default=1, show_default=True, type=click.IntRange(1, 12))
@click.option("--seed", default=1, show_default=True, type=int)
def simulate(data: Path | None, classes: int, pupils: int, waves: int, seed: int) -> None:
    """Write realistic synthetic sessions through the real storage path."""
    from storage import DataFolder
    from storage.simulate import simulate as run_simulation

    folder = DataFolder(data or default_data_folder()).lock()
    try:
        summary = run_simulation(folder, classes=classes, pupils=pupils, waves=waves, seed=seed)
    finally:
        folder.unlock()
    click.echo(summary)


@cli.group()
def study() -> None:
    """Set up a study: its classes, teams, waves and codes (study.yaml)."""


@study.command("init")
@data_option
@click.option("--force", is_flag=True, help="Replace a study.yaml that is already there.")
def study_init(data: Path | None, force: bool) -> None:
    """Write a commented starting study.yaml with fresh codes into the data folder."""
    from storage import DataFolder
    from storage.study_init import init_study

    folder = DataFolder(data or default_data_folder()).lock()
    try:
        made = init_study(folder, force=force)
    finally:
        folder.unlock()
    pupils = sum(len(c.pupils) for c in made.classes)
    click.echo(f"wrote {folder.study_path}: {len(made.classes)} example classes, {pupils} pupil codes, "
               f"{len(made.waves)} waves (every code is new)")
    click.echo("next: edit it (study id, title, classes, teams, waves); `klaspeil check` reports any mistake "
               "as study.yaml:LINE; then `klaspeil roster import CLASS FILE` per class list, "
               "`klaspeil cards CLASS --out FILE` to print login cards (docs/fieldwork.md)")


@cli.command()
@click.argument("class_id", metavar="CLASS")
@data_option
@click.option("--out", required=True, type=click.Path(dir_okay=False), callback=file_out,
              help="The HTML sheet to write (it holds first names: keep it private).")
@click.option("--wave", default=None, help="Print this wave's label on the cards.")
def cards(class_id: str, data: Path | None, out: Path, wave: str | None) -> None:
    """Printable login cards of a class: one per pupil, the teacher and their team (HTML, A4)."""
    from exports.cards import write_cards
    from storage import DataFolder

    count = write_cards(DataFolder(data or default_data_folder()), class_id, out, wave)
    click.echo(f"wrote {out}: {count} cards; open it in a browser and print it (A4, 8 cards a page)")

@cli.command("team-result")
@click.argument("team_id", metavar="TEAM")
@click.option("--wave", required=True, help="The wave whose team lists to show.")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The print to write: FILE.txt (plain text) or FILE.html.")
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
@data_option
def team_result(team_id: str, wave: str, out: Path, lang: str, data: Path | None) -> None:
    """A team's result for its discussion: per scale and item mean, SD, n, spread, rwg(j); from 3 members on."""
    from exports.team_print import write_print
    from exports.team_result import team_result as compute
    from storage import DataFolder

    result = compute(DataFolder(data or default_data_folder()), team_id, wave, lang)
    write_print(result, out, lang)
    click.echo(f"wrote {out}: team {team_id}, wave {wave}, {result.answered} of {result.members} members answered")


@cli.command()
@data_option
@click.option("--wave", "waves", multiple=True, help="Only this wave (repeatable; default: every wave).")
@click.option("--pupils", is_flag=True, help="Also list each class's pupils by state (codes).")
@click.option("--names", is_flag=True, help="List pupils by first name from the local key file (implies --pupils).")
def status(data: Path | None, waves: tuple[str, ...], pupils: bool, names: bool) -> None:
    """Who is done: per wave and class, pupils done/busy/not started/absent/excused, teacher, roster, teams."""
    from storage import DataFolder
    from storage.fieldwork import fieldwork

    from .status_table import print_status

    folder = DataFolder(data or default_data_folder())
    study = folder.study()
    unknown = [w for w in waves if w not in {known.id for known in study.waves}]
    if unknown:
        known = ", ".join(w.id for w in study.waves)
        raise StorageError(f"{folder.study_path}: no wave '{unknown[0]}' (waves: {known})")
    first_names: dict[str, str] = {}
    if names:
        from storage.roster import load_key

        first_names = {code: name.first_name for code, name in load_key(folder).items()}
    print_status(fieldwork(folder, study, waves or None), pupils=pupils or names, names=first_names)


@cli.command()
@click.argument("code")
@click.argument("mark_as", metavar="absent|excused|present", type=click.Choice(["absent", "excused", "present"]))
@click.option("--wave", required=True, help="The wave the mark is for.")
@data_option
def mark(code: str, mark_as: str, wave: str, data: Path | None) -> None:
    """Mark a pupil absent or excused in a wave (present clears the mark)."""
    from storage import DataFolder
    from storage.attendance import mark as set_mark

    folder = DataFolder(data or default_data_folder()).lock()
    try:
        set_mark(folder, wave, code.upper(), None if mark_as == "present" else mark_as)
    finally:
        folder.unlock()
    click.echo(f"{code.upper()}: {mark_as} in wave {wave}", err=True)


@cli.group()
def pin() -> None:
    """The researcher PIN that guards set-up, the dashboard and kiosk mode."""


@pin.command("set")
@data_option
@click.option("--pin-stdin", is_flag=True, help="Read the PIN from standard input (scripts, tests).")
def pin_set(data: Path | None, pin_stdin: bool) -> None:
    """Set (or replace) the researcher PIN: 4 to 12 digits, stored only as an argon2 hash."""
    from storage import DataFolder
    from storage.pin import set_pin

    if pin_stdin:
        new_pin = sys.stdin.readline().strip()
    else:
        new_pin = prompt_secret("New PIN (4-12 digits)", what="PIN", stdin_option="--pin-stdin", confirm="Repeat the PIN")
    folder = DataFolder(data or default_data_folder()).lock()
    try:
        set_pin(folder, new_pin)
    finally:
        folder.unlock()
    click.echo(f"PIN set for {folder.root}", err=True)


@cli.group()
def roster() -> None:
    """Class lists: names to pseudonymous codes, names kept only in the local key file."""


@roster.command("import")
@click.argument("class_id", metavar="CLASS")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@data_option
def roster_import(class_id: str, file: Path, data: Path | None) -> None:
    """Import a class list (CSV); new pupils get a code, known pupils keep theirs."""
    from storage import DataFolder
    from storage.roster import import_class_list

    folder = DataFolder(data or default_data_folder())
    folder.require_study()
    folder.lock()
    try:
        report = import_class_list(folder, class_id, file)
    finally:
        folder.unlock()
    click.echo(str(report))


@cli.group()
def results() -> None:
    """Pupils' test levels from the school's pupil monitoring system (Cito LVS, ParnasSys, Esis)."""


@results.command("import")
@click.argument("class_id", metavar="CLASS")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--wave", "wave_id", required=True, help="Wave the levels belong to.")
@click.option("--mapping", default=None, help='Levels of another system, e.g. "A=5,B=4,C=3,D=2,E=1" (5 = highest 20%).')
@data_option
def results_import(class_id: str, file: Path, wave_id: str, mapping: str | None, data: Path | None) -> None:
    """Import a CSV of test levels (I-V, 1-5); nothing is stored unless every row is clean."""
    from storage import DataFolder
    from storage.result_levels import parse_mapping
    from storage.test_results import import_test_results

    levels = parse_mapping(mapping) if mapping is not None else None
    folder = DataFolder(data or default_data_folder())
    folder.require_study()
    folder.lock()
    try:
        report = import_test_results(folder, class_id, wave_id, file, levels)
    finally:
        folder.unlock()
    click.echo(str(report))


@cli.command()
@data_option
def researcher(data: Path | None) -> None:
    """The researcher's screens behind the PIN: study set-up, the fieldwork dashboard, attendance marks."""
    from storage import DataFolder

    from .researcher import ResearcherApp

    folder = DataFolder(data or default_data_folder())
    if not folder.root.is_dir():  # before the lock: a mistyped --data must not leave an empty folder behind
        folder.require_study()
    folder.lock()  # marks are written: one klaspeil per folder
    try:
        # an existing folder without a study: after the PIN the app offers to set one up
        app = ResearcherApp(folder, folder.study() if folder.study_path.exists() else None)
        app.run()
    finally:
        folder.unlock()
    if app.return_code:  # the app crashed and Textual has shown why
        sys.exit(app.return_code)


# command groups kept in files of their own (each only imports click until it runs)
from .cli_export import export  # noqa: E402

cli.add_command(export)
from .cli_sync import bundle, keygen, merge  # noqa: E402

for command in (keygen, bundle, merge):
    cli.add_command(command)


def main() -> None:
    """Entry point of every command but the kiosk's fast start (tui/entry.py); see tui/guard.py."""
    run_guarded(_run_click)


def _run_click() -> None:
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("klaspeil: aborted", err=True)
        sys.exit(1)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
