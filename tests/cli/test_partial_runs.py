"""A run killed part way (issue 9 item 5): not "running" forever, its unsent cases are not API
errors, and score, report and compare mark it partial."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from cli_support import cli_env, run_cli


def _u2fast(*args: str) -> list[str]:
    return [sys.executable, "-m", "u2fast.cli", *args]


def _killed_run(runs: Path, name: str, keep: int) -> Path:
    """A finished run rewound to the state a kill -9 leaves: manifest still 'running', the journal
    holding only its first ``keep`` answers, and no process holding it."""
    argv = _u2fast("eval", "--tasks", "DD,VRA", "--limit", "2", "--runs-dir", str(runs), "--name", name,
                   "--bootstrap", "0", "--quiet")
    assert run_cli(argv, cli_env()).returncode == 0
    run = runs / name
    lines = (run / "journal.jsonl").read_text().splitlines(keepends=True)
    (run / "journal.jsonl").write_text("".join(lines[:keep]))
    manifest = json.loads((run / "manifest.json").read_text())
    manifest["status"] = "running"
    manifest.pop("finished_at", None)
    (run / "manifest.json").write_text(json.dumps(manifest))
    return run


def test_a_killed_run_reads_interrupted_and_partial_everywhere(runs: Path) -> None:
    run = _killed_run(runs, "killed", keep=5)
    total = len((run / "cases.jsonl").read_text().splitlines())

    score = run_cli(_u2fast("score", str(run), "--bootstrap", "50"), cli_env())
    assert score.returncode == 0, score.stderr
    assert f"5/{total} partial" in score.stdout and "cover only the answered" in score.stdout

    doc = json.loads(run_cli(_u2fast("score", str(run), "--json", "--bootstrap", "0"), cli_env()).stdout)
    model = doc["models"]["random:uniform"]
    assert (model["answered"], model["not_sent"]) == (5, total - 5)
    assert model["error_rate"] == 0.0 and "errors_by_kind" not in model  # never sent is not an API error

    report = json.loads(run_cli(_u2fast("report", str(run), "--format", "json", "--bootstrap", "0"), cli_env()).stdout)
    assert report["runs"][0]["status"] == "interrupted"
    (entry,) = report["models"]
    assert (entry["answered"], entry["not_sent"]) == (5, total - 5)
    md = runs / "r.md"
    assert run_cli(_u2fast("report", str(run), "--md", str(md), "--bootstrap", "0"), cli_env()).returncode == 0
    assert f"5/{total} partial" in md.read_text() and "partial runs:" in md.read_text()
    page = runs / "r.html"
    assert run_cli(_u2fast("report", str(run), "--html", str(page), "--bootstrap", "0"), cli_env()).returncode == 0
    html = page.read_text()
    # the tooltip is true of requests waiting in a provider batch too ("never sent" alone was not)
    assert (f'class="warn partial" title="partial run: requests with no answer on record (never sent, or in a '
            f'provider batch still running)">5/{total} partial') in html
    assert "interrupted (partial)" in html and 'id="partial-warning"' in html

    other = _killed_run(runs, "whole", keep=10_000)
    compare = run_cli(_u2fast("compare", str(run), str(other), "--bootstrap", "0", "--json"), cli_env())
    assert compare.returncode == 0, compare.stderr
    notes = json.loads(compare.stdout)["notes"]
    assert any("partial run (5/" in n for n in notes)
