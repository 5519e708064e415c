"""``u2fast report``: the JSON schema, Markdown, CSV, terminal tables and bad input."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from report_support import Runs

from u2fast.cli import main
from u2fast.report.html import script_json
from u2fast.report.text import CSV_COLUMNS

TASKS = ["DD", "VRA", "LL", "OD", "KD", "CVE", "RG", "CG"]


def _report_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    capsys.readouterr()
    assert main(["report", *args, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_schema_ranks_models_and_carries_intervals(
    runs: Runs, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _report_json(capsys, str(runs.default_run), str(runs.ablation_run), "--bootstrap", "200")
    assert out["schema"] == "u2fast.report/1"
    assert set(out) == {
        "schema",
        "generated_at",
        "u2fast_version",
        "mode",
        "confidence",
        "n_resamples",
        "interval_method",
        "seed",
        "runs",
        "models",
        "datasets",
        "anatomy",
    }
    assert [r["name"] for r in out["runs"]] == ["default", "ablation"]
    assert [r["prompt_variant"] for r in out["runs"]] == ["default", "no-anatomy"]
    models = out["models"]
    assert [m["rank"] for m in models] == [1, 2, 3]
    u2 = [m["u2"]["value"] for m in models]
    assert u2 == sorted(u2, reverse=True)
    assert models[0]["model"] == runs.model_a  # right on 70% and exact on CVE and reports
    a = models[0]
    assert set(a["tasks"]) == set(TASKS)
    for task in TASKS:
        est = a["tasks"][task]["value"]
        if est["low"] is None:  # a constant resampled statistic has no BCa interval (scipy's rule): null
            assert est["high"] is None and task in ("KD", "CVE", "CG")
        else:
            assert est["low"] - 1e-9 <= est["value"] <= est["high"] + 1e-9
    assert a["tasks"]["DD"]["value"]["low"] < a["tasks"]["DD"]["value"]["high"]
    assert a["tasks"]["CVE"]["value"]["value"] == 0 and a["tasks"]["CVE"]["metric"] == "rmse"
    assert a["parse_rate"] == 1.0 and a["error_rate"] == 0.0
    keys = {(d["label"], d["task"], d["dataset_id"]) for d in out["datasets"]}
    assert len(keys) == len(out["datasets"]) == 3 * 50  # every scenario of the sample, per model
    pooled = {e["label"]: e for e in out["anatomy"] if e["task"] == "all" and e["anatomy"] == "breast"}
    assert set(pooled) == {m["label"] for m in models}


def test_anatomy_breakdown_counts_the_cases_of_each_anatomy(
    runs: Runs, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _report_json(capsys, str(runs.ablation_run), "--bootstrap", "0")
    entries = [e for e in out["anatomy"] if e["task"] == "all"]
    assert sum(e["counted"] for e in entries) == 168
    # B is right on exactly 101 of the 168 classification and sector cases
    right = sum(e["value"]["value"] * e["counted"] for e in entries)
    assert right == pytest.approx(101)
    assert all("low" not in e["value"] for e in entries)  # no bootstrap: no interval


def test_markdown_and_csv_files(runs: Runs, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    md, table = tmp_path / "out" / "r.md", tmp_path / "r.csv"
    assert (
        main(["report", str(runs.default_run), "--md", str(md), "--csv", str(table), "--bootstrap", "100"])
        == 0
    )
    terminal = capsys.readouterr().out
    assert "U2-Bench leaderboard" in terminal and "Per dataset" in terminal and "by anatomy" in terminal
    text = md.read_text()
    assert "## Leaderboard" in text and "## Per dataset" in text and "## By anatomy" in text
    assert "| DD/21 | breast | accuracy |" in text
    rows = list(csv.DictReader(io.StringIO(table.read_text())))
    assert tuple(rows[0]) == CSV_COLUMNS
    levels = {r["level"] for r in rows}
    assert levels == {"u2", "task", "dataset", "anatomy", "u2_two_stage", "rank", "usage", "classification", "class",
                      "confusion", "measurement", "subgroup", "worst_group", "heterogeneity"}
    metrics = {(r["level"], r["metric"]) for r in rows}
    for needed in [("classification", "kappa"), ("classification", "balanced_accuracy"), ("class", "sensitivity"),
                   ("measurement", "bland_altman_bias"), ("measurement", "icc"), ("measurement", "ccc"),
                   ("rank", "rank"), ("rank", "p_first"), ("usage", "requests"), ("usage", "latency_p95_s"),
                   ("heterogeneity", "i_squared"), ("confusion", "count")]:
        assert needed in metrics, needed
    assert {r["task"] for r in rows if r["level"] == "heterogeneity"} <= {"DD", "VRA", "LL", "OD", "KD"}
    ef = [r for r in rows if r["level"] == "measurement" and r["dataset"] == "18" and r["metric"] == "mae"]
    assert ef and all(r["unit"] == "%" for r in ef)
    for section in ("## Classification statistics", "## Confusion matrices", "## Measurement agreement",
                    "## Heterogeneity across data sets", "## Ranks, usage and cost", "errors by class",
                    "cases per task", "| truth \\\\ predicted |"):
        assert section in text, section
    u2 = [r for r in rows if r["level"] == "u2" and r["model"] == runs.model_a]
    assert len(u2) == 1 and float(u2[0]["low"]) <= float(u2[0]["value"]) <= float(u2[0]["high"])


def test_terminal_leaderboard_names_the_interval_design(runs: Runs) -> None:
    """The real command's leaderboard title says how the intervals were resampled, as ``u2fast score``'s
    does (it once printed an empty design: "( bootstrap: ...)")."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "u2fast.cli", "report", str(runs.random_run), "--bootstrap", "20"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    text = " ".join(done.stdout.split())  # rich wraps and centres the title
    assert "95% BCa CI (stratified bootstrap: cases within data sets)" in text


def test_compat_mode_is_recorded(runs: Runs, capsys: pytest.CaptureFixture[str]) -> None:
    out = _report_json(capsys, str(runs.random_run), "--mode", "compat", "--bootstrap", "0")
    assert out["mode"] == "compat" and out["n_resamples"] == 0


def test_bad_input(runs: Runs, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(tmp_path)]) == 6
    assert "manifest.json is missing" in capsys.readouterr().err
    assert main(["report", str(runs.random_run), "--bootstrap", "-1"]) == 2
    assert "--bootstrap" in capsys.readouterr().err
    assert main(["report", str(runs.random_run), "--confidence", "1.5"]) == 2
    assert main(["report", str(runs.random_run), "--max-cases", "-3"]) == 2
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["report", str(runs.random_run), "--bootstrap", "0", "--html", str(blocker / "r.html")]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_script_json_cannot_close_the_script_element() -> None:
    text = script_json({"a": "</script><!-- <b>&amp;\u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!-- <b>&amp;\u2028"}


def test_no_images_makes_a_report_without_image_bytes(runs: Runs, tmp_path: Path) -> None:
    """``--no-images`` through the real command: the HTML and the JSON carry no image data at all,
    while the same report without the flag does (so the check can fail)."""
    import subprocess
    import sys

    def report(*extra: str) -> tuple[str, str]:
        html = tmp_path / f"r{len(extra)}.html"
        done = subprocess.run(
            [sys.executable, "-m", "u2fast.cli", "report", str(runs.default_run), "--bootstrap", "0",
             "--max-cases", "20", "--html", str(html), "--format", "json", *extra],
            capture_output=True, text=True, timeout=300,
        )
        assert done.returncode == 0, done.stderr
        return html.read_text(encoding="utf-8"), done.stdout

    with_images, _ = report("--bootstrap", "50")
    assert "data:image/jpeg;base64," in with_images
    # the real command writes every chart: confusion, Bland–Altman, ranks, forest, and the usage table
    for element in ('class="chart confusion"', 'class="chart bland-altman"', 'class="chart ranks"',
                    'class="chart forest"', '<table id="usage">', 'id="side-by-side"'):
        assert element in with_images, element
    shared, report_json = report("--no-images")
    for text in (shared, report_json):
        assert "data:image/" not in text and ";base64," not in text and "/9j/" not in text  # JPEG's base64 start
    assert json.loads(report_json)["schema"] == "u2fast.report/1"


def test_usage_block_in_html_markdown_and_csv(runs: Runs, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Requests, tokens, latency, errors by class, the parse warning and cases per task appear in
    all three outputs, for the model they belong to."""
    page, md, table = tmp_path / "u.html", tmp_path / "u.md", tmp_path / "u.csv"
    out = _report_json(capsys, str(runs.hostile_run), str(runs.errors_run), "--bootstrap", "0", "--max-cases", "5",
                       "--html", str(page), "--md", str(md), "--csv", str(table))
    by_run = {m["run"]: m for m in out["models"]}
    hostile, errors = by_run["hostile"], by_run["errors"]
    assert hostile["parse_warning"] and not errors["parse_warning"]
    html_text, md_text = page.read_text(encoding="utf-8"), md.read_text(encoding="utf-8")
    usage = html_text[html_text.index('<table id="usage">'):html_text.index("</table>", html_text.index('id="usage"'))]
    rows = usage.split("<tr>")[2:]
    assert len(rows) == 2
    for m in out["models"]:
        (row,) = [r for r in rows if r.startswith(f"<td class=t>{m['label']}")]
        assert f"<td>{m['usage']['requests']}</td>" in row
        assert ("(low)" in row) == m["parse_warning"]
        for kind, count in m["errors_by_kind"].items():
            assert f"{kind} {count}" in row
        assert ", ".join(f"{t} {n}" for t, n in m["usage"]["cases_per_task"].items()) in row
    assert 'id="parse-warning"' in html_text and "**Warning:** under 90%" in md_text
    assert "| errors by class | cases per task |" in md_text
    csv_rows = list(csv.DictReader(io.StringIO(table.read_text())))
    usage_rows = [r for r in csv_rows if r["level"] == "usage"]
    warned = {r["model"] for r in usage_rows if r["metric"] == "parse_rate" and r["class"] == "warning"}
    assert warned == {hostile["label"]}
    errs = {r["class"]: int(r["value"]) for r in usage_rows if r["model"] == errors["label"] and r["metric"] == "errors"}
    assert errs == errors["errors_by_kind"] and errs
