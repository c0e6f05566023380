"""Read-aloud (issue 5, item 3): L or the button reads the item and its answers with espeak-ng's
Dutch voice, never blocking the screen; without espeak-ng the pupil is told and all else works.

Most tests put a fake `espeak-ng` first on PATH: a script that writes down how it was called
and what it was given to read, then takes its time, like a real voice reading a sentence.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea

from storage import DataFolder, Wave
from tui.app import PupilApp
from tui.launch import make_app
from tui.read_aloud import Speaker
from tui.screens import ItemScreen
from pilot import pilot_test, to_first_item

PUPIL = "FNWW4F"  # class 6a of the demo study
ALL_KINDS = Path(__file__).parent / "data" / "instruments" / "all_kinds.yaml"
SECONDS_READING = 5  # how long the fake voice takes for any text
FAKE = r"""#!/bin/sh
# a stand-in for espeak-ng: lists one voice per language, records each reading, reads slowly
case "$1" in
  --voices=*)
    echo "Pty Language       Age/Gender VoiceName          File                 Other Languages"
    for lang in $VOICES; do echo " 5  $lang              --/M      voice_$lang             gmw/$lang"; done
    exit 0 ;;
esac
call="$LOG.$$"
trap 'echo stopped >> "$call.stopped"; exit 0' TERM
printf '%s\n' "$@" > "$call.argv"
cat > "$call.stdin"
sleep {seconds} &
wait $!
echo finished > "$call.finished"
"""


@dataclass
class Reading:
    argv: list[str]
    spoken: str
    path: Path  # $LOG.<pid>

    @property
    def stopped(self) -> bool:
        return Path(f"{self.path}.stopped").exists()


class FakeVoice:
    def __init__(self, folder: Path) -> None:
        self.log = folder / "reading"

    def readings(self) -> list[Reading]:
        found = []
        for argv in sorted(self.log.parent.glob(f"{self.log.name}.*.argv"), key=lambda p: p.stat().st_mtime_ns):
            call = Path(str(argv).removesuffix(".argv"))
            stdin = Path(f"{call}.stdin")
            if stdin.exists():
                found.append(Reading(argv.read_text().splitlines(), stdin.read_text(), call))
        return found

    async def wait_for(self, pilot: Pilot, count: int, what: str = "reading") -> list[Reading]:
        """The first `count` readings, once the fake has written them (a child process: not at once)."""
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            readings = self.readings()
            if len(readings) >= count and all(r.spoken for r in readings[:count]):
                return readings
            await pilot.pause(0.05)
        raise AssertionError(f"no {what} within 3 s: {self.readings()}")


@pytest.fixture
def fake_voice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeVoice:
    """`espeak-ng` on PATH is the fake, with the voices nl and en."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    program = bin_dir / "espeak-ng"
    program.write_text(FAKE.replace("{seconds}", str(SECONDS_READING)))
    program.chmod(0o755)
    voice = FakeVoice(tmp_path)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("LOG", str(voice.log))
    monkeypatch.setenv("VOICES", "nl en")
    return voice


def app_for(folder: DataFolder, **options: object) -> PupilApp:
    return make_app(folder, folder.study(), "w1", return_after=None, **options)


def shown(app: PupilApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).content)


def notices(app: PupilApp) -> list[str]:
    return [str(notification.message) for notification in app._notifications]


SCALE_READ = "1: Helemaal niet waar.\n2: Niet waar.\n3: Een beetje waar.\n4: Waar.\n5: Helemaal waar."


@pilot_test
async def test_l_reads_the_item_and_its_answers_in_dutch_and_the_pupil_goes_on_meanwhile(
    demo_folder: DataFolder, fake_voice: FakeVoice
) -> None:
    app = app_for(demo_folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_first_item(pilot, PUPIL)
        sentence = shown(app, "#item-text")
        started = time.monotonic()
        await pilot.press("l")
        [reading] = await fake_voice.wait_for(pilot, 1)
        assert reading.argv[:2] == ["-v", "nl"]
        assert reading.spoken == f"{sentence}\n{SCALE_READ}"
        # the voice takes 5 s; meanwhile the pupil answers and goes on, and the screen follows
        await pilot.press("4", "enter")
        await pilot.pause()
        assert shown(app, "#progress") == "vraag 2 van 9"
        assert time.monotonic() - started < SECONDS_READING - 1
        # the next item silences the last one: no voice reads an item no longer on screen
        await pilot.pause(0.3)
        assert reading.stopped
        assert not app.speaker.speaking
    session_answers = [path for path in demo_folder.session_paths()]
    assert len(session_answers) == 1  # and the answer given while it read was stored


@pilot_test
async def test_the_button_reads_too_and_a_second_reading_stops_the_first(
    demo_folder: DataFolder, fake_voice: FakeVoice
) -> None:
    app = app_for(demo_folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_first_item(pilot, PUPIL)
        button = app.screen.query_one("#read-aloud")
        assert "Lees voor (L)" in str(button.label)
        await pilot.click("#read-aloud")
        [first] = await fake_voice.wait_for(pilot, 1)
        await pilot.pause(0.3)  # a button ignores a click while it still shows the last one
        await pilot.click("#read-aloud")
        readings = await fake_voice.wait_for(pilot, 2)
        assert readings[1].spoken == first.spoken
        await pilot.pause(0.3)
        assert first.stopped and not readings[1].stopped
        assert isinstance(app.screen, ItemScreen) and shown(app, "#progress") == "vraag 1 van 9"
    # closing the app stops the voice
    deadline = time.monotonic() + 2
    while not readings[1].stopped and time.monotonic() < deadline:
        time.sleep(0.05)
    assert readings[1].stopped


@pilot_test
async def test_english_pupils_hear_the_english_voice(demo_folder: DataFolder, fake_voice: FakeVoice) -> None:
    app = app_for(demo_folder, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await to_first_item(pilot, PUPIL)
        await pilot.press("l")
        [reading] = await fake_voice.wait_for(pilot, 1)
        assert reading.argv[:2] == ["-v", "en"]
        assert reading.spoken.startswith(shown(app, "#item-text") + "\n1: Not true at all.")


@pilot_test
async def test_without_espeak_ng_the_pupil_is_told_and_carries_on(
    demo_folder: DataFolder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # no espeak-ng anywhere
    app = app_for(demo_folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_first_item(pilot, PUPIL)
        await pilot.press("l")
        await pilot.pause()
        assert notices(app) == ["Voorlezen kan niet op deze laptop."]
        await pilot.press("3", "enter")
        await pilot.pause()
        assert shown(app, "#progress") == "vraag 2 van 9"


@pilot_test
async def test_espeak_ng_without_the_dutch_voice_counts_as_unavailable(
    demo_folder: DataFolder, fake_voice: FakeVoice, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VOICES", "en")
    app = app_for(demo_folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_first_item(pilot, PUPIL)
        await pilot.click("#read-aloud")
        await pilot.pause()
        assert notices(app) == ["Voorlezen kan niet op deze laptop."]
    assert fake_voice.readings() == []


@pilot_test
async def test_typing_an_l_in_an_answer_field_types_it_and_reads_nothing(
    tmp_path: Path, fake_voice: FakeVoice
) -> None:
    from instruments import load_instrument

    folder = DataFolder(tmp_path / "data")
    folder.install_demo()
    study = folder.study().model_copy(update={"waves": [Wave(id="w1", instruments={"pupil": ["all_kinds"]})]})
    app = make_app(folder, study, "w1", instruments={"all_kinds": load_instrument(ALL_KINDS)}, return_after=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_first_item(pilot, "7V7NJA")
        typed: dict[str, str] = {}
        for _ in range(8):  # the number field (age), the one-line text field, the text box
            fields = app.screen.query(".number-field, .text-line, .text-box")
            if fields:
                field = fields.first()
                assert field.has_focus
                await pilot.press(*"lol")
                await pilot.pause(0.3)
                kind = next(k for k in ("number", "line", "box") if field.has_class(f"{k}-field") or field.has_class(f"text-{k}"))
                typed[kind] = field.text if isinstance(field, TextArea) else field.value
                if kind == "box":
                    break
            await pilot.press("enter")  # on to the next item (the line's "lol" is its answer)
            await pilot.pause()
        assert typed == {"number": "", "line": "lol", "box": "lol"}  # a number field refuses letters
        assert fake_voice.readings() == []
        assert notices(app) == []


@pilot_test
async def test_the_code_screen_reads_its_question_on_a_click_and_keeps_every_key_for_the_code(
    demo_folder: DataFolder, fake_voice: FakeVoice
) -> None:
    app = app_for(demo_folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.click("#read-aloud")
        [reading] = await fake_voice.wait_for(pilot, 1)
        assert reading.spoken == "Wat is jouw code?\nTyp de code van je kaartje. Druk dan op Enter."
        field = app.screen.query_one("#code", Input)
        assert field.has_focus  # the pupil types on after the click
        await pilot.press("l")
        await pilot.pause(0.3)
        assert field.value == "l" and len(fake_voice.readings()) == 1


@pilot_test
async def test_the_name_check_reads_the_question_and_both_answers_and_stops_when_answered(
    demo_folder: DataFolder, fake_voice: FakeVoice
) -> None:
    from storage.roster import load_key

    first_name = load_key(demo_folder)[PUPIL].first_name
    app = app_for(demo_folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*PUPIL, "enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "NameCheckScreen"
        await pilot.press("l")
        [reading] = await fake_voice.wait_for(pilot, 1)
        assert reading.spoken == f"Ben jij {first_name}?\n1: Ja.\n2: Nee."
        await pilot.press("j")
        await pilot.pause(0.3)
        assert type(app.screen).__name__ != "NameCheckScreen"
        assert reading.stopped


# -- the real espeak-ng (installed by ./dev test; README names the Debian package) --------------
def test_the_real_espeak_ng_speaks_dutch_into_a_wave_file(tmp_path: Path) -> None:
    program = shutil.which("espeak-ng")
    assert program is not None, "espeak-ng is not installed: apt-get install espeak-ng (./dev test does)"
    assert Speaker("nl").available()
    wav = tmp_path / "vraag.wav"
    subprocess.run([program, "-v", "nl", "-w", str(wav), "Ik doe mijn best omdat ik leren belangrijk vind."], check=True, timeout=30)
    data = wav.read_bytes()
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE"
    assert len(data) > 20_000  # about a second of speech, not an empty header
