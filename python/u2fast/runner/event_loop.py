"""The event loop a run goes on: uvloop (a dependency outside Windows), and fewer garbage-collector passes."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import importlib
import os
from collections.abc import Callable, Iterator
from typing import cast

__all__ = ["fewer_gc_passes", "loop_factory"]


@contextlib.contextmanager
def fewer_gc_passes() -> Iterator[None]:
    """Every request allocates a few hundred short-lived objects; with the default thresholds the
    cyclic collector then runs every few requests and re-scans the whole dataset each time (about
    a tenth of the CPU per request). Objects that exist before the run are frozen out of the scans
    and young collections are made rarer, for the run only."""
    old = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(old[0], 20_000), old[1], old[2])
    try:
        yield
    finally:
        gc.set_threshold(*old)
        gc.unfreeze()


def loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's loop (it roughly halves the runner's CPU per request), else asyncio's default.

    uvloop is a dependency (pyproject) except on Windows, where it does not build; the default loop also
    serves ``U2FAST_NO_UVLOOP=1`` (the benches' baseline)."""
    if os.environ.get("U2FAST_NO_UVLOOP"):
        return None
    try:
        uvloop = importlib.import_module("uvloop")
    except ImportError:
        return None
    return cast(Callable[[], asyncio.AbstractEventLoop], uvloop.new_event_loop)
