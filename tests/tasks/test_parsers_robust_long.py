"""Robust parsing of very long answers reads the start and the end only, and stays fast."""

from __future__ import annotations

from u2fast.tasks.parsers import bounded, parse_cla_robust, parse_cve_robust, parse_seg_robust
from u2fast.types import Case, ImageRef, LabelTarget, SectorTarget, ValueTarget

_IMG = ImageRef(sha256="0" * 64, mime="image/png")


def _case(task: str, ds: str, target: object) -> Case:
    return Case(case_id=f"{task}/{ds}/0", dataset_id=ds, task=task, target=target, image=_IMG)  # type: ignore[arg-type]


def test_bounded_keeps_head_and_tail() -> None:
    text = "A" * 50_000 + "END"
    out = bounded(text)
    assert out.startswith("A" * 100) and out.endswith("END") and len(out) < 20_000
    assert bounded("short") == "short"


def test_ten_megabyte_answers_parse_from_their_conclusion() -> None:
    filler = "The image shows speckle and some structures. " * 230_000  # about 10 MB
    cla = _case("DD", "21", LabelTarget("malignant", ("benign", "malignant")))
    assert parse_cla_robust(filler + "\nFinal answer: malignant", cla).value == "malignant"
    seg = _case("LL", "04", SectorTarget("upper left"))
    assert parse_seg_robust(filler + "\nAnswer: upper left", seg).value == "upper left"
    cve = _case("CVE", "18", ValueTarget(55.0, 10.0, 75.0, "%"))
    assert parse_cve_robust("55\n" + filler, cve).value == 55.0
