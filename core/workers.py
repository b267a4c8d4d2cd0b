"""Work spread over one process per core, in chunks, with results in input order.

Used for the bulk paths of the command line (importing and exporting many files), where
pure-Python parsing or rendering is most of the time.  Workers are forked, so they share the
already-imported code and start at once (spawned where the platform cannot fork).  A consumer
that stops early, or fails, shuts the pool down: no worker outlives the operation.
"""
from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

__all__ = ["BULK_MIN_FILES", "THRESHOLD_ENV", "bulk_threshold", "die_with_parent",
           "map_chunks", "paused_gc", "use_workers", "worker_count"]

# Below this many files the pool's start-up costs more than the second core gains.
BULK_MIN_FILES = 200
THRESHOLD_ENV = "EMENDO_BULK_MIN_FILES"

_T = TypeVar("_T")
_R = TypeVar("_R")


def worker_count() -> int:
    """Worker processes for a bulk operation: one per core."""
    return os.cpu_count() or 1


@contextmanager
def paused_gc() -> Iterator[None]:
    """Hold off Python's cyclic garbage collector during a bulk import or export.

    Parsed documents are many small objects that all stay alive; every full collection
    would walk all of them again, which more than doubles the time to parse thousands of
    files (and in a forked worker copies every page it inherited).  Nothing they hold is
    cyclic garbage, so collecting afterwards loses nothing.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def bulk_threshold() -> int:
    """Files from which an import or export uses workers (``EMENDO_BULK_MIN_FILES`` overrides)."""
    try:
        return max(1, int(os.environ.get(THRESHOLD_ENV, "")))
    except ValueError:
        return BULK_MIN_FILES


def use_workers(n_items: int, workers: int | None = None) -> bool:
    """Whether ``n_items`` files are worth a process pool on this machine."""
    return n_items >= bulk_threshold() and (workers or worker_count()) > 1


_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent(parent: int) -> None:
    """Make this worker process end when ``parent`` dies (even by SIGKILL).

    On Linux the kernel sends SIGKILL at the parent's death (``prctl(PR_SET_PDEATHSIG)``);
    elsewhere, and in case the parent died before that call, a thread watches the parent
    id: a process whose parent is gone is re-parented, and its ``getppid`` changes.
    """
    import signal
    import sys
    import threading
    import time

    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:
        os._exit(1)  # the parent is already gone

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="emendo-parent-watch", daemon=True).start()


def map_chunks(fn: Callable[[list[_T]], _R], items: list[_T], *, chunk: int,
               workers: int | None = None, parallel: bool = True) -> Iterator[_R]:
    """``fn`` of each chunk of ``items``, in order: in worker processes when ``parallel``."""
    chunks = [items[i:i + chunk] for i in range(0, len(items), chunk)]
    workers = workers or worker_count()
    if not parallel or workers < 2 or not chunks:
        yield from map(fn, chunks)
        return
    # Imported here: a small operation (or `emendo list`) should not pay for loading them.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    pool = ProcessPoolExecutor(max_workers=min(workers, len(chunks)), mp_context=ctx,
                               initializer=die_with_parent, initargs=(os.getpid(),))
    try:
        yield from pool.map(fn, chunks)
    finally:
        # Also when the consumer stops early (a failed insert): no worker outlives the work.
        pool.shutdown(wait=True, cancel_futures=True)
