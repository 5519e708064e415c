"""The 0.45 / 0.55 sector rule at its edges, through loading, replay and compat scoring.

Normalized boxes put their centre exactly on the band edges; pixel boxes and keypoints do so only
after division by the image's own width and height (non-square images, so swapping them shows).
The expected label is computed on exact fractions: 0.45 belongs to the middle band, 0.55 to the
lower / right band (docs/u2bench.md 5).
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest

from u2fast.data import LoadOptions, load
from u2fast.types import SectorTarget

from .conftest import eval_replay, score_json
from .release_kit import _b64, image_bytes

LOW, HIGH = Fraction(45, 100), Fraction(55, 100)


def exact_sector(cx: Fraction, cy: Fraction) -> str:
    def band(v: Fraction) -> int:
        return 0 if v < LOW else (1 if v < HIGH else 2)

    row, col = band(cy), band(cx)
    return (
        "center"
        if (row, col) == (1, 1)
        else f"{('upper', 'middle', 'lower')[row]} {('left', 'center', 'right')[col]}"
    )


EDGES = ("0", "0.3", "0.4499", "0.45", "0.5", "0.5499", "0.55", "0.8", "1")
NORMALIZED = (
    [(x, y) for x in EDGES for y in ("0.45", "0.55", "0.4499", "0.5499")]
    + [("0.45", y) for y in EDGES]
    + [("0.55", y) for y in EDGES]
)
W, H = 200, 100
#: integer pixel centres (x2 - x1 and y2 - y1 even) whose normalized centres hit or straddle the edges
PIXEL_CENTRES = [
    (90, 45),
    (90, 55),
    (110, 45),
    (110, 55),
    (89, 44),
    (109, 54),
    (100, 50),
    (91, 56),
    (45, 90 // 2),
    (185, 90),
]


def _write(root: Path) -> dict[str, str]:
    """Write LL/04 (normalized), OD/37 (pixel corners) and KD/48 (pixel points); case id -> expected sector."""
    expected: dict[str, str] = {}

    def images(n: int, seed: int) -> list[str]:  # one image per row: see test_known_bugs for shared ones
        return [_b64(image_bytes(W, H, "PNG" if i % 2 else "JPEG", seed + i)) for i in range(n)]

    boxes = [f"{{'lesion': [{x}, {y}, 0.1, 0.1]}}" for x, y in NORMALIZED]
    for i, (x, y) in enumerate(NORMALIZED):
        expected[f"LL/04/{i}"] = exact_sector(Fraction(x), Fraction(y))
    folder = root / "lesion_localisation"
    folder.mkdir(parents=True)
    pd.DataFrame({"img_data": images(len(boxes), 100), "gt_bbox": boxes}).to_csv(folder / "04.tsv", sep="\t")

    boxes = []
    for i, (cx, cy) in enumerate(PIXEL_CENTRES):
        half_w, half_h = min(cx, W - cx, 8), min(cy, H - cy, 6)
        boxes.append(f"{{'thyroid': [{cx - half_w}, {cy - half_h}, {cx + half_w}, {cy + half_h}]}}")
        expected[f"OD/37/{i}"] = exact_sector(Fraction(cx, W), Fraction(cy, H))
    boxes.append(f"{{'thyroid': [{W - 20}, {H - 20}, {W - 1}, {H - 1}]}}")  # only x1,y1,x2,y2 fits this one
    expected[f"OD/37/{len(PIXEL_CENTRES)}"] = exact_sector(
        Fraction(2 * W - 21, 2 * W), Fraction(2 * H - 21, 2 * H)
    )
    folder = root / "organ_detection"
    folder.mkdir()
    pd.DataFrame(
        {
            "img_data": images(len(boxes), 300),
            "gt_bbox": boxes,
            "seg_channel_name": ["['thyroid']"] * len(boxes),
        }
    ).to_csv(folder / "37.tsv", sep="\t")

    points = [f"{{'anterior hinge point of the mitral valve': [{cx}, {cy}]}}" for cx, cy in PIXEL_CENTRES]
    for i, (cx, cy) in enumerate(PIXEL_CENTRES):
        expected[f"KD/48/{i}"] = exact_sector(Fraction(cx, W), Fraction(cy, H))
    folder = root / "keypoint_detection"
    folder.mkdir()
    pd.DataFrame({"img_data": images(len(points), 500), "keypoints": points}).to_csv(
        folder / "48.tsv", sep="\t"
    )
    return expected


def _replay(out: Path, answers: dict[str, str]) -> None:
    family_rows: dict[Path, list[str]] = {}
    for case_id, answer in answers.items():
        _, ds, kit_id = case_id.split("/")
        path = out / "seg" / ds / "m" / "multimodal_test_results_1.jsonl"
        family_rows.setdefault(path, []).append(json.dumps({"id": kit_id, "response": answer}))
    for path, rows in family_rows.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(reversed(rows)) + "\n")


@pytest.fixture(scope="module")
def boundary(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("edges")
    return root, _write(root / "release")


def test_loaded_sectors_follow_the_half_open_bands(boundary: tuple[Path, dict[str, str]]) -> None:
    root, expected = boundary
    result = load(str(root / "release"))
    got = {c.case_id: c.target.sector for c in result.cases if isinstance(c.target, SectorTarget)}
    assert got == expected
    assert result.bbox_format == {"LL/04": "cxcywh-norm", "OD/37": "xyxy-px", "KD/48": "point-px"}
    # the edge cases are really there
    assert expected["LL/04/12"] == "center"  # (0.45, 0.45)
    assert expected["OD/37/0"] == "center" and expected["OD/37/3"] == "lower right"
    assert expected["OD/37/4"] == "upper left" and expected["KD/48/1"] == "lower center"


def test_replayed_answers_score_exactly_at_the_edges(boundary: tuple[Path, dict[str, str]]) -> None:
    root, expected = boundary
    _replay(root / "right", expected)
    # the neighbouring band on the x axis is wrong: a rule off by one tie would score some of these
    swap = {"left": "center", "center": "right", "right": "left"}
    wrong = {}
    for case_id, label in expected.items():
        if label == "center":
            wrong[case_id] = "middle right"
        else:
            row, col = label.split()
            wrong[case_id] = f"{row} {swap[col]}" if f"{row} {swap[col]}" != "middle center" else "center"
    _replay(root / "wrong", wrong)
    run = eval_replay(root / "release", root / "runs", "edges", root / "right", root / "wrong")
    scores = score_json(run, "compat")["models"]
    for key in ("LL/04", "OD/37", "KD/48"):
        assert scores[f"replay:{root / 'right'}"]["datasets"][key]["value"]["value"] == 1.0, key
        assert scores[f"replay:{root / 'wrong'}"]["datasets"][key]["value"]["value"] == 0.0, key


def test_centre_pixel_layout_override_divides_by_image_size(tmp_path: Path) -> None:
    img = _b64(image_bytes(W, H, "JPEG", 5))
    folder = tmp_path / "organ_detection"
    folder.mkdir()
    boxes = [f"{{'thyroid': [{cx}, {cy}, 10, 10]}}" for cx, cy in PIXEL_CENTRES]
    pd.DataFrame({"img_data": [img] * len(boxes), "gt_bbox": boxes}).to_csv(folder / "37.tsv", sep="\t")
    result = load(str(tmp_path), LoadOptions(bbox_format="cxcywh-px"))
    got = [
        c.target.sector
        for c in sorted(result.cases, key=lambda c: int(c.case_id.rsplit("/", 1)[1]))
        if isinstance(c.target, SectorTarget)
    ]
    assert got == [exact_sector(Fraction(cx, W), Fraction(cy, H)) for cx, cy in PIXEL_CENTRES]
    assert result.bbox_format == {"OD/37": "cxcywh-px"}
