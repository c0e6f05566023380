"""`klaspeil keygen`, `bundle` and `merge`: field data from every laptop into one study dataset (docs/sync.md).

cryptography and the storage modules load inside the commands, so `klaspeil --help` stays fast.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .cli_common import data_option, prompt_secret
from .data_folders import default_data_folder
from .progress_bars import StageBars

passphrase_stdin_option = click.option(
    "--passphrase-stdin", is_flag=True, help="Read the passphrase from standard input (scripts, tests)."
)


def read_passphrase(from_stdin: bool, *, confirm: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if confirm:
        return prompt_secret("Passphrase for the private key", what="passphrase", stdin_option="--passphrase-stdin", confirm="Repeat it")
    return prompt_secret("Passphrase of the private key", what="passphrase", stdin_option="--passphrase-stdin")


@click.command()
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for klaspeil_private.pem and klaspeil_public.pem (never replaced).")
@passphrase_stdin_option
def keygen(out: Path, passphrase_stdin: bool) -> None:
    """Make the researcher's key pair: bundles are sealed for the public key, merged with the private one."""
    from storage.keys import generate, inline_text, short_fingerprint

    passphrase = read_passphrase(passphrase_stdin, confirm=True)
    private_path, public_path, public = generate(out, passphrase)
    click.echo(f"wrote {private_path} (keep it at the office; without it and the passphrase no bundle opens)")
    click.echo(f"wrote {public_path} (fingerprint {short_fingerprint(public)}; copy it to every laptop)")
    click.echo(f"or put this line in study.yaml so that every laptop seals its bundles:\n"
               f"bundle_recipient: {inline_text(public)}")


@click.command()
@data_option
@click.option("--out", "out_text", required=True, type=click.Path(),
              help="The bundle file to write, or a folder (a USB stick; a name ending in / is one) to write it into "
                   "under a made-up name.")
@click.option("--recipient", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Public key to seal for (default: study.yaml's bundle_recipient; none: a plain bundle).")
@click.option("--unfinished", is_flag=True, help="Also bundle unfinished sessions (default: finished only).")
def bundle(data: Path | None, out_text: str, recipient: Path | None, unfinished: bool) -> None:
    """One file with this device's sessions, study.yaml and a manifest; never a name or the PIN."""
    from storage import DataFolder
    from storage.bundle import default_bundle_name, make_bundle, study_recipient
    from storage.errors import WriteFailed
    from storage.keys import load_public

    folder = DataFolder(data or default_data_folder())
    folder.require_study()
    key = load_public(recipient) if recipient is not None else study_recipient(folder)
    out = Path(out_text)
    if out_text.endswith(("/", os.sep)):  # "usb/": a folder, made when it is not there
        if out.exists() and not out.is_dir():  # Path() drops the "/": never overwrite a file named so
            raise WriteFailed(f"{out}: a file, not a folder (the name ends in /); nothing written")
        out.mkdir(parents=True, exist_ok=True)
    target = out / default_bundle_name(folder) if out.is_dir() else out
    made = make_bundle(folder, target, key, unfinished=unfinished)
    click.echo(str(made))
    if key is None:
        click.echo("warning: this bundle is not encrypted; give --recipient or set bundle_recipient in study.yaml",
                   err=True)


@click.command()
@click.argument("bundles", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--into", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The study dataset: a data folder (made when it does not exist).")
@click.option("--key", "key_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The private key (from `klaspeil keygen`), for sealed bundles.")
@passphrase_stdin_option
def merge(bundles: tuple[Path, ...], into: Path, key_path: Path | None, passphrase_stdin: bool) -> None:
    """Verify every bundle, then add their sessions to the dataset: nothing twice, conflicts kept aside."""
    from storage import DataFolder
    from storage.bundle_format import SUFFIX
    from storage.keys import load_private
    from storage.merge import merge as run_merge

    paths = [p for given in bundles for p in (sorted(given.glob(f"*{SUFFIX}")) if given.is_dir() else [given])]
    if not paths:
        raise click.UsageError(f"no {SUFFIX} bundles in {', '.join(map(str, bundles))}")
    private = load_private(key_path, read_passphrase(passphrase_stdin, confirm=False)) if key_path else None
    folder = DataFolder(into).lock()
    bars = StageBars({"verify": "verifying bundles", "write": "writing sessions"})
    try:
        report = run_merge(folder, paths, private, bars)
    finally:
        bars.close()
        folder.unlock()
    click.echo(str(report))
