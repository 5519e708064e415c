"""``u2fast eval``: command-line options in, ``u2fast.evaluation.run_eval`` out, the leaderboard printed.

``--resume RUN`` reads the options recorded in the run's manifest (a typed ``RunSetup``, never a
command line) and accepts only the flags of ``runfolder.RESUME_MAY_CHANGE`` beside it.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import Any

import msgspec

from .controls import strip_controls
from .credentials import redact_url
from .errors import ConfigError
from .preparation import EvalOptions
from .types import GenerationParams, RunSetup

__all__ = ["cmd_eval", "options_from_args", "options_from_setup", "resume_options"]


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
        config_path=args.config,
        max_side=args.max_side,
        concurrency=args.concurrency, rpm=args.rpm, tpm=args.tpm, max_attempts=args.max_attempts,
        max_cost=args.max_cost, request_deadline=args.request_deadline,
        max_response_bytes=None if args.max_response_mb is None else int(args.max_response_mb * 2**20),
        bootstrap=args.bootstrap, parsers=tuple(args.parser), answer_format=args.answer_format, coords=args.coords,
        accept_other_models=args.accept_other_models,
        repair_journal=args.repair_journal,
        batch=args.batch, poll=args.poll, batch_wait=not args.no_wait, batch_fallback=args.batch_fallback,
        quiet=args.quiet or args.json,
        # provenance only (nothing re-reads it); a password in a URL never reaches the manifest
        command=[redact_url(a) for a in (["eval", *argv[1:]] if argv and argv[0] == "eval" else ["eval", *argv])],
    )


def options_from_setup(setup: RunSetup, run_dir: Path, models: list[str], answer_format: str) -> EvalOptions:
    """The options a run was made with, as its manifest records them, pointed at its folder.

    ``answer_format`` is the manifest's: folders made before the setup recorded it hold it there.
    """
    limits = setup.limits
    return EvalOptions(
        data=setup.data, models=list(models), name=run_dir.name, runs_dir=run_dir.parent, params=setup.params,
        seed=setup.seed, mode=limits.mode, prompt_variant=setup.prompt_variant,
        prompts_dir=Path(setup.prompts_dir) if setup.prompts_dir else None, strict=setup.strict,
        bbox_format=setup.bbox_format, limit=setup.limit, tasks=setup.tasks, datasets=setup.datasets,
        base_url=setup.base_url, config_path=Path(limits.config) if limits.config else None,
        max_side=setup.max_side, concurrency=limits.concurrency, rpm=limits.rpm, tpm=limits.tpm,
        max_attempts=limits.max_attempts, max_cost=limits.max_cost, request_deadline=limits.request_deadline,
        max_response_bytes=limits.max_response_bytes, bootstrap=limits.bootstrap,
        parsers=tuple(limits.parsers.items()), batch=limits.batch, poll=limits.poll, batch_fallback=limits.batch_fallback,
        answer_format=answer_format, coords=setup.coords,
    )


def _flag(dest: str) -> str:
    return "--" + dest.replace("_", "-")


def resume_options(args: argparse.Namespace, parser: argparse.ArgumentParser) -> EvalOptions:
    """The recorded options of ``--resume RUN`` with the changes this command line may make."""
    from .credentials import URL_MASK
    from .runfolder import RESUME_MAY_CHANGE, read_manifest, require_current, same_endpoint

    run_dir: Path = args.resume
    manifest = read_manifest(run_dir)
    require_current(run_dir, manifest)
    assert manifest.setup is not None
    defaults = vars(parser.parse_args(["eval"]))
    given = [dest for dest, value in vars(args).items() if dest in defaults and value != defaults[dest]]
    refused = [dest for dest in given if dest not in RESUME_MAY_CHANGE]
    if refused:
        flags = ", ".join(_flag(d) for d in refused)
        raise ConfigError(
            f"{flags} cannot be given with --resume: the run continues with its recorded setup, and "
            f"{'these change' if len(refused) > 1 else 'this changes'} what is sent or where it goes. "
            f"--resume accepts {', '.join(sorted(_flag(d) for d in RESUME_MAY_CHANGE - {'resume'}))}; "
            f"for other settings start a new run (another --name)"
        )
    options = options_from_setup(manifest.setup, run_dir, manifest.models, manifest.answer_format)
    recorded_url = manifest.setup.base_url
    if args.base_url is not None:
        if recorded_url is None or not same_endpoint(args.base_url, recorded_url):
            raise ConfigError(
                f"--base-url {redact_url(args.base_url)} is not the recorded endpoint of {run_dir} "
                f"({recorded_url or 'none: each model used its default'}); only its credentials may differ on --resume"
            )
        options.base_url = args.base_url
    elif recorded_url and URL_MASK in recorded_url:
        raise ConfigError(
            f"{run_dir}: the recorded --base-url held a secret, which u2fast does not store; "
            "give it again: u2fast eval --resume RUN --base-url URL"
        )
    for dest in ("concurrency", "rpm", "tpm", "max_attempts", "max_cost", "request_deadline", "mode", "bootstrap"):
        if dest in given:
            setattr(options, dest, getattr(args, dest))
    if "max_response_mb" in given:
        options.max_response_bytes = int(args.max_response_mb * 2**20)
    if "parser" in given:
        options.parsers = tuple(args.parser)
    if args.config is not None:
        options.config_path = args.config
    # batch mode may be switched on or off on resume (the request bodies are the same)
    for dest in ("batch", "poll", "batch_fallback"):
        if dest in given:
            setattr(options, dest, getattr(args, dest))
    options.batch_wait = not args.no_wait
    options.quiet = args.quiet or args.json
    options.repair_journal = args.repair_journal
    options.command = ["eval", "--resume", str(run_dir)]
    return options


def cmd_eval(args: argparse.Namespace, argv: list[str], parser: argparse.ArgumentParser) -> int:
    from .evaluation import build_model_runs, run_eval
    from .outcome import describe_problems, exit_code_of, model_outcomes
    from .report.terminal import print_leaderboard
    from .runner import Progress, load_config

    if args.repair_journal and args.resume is None:
        raise ConfigError("--repair-journal goes with --resume RUN (it repairs that run's journal)")
    options = resume_options(args, parser) if args.resume is not None else options_from_args(args, argv)
    if options.config_path is not None:
        options.config = load_config(options.config_path)

    if args.prepare_only and not args.dry_run:
        from .evaluation import prepare_folder

        sys.stderr.write(f"run folder prepared, nothing sent: {strip_controls(str(prepare_folder(options)))}\n")
        return 0
    if args.dry_run:
        from .preparation import prepare_run
        from .runner import estimate_run

        prepared = prepare_run(options)
        for line in prepared.data_notes:
            sys.stderr.write(strip_controls(line) + "\n")
        model_runs = build_model_runs(prepared)
        if options.batch:
            from .cli_batch import print_batch_estimates

            print_batch_estimates(prepared, model_runs, options, args.json)
            return 0
        estimates = estimate_run(model_runs, prepared.run_dir, max_side=options.max_side)
        if args.json:
            sys.stdout.write(msgspec.json.encode([dataclasses.asdict(e) for e in estimates]).decode() + "\n")
        else:
            _print_estimates(estimates)
        return 0

    def note(line: str) -> None:  # before anything is sent: the user may stop here
        sys.stderr.write(strip_controls(line) + "\n")

    progress = Progress("quiet" if args.quiet or args.json else "auto", stream=sys.stderr)
    result = run_eval(options, progress=progress, notes=note)
    outcome, scores = result.outcome, result.scores
    if scores is None:  # batches submitted and still running (--no-wait)
        from .cli_batch import BATCH_PENDING_EXIT

        sys.stderr.write(f"u2fast: {result.waiting_batches} batch(es) still running at the providers; collect them "
                         f"with: u2fast eval --resume {strip_controls(str(result.run_dir))}\n")
        return BATCH_PENDING_EXIT
    if result.repaired_lines:
        sys.stderr.write(f"u2fast: moved {result.repaired_lines} unreadable journal line(s) into "
                         f"{result.run_dir / 'journal.rejected.jsonl'}\n")
    outcomes = model_outcomes(scores, outcome)
    if args.json:
        out: dict[str, Any] = {"run": str(result.run_dir), "scores": scores, "stopped": outcome.stopped,
                               "cost_usd": outcome.cost, "outcomes": outcomes}
        sys.stdout.write(msgspec.json.encode(out).decode() + "\n")
    else:
        print_leaderboard(scores)
    # the problems go to stderr in --json mode too: a script's log should say why nothing was answered
    for line in describe_problems(outcomes, str(result.run_dir)):
        sys.stderr.write(strip_controls(line) + "\n")
    if not args.json:
        sys.stderr.write(f"run folder: {strip_controls(str(result.run_dir))}\n")
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
