"""The Bland–Altman plot: one point per pair at (mean, difference), the bias and both limits of
agreement as lines with their intervals as bands, axes in native units."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from u2fast.report.charts import bland_altman_svg
from u2fast.scoring.clinical import measurement_summary

SVG = "{http://www.w3.org/2000/svg}"


def _by_class(root: ET.Element, tag: str, cls: str) -> list[ET.Element]:
    return [e for e in root.iter(SVG + tag) if cls in (e.get("class") or "").split()]


@pytest.fixture
def pairs() -> list[tuple[float, float]]:
    return [(55.0, 60.0), (40.0, 38.0), (62.0, 65.0), (30.0, 35.0), (50.0, 49.0)]


def test_points_lines_bands_and_unit_axes(pairs: list[tuple[float, float]]) -> None:
    s = measurement_summary([e for e, _ in pairs], [t for _, t in pairs], unit="%", tolerance=None, tolerance_source="")
    root = ET.fromstring(bland_altman_svg(pairs, s, "CVE/18 ejection fraction · m"))
    points = _by_class(root, "circle", "pt")
    assert len(points) == len(pairs)
    assert "difference -5" in "".join(points[0].itertext())
    assert len(_by_class(root, "line", "bias-line")) == 1 and len(_by_class(root, "line", "loa-line")) == 2
    assert len(_by_class(root, "rect", "band")) == 3  # bias, lower and upper limit intervals
    labels = ["".join(t.itertext()) for t in _by_class(root, "text", "line-label")]
    assert labels[0] == f"bias {s.bland_altman_bias.value:.2f}" and labels[1].startswith("upper LoA")
    titles = ["".join(t.itertext()) for t in _by_class(root, "text", "axis-title")]
    assert titles == ["mean of estimate and truth (%)", "estimate − truth (percentage points)"]
    # the bias line sits between the lower and upper limit lines (SVG y grows downwards)
    ys = [float(e.get("y1") or 0) for e in _by_class(root, "line", "bias-line") + _by_class(root, "line", "loa-line")]
    assert ys[1] < ys[0] < ys[2]


def test_one_pair_has_no_limits_and_no_pairs_no_chart() -> None:
    s = measurement_summary([5.0], [4.0], unit="mm", tolerance=None, tolerance_source="")
    root = ET.fromstring(bland_altman_svg([(5.0, 4.0)], s, "CVE/27"))
    assert len(_by_class(root, "circle", "pt")) == 1 and _by_class(root, "line", "loa-line") == []
    assert "estimate − truth (mm)" in ET.tostring(root, encoding="unicode")
    empty = measurement_summary([], [], unit="mm", tolerance=None, tolerance_source="")
    assert bland_altman_svg([], empty, "CVE/27").startswith('<p class="empty">')
