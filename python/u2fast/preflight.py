"""Checks of ``eval``'s choices that need no request, made before anything is sent or written.

A mistake found after the benchmark was sent costs money and time; each check here names the bad
value and the valid ones. ``check_choices`` runs before the data is loaded, ``check_filters_met``
right after (a valid data set id the data do not hold), ``check_data_spec`` inside ``data.load``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from .errors import ConfigError, DataError, PluginError
from .plugins import Registry
from .types import TASKS, Case
from .u2bench.scenarios import SCENARIOS

__all__ = ["check_choices", "check_filters_met", "check_data_spec"]

#: File endings of the data formats ``--data`` reads: a value ending so names a file, not a hub id.
_DATA_SUFFIXES = (".tsv", ".jsonl", ".json", ".parquet", ".csv")


def _listing(values: Iterable[str]) -> str:
    return ", ".join(values)


def _check_tasks(tasks: Sequence[str], flag: str) -> None:
    unknown = [t for t in tasks if t not in TASKS]
    if unknown:
        raise ConfigError(f"{flag}: unknown task {_listing(repr(t) for t in unknown)}; valid: {_listing(TASKS)}")


def _dataset_ids() -> list[str]:
    return sorted({s.dataset_id for s in SCENARIOS}, key=lambda d: (len(d), d))


def _check_datasets(datasets: Sequence[str], tasks: Sequence[str]) -> None:
    keys = {f"{s.task}/{s.dataset_id}": s for s in SCENARIOS}
    for name in datasets:
        if name in keys:
            scenarios = [keys[name]]
        else:
            scenarios = [s for s in SCENARIOS if s.dataset_id == name]
        if not scenarios:
            raise ConfigError(
                f"--datasets: no U2-Bench data set {name!r}; valid ids: {_listing(_dataset_ids())} "
                "(or TASK/ID, e.g. DD/21)"
            )
        if tasks and not any(s.task in tasks for s in scenarios):
            where = _listing(f"{s.task}/{s.dataset_id}" for s in scenarios)
            raise ConfigError(f"--datasets {name}: it is {where}, outside --tasks {','.join(tasks)}")


def check_choices(
    *, tasks: Sequence[str], datasets: Sequence[str], parsers: Sequence[tuple[str, str]], registry: Registry
) -> None:
    """``--tasks``, ``--datasets`` and ``--parser TASK=NAME`` against what exists."""
    _check_tasks(tasks, "--tasks")
    _check_datasets(datasets, tasks)
    for task, name in parsers:
        _check_tasks([task], f"--parser {task}={name}")
        try:
            registry.parser(task, name)
        except PluginError as exc:  # it names the parsers registered for that task
            raise PluginError(f"--parser {task}={name}: {exc}") from None


def check_filters_met(data: str, tasks: Sequence[str], datasets: Sequence[str], cases: Sequence[Case]) -> None:
    """Every task and data set asked for has a case in the loaded data."""
    have_tasks = {c.task for c in cases}
    have = {c.dataset_id for c in cases} | {c.scenario for c in cases}
    missing = [t for t in tasks if t not in have_tasks] + [d for d in datasets if d not in have]
    if missing:
        held = _listing(sorted(have_tasks, key=TASKS.index)) or "none"
        raise ConfigError(
            f"--data {data!r} holds no case of {_listing(missing)} (after --tasks/--datasets/--limit); "
            f"its tasks there: {held}"
        )


def check_data_spec(spec: str, sources: Sequence[str] = ()) -> None:
    """A ``--data`` value that reads as a local path but does not exist is a data error, not a hub id.

    It reads as a path when it starts with ``.``, ``/`` or ``~``, ends with a data file's suffix,
    has more than one ``/`` (hub ids are ``owner/name``), or its first part is an existing folder.
    """
    path = Path(spec).expanduser()
    if path.exists() or "://" in spec:  # a URL-style hub id (hf://owner/name) is the hub's to judge
        return
    first = Path(spec.split("/", 1)[0]).expanduser()
    pathlike = (
        spec.startswith((".", "/", "~"))
        or spec.lower().endswith(_DATA_SUFFIXES)
        or spec.count("/") > 1
        or (first.is_dir() and "/" in spec)
    )
    if not pathlike:
        return
    parent = path.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    hint = ""
    if parent.is_dir():
        entries = sorted(p.name + ("/" if p.is_dir() else "") for p in parent.iterdir() if not p.name.startswith("."))
        shown = _listing(entries[:12]) + (", ..." if len(entries) > 12 else "")
        hint = f"; {str(parent) if str(parent) != '.' else 'the current folder'} holds: {shown or 'nothing'}"
    raise DataError(f"--data {spec!r}: no such file or folder, and not a registered dataset source "
                    f"({_listing(sources) or 'none'}){hint}")
