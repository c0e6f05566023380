"""Work an export spreads over the machine's cores: reading session files, writing formats.

Linux forks: a child starts with the parent's memory (the instruments, the built tables), so
nothing large is pickled on the way in, only results on the way out. Where fork is not the
way processes start (Windows, macOS), in a process that runs other threads, or for little
work, everything runs in this process, in the same order and with the same results.
"""

from __future__ import annotations

import functools
import gc
import multiprocessing
import os
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

Job = TypeVar("Job")
Result = TypeVar("Result")

MAX_WORKERS = 4  # beyond this the parent's merging, not the children, is the limit


def workers() -> int:
    """How many processes to use: the cores this process may run on (KLASPEIL_WORKERS overrides)."""
    if given := os.environ.get("KLASPEIL_WORKERS"):
        return max(1, int(given))
    if not sys.platform.startswith("linux"):
        return 1
    return max(1, min(MAX_WORKERS, len(os.sched_getaffinity(0))))


def ordered_map(work: Callable[[Job], Result], jobs: Iterable[Job], processes: int) -> Iterator[Result]:
    """`map(work, jobs)` in `processes` forked children, results in the order of `jobs`.

    `work` must be a module-level function; what it needs besides its job it reads from
    module globals set before this is called (a forked child sees them). An exception in a
    child is raised here, as it would be in a plain map.
    """
    jobs = list(jobs)
    # a process with other threads (an app's workers) is not forked: a lock one of them holds
    # would stay locked forever in the child
    if processes <= 1 or len(jobs) <= 1 or threading.active_count() > 1:
        yield from map(work, jobs)
        return
    gc.freeze()  # the children's refcounting then copies fewer of the parent's pages
    try:
        # an executor, not multiprocessing.Pool: Pool.terminate(), which its `with` calls when a
        # job raises, could kill a worker half-way through sending its result, holding the result
        # queue's lock for ever (an export refusing a bad session hung, about 1 run in 25). The
        # executor never kills a worker: it cancels what has not started and waits for the rest
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(min(processes, len(jobs)), mp_context=context) as pool:
            futures = [pool.submit(work, job) for job in jobs]
            try:
                for future in futures:
                    yield future.result()
            finally:
                for future in futures:
                    future.cancel()
    finally:
        gc.unfreeze()


def no_gc(function: Callable[..., Any]) -> Callable[..., Any]:
    """Run `function` without the cyclic collector: building 100,000s of rows makes no cycles,
    and the collector's passes over them cost a fifth of the time."""

    @functools.wraps(function)  # the module-level name, so that a pool can pickle it
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return wrapped
