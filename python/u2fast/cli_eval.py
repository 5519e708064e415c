"""``u2fast eval``: option handling, the run itself, scoring and the leaderboard."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as _dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from .controls import strip_controls
from .credentials import URL_MASK, redact_url
from .errors import ConfigError
from .evaluate import EvalOptions, PreparedRun, prepare_run
from .types import GenerationParams

if TYPE_CHECKING:
    from .runner import ModelRun

__all__ = ["cmd_eval", "options_from_args", "build_model_runs"]


def _limit_flags(args: argparse.Namespace) -> dict[str, float | int]:
    """The limit flags given on this command line (they beat the config file), as ``Limits`` fields."""
    given = {k: getattr(args, k) for k in ("concurrency", "rpm", "tpm", "max_attempts", "request_deadline")}
    if args.max_response_mb is not None:
        given["max_response_bytes"] = int(args.max_response_mb * 2**20)
    return {k: v for k, v in given.items() if v is not None}


def options_from_args(args: argparse.Namespace, argv: list[str]) -> EvalOptions:
    if args.limit is not None and args.limit < 1:
        raise ConfigError("--limit must be at least 1")
    if args.max_tokens < 1:
        raise ConfigError("--max-tokens must be at least 1")
    if args.answer_format != "sector" and args.mode == "compat":
        raise ConfigError(f"--answer-format {args.answer_format} needs --mode robust: compat scores sectors only")
    if args.coords is not None and args.answer_format == "sector":
        raise ConfigError("--coords applies to --answer-format box or point")
    if args.coords not in (None, "auto"):
        from .data.bbox import check_layout

        check_layout(args.coords, "--coords convention")
    return EvalOptions(
        data=args.data,
        models=list(args.model),
        plugins=list(args.plugins),
        name=args.name,
        runs_dir=args.runs_dir,
        params=GenerationParams(temperature=args.temperature, max_tokens=args.max_tokens, top_p=args.top_p,
                                seed=args.seed),
        seed=args.seed,
        mode=args.mode,
        prompt_variant=args.prompt_variant,
        prompts_dir=args.prompts,
        strict=args.strict,
        bbox_format=args.bbox_format,
        limit=args.limit,
        tasks=tuple(t.upper() for t in args.tasks),
        datasets=tuple(args.datasets),
        base_url=args.base_url,
        limits=_limit_flags(args),
        parsers=tuple(args.parser),
        answer_format=args.answer_format,
        coords=args.coords,
        max_side=args.max_side,
        # recorded for --resume and provenance; a password in a URL never reaches the manifest
        command=[redact_url(a) for a in (["eval", *argv[1:]] if argv and argv[0] == "eval" else ["eval", *argv])],
    )


def _resume_args(args: argparse.Namespace, parser: argparse.ArgumentParser) -> tuple[argparse.Namespace, list[str]]:
    """Re-read the options recorded in a run's manifest, pointed at that run folder."""
    from .runs import read_manifest

    run_dir: Path = args.resume
    manifest = read_manifest(run_dir)
    argv = list(manifest.command) or ["eval"]
    resumed = parser.parse_args(argv)
    resumed.name = run_dir.name
    resumed.runs_dir = run_dir.parent
    resumed.resume = None
    # Output-only choices of this invocation win over the recorded ones, and so do the connection
    # settings (a URL password is not recorded, so it must be given again).
    for attr in ("quiet", "json"):
        setattr(resumed, attr, getattr(args, attr) or getattr(resumed, attr))
    for attr in ("base_url", "config"):
        if getattr(args, attr) is not None:
            setattr(resumed, attr, getattr(args, attr))
    # batch mode may be switched on or off on resume (the request bodies are the same)
    if args.batch is not None:
        resumed.batch = args.batch
    resumed.no_wait = args.no_wait
    resumed.prepare_only = args.prepare_only
    resumed.poll = args.poll if args.poll is not None else resumed.poll
    if resumed.base_url and URL_MASK in resumed.base_url:
        raise ConfigError(
            f"{run_dir}: the recorded --base-url held a secret, which u2fast does not store; "
            "give it again: u2fast eval --resume RUN --base-url URL"
        )
    return resumed, argv


def build_model_runs(prepared: PreparedRun) -> list[ModelRun]:
    """One ModelRun per model, with the limits and price ``u2fast.model_settings`` resolved."""
    from .runner import ModelRun, provider_key

    return [
        ModelRun(name=choice.name, adapter=prepared.adapters[choice.name], requests=prepared.plan[choice.name],
                 limits=choice.limits, price=choice.price, needs_images=choice.info.needs_images,
                 # models of one adapter on one base URL and key share its in-flight and rate limits
                 provider_key=provider_key(choice.info.name, choice.settings.base_url, choice.settings.api_key),
                 provider_limits=choice.provider_limits)
        for choice in prepared.models
    ]


def cmd_eval(args: argparse.Namespace, argv: list[str], parser: argparse.ArgumentParser) -> int:
    from .outcome import describe_problems, exit_code_of, model_outcomes
    from .report.terminal import print_leaderboard
    from .run_scoring import ScoringOptions, score_run
    from .runner import Progress, estimate_run, load_config
    from .runner import run as run_models
    from .runs import write_manifest

    if args.resume is not None:
        args, argv = _resume_args(args, parser)
    options = options_from_args(args, argv)
    config = load_config(args.config) if args.config else None
    options.config = config
    prepared = prepare_run(options, write=not args.dry_run)
    model_runs = build_model_runs(prepared)
    for line in prepared.data_notes:  # before anything is sent: the user may stop here
        sys.stderr.write(strip_controls(line) + "\n")

    if args.prepare_only and not args.dry_run:
        sys.stderr.write(f"run folder prepared, nothing sent: {prepared.run_dir}\n")
        return 0
    if args.dry_run and args.batch:
        from .cli_batch import print_batch_estimates

        print_batch_estimates(prepared, model_runs, args, config)
        return 0
    if args.dry_run:
        estimates = estimate_run(model_runs, prepared.run_dir, max_side=args.max_side)
        if args.json:
            sys.stdout.write(msgspec.json.encode([dataclasses.asdict(e) for e in estimates]).decode() + "\n")
        else:
            _print_estimates(estimates)
        return 0

    if args.max_cost is not None:
        from .adapters.base import HttpAdapter

        unpriced = [r.name for r in model_runs if r.price is None and isinstance(r.adapter, HttpAdapter)]
        if unpriced:
            raise ConfigError(
                f"--max-cost cannot be enforced for {', '.join(unpriced)}: no price is known; add "
                'price = { input = USD, output = USD } (per million tokens) for it in the --config file'
            )
    from .cli_batch import BATCH_PENDING_EXIT, batch_phase

    batched, model_runs = batch_phase(prepared, model_runs, args, config)
    if batched is not None and batched.waiting:
        sys.stderr.write(f"u2fast: {len(batched.waiting)} batch(es) still running at the providers; collect them "
                         f"with: u2fast eval --resume {prepared.run_dir}\n")
        return BATCH_PENDING_EXIT
    max_cost = args.max_cost
    if max_cost is not None and batched is not None:
        max_cost = max(0.0, max_cost - batched.cost - batched.reserved)
    progress = Progress("quiet" if args.quiet or args.json else "auto", stream=sys.stderr)
    outcome = run_models(model_runs, prepared.run_dir, progress=progress, max_cost=max_cost,
                         max_side=args.max_side, seed=args.seed)
    if batched is not None:
        outcome.cost += batched.cost
        if batched.over_budget:
            outcome.stopped.update({s.model: "budget" for s in batched.over_budget})

    if "auto" in prepared.manifest.coords.values():
        from .run_scoring import calibrate_run

        calibrate_run(prepared.run_dir, prepared.manifest)
    scores = score_run(prepared.run_dir, ScoringOptions(mode=args.mode, n_resamples=args.bootstrap, seed=args.seed,
                                                        parsers=dict(args.parser),
                                                        accept_other_models=args.accept_other_models))
    manifest = prepared.manifest
    manifest.status = "stopped" if outcome.stopped else "finished"
    manifest.finished_at = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
    write_manifest(prepared.run_dir, manifest)
    outcomes = model_outcomes(scores, outcome)
    if args.json:
        out: dict[str, Any] = {"run": str(prepared.run_dir), "scores": scores, "stopped": outcome.stopped,
                               "cost_usd": outcome.cost, "outcomes": outcomes}
        sys.stdout.write(msgspec.json.encode(out).decode() + "\n")
    else:
        print_leaderboard(scores)
    # the problems go to stderr in --json mode too: a script's log should say why nothing was answered
    for line in describe_problems(outcomes, str(prepared.run_dir)):
        sys.stderr.write(strip_controls(line) + "\n")
    if not args.json:
        sys.stderr.write(f"run folder: {strip_controls(str(prepared.run_dir))}\n")
    return exit_code_of(outcomes)


def _print_estimates(estimates: list[Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="dry run: nothing sent")
    for col in ("model", "requests", "already done", "input tokens (est.)", "output tokens (expected)",
                "max output tokens", "expected cost (USD)", "worst-case cost (USD)"):
        table.add_column(col, justify="right" if col != "model" else "left", no_wrap=col == "model")
    for e in estimates:
        table.add_row(e.model, str(e.requests), str(e.already_done), f"{e.input_tokens:,}", f"{e.expected_output_tokens:,}",
                      f"{e.max_output_tokens:,}", "-" if e.expected_cost is None else f"{e.expected_cost:.4f}",
                      "-" if e.max_cost is None else f"{e.max_cost:.4f}")
    # piped output gets room for whole model names, so that it can be grepped
    Console(width=None if sys.stdout.isatty() else 160).print(table)
