"""report.cases: the case browser's data stores each prompt and thumbnail once, and an image that
cannot be read becomes a placeholder that the report counts and names."""

from __future__ import annotations

import base64
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from u2fast.report import cases as cases_module
from u2fast.report.cases import browser_data, make_thumbnails, thumbnail_data_url
from u2fast.report.schema import CaseView
from u2fast.runfolder import read_cases
from u2fast.types import Case, ImageRef, LabelTarget


def _view(i: int, prompt: str, image: str) -> CaseView:
    return CaseView(
        label="m" if i % 2 else "n", case_id=f"DD/21/{i}", task="DD", dataset_id="21", anatomy="breast",
        image=image, prompt=prompt, answer=f"answer {i}" if i % 3 else "", prediction="benign" if i % 4 else "",
        truth="benign", outcome="correct", detail="" if i % 5 else "why", truth_geometry=[0.1, 0.2] if i == 3 else [],
        answer_geometry=[],
    )


def _expand(data: dict[str, Any]) -> list[dict[str, Any]]:
    """What the page's script makes of the compact rows (html_assets.py), in Python."""
    short = {"case_id": "id", "anatomy": "an", "answer": "ans", "prediction": "pr", "truth": "tr", "detail": "d",
             "truth_geometry": "truth_geometry", "answer_geometry": "answer_geometry"}
    out = []
    for row in data["cases"]:
        full = {name: row[name] for name in ("label", "task", "dataset_id", "outcome")}
        full.update({name: row.get(key, [] if name.endswith("geometry") else "") for name, key in short.items()})
        full["prompt"] = data["prompts"][row["p"]]
        full["image"] = data["images"][row["im"]] if "im" in row else ""
        out.append(full)
    return out


def test_browser_data_stores_each_prompt_and_thumbnail_once_and_round_trips() -> None:
    prompts = ["Is this lesion benign or malignant? " * 20, "Which view is this? " * 30]
    thumbs = {"a" * 64: "data:image/jpeg;base64,AAAA", "b" * 64: "data:image/jpeg;base64,BBBB"}
    images = ["a" * 64, "b" * 64, "c" * 64]  # the third could not be read: no thumbnail
    views = [_view(i, prompts[i % 2], images[i % 3]) for i in range(30)]
    data = browser_data(views, thumbs)
    assert data["prompts"] == prompts and len(data["images"]) == 2
    encoded = json.dumps(data)
    assert encoded.count("Which view is this?") == 30  # once, not once per case
    for view, row in zip(views, _expand(data), strict=True):
        expected = {f: getattr(view, f) for f in view.__struct_fields__}
        expected["image"] = thumbs.get(view.image, "")
        assert row == expected
    assert len(encoded) < len(json.dumps([{f: getattr(v, f) for f in v.__struct_fields__} for v in views])) / 3


def _png(value: int) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(np.full((40, 60), value, dtype=np.uint8)).save(buf, format="PNG")
    return buf.getvalue()


def _case(i: int, data: bytes, sha: str) -> Case:
    target = LabelTarget(label="benign", options=["benign", "malignant"])
    return Case(f"DD/21/{i}", "21", "DD", target, ImageRef(sha256=sha, mime="image/png", data=data))


def test_thumbnails_are_made_once_per_image_and_failures_name_the_case(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cases_module, "_PARALLEL_FROM", 10)  # the worker-process path, on a few images
    cases = [_case(i, _png(i % 12 * 20), f"{i % 12:064x}") for i in range(36)]
    cases.append(_case(99, b"not an image", "f" * 64))
    thumbs, failed = make_thumbnails(cases)
    assert len(thumbs) == 12 and set(failed) == {"f" * 64}
    assert failed["f" * 64].startswith("DD/21/99: ")
    for case in cases[:12]:
        assert thumbs[case.image.sha256] == thumbnail_data_url(case)  # the same in a worker as here


def test_unreadable_images_are_placeholders_that_the_report_counts(tmp_path: Path) -> None:
    def u2fast(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "u2fast.cli", *args], capture_output=True, text=True)

    data = tmp_path / "data"
    assert u2fast("data", "sample", "--cases", "40", "--out", str(data), "--no-pydicom-data").returncode == 0
    assert u2fast("eval", "--quiet", "--data", str(data), "--runs-dir", str(tmp_path), "--name", "r",
                  "--bootstrap", "0").returncode == 0
    records = read_cases(tmp_path / "r")
    broken = {r.case.image.sha256: r.case for r in records[:3]}
    for case in broken.values():  # overwrite the stored image text in place: its hash no longer matches
        ref = case.image
        assert ref.path is not None and ref.offset is not None and ref.length is not None
        with open(ref.path, "r+b") as fh:
            fh.seek(ref.offset)
            fh.write(b"A" * ref.length)
    html = tmp_path / "r.html"
    report = u2fast("report", str(tmp_path / "r"), "--html", str(html), "--bootstrap", "0", "--max-cases", "0")
    assert report.returncode == 0, report.stderr  # docs/exit-codes.md: the report is still written
    assert f"{len(broken)} image(s) shown as placeholders" in report.stderr
    assert re.search(r"first: (DD|VRA|LL|OD|KD|CVE|RG|CG)/\S+: \w+", report.stderr)
    page = html.read_text(encoding="utf-8")
    assert f'id="image-warning">{len(broken)} image(s) could not be read' in page
    payload = json.loads(re.search(r'id="u2-data">(.*?)</script>', page, re.S).group(1))  # type: ignore[union-attr]
    rows = {row["id"]: row for row in payload["cases"]}
    assert all("im" not in rows[c.case_id] for c in broken.values())
    distinct = {r.case.image.sha256 for r in records}
    assert len(payload["images"]) == len(distinct) - len(broken)


def test_a_large_sixteen_bit_image_gets_a_thumbnail() -> None:
    # Pillow's reduce() (taken for shrink factors of 4 and more) refuses 16-bit images: such frames
    # became placeholders before they were stretched to 8 bits first
    buf = io.BytesIO()
    Image.fromarray(np.tile(np.linspace(0, 60000, 1000), (800, 1)).astype(np.uint16)).save(buf, format="PNG")
    url = thumbnail_data_url(_case(0, buf.getvalue(), "e" * 64))
    assert url is not None and url.startswith("data:image/jpeg;base64,")


def test_few_images_get_readable_thumbnails_many_get_small_ones() -> None:
    from u2fast.report.cases import LARGE_THUMBNAIL_SIDE, LARGE_THUMBNAILS_UP_TO, THUMBNAIL_SIDE, thumbnail_side

    assert thumbnail_side(1) == thumbnail_side(LARGE_THUMBNAILS_UP_TO) == LARGE_THUMBNAIL_SIDE
    assert thumbnail_side(LARGE_THUMBNAILS_UP_TO + 1) == THUMBNAIL_SIDE == 72  # the full benchmark: ~11 MB
    buf = io.BytesIO()
    Image.fromarray(np.full((400, 600), 90, dtype=np.uint8)).save(buf, format="PNG")
    thumbs, failed = make_thumbnails([_case(0, buf.getvalue(), "a" * 64)])
    assert not failed
    shown = Image.open(io.BytesIO(base64.b64decode(thumbs["a" * 64].split(",", 1)[1])))
    assert max(shown.size) == LARGE_THUMBNAIL_SIDE
