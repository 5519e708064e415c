"""pluggy hook specifications (project name and entry-point group ``u2fast``).

The ``register`` hooks are synchronous and called once at start-up; the objects they register do the
(async) work. The two observers are called once per eval (``u2fast eval`` and ``u2fast.evaluate``),
each plugin on its own: one that raises is reported on screen and the run goes on. Nothing is called
through pluggy per request. Built-in tasks and adapters use these same hooks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from .adapters.base import AdapterInfo
    from .data.load_types import DatasetSource
    from .scoring.scores import RunScores
    from .tasks.base import ParserInfo, TaskDefinition
    from .types import RunManifest

__all__ = ["hookimpl", "hookspec", "PROJECT"]

PROJECT = "u2fast"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def u2fast_register_adapters(register: Callable[[AdapterInfo], None]) -> None:
    """Register model adapters, e.g. ``register(AdapterInfo(name="openai", ...))``."""


@hookspec
def u2fast_register_tasks(register: Callable[[TaskDefinition], None]) -> None:
    """Register task definitions (prompt builder, default parsers, metric kind)."""


@hookspec
def u2fast_register_parsers(register: Callable[[ParserInfo], None]) -> None:
    """Register alternative answer parsers, selectable per task with ``--parser TASK=NAME``."""


@hookspec
def u2fast_register_datasets(register: Callable[[DatasetSource], None]) -> None:
    """Register named dataset sources usable as ``--data NAME``."""


@hookspec
def u2fast_run_started(manifest: RunManifest) -> None:
    """Called once per eval when the run folder is locked and its manifest written (``status``
    "running"), before any request is sent (observers only)."""


@hookspec
def u2fast_run_finished(manifest: RunManifest, scores: RunScores) -> None:
    """Called once per eval after its answers are scored and the manifest records how it ended
    (``status`` "finished" or "stopped"). Not called while batches are still pending (``--no-wait``)
    or when the eval fails before scoring (observers only)."""
