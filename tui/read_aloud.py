"""Read-aloud: speaks a text offline with espeak-ng, without ever blocking the screen.

Speech runs as a child process that is started and left alone (never waited on in the event
loop); a new text stops the one being read, and so do leaving the item and closing the app.
No textual here: the screens call `Speaker.say` and `Speaker.stop`.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess

PROGRAM = "espeak-ng"
VOICES = {"nl": "nl", "en": "en"}  # espeak-ng's voice per pupil language
RATE = 135  # words per minute: espeak-ng's 175 is too fast for an 8-year-old


def spoken_item(sentence: str, options: list[tuple[int, str]]) -> str:
    """The item and then its answers, as a text to read aloud: "... 1: Helemaal niet waar. 2: ..."."""
    parts = [sentence.strip()]
    parts += [f"{key}: {sentence_case(label)}." for key, label in options]
    return "\n".join(parts)


def sentence_case(label: str) -> str:
    label = label.strip().rstrip(".")
    return label[:1].upper() + label[1:]


class Speaker:
    """One voice per app: at most one text is read at a time."""

    def __init__(self, language: str) -> None:
        self.voice = VOICES.get(language, "nl")
        self._available: bool | None = None  # checked on first use, then remembered
        self._program: str | None = None
        self._speaking: subprocess.Popen[bytes] | None = None
        self._stopping: list[subprocess.Popen[bytes]] = []  # stopped, not yet reaped

    def available(self) -> bool:
        """espeak-ng is on PATH and has the voice (asked once: a few milliseconds)."""
        if self._available is None:
            self._program = shutil.which(PROGRAM)
            self._available = self._program is not None and self._has_voice(self._program)
        return self._available

    def _has_voice(self, program: str) -> bool:
        try:
            listing = subprocess.run(
                [program, f"--voices={self.voice}"], capture_output=True, text=True, timeout=5, check=False
            )
        except (OSError, subprocess.SubprocessError):
            return False
        # a header line, then one voice per line: " 5  nl  --/M  Dutch  gmw/nl"; en lists en-gb, en-us
        languages = {line.split()[1] for line in listing.stdout.splitlines()[1:] if len(line.split()) > 1}
        return listing.returncode == 0 and any(lang == self.voice or lang.startswith(f"{self.voice}-") for lang in languages)

    def say(self, spoken: str) -> bool:
        """Start reading `spoken` (stopping what was being read); False when read-aloud is unavailable."""
        self.stop()
        if not self.available():
            return False
        if not spoken.strip():
            return True
        assert self._program is not None
        try:
            process = subprocess.Popen(
                [self._program, "-v", self.voice, "-s", str(RATE), "--stdin"],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,  # a Ctrl+C in the terminal is the app's, not the voice's
            )
        except OSError:
            return False
        self._speaking = process
        try:
            assert process.stdin is not None
            process.stdin.write(spoken.encode("utf-8"))  # a short text fits the pipe: no wait
            process.stdin.close()
        except OSError:  # the voice died at once; nothing to read to
            pass
        return True

    @property
    def speaking(self) -> bool:
        return self._speaking is not None and self._speaking.poll() is None

    def stop(self) -> None:
        """Silence: the text being read stops now; stopped processes are reaped later, without waiting."""
        process, self._speaking = self._speaking, None
        if process is not None and process.poll() is None:
            try:  # its own process group (start_new_session): whatever it started stops too
                os.killpg(process.pid, signal.SIGTERM)
            except OSError:
                process.terminate()
            self._stopping.append(process)
        self._stopping = [p for p in self._stopping if p.poll() is None]
