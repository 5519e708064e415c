"""The runner: thousands of concurrent, rate-limited model calls that never lose an answer.

::

    outcome = await run_models([ModelRun("openai:gpt-4.1", adapter, requests, Limits(concurrency=64, rpm=500))],
                               Path("runs/x"), progress=Progress(), max_cost=5.0)

- ``run_models`` resumes from ``run_dir/journal.jsonl``: keys with an ok record are not sent again,
  error records are retried. Every finished attempt is appended to the journal.
- ``run`` is the synchronous wrapper (Ctrl-C flushes the journal and says how to resume).
- ``request_key`` is the journal key recipe; ``read_journal`` reads a journal back (ok wins).
- ``load_config`` reads per-provider and per-model limits from TOML; ``estimate_run`` is the dry run.
- Models with the same ``ModelRun.endpoint_group`` (``endpoint_group(adapter, base_url, api_key)``)
  share their endpoint's in-flight limit, rate buckets and AIMD state (``provider_limits``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from u2fast._lazy import load_attribute

if TYPE_CHECKING:
    from .config import EvalConfig, ModelConfig, load_config
    from .cost import ModelStats, cost_of, price_for
    from .dry_run import ModelEstimate, estimate_run
    from .engine import ModelRun, RunOutcome, SessionFactory, default_session, run, run_models
    from .journal import iter_journal, read_journal
    from .limits import Clock, Limits, SystemClock
    from .model_run import endpoint_group
    from .progress import Progress
    from .request_key import request_key

# Names load on first use: reading a journal or computing a key (``u2fast score``, ``u2fast report``)
# must not pay for importing aiohttp and the engine.
_WHERE = {
    "EvalConfig": "config", "ModelConfig": "config", "load_config": "config",
    "ModelStats": "cost", "cost_of": "cost", "price_for": "cost",
    "ModelRun": "engine", "RunOutcome": "engine", "SessionFactory": "engine", "default_session": "engine",
    "run": "engine", "run_models": "engine",
    "ModelEstimate": "dry_run", "estimate_run": "dry_run",
    "iter_journal": "journal", "read_journal": "journal",
    "request_key": "request_key",
    "Clock": "limits", "Limits": "limits", "SystemClock": "limits",
    "Progress": "progress",
    "endpoint_group": "model_run",
}


def __getattr__(name: str) -> Any:
    return load_attribute(__name__, _WHERE, name, globals())


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "Clock",
    "EvalConfig",
    "Limits",
    "ModelConfig",
    "ModelEstimate",
    "ModelRun",
    "ModelStats",
    "Progress",
    "RunOutcome",
    "SessionFactory",
    "SystemClock",
    "cost_of",
    "default_session",
    "endpoint_group",
    "estimate_run",
    "iter_journal",
    "load_config",
    "price_for",
    "read_journal",
    "request_key",
    "run",
    "run_models",
]
