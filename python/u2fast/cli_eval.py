"""``u2fast eval``: option handling, the run itself, scoring and the leaderboard."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import msgspec

from .errors import ConfigError
from .evaluate import EvalOptions, prepare_run
from .types import GenerationParams

__all__ = ["cmd_eval", "options_from_args"]


def options_from_args(args: argparse.Namespace, argv: list[str]) -> EvalOptions:
    if args.limit is not None and args.limit < 1:
        raise ConfigError("--limit must be at least 1")
    if args.max_tokens < 1:
        raise ConfigError("--max-tokens must be at least 1")
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
        command=["eval", *argv[1:]] if argv and argv[0] == "eval" else ["eval", *argv],
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
    # Output-only choices of this invocation win over the recorded ones.
    for attr in ("quiet", "json"):
        setattr(resumed, attr, getattr(args, attr) or getattr(resumed, attr))
    return resumed, argv


def cmd_eval(args: argparse.Namespace, argv: list[str], parser: argparse.ArgumentParser) -> int:
    from .runner import run as run_models
    from .runner.config import build_model_runs, load_config

    if args.resume is not None:
        args, argv = _resume_args(args, parser)
    options = options_from_args(args, argv)
    config = load_config(args.config) if args.config else None
    if config is not None:
        options.model_config = config.model_settings()
    prepared = prepare_run(options)
    model_runs = build_model_runs(prepared, args, config)

    if args.dry_run:
        from .runner.dryrun import estimate, print_estimate

        est = estimate(model_runs, prepared.run_dir)
        if args.json:
            sys.stdout.write(msgspec.json.encode(est).decode() + "\n")
        else:
            print_estimate(est)
        return 0

    outcome = run_models(model_runs, prepared.run_dir, quiet=args.quiet, max_cost=args.max_cost)

    from .report.terminal import print_leaderboard
    from .run_scoring import ScoringOptions, score_run
    from .runs import write_manifest

    scores = score_run(prepared.run_dir, ScoringOptions(mode=args.mode, n_resamples=args.bootstrap, seed=args.seed))
    manifest = prepared.manifest
    manifest.status = "stopped" if outcome.stopped else "finished"
    import datetime as _dt

    manifest.finished_at = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    write_manifest(prepared.run_dir, manifest)
    if args.json:
        out: dict[str, Any] = {"run": str(prepared.run_dir), "scores": scores, "stopped": outcome.stopped}
        sys.stdout.write(msgspec.json.encode(out).decode() + "\n")
    else:
        print_leaderboard(scores)
        for model, reason in outcome.stopped.items():
            sys.stderr.write(f"u2fast: {model} stopped early: {reason}\n")
        sys.stderr.write(f"run folder: {prepared.run_dir}\n")
    return 0
