"""Every number of ``u2fast report`` (JSON, CSV, Markdown, HTML) is the number ``u2fast score --json``
gives for the same run, mode, seed and bootstrap: with several runs, a model name shared by two
runs, a model whose answers are mostly API errors, and a run of two tasks only."""

from __future__ import annotations

import csv
import html
import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
from report_support import Runs

from u2fast.cli import main

SETTINGS = ("--bootstrap", "60", "--seed", "3")


def _stdout_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    capsys.readouterr()
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a == b or (math.isnan(a) and math.isnan(b))


def _estimate_equal(ours: dict[str, Any], theirs: dict[str, Any]) -> bool:
    return all(_same(ours.get(k), theirs.get(k)) for k in ("value", "low", "high"))


@pytest.mark.parametrize("mode", ["robust", "compat"])
def test_report_numbers_equal_score_json(
    runs: Runs, tmp_path: Path, capsys: pytest.CaptureFixture[str], mode: str
) -> None:
    folders = [runs.default_run, runs.errors_run, runs.partial_run]
    csv_path, md_path, html_path = tmp_path / "r.csv", tmp_path / "r.md", tmp_path / "r.html"
    report = _stdout_json(
        capsys,
        "report",
        *map(str, folders),
        "--mode",
        mode,
        *SETTINGS,
        "--format",
        "json",
        "--csv",
        str(csv_path),
        "--md",
        str(md_path),
        "--html",
        str(html_path),
        "--max-cases",
        "5",
    )
    csv_rows = list(csv.DictReader(csv_path.open(encoding="utf-8")))
    markdown = md_path.read_text(encoding="utf-8")
    page = html_path.read_text(encoding="utf-8")
    checked = 0
    for folder in folders:
        scores = _stdout_json(capsys, "score", str(folder), "--mode", mode, *SETTINGS, "--json")
        run_name = folder.name
        for model, ms in scores["models"].items():
            (entry,) = [m for m in report["models"] if m["run"] == run_name and m["model"] == model]
            label = entry["label"]
            assert _estimate_equal(entry["u2"], ms["u2"]), label
            assert (entry["n"], entry["parse_rate"], entry["error_rate"]) == (
                ms["n"],
                ms["parse_rate"],
                ms["error_rate"],
            )
            assert entry["errors_by_kind"] == ms.get("errors_by_kind", {})
            assert set(entry["tasks"]) == set(ms["tasks"])
            for task, ts in ms["tasks"].items():
                te = entry["tasks"][task]
                assert _estimate_equal(te["value"], ts["value"]), (label, task)
                for key in ("metric", "u2_term", "n", "datasets", "parse_rate", "error_rate"):
                    assert _same(te[key], ts.get(key)) if isinstance(te[key], float) else te[key] == ts[key]
                assert te["extra"] == ts.get("extra", {})
            datasets = {(d["task"], d["dataset_id"]): d for d in report["datasets"] if d["label"] == label}
            assert {f"{t}/{d}" for t, d in datasets} == set(ms["datasets"])
            for (task, ds), d in datasets.items():
                sd = ms["datasets"][f"{task}/{ds}"]
                assert _estimate_equal(d["value"], sd["value"])
                assert (d["n"], d["counted"], d["parsed"], d["errors"], d["in_u2"]) == (
                    sd["n"],
                    sd["counted"],
                    sd["parsed"],
                    sd["errors"],
                    sd.get("in_u2", True),
                )
            # CSV: the same floats, read back exactly
            for row in (r for r in csv_rows if r["model"] == label and r["level"] in ("u2", "task", "dataset")):
                source = (
                    ms["u2"]
                    if row["level"] == "u2"
                    else ms["tasks"][row["task"]]["value"]
                    if row["level"] == "task"
                    else ms["datasets"][f"{row['task']}/{row['dataset']}"]["value"]
                )
                for key in ("value", "low", "high"):
                    assert (float(row[key]) if row[key] else None) == source.get(key), (label, row, key)
                checked += 1
            # the clinical rows of the CSV: the same numbers as score --json's clinical summary
            clinical = ms.get("clinical", {})
            for row in (r for r in csv_rows if r["model"] == label and r["level"] in ("classification", "measurement")):
                key = f"{row['task']}/{row['dataset']}"
                group = clinical["classification" if row["level"] == "classification" else "measurements"][key]
                kind, _, stat = row["metric"].partition("_")
                source = group[kind][stat] if kind in ("macro", "weighted") else group.get(row["metric"])
                if row["metric"] == "unparsed":
                    source = sum(counts[-1] for counts in group["counts"])
                if isinstance(source, dict):
                    for key_ in ("value", "low", "high"):
                        assert (float(row[key_]) if row[key_] else None) == source.get(key_), (label, row)
                elif row["metric"] != "tolerance":
                    assert (float(row["value"]) if row["value"] else None) == source, (label, row)
                checked += 1
            for row in (r for r in csv_rows if r["model"] == label and r["level"] == "confusion"):
                counts = clinical["classification"][f"{row['task']}/{row['dataset']}"]
                labels = [*counts["labels"], "unparsed/refused"]
                i, j = labels.index(row["class"]), labels.index(row["predicted"])
                assert int(row["value"]) == counts["counts"][i][j]
            # Markdown and HTML show U2 rounded to 4 places; the HTML sort key is the exact float
            u2 = ms["u2"]["value"]
            if u2 is not None:
                assert f"| {entry['rank']} | {label} | {u2:.4f} [" in markdown
                row_html = re.search(
                    rf'<td data-v="{entry["rank"]}">{entry["rank"]}</td><td class="t">{re.escape(html.escape(label))}</td>'
                    r'<td class="t">[^<]*</td><td data-v="([^"]+)">',
                    page,
                )
                assert row_html is not None and float(row_html.group(1)) == u2
    assert checked > 100
    # ranked by U2, best first, ranks 1..n; the shared model name is labelled by run
    u2s = [m["u2"]["value"] for m in report["models"]]
    assert u2s == sorted(u2s, reverse=True) and [m["rank"] for m in report["models"]] == [1, 2, 3, 4]
    labels = {m["label"] for m in report["models"]}
    assert f"default/{runs.model_a}" in labels and f"partial/{runs.model_a}" in labels


def test_error_heavy_model_is_flagged_everywhere(
    runs: Runs, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    md, page = tmp_path / "r.md", tmp_path / "r.html"
    capsys.readouterr()
    argv = ["report", str(runs.errors_run), str(runs.ablation_run), "--bootstrap", "0", "--max-cases", "5"]
    assert main([*argv, "--md", str(md), "--html", str(page)]) == 0
    terminal = capsys.readouterr().out
    # 3 of 5 cases answered with an error, 1 of 10 (others) without a row: 70% of the cases
    for text in (terminal, md.read_text(encoding="utf-8"), page.read_text(encoding="utf-8")):
        flat = " ".join(text.split())
        assert f"{runs.model_errors} (70.0%)" in flat and "only the cases they answered" in flat
        assert f"{runs.model_b} (" not in flat.split("API errors on at least")[1][:400]
    assert 'class="warn" title="scores cover only the answered cases">70.0%' in page.read_text(encoding="utf-8")


def test_runs_sharing_a_name_get_distinct_labels_and_a_folder_given_twice_is_refused(
    runs: Runs, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    copy = tmp_path / "elsewhere" / runs.random_run.name
    shutil.copytree(runs.random_run, copy)
    out = _stdout_json(capsys, "report", str(runs.random_run), str(copy), "--bootstrap", "0", "--format", "json")
    labels = [m["label"] for m in out["models"]]
    assert len(set(labels)) == 2 and any(label.startswith(str(copy)) for label in labels)
    capsys.readouterr()
    assert main(["report", str(runs.random_run), str(runs.random_run), "--bootstrap", "0"]) == 2
    assert "given twice" in capsys.readouterr().err


def test_markdown_keeps_hostile_run_names_as_text(
    runs: Runs, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from markdown_it import MarkdownIt  # rich's own Markdown parser (CommonMark)

    name = "<img src=x onerror=alert(1)>|*a*`b"
    argv = ["eval", "--quiet", "--runs-dir", str(tmp_path), "--name", name, "--bootstrap", "0", "--limit", "1"]
    assert main(argv) == 0
    md = tmp_path / "r.md"
    capsys.readouterr()
    assert main(["report", str(tmp_path / name), str(runs.random_run), "--bootstrap", "0", "--md", str(md)]) == 0
    rendered = MarkdownIt("commonmark").enable("table").render(md.read_text(encoding="utf-8"))
    assert "<img" not in rendered and "<em>" not in rendered
    assert "&lt;img src=x onerror=alert(1)&gt;|*a*`b/random:uniform" in rendered  # one cell, as text
    leaderboard = rendered.split("<h2>Leaderboard</h2>")[1].split("</table>")[0]
    assert all(row.count("<td>") == 14 for row in leaderboard.split("<tr>")[2:])  # no cell split by |


def test_names_that_look_like_console_markup_print_as_names(
    runs: Runs, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # rich reads "[/bold]" as a closing tag: printed as markup, such a name crashed eval and report
    folder = tmp_path / "q[red]["
    folder.mkdir()
    replay = folder / "bold]m.jsonl"  # the model is replay:.../q[red][/bold]m.jsonl
    rows = [json.loads(line) for line in (runs.root / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    replay.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    model = f"replay:{replay}"
    argv = ["eval", "--quiet", "--runs-dir", str(tmp_path), "--name", "x[b]y", "--bootstrap", "0"]
    assert main([*argv, "--model", model]) == 0
    run = str(tmp_path / "x[b]y")
    capsys.readouterr()
    assert main(["report", run, str(runs.random_run), "--bootstrap", "0"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "q[red][/bold]m.jsonl" in out and f"{model} (70.0%)" in out  # the warning names it verbatim
    assert main(["compare", run, str(runs.default_run), "--model-b", runs.model_a, "--bootstrap", "0"]) == 0
    out = capsys.readouterr().out
    assert f"A = {model} in x[b]y (prompt default)" in " ".join(out.split())
