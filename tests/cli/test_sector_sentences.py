"""``u2fast eval --mode robust`` reads a sector named inside a sentence as that sector (issue 9, item 13)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from u2fast.data import load
from u2fast.types import SectorTarget

_SENTENCE = {
    "not visible": "The structure is not visible in this image.",
    "center": "The structure is located in the middle of the image.",
}


def test_sentences_naming_a_sector_score_as_that_sector(tmp_path: Path) -> None:
    rows = []
    for case in load("sample").cases:
        if isinstance(case.target, SectorTarget):
            sector = case.target.sector
            text = _SENTENCE.get(sector, f"The structure is located in the {sector} region of the image.")
            rows.append(json.dumps({"case_id": case.case_id, "text": text}))
    answers = tmp_path / "sentences.jsonl"
    answers.write_text("\n".join(rows) + "\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "u2fast.cli", "eval", "--quiet", "--json", "--runs-dir", str(tmp_path),
         "--name", "s", "--model", f"replay:{answers}", "--tasks", "LL,OD,KD", "--mode", "robust",
         "--bootstrap", "0"],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    model = next(iter(json.loads(proc.stdout)["scores"]["models"].values()))
    for task in ("LL", "OD", "KD"):
        assert model["tasks"][task]["value"]["value"] == pytest.approx(1.0), task
