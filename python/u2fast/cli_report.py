"""``u2fast report`` and ``u2fast compare``: read run folders, write leaderboards and paired tests."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import ConfigError
from .u2bench.modes import SCORING_MODES

__all__ = ["add_report_parsers", "cmd_compare", "cmd_report"]


def _add_scoring(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--mode", choices=SCORING_MODES, default="robust", help="scoring mode (default robust)"
    )
    p.add_argument(
        "--bootstrap", type=int, default=1000, metavar="N", help="bootstrap resamples (0: no intervals)"
    )
    p.add_argument("--confidence", type=float, default=0.95, help="confidence level of the intervals")
    p.add_argument("--seed", type=int, default=0, help="seed of the bootstrap")


def add_report_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "report",
        help="leaderboard and breakdowns of one or more runs (terminal, HTML, Markdown, CSV, JSON)",
        description="Score the given run folders and report every model: U2 and task metrics with "
        "intervals, parse and error rates, per-dataset and per-anatomy breakdowns.",
    )
    p.add_argument("runs", type=Path, nargs="+", metavar="RUN", help="run folders (runs/<name>)")
    _add_scoring(p)
    p.add_argument(
        "--html", type=Path, default=None, metavar="FILE", help="write the self-contained HTML report"
    )
    p.add_argument("--md", type=Path, default=None, metavar="FILE", help="write a Markdown report")
    p.add_argument(
        "--csv", type=Path, default=None, metavar="FILE", help="write every number as one long CSV table"
    )
    p.add_argument(
        "--format",
        choices=["table", "json"],
        default="table",
        help="stdout: rich tables (default) or the u2fast.report/1 JSON",
    )
    p.add_argument(
        "--max-cases",
        type=int,
        default=500,
        metavar="N",
        help="cases per run in the HTML case browser, spread over scenarios (0: all)",
    )
    p.add_argument("--no-images", action="store_true", help="leave image thumbnails out of the HTML")

    p = sub.add_parser(
        "compare",
        help="paired comparison of two runs (or two models): bootstrap and McNemar",
        description="Join two runs by case id and compare model A with model B: paired bootstrap "
        "of U2 and each task, McNemar (exact and chi-square) on each classification "
        "and sector task. Between a default and a prompt-ablation run it states the "
        "paper's McNemar chi-square.",
    )
    p.add_argument("run_a", type=Path, metavar="RUN_A", help="run folder of model A")
    p.add_argument("run_b", type=Path, metavar="RUN_B", help="run folder of model B (may be RUN_A)")
    p.add_argument("--model-a", default=None, help="model of RUN_A (needed when the run has several)")
    p.add_argument(
        "--model-b", default=None, help="model of RUN_B (default: the same model as A when present)"
    )
    _add_scoring(p)
    p.add_argument("--json", action="store_true", help="print the u2fast.compare/1 JSON")


def _options(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from .folder_scoring import ScoringOptions

    if args.bootstrap < 0:
        raise ConfigError("--bootstrap must be >= 0")
    if not 0 < args.confidence < 1:
        raise ConfigError("--confidence must be between 0 and 1")
    if args.seed < 0:
        raise ConfigError("--seed must be >= 0")
    return ScoringOptions(
        mode=args.mode, n_resamples=args.bootstrap, confidence=args.confidence, seed=args.seed
    )


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {exc}") from None


def cmd_report(args: argparse.Namespace) -> int:
    import msgspec
    from rich.console import Console

    from .report.build import build_report, load_run, score_run_models
    from .report.text import to_csv, to_json, to_markdown

    if args.max_cases < 0:
        raise ConfigError("--max-cases must be >= 0")
    options = _options(args)
    runs = [load_run(path) for path in args.runs]
    early = None
    if args.html is not None and not args.no_images:
        from .report.cases import EarlyThumbnails

        early = EarlyThumbnails(runs, args.max_cases or None)  # made while the runs are scored
    scored = score_run_models(runs, options)
    report = build_report(scored, runs, options)
    if args.html is not None:
        from .report.cases import case_views
        from .report.html import render_html
        from .report.html_clinical import measurement_points

        views, thumbs, unreadable = case_views(scored, args.max_cases or None, images=not args.no_images,
                                               early=early)
        _write(args.html, render_html(msgspec.structs.replace(report, cases=views), thumbs, measurement_points(scored)))
        if unreadable:
            first = next(iter(unreadable.values()))
            sys.stderr.write(f"u2fast: {len(unreadable)} image(s) shown as placeholders in {args.html}: they could "
                             f"not be read, or the data changed since the run; first: {first}\n")
    if args.md is not None:
        _write(args.md, to_markdown(report))
    if args.csv is not None:
        _write(args.csv, to_csv(report))
    if args.format == "json":
        sys.stdout.write(to_json(report))
        return 0
    from .folder_scoring import run_scores
    from .report.tables import print_breakdowns
    from .report.terminal import print_leaderboard

    console = Console()
    if not console.is_terminal:
        console = Console(width=140)
    # one leaderboard of every run's models, under the labels the report gives them
    print_leaderboard(run_scores(options, {s.label: msgspec.structs.replace(s.scores, model=s.label) for s in scored}),
                      console)
    from .report.text import error_warning

    warning = error_warning(report)
    if warning:
        from rich.markup import escape

        console.print(f"[yellow]note:[/] {escape(warning)}", markup=True, highlight=False, soft_wrap=False)
    print_breakdowns(report, console)
    for path in (args.html, args.md, args.csv):
        if path is not None:
            sys.stderr.write(f"wrote {path}\n")
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    import msgspec

    from .report.compare import compare_runs

    comparison = compare_runs(
        args.run_a, args.run_b, model_a=args.model_a, model_b=args.model_b, options=_options(args)
    )
    if args.json:
        sys.stdout.write(msgspec.json.format(msgspec.json.encode(comparison), indent=2).decode() + "\n")
        return 0
    from rich.console import Console

    from .report.tables import print_comparison

    console = Console()
    if not console.is_terminal:  # piped or captured: room for the whole McNemar table instead of 80 columns
        console = Console(width=140)
    print_comparison(comparison, console)
    return 0
