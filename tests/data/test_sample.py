"""The bundled sample and its generator: all 50 scenarios, exact ground truth, determinism, small files."""

from __future__ import annotations

import io
import math
import re
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from u2fast.data import LoadOptions, load, write_sample
from u2fast.data.builtin import load_sample
from u2fast.data.images import read_image_bytes
from u2fast.data.phantom import fov_mask
from u2fast.data.phantom_cases import box_of_mask, make_case
from u2fast.data.sample import SAMPLE_CASES, SAMPLE_DIR, allocate
from u2fast.errors import ConfigError
from u2fast.types import LabelTarget, SectorTarget, ValueTarget
from u2fast.u2bench.scenarios import SCENARIOS, scenario
from u2fast.u2bench.sectors import sector_of_point


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def bundled() -> list:  # type: ignore[type-arg]
    result = load_sample(LoadOptions(strict=True))
    return result.cases


def test_bundled_sample_covers_all_50_scenarios(bundled: list) -> None:  # type: ignore[type-arg]
    present = {c.scenario for c in bundled}
    assert present == {s.key for s in SCENARIOS}
    assert len(bundled) == SAMPLE_CASES
    sectors = {c.target.sector for c in bundled if isinstance(c.target, SectorTarget)}
    assert "not visible" in sectors and len(sectors) >= 8


def _decoded(root: Path) -> list[tuple[str, str, object]]:
    """Every cell of every file, images as decoded pixels: equal whatever deflate library wrote them."""
    from u2fast.data import load as load_data

    return [
        (
            c.case_id,
            msgspec_json(c.target),
            np.asarray(Image.open(io.BytesIO(read_image_bytes(c.image)))).tobytes(),
        )
        for c in load_data(str(root), LoadOptions(strict=True)).cases
    ]


def msgspec_json(value: object) -> str:
    import msgspec

    return msgspec.json.encode(value).decode()


def test_committed_sample_is_the_generators_output(tmp_path: Path) -> None:
    summary = write_sample(tmp_path, SAMPLE_CASES, seed=0, include_pydicom_data=False)
    assert summary["cases"] == SAMPLE_CASES
    if "ng" in zlib.ZLIB_RUNTIME_VERSION:
        # zlib-ng deflates differently from classic zlib (which wrote the committed files): compare content.
        assert _decoded(tmp_path) == _decoded(SAMPLE_DIR)
    else:
        assert _files(tmp_path) == _files(SAMPLE_DIR)


def test_committed_sample_is_small() -> None:
    total = sum(len(b) for b in _files(SAMPLE_DIR).values())
    assert total < 4_000_000, total


def test_generator_is_deterministic_and_seeded(tmp_path: Path) -> None:
    write_sample(tmp_path / "a", 60, seed=3, include_pydicom_data=False)
    write_sample(tmp_path / "b", 60, seed=3, include_pydicom_data=False)
    write_sample(tmp_path / "c", 60, seed=4, include_pydicom_data=False)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert _files(tmp_path / "a") != _files(tmp_path / "c")


def test_generator_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(ConfigError, match="not empty"):
        write_sample(tmp_path, 50)
    assert (tmp_path / "keep.txt").read_text() == "mine"


@pytest.mark.parametrize("cases", [0, 20, 50, 200, 7241])
def test_allocation_spreads_over_all_scenarios(cases: int) -> None:
    counts = allocate(cases)
    assert sum(counts.values()) == cases
    if cases >= 50:
        assert min(counts.values()) >= min(4, cases // 50)
    if cases == 7241:
        assert counts["OD/37"] > counts["OD/09"] > 4  # the release's shape: 563 vs 100 official cases


def test_real_heart_frame_labelled_from_its_header(bundled: list) -> None:  # type: ignore[type-arg]
    real = [c for c in bundled if c.scenario == "VRA/anatomy" and c.image.mime == "image/jpeg"]
    assert len(real) == 1
    assert real[0].target == LabelTarget("heart", scenario("VRA", "anatomy").options)  # type: ignore[union-attr]
    with Image.open(io.BytesIO(read_image_bytes(real[0].image))) as im:
        assert im.size == (320, 240)


def _gray(case) -> np.ndarray:  # type: ignore[no-untyped-def,type-arg]
    with Image.open(io.BytesIO(read_image_bytes(case.image))) as im:
        return np.asarray(im.convert("L"), dtype=np.float64)


def test_phantom_lesion_is_drawn_where_its_sector_says(bundled: list) -> None:  # type: ignore[type-arg]
    checked = 0
    for case in bundled:
        if case.task != "LL" or case.target.sector == "not visible":
            continue
        sc = scenario(case.task, case.dataset_id)
        number = int(case.case_id.rsplit("/", 1)[1])
        phantom = make_case(sc, number, seed=0)  # type: ignore[arg-type]
        assert np.array_equal(_gray(case), phantom.pixels)  # the stored picture is the rendered one
        mask = phantom.masks[0]
        cx, cy, _, _ = box_of_mask(mask)
        assert (case.target.cx, case.target.cy) == (cx, cy)
        assert sector_of_point(cx, cy) == case.target.sector
        # The lesion is darker than the tissue around it: it is really drawn there.
        ring = np.zeros_like(mask)
        rows, cols = np.nonzero(mask)
        ring[max(0, rows.min() - 6) : rows.max() + 7, max(0, cols.min() - 6) : cols.max() + 7] = True
        ring &= ~mask & fov_mask(mask.shape[0])
        assert phantom.pixels[mask].mean() < 0.7 * phantom.pixels[ring].mean()
        checked += 1
    assert checked >= 10


def test_phantom_keypoint_is_the_bright_spot(bundled: list) -> None:  # type: ignore[type-arg]
    for case in bundled:
        if case.task != "KD" or case.target.sector == "not visible":
            continue
        pixels = _gray(case)
        size = pixels.shape[0]
        x, y = int(case.target.cx * size), int(case.target.cy * size)
        spot = pixels[max(0, y - 2) : y + 3, max(0, x - 2) : x + 3].mean()
        assert spot > 2 * pixels[fov_mask(size)].mean()
        assert case.target.structure and case.target.structure != "heart valve location"


def test_phantom_measurements_follow_the_stated_pixel_spacing(bundled: list) -> None:  # type: ignore[type-arg]
    for case in bundled:
        if case.scenario != "CVE/27":
            continue
        assert isinstance(case.target, ValueTarget)
        spacing = float(re.search(r"Pixel spacing ([0-9.]+) mm", case.hint or "").group(1))  # type: ignore[union-attr]
        pixels = _gray(case)
        # The generator puts the lumen's lower edge at one third of the height; the intima-media band
        # (a whole number of pixels thick) starts there and is much brighter than the lumen above it.
        column = pixels[:, pixels.shape[1] // 2 - 8 : pixels.shape[1] // 2 + 8].mean(axis=1)
        lumen_end = pixels.shape[0] // 3
        thickness_px = round(case.target.value / spacing)
        assert math.isclose(thickness_px * spacing, case.target.value, abs_tol=1e-9)
        assert (
            3 * column[lumen_end - 6 : lumen_end].mean() < column[lumen_end : lumen_end + thickness_px].mean()
        )


def test_sample_scales_and_loads_through_the_same_path(tmp_path: Path) -> None:
    summary = write_sample(tmp_path, 120, seed=1, size=96, include_pydicom_data=False)
    result = load(str(tmp_path), LoadOptions(strict=True))
    assert len(result.cases) == summary["cases"] == 120
    assert {c.scenario for c in result.cases} == {s.key for s in SCENARIOS}
    assert all(c.image.width == 96 for c in result.cases if c.image.mime == "image/png")


def _outline_ratio(mask: np.ndarray) -> float:  # type: ignore[type-arg]
    """Boundary pixels per sqrt(area): about 3.5 for a disc, larger for a spiculated outline."""
    inner = mask[1:-1, 1:-1] & mask[:-2, 1:-1] & mask[2:, 1:-1] & mask[1:-1, :-2] & mask[1:-1, 2:]
    boundary = mask[1:-1, 1:-1] & ~inner
    return float(boundary.sum() / math.sqrt(mask.sum()))


def test_phantom_diagnosis_follows_lesion_shape_and_margin() -> None:
    sc = scenario("DD", "21")
    assert sc is not None
    benign = [make_case(sc, k) for k in range(0, 12, 2)]
    malignant = [make_case(sc, k) for k in range(1, 12, 2)]
    assert all(c.cells["class_label"] == "benign" for c in benign)
    assert all(c.cells["class_label"] == "malignant" for c in malignant)
    assert max(_outline_ratio(c.masks[0]) for c in benign) < min(
        _outline_ratio(c.masks[0]) for c in malignant
    )
    normal = scenario("DD", "70")
    assert normal is not None
    assert make_case(normal, 0).cells["class_label"] == "normal thyroid" and make_case(normal, 0).masks == []


def test_worker_processes_write_the_same_bytes_as_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from u2fast.data import sample

    seen: list[tuple[int, int]] = []
    monkeypatch.setattr(sample, "_PARALLEL_FROM", 1)
    write_sample(tmp_path / "parallel", 300, seed=3, progress=lambda done, total: seen.append((done, total)))
    monkeypatch.setattr(sample, "_PARALLEL_FROM", 10**9)
    write_sample(tmp_path / "serial", 300, seed=3)
    assert _files(tmp_path / "parallel") == _files(tmp_path / "serial")
    assert seen[-1] == (300, 300)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


@pytest.mark.parametrize(
    "cell", ["plain", "", "tab\there", 'say "hi"', "two\nlines", "{'a': [1, 2]}", " lead", "x,y"]
)
def test_tsv_cells_are_quoted_as_csv_quote_minimal(cell: str) -> None:
    import csv

    from u2fast.data.sample import _tsv_text

    rows = [{"index": "0", "report": cell, "notes": "n"}]
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(["index", "report", "notes"])
    writer.writerow(["0", cell, "n"])
    assert _tsv_text(rows) == out.getvalue()
