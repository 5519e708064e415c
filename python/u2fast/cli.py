"""The ``u2fast`` command line.

Exit codes: :class:`u2fast.exit_codes.ExitCode`, explained in docs/exit-codes.md.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec

from . import __version__
from .errors import ConfigError, U2fastError
from .exit_codes import ExitCode
from .u2bench.modes import SCORING_MODES

__all__ = ["main", "build_parser"]


#: Box layouts accepted by --bbox-format (kept in step with u2fast.data.BBOX_FORMATS by a test).
_BBOX_FORMATS = (
    "auto", "cxcywh-norm", "xyxy-norm", "xyxy-px", "xywh-px", "cxcywh-px",
    "yxyx-norm", "xywh-norm", "xyxy-norm1000", "yxyx-norm1000", "xywh-norm1000", "cxcywh-norm1000", "yxyx-px",
)


def parser_choice(value: str) -> tuple[str, str]:
    """``TASK=NAME`` for --parser."""
    task, sep, name = value.partition("=")
    if not sep or not task.strip() or not name.strip():
        raise argparse.ArgumentTypeError(f"expected TASK=NAME (e.g. DD=intern-options), got {value!r}")
    return task.strip().upper(), name.strip()


def tolerance_choice(value: str) -> tuple[str, float]:
    """``CVE/DATASET=VALUE`` for --tolerance (native units of that scenario)."""
    from .u2bench.scenarios import scenario

    key, sep, number = value.partition("=")
    task, _, dataset = key.strip().partition("/")
    facts = scenario(task.upper(), dataset)
    if not sep or facts is None or facts.task != "CVE":
        raise argparse.ArgumentTypeError(f"expected CVE/DATASET=VALUE with a CVE scenario (e.g. CVE/27=0.1), got {value!r}")
    try:
        tolerance = float(number)
    except ValueError:
        raise argparse.ArgumentTypeError(f"tolerance in {value!r} is not a number") from None
    if not (tolerance >= 0 and tolerance != float("inf")):
        raise argparse.ArgumentTypeError(f"tolerance in {value!r} must be a finite number >= 0")
    return facts.key, tolerance


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


class _HelpFormatter(argparse.HelpFormatter):
    """Adds "(default: X)" to an option's help unless the text already names its default."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        default = action.default
        unset = default is None or default is False or default == [] or default == argparse.SUPPRESS
        if "default" in text or unset or not action.option_strings:
            return text
        return f"{text} (default: %(default)s)"


class _Parser(argparse.ArgumentParser):
    """Every ``u2fast`` (sub)command formats its options' defaults the same way."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)


def _add_eval(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("eval", help="evaluate models on U2-Bench (default: the random baseline on the bundled sample)",
                       description="Evaluate one or more models and write runs/<name>/ (manifest, journal, scores).")
    g = p.add_argument_group("what to evaluate")
    g.add_argument("--data", default="sample",
                   help="'sample' (default), a release-layout folder, parquet/jsonl files, or a hub id")
    g.add_argument("--plugins", type=_csv, default=[], help="comma list of adapters; each runs its default model")
    g.add_argument("--model", action="append", default=[], metavar="ADAPTER:MODEL",
                   help="a model to evaluate, e.g. openai:gpt-4.1 (repeatable)")
    g.add_argument("--tasks", type=_csv, default=[], help="only these tasks, e.g. DD,VRA")
    g.add_argument("--datasets", type=_csv, default=[], help="only these dataset ids")
    g.add_argument("--limit", type=int, default=None, help="at most N cases per scenario (a quick look that still covers every task)")
    g.add_argument("--strict", action="store_true", help="a bad data row is fatal instead of skipped")
    g.add_argument("--bbox-format", default="auto", choices=_BBOX_FORMATS,
                   help="box layout of gt_bbox (default: detected per dataset and recorded in the manifest)")
    g = p.add_argument_group("prompts and generation")
    g.add_argument("--prompts", type=Path, default=None, metavar="DIR",
                   help="folder with the official cla_prompt.json / mea_prompt.json for exact reproduction")
    g.add_argument("--answer-format", choices=("sector", "box", "point"), default="sector",
                   help="LL/OD/KD answers: a sector name, a box or a point (box/point need --mode robust)")
    g.add_argument("--coords", default=None, metavar="CONVENTION",
                   help="coordinate convention of box/point answers for every model, e.g. yxyx-norm1000, "
                   "or auto (picked once per model from a calibration subset); default: each adapter's own")
    g.add_argument("--prompt-variant", default="default", help="prompt ablation, e.g. no-anatomy, no-role")
    g.add_argument("--temperature", type=float, default=0.0, help="sampling temperature sent to every model")
    g.add_argument("--max-tokens", type=int, default=1024, help="most tokens a model may write per answer")
    g.add_argument("--top-p", type=float, default=None, help="nucleus sampling (default: the provider's)")
    g.add_argument("--seed", type=int, default=0, help="seed for sampling, the random baseline and bootstrap")
    g = p.add_argument_group("runner")
    g.add_argument("--name", default=None, help="run folder name (default: derived from models and data)")
    g.add_argument("--runs-dir", type=Path, default=Path("runs"), help="folder that holds the run folders")
    g.add_argument("--resume", type=Path, default=None, metavar="RUN",
                   help="continue a run folder with its recorded options; only missing or failed requests are sent "
                        "(limits, budget, --config and scoring flags may change; see docs/runs.md)")
    g.add_argument("--repair-journal", action="store_true",
                   help="with --resume: move unreadable journal lines into journal.rejected.jsonl, then continue")
    g.add_argument("--config", type=Path, default=None, help="TOML file with per-provider settings")
    g.add_argument("--base-url", default=None, help="send requests to this server (e.g. a local vLLM)")
    g.add_argument("--concurrency", type=int, default=None, help="in-flight requests per provider endpoint: adapter, base URL and key (default 16)")
    g.add_argument("--rpm", type=float, default=None, help="requests per minute per provider endpoint")
    g.add_argument("--tpm", type=float, default=None, help="tokens per minute per provider endpoint (images included)")
    g.add_argument("--max-attempts", type=int, default=None, help="attempts per request before it is recorded as failed (default 6)")
    g.add_argument("--request-deadline", type=float, default=None, metavar="SECONDS",
                   help="longest time one request may take over all its attempts and waits (default 900); "
                        "each attempt still gets up to 300 s, which reasoning models need")
    g.add_argument("--max-response-mb", type=float, default=None, metavar="MB",
                   help="largest response body read; a longer one is a malformed response (default 16)")
    g.add_argument("--max-side", type=int, default=None, help="downscale images whose longer side exceeds N px")
    g.add_argument("--max-cost", type=float, default=None, metavar="USD", help="stop spending at this budget")
    g.add_argument("--dry-run", action="store_true", help="print requests, token and cost estimates; send nothing")
    from .cli_batch import add_batch_options

    add_batch_options(p.add_argument_group("batch mode (docs/batch.md)"))
    g = p.add_argument_group("scoring and output")
    g.add_argument("--mode", choices=SCORING_MODES, default="robust",
                   help="compat: the official kit's scoring; robust: honest parsing (docs/scoring.md)")
    g.add_argument("--parser", type=parser_choice, action="append", default=[], metavar="TASK=NAME",
                   help="score TASK with a registered alternative parser (see u2fast plugins --json)")
    g.add_argument("--bootstrap", type=int, default=1000, metavar="N",
                   help="bootstrap resamples for the intervals (0: none)")
    g.add_argument("--accept-other-models", action="store_true",
                   help="score answers whose response names another model than the one asked (robust mode "
                        "leaves them out by default; docs/exit-codes.md)")
    g.add_argument("--quiet", action="store_true", help="no progress output")
    g.add_argument("--json", action="store_true", help="print the scores as JSON")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="u2fast", description="Fast, trustworthy U2-Bench evaluation.")
    parser.add_argument("--version", action="version", version=f"u2fast {__version__}", help="print the version")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_eval(sub)

    p = sub.add_parser("score", help="(re)score a run folder", description="Score a run folder and print the leaderboard.")
    p.add_argument("run", type=Path, help="the run folder (runs/<name>)")
    p.add_argument("--mode", choices=SCORING_MODES, default="robust",
                   help="compat: the official kit's scoring; robust: honest parsing (docs/scoring.md)")
    p.add_argument("--parser", type=parser_choice, action="append", default=[], metavar="TASK=NAME",
                   help="score TASK with a registered alternative parser (see u2fast plugins --json)")
    p.add_argument("--bootstrap", type=int, default=1000, metavar="N", help="bootstrap resamples (0: none)")
    p.add_argument("--accept-other-models", action="store_true",
                   help="score answers whose response names another model than the one asked (robust mode "
                        "leaves them out by default; docs/exit-codes.md)")
    p.add_argument("--confidence", type=float, default=0.95, help="confidence level of the intervals")
    p.add_argument("--seed", type=int, default=0, help="seed of the bootstrap")
    p.add_argument("--tolerance", type=tolerance_choice, action="append", default=[], metavar="CVE/DATASET=VALUE",
                   help="clinical tolerance of a CVE scenario in its native units, for %% within tolerance "
                        "(default: only where a published source gives one; docs/scoring.md)")
    p.add_argument("--json", action="store_true", help="print the scores as JSON")

    p = sub.add_parser("data", help="inspect or generate data", description="Inspect a data source or write the sample.")
    dsub = p.add_subparsers(dest="data_command", metavar="ACTION")
    q = dsub.add_parser("info", help="summarize a data source")
    q.add_argument("--data", default="sample",
                   help="'sample', a release-layout folder, parquet/jsonl files, or a hub id")
    q.add_argument("--strict", action="store_true", help="a bad data row is fatal instead of reported")
    q.add_argument("--bbox-format", default="auto", choices=_BBOX_FORMATS,
                   help="box layout of gt_bbox (default: detected per dataset)")
    q.add_argument("--json", action="store_true", help="print the summary as JSON")
    q = dsub.add_parser("sample", help="write a generated sample in the release layout")
    q.add_argument("--cases", type=int, default=200, help="number of cases, spread over the 50 scenarios")
    q.add_argument("--out", type=Path, required=True, help="folder to write the release layout into")
    q.add_argument("--seed", type=int, default=0, help="seed of the generated cases and images")
    q.add_argument("--size", type=int, default=128, help="phantom image side in pixels")
    q.add_argument("--no-pydicom-data", action="store_true",
                   help="leave out the extra real frames of pydicom-data even when it is installed")
    q.add_argument("--json", action="store_true", help="print what was written as JSON")

    p = sub.add_parser("plugins", help="list installed plugins and their models")
    p.add_argument("--json", action="store_true", help="print adapters, tasks and parsers as JSON")

    from .cli_report import add_report_parsers

    add_report_parsers(sub)
    from .cli_batch import add_batch_parsers

    add_batch_parsers(sub)
    return parser


def _sample_progress() -> Callable[[int, int], None]:
    """Progress of ``data sample`` on stderr: one updating line on a terminal, a line per tenth in a pipe."""
    tty = sys.stderr.isatty()
    shown = [-1]

    def report(done: int, total: int) -> None:
        tenth = done * 10 // max(total, 1)
        if tty:
            end = "\n" if done >= total else ""
            print(f"\rmaking cases: {done}/{total}", end=end, file=sys.stderr, flush=True)
        elif tenth > shown[0]:
            shown[0] = tenth
            print(f"making cases: {done}/{total}", file=sys.stderr, flush=True)

    return report


def _print_json(obj: Any) -> None:
    sys.stdout.write(msgspec.json.encode(obj).decode() + "\n")


def cmd_score(args: argparse.Namespace) -> int:
    from .folder_scoring import ScoringOptions, score_run

    if args.bootstrap < 0:
        raise ConfigError("--bootstrap must be >= 0")
    scores = score_run(args.run, ScoringOptions(mode=args.mode, n_resamples=args.bootstrap, parsers=dict(args.parser),
                                                confidence=args.confidence, seed=args.seed,
                                                tolerances=dict(args.tolerance),
                                                accept_other_models=args.accept_other_models))
    if args.json:
        _print_json(scores)
    else:
        from .report.terminal import print_clinical, print_leaderboard  # late: rich is for the table only

        print_leaderboard(scores)
        print_clinical(scores)
    return 0


def cmd_data(args: argparse.Namespace) -> int:
    if args.data_command == "info":
        from .data import describe, load
        from .data.load_types import LoadOptions

        info = describe(load(args.data, LoadOptions(strict=args.strict, bbox_format=args.bbox_format)))
        if args.json:
            _print_json(info)
        else:
            _print_data_info(info)
        return 0
    if args.data_command == "sample":
        from .data.sample import write_sample

        if args.cases < 1:
            raise ConfigError("--cases must be at least 1")
        summary = write_sample(args.out, args.cases, seed=args.seed, size=args.size,
                               include_pydicom_data=False if args.no_pydicom_data else None,
                               progress=_sample_progress())
        if args.json:
            _print_json(summary)
        else:
            print(f"wrote {args.cases} cases to {args.out}")
        return 0
    raise ConfigError("u2fast data needs an action: info or sample")


def _print_data_info(info: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(f"[bold]{info.get('description') or args_data_name(info)}[/bold]")
    console.print(f"{info['cases']} cases, fingerprint {info['fingerprint'][:16]}")
    table = Table(title="cases per scenario")
    for col in ("scenario", "cases", "box layout"):
        table.add_column(col, justify="right" if col == "cases" else "left")
    for key, n in info["scenarios"].items():
        table.add_row(key, str(n), info.get("bbox_format", {}).get(key, ""))
    console.print(table)
    if info.get("missing_scenarios"):
        console.print(f"[yellow]scenarios with no case:[/yellow] {', '.join(info['missing_scenarios'])}")
    skipped = info.get("skipped", {})
    if skipped.get("count"):
        console.print(f"[red]{skipped['count']} bad rows skipped[/red]: " +
                      ", ".join(f"{reason} ({n})" for reason, n in skipped.get("by_reason", {}).items()))
        for row in skipped.get("rows", [])[:20]:
            console.print(f"  {row}")
    for warning in info.get("warnings", []):
        console.print(f"[yellow]warning:[/yellow] {warning}")


def args_data_name(info: dict[str, Any]) -> str:
    return str(info.get("source", "data"))


def _plugin_of(reg: Any, owner: str) -> dict[str, str]:
    """Which plugin (entry point) and distribution registered an adapter."""
    if owner.startswith("u2fast."):
        return {"plugin": "built-in", "distribution": "u2fast"}
    return {"plugin": owner, "distribution": reg.distributions.get(owner, "?")}


def cmd_plugins(args: argparse.Namespace) -> int:
    from .plugins import get_registry

    reg = get_registry()
    rows: list[dict[str, Any]] = [
        {"adapter": name, **_plugin_of(reg, reg.adapter_owner.get(name, "?")), "default_model": info.default_model,
         "models": list(info.models), "description": info.description}
        for name, info in sorted(reg.adapters.items())
    ]
    failures = [{"plugin": f.name, "error": f.error} for f in reg.failures]
    if args.json:
        parsers = [{"task": t, "name": n, "description": p.description} for (t, n), p in sorted(reg.parsers.items())]
        _print_json({"adapters": rows, "tasks": sorted(reg.tasks), "parsers": parsers, "failed": failures})
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table(title="u2fast adapters")
    for col in ("adapter", "package", "default model", "models"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["adapter"], r["distribution"], r["default_model"] or "-", ", ".join(r["models"]) or "-")
    console = Console()
    console.print(table)
    for f in failures:
        console.print(f"[red]plugin {f['plugin']} failed to load and was skipped:[/red] {f['error']}")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return ExitCode.CONFIG
    try:
        if args.command == "eval":
            from .cli_eval import cmd_eval

            return cmd_eval(args, argv, parser)
        if args.command == "score":
            return cmd_score(args)
        if args.command == "data":
            return cmd_data(args)
        if args.command == "plugins":
            return cmd_plugins(args)
        if args.command in ("batch", "export", "import"):
            from . import cli_batch

            command = {"batch": cli_batch.cmd_batch, "export": cli_batch.cmd_export, "import": cli_batch.cmd_import}
            return command[args.command](args, parser)
        if args.command in ("report", "compare"):
            from .cli_report import cmd_compare, cmd_report

            return cmd_report(args) if args.command == "report" else cmd_compare(args)
    except U2fastError as exc:
        from .controls import strip_controls
        from .credentials import scrub_credentials

        # the raising code redacts what it knows; this catches a URL it passed on as it was, and
        # escape sequences of a name or server message it quoted
        sys.stderr.write(f"u2fast: error: {strip_controls(scrub_credentials(str(exc)))}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("u2fast: interrupted\n")
        return ExitCode.INTERRUPTED
    parser.error(f"unknown command {args.command}")
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
