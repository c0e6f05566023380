"""Helpers for Pilot tests of the Textual apps."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input


def pilot_test(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async Pilot scenario as a plain test (no asyncio plugin needed)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


async def settle(pilot: Pilot) -> None:
    """Wait for the app's workers, then for the screen to show their result; no blinking
    cursor, so that snapshots are repeatable."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


async def to_first_item(pilot: Pilot, code: str) -> None:
    """Log in with `code` and go on to the first real item: "Ja" at the name check, Enter past
    the practice item and the introduction (whichever of these the flow shows)."""
    await pilot.press(*code, "enter")
    await pilot.pause()
    for _ in range(6):
        name = type(pilot.app.screen).__name__
        if name == "ItemScreen":
            return
        await pilot.press("j" if name == "NameCheckScreen" else "enter")
        await pilot.pause()
    raise AssertionError(f"no item after logging in: {type(pilot.app.screen).__name__} on screen")
