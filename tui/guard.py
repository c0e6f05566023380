"""How every `klaspeil` run ends: a known failure is one line on stderr and exit 1, never a traceback.

Free of click, so that the kiosk's fast start (tui/entry.py) ends the same way as every command.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from instruments.problems import InvalidFile
from storage.errors import StorageError


def run_guarded(run: Callable[[], None]) -> NoReturn:
    """Run, then exit: 0 when done, 1 with one line (or one `path:line: message` per problem) for
    a known failure, 130 on Ctrl+C outside the kiosk, 2 for a bug (details in a crash log)."""
    try:
        run()
    except InvalidFile as error:
        for problem in error.problems:
            print(str(problem), file=sys.stderr)
        sys.exit(1)
    except StorageError as error:
        print(f"klaspeil: {error}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as error:  # a bug: keep the details in a log, show one line
        log = _write_crash_log()
        print(f"klaspeil: unexpected error: {error!r} (details in {log})", file=sys.stderr)
        sys.exit(2)
    sys.exit(0)


def _write_crash_log() -> Path:
    import platformdirs

    folder = platformdirs.user_log_path("klaspeil")
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "crash.log"
    with log.open("a", encoding="utf-8") as handle:
        handle.write(traceback.format_exc() + "\n")
    return log
