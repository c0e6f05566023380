"""`klaspeil export`: the scored, labelled tables of docs/exports.md, in the formats analysts use."""

from __future__ import annotations

from pathlib import Path

import click

from storage.errors import StorageError

from .cli_common import data_option
from .data_folders import default_data_folder


@click.command()
@data_option
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "formats", default="csv", show_default=True,
              help="Comma-separated: csv, xlsx, sav (SPSS), dta (Stata), parquet, or all.")
@click.option("--excel-nl", is_flag=True,
              help="CSV for Dutch Excel: ; between fields, decimal commas, a byte-order mark.")
@click.option("--quiet", is_flag=True, help="No progress bar and no summary; only the files written.")
def export(data: Path | None, out: Path, formats: str, excel_nl: bool, quiet: bool) -> None:
    """Scored, labelled tables: items, scale scores, wide tables, the analysis file, reliability (docs/exports.md)."""
    from exports import export as run_export
    from exports.summary import no_progress

    from .progress_bars import StageBars

    from storage import DataFolder

    root = data or default_data_folder()
    DataFolder(root).require_folder()  # exports' own check would say "no such data folder" for a file
    _refuse_out_inside(out, root)
    bars = StageBars({"read": "reading sessions", "write": "writing formats"})
    try:
        summary = run_export(
            root, out, [f for f in formats.split(",") if f.strip()],
            excel_nl=excel_nl, progress=no_progress if quiet else bars,
        )
    finally:
        bars.close()
    for path in summary.written:  # stdout: the files, one a line, for scripts
        click.echo(str(path))
    if not quiet:
        for line in summary.lines():
            click.echo(line, err=True)


def _refuse_out_inside(out: Path, data: Path) -> None:
    """Tables written among the session files would be bundled, checked and merged as data."""
    # resolve(): a link or "data/../data/x" names the same place
    target, root = out.resolve(), data.resolve()
    if target == root or root in target.parents:
        where = "the data folder itself" if target == root else f"inside the data folder {data}"
        raise StorageError(f"{out}: {where}; export somewhere else (nothing written)")
