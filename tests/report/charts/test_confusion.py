"""The confusion heat map: one cell per (truth, answer) pair plus the unparsed column, counts in the
cells, both axes named, and large label sets drawn with smaller cells."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from u2fast.report.charts import confusion_svg
from u2fast.scoring.clinical import UNPARSED_COLUMN, classification_summary

NS = {"s": "http://www.w3.org/2000/svg"}


def _texts(root: ET.Element, cls: str) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")
            if cls in (t.get("class") or "").split()]


def test_cells_counts_and_axes() -> None:
    s = classification_summary(["a", "a", "b", "c", "c"], ["a", None, "b", "a", "c"], ["a", "b", "c"])
    root = ET.fromstring(confusion_svg(s, "DD/1 · model <x>"))  # well-formed XML, the title escaped
    cells = root.findall(".//s:rect", NS)
    assert len(cells) == 3 * 4  # 3 truths x (3 labels + unparsed)
    assert [c.get("class") for c in cells[:4]] == ["cell diag", "cell off zero", "cell off zero", "cell unparsed"]
    assert _texts(root, "cval") == ["1", "0", "0", "1", "0", "1", "0", "0", "1", "0", "1", "0"]
    assert _texts(root, "row") == ["aa", "bb", "cc"]  # tooltip (full name) and the name shown
    cols = _texts(root, "col")
    assert len(cols) == 4 and cols[-1].endswith(UNPARSED_COLUMN[-5:])  # names shortened, full in the tooltip
    titles = _texts(root, "axis-title")
    assert any("predicted" in t for t in titles) and "truth" in titles
    assert "DD/1 · model <x>" in "".join(_texts(root, "ptitle"))
    assert "truth a → unparsed/refused: 1 (50% of the row)" in ET.tostring(root, encoding="unicode")
    # cells sit in their row's group: the second row's group is one cell lower than the first's
    rows = [g.get("transform") for g in root.findall("s:g", NS)]
    assert len(rows) == 3 and rows[0] != rows[1]


def test_large_label_sets_get_smaller_cells() -> None:
    labels = [f"class {i}" for i in range(20)]
    s = classification_summary(labels, labels, labels)
    root = ET.fromstring(confusion_svg(s, "VRA/28_class"))
    cells = root.findall(".//s:rect", NS)
    assert len(cells) == 20 * 21
    small = float(cells[0].get("width") or 0)
    few = ET.fromstring(confusion_svg(classification_summary(["x"], ["x"], ["x", "y"]), "t"))
    assert small < float(few.findall(".//s:rect", NS)[0].get("width") or 0)
    assert float(root.get("width") or 0) > 20 * small  # drawn at full size: the report's box scrolls
