"""The kiosk's fast start (tui/entry.py) reads `klaspeil [OPTIONS]` and `klaspeil demo [OPTIONS]`
without click; it must read them exactly as click would, and hand everything else to click."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.cli import cli
from tui.entry import kiosk_arguments


def clicks_reading(argv: list[str]) -> tuple[str, dict[str, object]]:
    """What click makes of the same words: the group's options, or the demo command's."""
    if argv[:1] == ["demo"]:
        demo = cli.get_command(click.Context(cli), "demo")
        assert demo is not None
        return "demo", demo.make_context("demo", argv[1:]).params
    context = cli.make_context("klaspeil", list(argv))
    assert not context.args and not getattr(context, "_protected_args", [])  # no command: the kiosk itself
    return "kiosk", context.params


@pytest.mark.parametrize("argv", [
    [],
    ["--data", "/tmp/school-a"],
    ["--data=/tmp/school-a", "--wave", "w2", "--class", "6a"],
    ["--class=7b", "--lang", "en", "--high-contrast"],
    ["--high-contrast", "--wave=w1", "--lang=nl", "--wave", "w3"],  # the last of a repeated option counts
    ["demo"],
    ["demo", "--lang", "en"],
    ["demo", "--high-contrast", "--data", "/tmp/demo-data"],
])
def test_the_fast_start_reads_the_kiosk_options_as_click_does(argv: list[str]) -> None:
    assert kiosk_arguments(argv) == clicks_reading(argv)


@pytest.mark.parametrize("argv", [
    ["--help"], ["demo", "--help"], ["-h"],
    ["export", "--data", "x", "--out", "y"], ["status"], ["--data", "x", "demo"],
    ["--lang", "de"], ["demo", "--lang", "fr"], ["--wave"], ["--data="],
    ["demo", "--wave", "w1"], ["demo", "--class", "6a"],  # the demo has no class or wave to choose
    ["--colour"], ["--", "demo"], ["demo", "extra"],
])
def test_everything_else_goes_to_click(argv: list[str]) -> None:
    assert kiosk_arguments(argv) is None


def test_a_file_given_as_the_data_folder_goes_to_click_which_refuses_it(tmp_path: Path) -> None:
    a_file = tmp_path / "study.yaml"
    a_file.write_text("id: x\n")
    assert kiosk_arguments(["--data", str(a_file)]) is None
    assert kiosk_arguments(["--data", str(tmp_path)]) == clicks_reading(["--data", str(tmp_path)])


WORDS = st.sampled_from([
    "--data", "--wave", "--class", "--lang", "--high-contrast", "nl", "en", "de", "w1", "6a", "/tmp/k",
    "--data=/tmp/k", "--lang=en", "--lang=xx", "--wave=w2", "demo", "export", "--help", "",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(WORDS, max_size=7))
def test_whatever_the_fast_start_takes_click_reads_the_same_way(argv: list[str]) -> None:
    fast = kiosk_arguments(argv)
    if fast is None:
        return  # click's to read, whatever it is
    assert fast == clicks_reading(argv)


def test_the_kiosk_starts_without_importing_click() -> None:
    probe = (
        "import sys; from tui.entry import kiosk_arguments; import tui.launch; "
        "assert kiosk_arguments(['demo', '--lang', 'en']) is not None; "
        "print('click' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
