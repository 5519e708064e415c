"""Batch mode on the command line: ``eval --batch`` (the batch phase before the sync run),
``--dry-run --batch``, ``u2fast batch list|cancel RUN``, ``u2fast export`` and ``u2fast import``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from .errors import ConfigError
from .exit_codes import ExitCode
from .runfolder.layout import JOURNAL, MANIFEST

if TYPE_CHECKING:
    from .preparation import EvalOptions, PreparedRun
    from .runner import ModelRun

__all__ = ["BATCH_PENDING_EXIT", "add_batch_options", "add_batch_parsers", "cmd_batch", "load_run",
           "print_batch_estimates"]

#: ``eval --batch --no-wait`` (or a batch still running when polling stops): batches are submitted
#: and recorded; run the same command (or ``eval --resume RUN``) later to collect them.
BATCH_PENDING_EXIT = ExitCode.BATCHES_PENDING  # the number lives in u2fast.exit_codes


def _positive(value: str) -> float:
    seconds = float(value)
    if not seconds > 0:
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {value!r}")
    return seconds


def add_batch_options(g: argparse._ArgumentGroup) -> None:
    g.add_argument("--batch", action=argparse.BooleanOptionalAction, default=None,
                   help="send through the providers' batch APIs at batch prices (docs/batch.md); "
                        "--no-batch switches it off on --resume")
    g.add_argument("--poll", type=_positive, default=None, metavar="SECONDS",
                   help="seconds between batch status checks (default: 30-60, jittered)")
    g.add_argument("--no-wait", action="store_true",
                   help=f"submit the batches and exit with code {BATCH_PENDING_EXIT}; resume later to collect")
    g.add_argument("--prepare-only", action="store_true",
                   help="write the run folder (manifest, cases) and send nothing; then u2fast export RUN")
    g.add_argument("--batch-fallback", choices=["sync", "rebatch", "none"], default="sync",
                   help="what happens to requests a batch did not answer: sent one by one (default), in a "
                        "new batch, or left as error records; always within --max-cost")


def print_batch_estimates(prepared: PreparedRun, model_runs: list[ModelRun], options: EvalOptions,
                          as_json: bool) -> None:
    """``--dry-run --batch``: shards, bytes and the worst-case cost at sync and at batch prices."""
    from .batch.dry_run import estimate_batches
    from .batch.phase import batch_models

    rows = estimate_batches(batch_models(model_runs, options.batch, options.config), prepared.run_dir,
                            max_side=options.max_side)
    if as_json:
        sys.stdout.write(msgspec.json.encode(rows).decode() + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="dry run, batch mode: nothing sent")
    cols = ("model", "requests", "shards", "bytes", "max cost sync (USD)", "max cost batch (USD)")
    for col in cols:
        table.add_column(col, justify="left" if col == "model" else "right", no_wrap=col == "model")
    for r in rows:
        table.add_row(r["model"], str(r["requests"]), str(r["shards"]), f"{r['bytes']:,}",
                      *("-" if r[k] is None else f"{r[k]:.2f}" for k in ("max_cost_sync", "max_cost_batch")))
    Console(width=None if sys.stdout.isatty() else 160).print(table)


# ---------------------------------------------------------------------- batch list|cancel, export, import


def add_batch_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("batch", help="list or cancel a run's provider batches",
                       description="The provider batches of a run folder (eval --batch), from its batches.jsonl.")
    bsub = p.add_subparsers(dest="batch_command", metavar="ACTION")
    q = bsub.add_parser("list", help="every shard of the run: step, batch id, state, counts, deadline")
    q.add_argument("run", type=Path, help="the run folder")
    q.add_argument("--json", action="store_true", help="print the shards as JSON instead of a table")
    q = bsub.add_parser("cancel", help="cancel the run's running batches (what they answered is kept on resume)")
    q.add_argument("run", type=Path, help="the run folder")
    q.add_argument("--base-url", default=None, help="the server, when the run was made with --base-url")
    p = sub.add_parser("export", help="write a run's unanswered requests as OpenAI batch JSONL (vllm run-batch, Ray)")
    p.add_argument("run", type=Path, help="the run folder")
    p.add_argument("--format", choices=["openai-batch"], default="openai-batch",
                   help="the file format (default openai-batch: the input of vllm run-batch and Ray Data)")
    p.add_argument("out", type=Path, metavar="DIR", help="folder for one JSONL file per model")
    p.add_argument("--base-url", default=None, help="the server, when the run was made with --base-url")
    p = sub.add_parser("import", help="read OpenAI batch output JSONL (vllm run-batch, Ray) into a run's journal")
    p.add_argument("run", type=Path, help="the run folder")
    p.add_argument("files", type=Path, nargs="+", metavar="FILE", help="batch output JSONL files, joined by custom_id")
    p.add_argument("--base-url", default=None, help="the server, when the run was made with --base-url")


def load_run(run_dir: Path, parser: argparse.ArgumentParser, base_url: str | None = None) -> tuple[PreparedRun, list[ModelRun]]:
    """A run folder's models and requests, rebuilt from its manifest as ``eval --resume`` does."""
    from .cli_eval import resume_options
    from .evaluation import build_model_runs
    from .preparation import prepare_run
    from .runner import load_config

    ns = parser.parse_args(["eval", "--resume", str(run_dir), *(["--base-url", base_url] if base_url else [])])
    options = resume_options(ns, parser)
    if options.config_path is not None:
        options.config = load_config(options.config_path)
    prepared = prepare_run(options)
    prepared.run_dir = run_dir
    return prepared, build_model_runs(prepared)


def cmd_batch(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .batch.ledger import Ledger

    if args.batch_command not in ("list", "cancel"):
        raise ConfigError("u2fast batch needs an action: list or cancel")
    if not (args.run / MANIFEST).is_file():
        raise ConfigError(f"{args.run}: not a run folder (no manifest.json)")
    ledger = Ledger(args.run)
    if args.batch_command == "list":
        rows: list[dict[str, Any]] = [{"model": s.model, "shard": s.shard, "step": "cleaned" if s.cleaned else s.step, "round": s.round, "requests": len(s.keys),
                 "bytes": s.bytes, "batch_id": s.batch_id, "state": s.state, "counts": s.counts,
                 "expires_at": s.expires_at, "ok": s.ok, "errors": s.errors, "cost_usd": s.cost}
                for s in ledger.shards.values()]
        if args.json:
            sys.stdout.write(msgspec.json.encode(rows).decode() + "\n")
        else:
            for r in rows:
                counts = " ".join(f"{k}={v}" for k, v in r["counts"].items())
                print(f"{r['model']}  {r['shard']}  {r['step']:<11} {r['requests']:>6} requests  "
                      f"{r['batch_id'] or '-'}  {r['state'] or '-'}  {counts}")
            if not rows:
                print(f"{args.run}: no batches")
        return 0
    from .batch.cancel import cancel_run

    prepared, model_runs = load_run(args.run, parser, args.base_url)
    return cancel_run(prepared.run_dir, model_runs, ledger)


def cmd_export(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .batch.exchange import export_run

    prepared, model_runs = load_run(args.run, parser, args.base_url)
    written = export_run(prepared.run_dir, model_runs, args.out)
    for path, n in written:
        print(f"{path}: {n} requests")
    if not written:
        print(f"{args.run}: every request already has an answer; nothing to export")
    return 0


def cmd_import(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .batch.exchange import import_results

    prepared, model_runs = load_run(args.run, parser, args.base_url)
    summary: dict[str, Any] = import_results(prepared.run_dir, model_runs, args.files)
    print(f"imported {summary['ok']} answers and {summary['errors']} errors into {prepared.run_dir / JOURNAL}"
          f"; score with: u2fast score {prepared.run_dir}")
    return 0
