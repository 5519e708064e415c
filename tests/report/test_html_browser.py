"""The HTML report in headless Chromium: it renders the leaderboard, the charts and the case browser
with no console errors and no network requests, its screenshot is not blank, and hostile model text
stays text."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from cdp_browser import PageReport, find_chromium, open_page
from PIL import Image
from report_support import Runs

from u2fast.cli import main

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="headless Chromium not found (Debian: apt-get install chromium; .ci/run installs it)",
)

CHECKS = {
    "leaderboard_rows": "document.querySelectorAll('#leaderboard tbody tr').length",
    "leaderboard_models": "[...document.querySelectorAll('#leaderboard tbody tr')].map(r => r.cells[1].textContent)",
    "bars": "document.querySelectorAll('#task-bars rect.bar').length",
    "whiskers": "document.querySelectorAll('#task-bars path.whisker').length",
    "heat_cells": "document.querySelectorAll('#anatomy-heatmap rect.cell').length",
    "cards": "document.querySelectorAll('#case-list .case').length",
    # data: images decode asynchronously: wait for each, then count the ones that decoded
    "images_loaded": """Promise.all([...document.querySelectorAll('#case-list img')].map(
        i => i.decode().then(() => i.naturalWidth > 0, () => false))).then(r => r.filter(Boolean).length)""",
    "count_text": "document.getElementById('case-count').textContent",
    # filters: only correct answers of one task remain
    "filtered": """(() => {
        const task = document.getElementById('filter-task'), outcome = document.getElementById('filter-outcome');
        task.value = 'DD'; task.dispatchEvent(new Event('change'));
        outcome.value = 'correct'; outcome.dispatchEvent(new Event('change'));
        const cards = [...document.querySelectorAll('#case-list .case')];
        const ok = cards.every(c => c.dataset.outcome === 'correct' && c.textContent.includes('DD/'));
        task.value = ''; task.dispatchEvent(new Event('change'));
        outcome.value = ''; outcome.dispatchEvent(new Event('change'));
        return [cards.length, ok];
    })()""",
    # sorting: clicking the U2 heading twice gives ascending then descending order
    "sorted": """(() => {
        const th = [...document.querySelectorAll('#leaderboard thead th')].find(h => h.textContent === 'U2');
        const read = () => [...document.querySelectorAll('#leaderboard tbody tr')].map(r => parseFloat(r.cells[3].dataset.v));
        th.click(); const up = read(); th.click(); const down = read();
        return [up, down];
    })()""",
}


def _assert_clean(page: PageReport) -> None:
    assert page.console == [], page.console
    assert page.exceptions == [], page.exceptions
    assert page.log_errors == [], page.log_errors
    assert page.dialogs == [], page.dialogs
    outside = [u for u in page.requests if not (u.startswith(("file://", "data:")))]
    assert outside == [], outside


def _assert_not_blank(png: bytes) -> None:
    img = Image.open(io.BytesIO(png)).convert("RGB")
    assert img.size[0] >= 800 and img.size[1] >= 600
    pixels = np.asarray(img.resize((img.size[0] // 4, img.size[1] // 4)), dtype=np.int16).reshape(-1, 3)
    non_white = np.mean(pixels.min(axis=1) < 235)
    assert non_white > 0.03, "the screenshot is (nearly) blank"
    assert len(np.unique(pixels, axis=0)) > 30, "the screenshot has almost no distinct colours"
    # the chart blue of the first model appears somewhere (charts were drawn)
    assert np.any(np.all(np.abs(pixels - np.array([59, 111, 182])) < 25, axis=1))


@pytest.fixture(scope="module")
def report_html(runs: Runs, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("html") / "report.html"
    assert (
        main(
            [
                "report",
                str(runs.default_run),
                str(runs.ablation_run),
                str(runs.random_run),
                "--html",
                str(out),
                "--bootstrap",
                "200",
                "--format",
                "json",
            ]
        )
        == 0
    )
    return out


def test_report_renders_without_errors_or_network(report_html: Path) -> None:
    assert CHROMIUM is not None
    page = open_page(CHROMIUM, report_html, CHECKS)
    _assert_clean(page)
    v = page.values
    # default run: fake model A and random; ablation run: fake model B; random run: random (labels prefixed)
    assert v["leaderboard_rows"] == 4
    assert len(set(v["leaderboard_models"])) == 4 and "random/random:uniform" in v["leaderboard_models"]
    assert v["bars"] >= 4 * 7 and v["whiskers"] >= 4 * 5
    assert v["heat_cells"] >= 4 * 10
    assert v["cards"] == 40 and v["images_loaded"] == v["cards"]
    assert v["count_text"].endswith("(800 in all)")  # 200 cases x 4 models
    count, only_matching = v["filtered"]
    assert count > 0 and only_matching
    up, down = v["sorted"]
    assert up == sorted(up) and down == sorted(down, reverse=True)
    _assert_not_blank(page.screenshot)


#: Shows every case, then hovers, focuses and clicks every element of the case browser, so that an
#: injected handler (onmouseover, onfocus, onload, a javascript: link) would get its chance to run.
_PROVOKE = """(async () => {
    const more = document.getElementById('case-more');
    while (!more.hidden) { more.click(); }
    for (const el of document.querySelectorAll('#case-list *')) {
        // buttons (unfold a long answer) are left for the checks below
        for (const type of el.tagName === 'BUTTON' ? ['mouseover'] : ['mouseover', 'mouseenter', 'focus', 'click']) {
            el.dispatchEvent(new MouseEvent(type, {bubbles: true}));
        }
    }
    await new Promise(r => setTimeout(r, 300));
    return document.querySelectorAll('#case-list .case').length;
})()"""


def test_model_text_is_escaped(runs: Runs, tmp_path: Path) -> None:
    assert CHROMIUM is not None
    expected = {}
    for line in (runs.root / "hostile.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        expected[row["case_id"]] = row["text"]
    out = tmp_path / "hostile.html"
    assert (
        main(["report", str(runs.hostile_run), "--html", str(out), "--bootstrap", "0", "--format", "json"])
        == 0
    )
    html = out.read_text(encoding="utf-8")
    # in the file: exactly the report's two script elements, the payload only in escaped form
    assert html.count("<script") == 2 and html.count("</script>") == 2
    assert "<!--" not in html and "]]>" not in html and "example.invalid" in html
    page = open_page(
        CHROMIUM,
        out,
        {
            "cards": _PROVOKE,
            # the long answer unfolds in place: its card is short until the button is pressed
            "huge": """(() => {
                const button = document.querySelector('#case-list dd.answer button.expand');
                const card = button.closest('.case');
                const before = card.getBoundingClientRect().height;
                button.click();
                return [card.querySelector('dd').textContent.split('  ')[0], before,
                        card.querySelector('dd.answer span').textContent];
            })()""",
            "answers": """[...document.querySelectorAll('#case-list .case')].map(c => [
                c.querySelector('dd').textContent.split('  ')[0],
                (c.querySelector('dd.answer span') || c.querySelector('dd.answer')).textContent])""",
            "scripts": "document.scripts.length",
            "foreign_nodes": """document.querySelectorAll(
                '#case-list script, #case-list a, #case-list iframe, #case-list svg, #case-list img:not([src^="data:"])'
            ).length""",
            "handler_attributes": """[...document.querySelectorAll('#case-list *')].flatMap(
                e => [...e.attributes].map(a => a.name)).filter(n => n.startsWith('on')).length""",
        },
    )
    _assert_clean(page)  # includes: no dialog opened (alert never ran)
    assert page.values["cards"] == len(expected) == 200
    assert page.values["scripts"] == 2 and page.values["foreign_nodes"] == 0
    assert page.values["handler_attributes"] == 0
    answers = dict(page.values["answers"])
    assert answers == expected  # every answer shown verbatim, as text (unicode included)
    huge_case, height_folded, unfolded = page.values["huge"]
    assert len(expected[huge_case]) > 100_000 and unfolded == expected[huge_case]
    assert height_folded < 2500
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.dom  # shown as text in the rendered page


def test_unreadable_images_show_a_placeholder(runs: Runs, tmp_path: Path) -> None:
    assert CHROMIUM is not None
    out = tmp_path / "noimg.html"
    assert (
        main(
            [
                "report",
                str(runs.ablation_run),
                "--html",
                str(out),
                "--bootstrap",
                "0",
                "--no-images",
                "--max-cases",
                "10",
                "--format",
                "json",
            ]
        )
        == 0
    )
    page = open_page(
        CHROMIUM,
        out,
        {
            "placeholders": "document.querySelectorAll('#case-list .noimg').length",
            "cards": "document.querySelectorAll('#case-list .case').length",
        },
    )
    _assert_clean(page)
    assert page.values["cards"] == 10 and page.values["placeholders"] == 10


#: For each new chart: how many there are, and the size and axis titles of the first one on screen
#: (closed <details> are opened first, so every chart is laid out).
CHART_CHECKS = {
    "charts": """(() => {
        document.querySelectorAll('details').forEach(d => { d.open = true; });
        const out = {};
        for (const [name, sel] of Object.entries({confusion: 'svg.confusion', bland_altman: 'svg.bland-altman',
                ranks: '#rank-intervals', forest: 'svg.forest', anatomy: '#anatomy-heatmap', bars: '#task-bars'})) {
            const all = [...document.querySelectorAll(sel)];
            const sizes = all.map(s => { const r = s.getBoundingClientRect(); return [r.width, r.height]; });
            const titles = all.length ? [...all[0].querySelectorAll('.axis-title, .ptitle')].map(t => t.textContent) : [];
            out[name] = [all.length, sizes.every(([w, h]) => w > 0 && h > 0), titles];
        }
        return out;
    })()""",
    "page_width": "[document.documentElement.scrollWidth, window.innerWidth]",
    "outside": """[...document.querySelectorAll('body *')].filter(e => !e.closest('.scroll')
        && e.getBoundingClientRect().right > window.innerWidth + 0.5).map(e => e.tagName + '.' + e.className)""",
    "heatmap_fits": """(() => { const svg = document.getElementById('anatomy-heatmap'), box = svg.parentElement;
        return [box.scrollWidth <= box.clientWidth, svg.getBoundingClientRect().right <= window.innerWidth]; })()""",
    "usage_rows": "[...document.querySelectorAll('#usage tbody tr')].map(r => r.cells[0].textContent)",
    "confusion_unparsed": "document.querySelectorAll('svg.confusion rect.unparsed').length",
    "side_by_side": """(() => {
        const box = document.getElementById('side-by-side');
        box.checked = true; box.dispatchEvent(new Event('change'));
        const cards = [...document.querySelectorAll('#case-list .case.compare')];
        const first = cards[0], columns = first ? first.querySelectorAll('.side-col').length : 0;
        const models = first ? [...first.querySelectorAll('.side-col')].map(c => c.querySelector('dd').textContent) : [];
        const text = document.getElementById('case-count').textContent;
        box.checked = false; box.dispatchEvent(new Event('change'));
        return [cards.length, columns, models, text, document.querySelectorAll('#case-list .case.compare').length];
    })()""",
}


def test_charts_render_with_axes_and_the_page_fits_1400_px(report_html: Path) -> None:
    """Each chart renders with a size and axis titles, the anatomy heat map and the page fit a
    1,400-px window with every section open, and the same case shows across models side by side."""
    assert CHROMIUM is not None
    page = open_page(CHROMIUM, report_html, CHART_CHECKS, width=1400)
    _assert_clean(page)
    v = page.values
    charts = v["charts"]
    for name, (count, sized, _) in charts.items():
        assert count > 0 and sized, name
    assert charts["confusion"][2][1:] == ["predicted (the answer) →", "truth"]
    assert "mean of estimate and truth (%)" in charts["bland_altman"][2]
    assert "estimate − truth (percentage points)" in charts["bland_altman"][2]
    assert "rank (1 = highest U2)" in charts["ranks"][2] and "P(rank = 1)" in charts["ranks"][2]
    assert "accuracy" in charts["forest"][2]
    assert charts["anatomy"][2] == ["model", "anatomy"]
    scroll_width, inner = v["page_width"]
    assert scroll_width <= inner and v["outside"] == []
    assert v["heatmap_fits"] == [True, True]
    assert len(v["usage_rows"]) == 4 and v["confusion_unparsed"] > 0
    cards, columns, models, text, after = v["side_by_side"]
    assert cards == 40 and columns == 4 and len(set(models)) == 4  # 4 models answered the same case
    assert "cases side by side (800 answers in all)" in text and after == 0
