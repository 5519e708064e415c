"""The rank-interval plot: one row per ranked model with its rank, interval and P(rank = 1)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import msgspec

from u2fast.report.charts import rank_intervals_svg
from u2fast.report.ranking_entry import RankEntry
from u2fast.report.schema import ModelEntry
from u2fast.scoring.estimate import Estimate

SVG = "{http://www.w3.org/2000/svg}"


def _model(label: str, ranking: RankEntry | None) -> ModelEntry:
    return ModelEntry(label=label, run="r", model=label, rank=1, n=10, u2=Estimate(0.5), parse_rate=1.0,
                      error_rate=0.0, errors_by_kind={}, tasks={}, ranking=ranking)


def test_rows_intervals_and_first_place_shares() -> None:
    models = [
        _model("a", RankEntry("g1", 3, 100, 1, 1, 2, 0.8, 1.2)),
        _model("b", RankEntry("g1", 3, 100, 2, 1, 3, 0.2, 2.0)),
        _model("c", RankEntry("g1", 3, 100, 3, 2, 3, 0.0, 2.8)),
        _model("alone", None),
    ]
    root = ET.fromstring(rank_intervals_svg(models, 0.95))
    bars = [e for e in root.iter(SVG + "line") if e.get("class") == "rank-interval"]
    dots = [e for e in root.iter(SVG + "circle") if e.get("class") == "rank-point"]
    assert len(bars) == len(dots) == 3  # the model without a ranking is left out
    # b's interval (1-3) is wider than a's (1-2); a's dot left of b's
    width = [float(e.get("x2") or 0) - float(e.get("x1") or 0) for e in bars]
    assert width[1] > width[0] and float(dots[0].get("cx") or 0) < float(dots[1].get("cx") or 0)
    shares = ["".join(t.itertext()) for t in root.iter(SVG + "text") if t.get("class") == "p-first"]
    assert shares == ["0.80", "0.20", "0.00"]
    text = ET.tostring(root, encoding="unicode")
    assert "rank (1 = highest U2)" in text and "P(rank = 1)" in text and "100 common cases" in text


def test_no_ranking_says_why() -> None:
    out = rank_intervals_svg([_model("a", None)], 0.95)
    assert out.startswith('<p class="empty"') and "--bootstrap" in out
    assert msgspec.json.encode(RankEntry("g", 2, 5, 1, 1, 2, 0.5, 1.5))  # the entry stays plain data
