"""`klaspeil export`: the scored, labelled tables of docs/exports.md, in the formats analysts use."""

from __future__ import annotations

from pathlib import Path

import click

from .cli_common import data_option, default_data_folder


@click.command()
@data_option
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "formats", default="csv", show_default=True, help="Comma-separated: csv.")
def export(data: Path | None, out: Path, formats: str) -> None:
    """Write items_long, scale_scores, sessions, codebook, scales and value_labels (docs/exports.md)."""
    from exports import export as run_export

    written = run_export(data or default_data_folder(), out, [f.strip() for f in formats.split(",") if f.strip()])
    for path in written:
        click.echo(str(path))
