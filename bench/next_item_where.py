"""`bench/next_item.py --where PUPILS`: inside the app, headless, how much of an Enter on an item
is Textual's layout, rendering and CSS (a guide for making the item screen cheaper)."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

from common import ms, percentile, table

from storage import DataFolder


def where_the_time_goes(pupils: int) -> list[str]:
    """Inside the app, headless (Pilot): from Enter on an answered item to the last screen refresh
    after it, and how much of that is Textual's layout, its rendering and CSS. Times Textual's
    private methods by wrapping them: a guide to where the time goes, not the measurement above."""
    import asyncio
    from collections import defaultdict

    from textual import _compositor, events
    from textual import screen as screen_module
    from textual.css import stylesheet

    from tui.launch import make_app

    spent: dict[str, float] = defaultdict(float)
    refreshed: list[float] = []

    def timed(owner: type, name: str, label: str) -> None:
        original = getattr(owner, name)

        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[label] += time.perf_counter() - started
                if label == "refresh":
                    refreshed.append(time.perf_counter())

        setattr(owner, name, wrapper)

    timed(screen_module.Screen, "_refresh_layout", "layout: arranging the screen's widgets")
    timed(_compositor.Compositor, "render_update", "rendering the changed regions")
    timed(stylesheet.Stylesheet, "update_nodes", "CSS applied again (class changes)")
    timed(screen_module.Screen, "_compositor_refresh", "refresh")

    async def run() -> tuple[list[float], dict[str, list[float]]]:
        folder = DataFolder(Path(tempfile.mkdtemp(prefix="klaspeil-where-")) / "data")
        folder.install_demo()
        study = folder.study()
        codes_ = [code for school_class in study.classes for code in school_class.pupils][:pupils]
        app = make_app(folder, study, demo=True, shuffle_seed=1, return_after=None)
        totals: list[float] = []
        parts: dict[str, list[float]] = defaultdict(list)
        async with app.run_test(size=(100, 30)) as pilot:
            for code in codes_:
                await pilot.press(*code, "enter")
                for _ in range(6):  # name check, practice item, introduction: on to the first item
                    await pilot.pause(0.1)
                    if type(app.screen).__name__ == "ItemScreen":
                        break
                    await pilot.press("j" if type(app.screen).__name__ == "NameCheckScreen" else "enter")
                for number in range(9):
                    await pilot.press("3")
                    await pilot.pause(0.05)
                    if number == 8:
                        break
                    spent.clear()
                    refreshed.clear()
                    started = time.perf_counter()
                    app.post_message(events.Key("enter", "\r"))
                    await pilot.pause(0.1)  # long enough for every refresh the Enter causes
                    totals.append(refreshed[-1] - started)
                    for label, seconds in spent.items():
                        if label != "refresh":
                            parts[label].append(seconds)
                await pilot.press("enter")
                await pilot.pause(0.1)
                await pilot.press("space")
                await pilot.pause(0.1)
        shutil.rmtree(folder.root.parent, ignore_errors=True)
        return totals, parts

    totals, parts = asyncio.run(run())
    rows = [["Enter -> last screen refresh done", str(len(totals)), ms(percentile(totals, 0.5)), ms(percentile(totals, 0.99))]]
    rows += [[f"of which {label}", str(len(t)), ms(percentile(t, 0.5)), ms(percentile(t, 0.99))] for label, t in parts.items()]
    return [f"#### Inside the app (headless, Pilot, demo study, {len(totals)} Enters): where the time goes (ms)", "",
            *table(["step", "samples", "p50", "p99"], rows), "",
            f"- load average (1 min): {os.getloadavg()[0]:.1f}; priority: nice {os.nice(0)}"]
