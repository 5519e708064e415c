"""The HTML report as a user meets it in headless Chromium: every leaderboard column sorts, every
filter filters, the charts have one bar (and whisker) per model and task and one heat-map cell per
model and anatomy, the page fits a 375 px phone, and a run whose data folder is gone still renders."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path

import pytest
from cdp_browser import find_chromium, open_page
from report_support import Runs

from u2fast.cli import main

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="headless Chromium not found (Debian: apt-get install chromium; .ci/run installs it)",
)

LAYOUT_CHECKS = {
    # each column clicked twice: the rows' sort keys ascend, then descend (blanks last both times)
    "sorting": """(() => {
        const table = document.getElementById('leaderboard');
        const heads = [...table.tHead.rows[0].cells];
        const keys = col => [...table.tBodies[0].rows].map(r => {
            const v = r.cells[col].getAttribute('data-v');
            return v === null ? r.cells[col].textContent : (v === '' ? null : parseFloat(v));
        });
        return heads.map((th, col) => { th.click(); const up = keys(col); th.click(); return [th.textContent, up, keys(col)]; });
    })()""",
    # each filter alone: every card shown matches, and the count says how many
    "filters": """(() => {
        const fields = {model: 'label', task: 'task', dataset: 'dataset_id', outcome: 'outcome'};
        const cases = JSON.parse(document.getElementById('u2-data').textContent).cases;
        const out = {};
        for (const [name, field] of Object.entries(fields)) {
            const select = document.getElementById('filter-' + name);
            const value = select.options[select.options.length - 1].value;
            select.value = value; select.dispatchEvent(new Event('change'));
            const expected = cases.filter(c => c[field] === value).length;
            const cards = [...document.querySelectorAll('#case-list .case')];
            const shown = document.getElementById('case-count').textContent;
            out[name] = [value, expected, cards.length, shown];
            select.value = ''; select.dispatchEvent(new Event('change'));
        }
        return out;
    })()""",
    "count_after_reset": "document.getElementById('case-count').textContent",
    "panels": "[...document.querySelectorAll('#task-bars g.panel')].map(g => [g.querySelector('.ptitle').textContent, g.querySelectorAll('rect.bar').length, g.querySelectorAll('path.whisker').length, g.querySelectorAll('text.na').length])",
    "heat_cells": "document.querySelectorAll('#anatomy-heatmap rect.cell, #anatomy-heatmap rect.nocell').length",
    "heat_rows": "document.querySelectorAll('#anatomy-heatmap text.row').length",
    "heat_columns": "document.querySelectorAll('#anatomy-heatmap text.col').length",
    "partial_cells": "[...document.querySelectorAll('#leaderboard td.partial')].map(td => td.textContent)",
}

PHONE_CHECKS = {
    "viewport": "window.innerWidth",
    "page_width": "document.documentElement.scrollWidth",
    # nothing sticks out of the page except inside a scroll box
    "outside": """[...document.querySelectorAll('body *')].filter(e => !e.closest('.scroll')
        && e.getBoundingClientRect().right > window.innerWidth + 0.5).map(e => e.tagName + '.' + e.className)""",
    "leaderboard_box": """(() => { const box = document.getElementById('leaderboard').parentElement;
        return [box.className, box.clientWidth <= window.innerWidth, box.scrollWidth > box.clientWidth,
                getComputedStyle(box).overflowX]; })()""",
    "card_columns": "getComputedStyle(document.querySelector('#case-list .case')).gridTemplateColumns.split(' ').length",
}


def _report(tmp: Path, name: str, *argv: str) -> tuple[Path, dict]:
    out = tmp / f"{name}.html"
    cmd = ["report", *argv, "--html", str(out), "--format", "json"]
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(cmd) == 0
    return out, json.loads(buf.getvalue())


def _assert_clean(page) -> None:  # type: ignore[no-untyped-def]
    assert page.console == [] and page.exceptions == [] and page.log_errors == [] and page.dialogs == []
    assert [u for u in page.requests if not u.startswith(("file://", "data:"))] == []


def test_sorting_filters_and_charts(runs: Runs, tmp_path: Path) -> None:
    assert CHROMIUM is not None
    path, report = _report(
        tmp_path,
        "layout",
        str(runs.default_run),
        str(runs.errors_run),
        str(runs.partial_run),
        "--bootstrap",
        "50",
        "--max-cases",
        "30",
    )
    page = open_page(CHROMIUM, path, LAYOUT_CHECKS)
    _assert_clean(page)
    v = page.values
    n_models = len(report["models"])
    for heading, up, down in v["sorting"]:
        numbers_up = [k for k in up if isinstance(k, float | int)]
        if len(numbers_up) == len(up):  # numeric column: ascending, then descending
            assert up == sorted(up) and down == sorted(down, reverse=True), heading
            continue
        if any(isinstance(k, float | int) for k in up):  # numbers with blanks: blanks last both ways
            assert up[: len(numbers_up)] == sorted(numbers_up), heading
            assert [k for k in down if k is not None] == sorted(numbers_up, reverse=True), heading
            assert up[len(numbers_up) :] == [None] * (len(up) - len(numbers_up)), heading
        else:  # text column
            assert up == sorted(up, key=str.lower) or up == sorted(up), heading
            assert down == list(reversed(up)), heading
    assert any(up != down for _, up, down in v["sorting"])  # clicking really reorders rows
    for name, (value, expected, cards, shown) in v["filters"].items():
        assert value and expected > 0, name
        assert cards == min(expected, 40) and shown.startswith(f"showing {cards} of {expected} matching"), name
    n_cases = sum(len(r["models"]) * min(30, r["n_cases"]) for r in report["runs"])
    assert v["count_after_reset"] == f"showing 40 of {n_cases} matching ({n_cases} in all)"
    # one panel per task plus U2, one row per model; whiskers wherever an interval exists
    assert len(v["panels"]) == 9
    for title, bars, whiskers, missing in v["panels"]:
        assert bars + missing == n_models, title
        assert 0 < whiskers <= bars, title
    expected_whiskers = sum(
        1
        for m in report["models"]
        for e in [m["u2"], *(t["value"] for t in m["tasks"].values())]
        if e.get("low") is not None and e.get("high") is not None
    )
    assert sum(p[2] for p in v["panels"]) == expected_whiskers
    anatomies = {a["anatomy"] for a in report["anatomy"] if a["task"] == "all"}
    assert v["heat_rows"] == len(anatomies) and v["heat_columns"] == n_models  # anatomies down, models across
    assert v["heat_cells"] == n_models * len(anatomies)
    assert v["partial_cells"] == [f"{m['answered']}/{m['n']} partial" for m in report["models"] if m["not_sent"]]


def test_page_fits_a_phone(runs: Runs, tmp_path: Path) -> None:
    assert CHROMIUM is not None
    path, _ = _report(
        tmp_path, "phone", str(runs.default_run), str(runs.hostile_run), "--bootstrap", "0", "--max-cases", "10"
    )
    page = open_page(CHROMIUM, path, PHONE_CHECKS, viewport=(375, 800))
    _assert_clean(page)
    v = page.values
    assert v["viewport"] == 375 and v["page_width"] <= 375, v
    assert v["outside"] == []
    box_class, fits, scrolls, overflow = v["leaderboard_box"]
    assert box_class == "scroll" and fits and scrolls and overflow == "auto"
    assert v["card_columns"] == 1  # image above text on a phone
    (tmp_path / "phone.png").write_bytes(page.screenshot)


def test_run_whose_data_folder_was_deleted_renders_with_placeholders(runs: Runs, tmp_path: Path) -> None:
    assert CHROMIUM is not None
    data = tmp_path / "data"
    assert main(["data", "sample", "--cases", "60", "--out", str(data)]) == 0
    assert (
        main(
            ["eval", "--quiet", "--data", str(data), "--runs-dir", str(tmp_path), "--name", "moved", "--bootstrap", "0"]
        )
        == 0
    )
    shutil.rmtree(data)
    path, report = _report(tmp_path, "moved", str(tmp_path / "moved"), "--bootstrap", "0")
    assert report["models"][0]["n"] == 60  # scored from the run folder alone
    page = open_page(
        CHROMIUM,
        path,
        {
            "cards": "document.querySelectorAll('#case-list .case').length",
            "placeholders": "[...document.querySelectorAll('#case-list .noimg')].map(e => e.textContent)",
            "images": "document.querySelectorAll('#case-list img').length",
        },
    )
    _assert_clean(page)
    assert page.values["cards"] == 40 and page.values["images"] == 0
    assert page.values["placeholders"] == ["image unavailable"] * 40
