"""`klaspeil export`: the scored, labelled tables of docs/exports.md, in the formats analysts use."""

from __future__ import annotations

from pathlib import Path

import click

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

    bars = StageBars({"read": "reading sessions", "write": "writing formats"})
    try:
        summary = run_export(
            data or default_data_folder(), out, [f for f in formats.split(",") if f.strip()],
            excel_nl=excel_nl, progress=no_progress if quiet else bars,
        )
    finally:
        bars.close()
    for path in summary.written:  # stdout: the files, one a line, for scripts
        click.echo(str(path))
    if not quiet:
        for line in summary.lines():
            click.echo(line, err=True)
