"""``u2fast.evaluate``: one eval as a library call; ``u2fast eval`` is a thin layer over ``run_eval``.

::

    import u2fast
    result = u2fast.evaluate(["random:uniform"], data="sample", tasks=["DD"], runs_dir="runs", quiet=True)
    result.run_dir, result.scores.models["random:uniform"].u2, result.outcome.stopped

Works from a notebook whose event loop is already running: the eval then runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import dataclasses
import datetime as _dt
import sys
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ConfigError
from .preparation import EvalOptions, PreparedRun, prepare_run
from .types import GenerationParams, RunManifest

if TYPE_CHECKING:
    from .runner import ModelRun, Progress, RunOutcome
    from .scoring.scores import RunScores

__all__ = ["EvalProblemWarning", "EvalResult", "build_model_runs", "evaluate", "prepare_folder", "run_eval"]


@dataclass(frozen=True)
class EvalResult:
    """What an eval gives back: where it was written, its scores and how the sending went."""

    run_dir: Path
    manifest: RunManifest
    #: None only while batches are still running at the providers (``batch_wait=False``).
    scores: RunScores | None
    outcome: RunOutcome
    #: Unreadable journal lines moved into journal.rejected.jsonl by ``repair_journal``.
    repaired_lines: int = 0
    #: Batches submitted and not yet finished (collect them by resuming the run).
    waiting_batches: int = 0


def build_model_runs(prepared: PreparedRun) -> list[ModelRun]:
    """One ModelRun per model, with the limits and price ``u2fast.model_settings`` resolved."""
    from .runner import ModelRun, endpoint_group

    return [
        ModelRun(name=choice.name, adapter=prepared.adapters[choice.name], requests=prepared.plan[choice.name],
                 limits=choice.limits, price=choice.price, needs_images=choice.info.needs_images,
                 # models of one adapter on one base URL and key share its in-flight and rate limits
                 endpoint_group=endpoint_group(choice.info.name, choice.settings.base_url, choice.settings.api_key),
                 provider_limits=choice.provider_limits)
        for choice in prepared.models
    ]


def _check_budget(model_runs: list[ModelRun], max_cost: float | None) -> None:
    if max_cost is None:
        return
    from .adapters.base import HttpAdapter

    unpriced = [r.name for r in model_runs if r.price is None and isinstance(r.adapter, HttpAdapter)]
    if unpriced:
        raise ConfigError(
            f"--max-cost cannot be enforced for {', '.join(unpriced)}: no price is known; add "
            'price = { input = USD, output = USD } (per million tokens) for it in the --config file'
        )


def prepare_folder(options: EvalOptions) -> Path:
    """Write the run folder (manifest, cases) under its lock and send nothing (``--prepare-only``)."""
    from .runfolder import RunLock, start_run

    prepared = prepare_run(options)
    with RunLock(prepared.run_dir):
        start_run(prepared.run_dir, prepared.manifest, prepared.records)
    return prepared.run_dir


def run_eval(options: EvalOptions, *, progress: Progress | None = None,
             notes: Callable[[str], None] | None = None) -> EvalResult:
    """Prepare, take the run folder's lock, write the setup, send what is missing, score.

    Nothing is written into the run folder before its lock is held, so an eval refused because
    another process writes the folder leaves every file of it as it was.
    """
    from .batch.phase import batch_phase
    from .folder_scoring import ScoringOptions, score_run
    from .plugins import get_registry
    from .runfolder import JOURNAL, RunLock, repair_journal, start_run, write_manifest
    from .runner import RunOutcome
    from .runner import run as run_models

    report = notes or (lambda text: sys.stderr.write(text + "\n"))
    prepared = prepare_run(options)
    for line in prepared.data_notes:  # what was wrong with the data, before anything is sent
        report(line)
    model_runs = build_model_runs(prepared)
    _check_budget(model_runs, options.max_cost)
    run_dir = prepared.run_dir
    registry = get_registry()  # the one prepare_run used
    with RunLock(run_dir):
        manifest, _ = start_run(run_dir, prepared.manifest, prepared.records)
        registry.notify("u2fast_run_started", report, manifest=manifest)
        repaired = repair_journal(run_dir / JOURNAL) if options.repair_journal else 0
        batched, model_runs = batch_phase(prepared, model_runs, options)
        if batched is not None and batched.waiting:
            waiting = RunOutcome(completions={}, stopped={}, stats=dict(batched.stats), cost=batched.cost)
            return EvalResult(run_dir, manifest, None, waiting, repaired, len(batched.waiting))
        max_cost = options.max_cost
        if max_cost is not None and batched is not None:
            max_cost = max(0.0, max_cost - batched.cost - batched.reserved)
        outcome = run_models(model_runs, run_dir, progress=progress, max_cost=max_cost,
                             max_side=options.max_side, seed=options.seed)
        if batched is not None:
            outcome.cost += batched.cost
            if batched.over_budget:
                outcome.stopped.update({s.model: "budget" for s in batched.over_budget})
        if "auto" in manifest.coords.values():
            from .folder_scoring import calibrate_run

            calibrate_run(run_dir, manifest)
        scores = score_run(run_dir, ScoringOptions(mode=options.mode, n_resamples=options.bootstrap,
                                                   seed=options.seed, parsers=dict(options.parsers),
                                                   accept_other_models=options.accept_other_models))
        manifest.status = "stopped" if outcome.stopped else "finished"
        manifest.finished_at = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
        write_manifest(run_dir, manifest)
        registry.notify("u2fast_run_finished", report, manifest=manifest, scores=scores)
    return EvalResult(run_dir, manifest, scores, outcome, repaired)


_PARAMS = ("temperature", "max_tokens", "top_p")
_FIELDS = {f.name for f in dataclasses.fields(EvalOptions)} - {"models", "data", "tasks", "runs_dir", "name", "params",
                                                              "command", "config", "quiet"}


def _options(models: str | Iterable[str], data: str, tasks: Iterable[str] | None, runs_dir: str | Path | None,
             name: str | None, given: Mapping[str, Any]) -> EvalOptions:
    unknown = sorted(set(given) - _FIELDS - set(_PARAMS) - {"config"})
    if unknown:
        raise ConfigError(f"u2fast.evaluate: unknown option(s) {', '.join(unknown)}; "
                          f"known: {', '.join(sorted(_FIELDS | set(_PARAMS) | {'config'}))}")
    seed = int(given.get("seed", 0))
    params = GenerationParams(**{k: given[k] for k in _PARAMS if k in given}, seed=seed)
    fields = {k: v for k, v in given.items() if k in _FIELDS}
    for seq_field in ("datasets", "plugins"):
        if seq_field in fields:
            fields[seq_field] = ([fields[seq_field]] if isinstance(fields[seq_field], str) else
                                 list(fields[seq_field]))
    if "datasets" in fields:
        fields["datasets"] = tuple(fields["datasets"])
    for path_field in ("prompts_dir", "config_path"):
        if fields.get(path_field) is not None:
            fields[path_field] = Path(fields[path_field])
    config = given.get("config")
    if config is not None:
        from .runner import EvalConfig, load_config

        if not isinstance(config, EvalConfig):
            fields["config_path"] = Path(config)
            config = load_config(config)
    return EvalOptions(
        models=[models] if isinstance(models, str) else list(models), data=data,
        tasks=tuple(t.upper() for t in tasks or ()), runs_dir=Path(runs_dir) if runs_dir is not None else Path("runs"),
        name=name, params=params, config=config, **fields,
    )


def evaluate(models: str | Iterable[str], data: str = "sample", *, tasks: Iterable[str] | None = None,
             runs_dir: str | Path | None = None, name: str | None = None, quiet: bool = True,
             **options: Any) -> EvalResult:
    """Evaluate ``models`` (``"adapter:model"``) on ``data`` into ``runs_dir/name``; the same rules as ``u2fast eval``.

    ``options`` are ``u2fast eval``'s, with underscores: ``datasets``, ``limit``, ``temperature``,
    ``max_tokens``, ``seed``, ``mode``, ``base_url``, ``config`` (a path), ``max_side``,
    ``concurrency``, ``max_cost``, ``parsers`` ({task: parser}), ... An unknown one is a ConfigError.
    """
    opts = _options(models, data, tasks, runs_dir, name, options)

    def work() -> EvalResult:
        from .runner import Progress

        opts.quiet = quiet
        return run_eval(opts, progress=Progress("quiet" if quiet else "auto", stream=sys.stderr))

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        result = work()
    else:
        # A notebook's loop is running in this thread: the eval's own loop gets a thread of its own.
        with concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="u2fast-eval") as pool:
            result = pool.submit(work).result()
    _warn_of_problems(result)
    return result


class EvalProblemWarning(UserWarning):
    """``u2fast.evaluate`` finished, but a model failed requests, got no answer or was stopped early."""


def _warn_of_problems(result: EvalResult) -> None:
    """What ``u2fast eval`` prints after its leaderboard (and says by its exit code), as a warning: a
    library caller otherwise got null scores back without a word about the provider's errors."""
    if result.scores is None:
        return
    from .outcome import describe_problems, model_outcomes

    lines = describe_problems(model_outcomes(result.scores, result.outcome), str(result.run_dir))
    if lines:
        warnings.warn("\n".join(lines), EvalProblemWarning, stacklevel=3)
