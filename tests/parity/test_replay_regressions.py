"""Regressions found by the e2e QA in replay, request keys and compat scoring of the kit's failures.

Each pins a behaviour a user replaying official-kit outputs relies on: cases sharing an image keep
their own answers, a replayed failure is final (never retried), compat scores the kit's failure text
as the kit did (BLEU hypothesis, its own macro-F1 class), and a multi-model folder asks which model.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from u2fast.exit_codes import ExitCode

from .conftest import KitRun, eval_replay, run_cli_err, score_json
from .official_ref import dataset_metrics, u2_from
from .release_kit import FAILURES, _b64, image_bytes


def _kit_rows(out: Path, family: str, dataset: str, rows: list[tuple[str, str]]) -> None:
    path = out / family / dataset / "m" / "multimodal_test_results_1.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps({"id": i, "response": r}, ensure_ascii=False) + "\n" for i, r in rows))


def test_replayed_rows_sharing_an_image_keep_their_own_answers(tmp_path: Path) -> None:
    folder = tmp_path / "release" / "disease_diagnosis"
    folder.mkdir(parents=True)
    image = _b64(image_bytes(40, 30, "PNG", 1))
    pd.DataFrame({"index": [0, 1], "img_data": [image, "0"], "class_label": ["benign", "malignant"]}).to_csv(
        folder / "21.tsv", sep="\t", index=False
    )
    _kit_rows(tmp_path / "out", "cla", "21", [("1", "malignant"), ("0", "benign")])
    run = eval_replay(tmp_path / "release", tmp_path / "runs", "shared", tmp_path / "out")
    scores = score_json(run, "compat")["models"][f"replay:{tmp_path / 'out'}"]
    assert scores["datasets"]["DD/21"]["value"]["value"] == 1.0


def test_a_replayed_kit_failure_is_final(tmp_path: Path) -> None:
    folder = tmp_path / "release" / "disease_diagnosis"
    folder.mkdir(parents=True)
    pd.DataFrame({"img_data": [_b64(image_bytes(40, 30, "PNG", 2))], "class_label": ["benign"]}).to_csv(
        folder / "21.tsv", sep="\t"
    )
    _kit_rows(tmp_path / "out", "cla", "21", [("0", FAILURES[0])])
    run = eval_replay(
        tmp_path / "release", tmp_path / "runs", "fail", tmp_path / "out", extra=("--max-attempts", "2"),
        expect=ExitCode.NOTHING_ANSWERED,
    )
    attempts = [line for line in (run / "journal.jsonl").read_text().splitlines() if line.strip()]
    assert len(attempts) == 1


def test_compat_bleu_scores_the_kit_failure_text(kit: KitRun) -> None:
    reference = dataset_metrics(kit.release.truths, kit.gpt.rows)
    u2, _ = u2_from(reference)
    scores = kit.scores["compat"]["models"][kit.gpt.spec]
    for key in ("RG/39", "CG/10", "CG/44"):
        assert scores["datasets"][key]["value"]["value"] == pytest.approx(
            reference[key]["bleu4"], rel=1e-12
        ), key
    assert scores["u2"]["value"] == pytest.approx(u2, rel=1e-12)


def test_replay_of_a_folder_with_two_models_says_which_models(tmp_path: Path) -> None:
    folder = tmp_path / "release" / "disease_diagnosis"
    folder.mkdir(parents=True)
    pd.DataFrame({"img_data": [_b64(image_bytes(40, 30, "PNG", 3))], "class_label": ["benign"]}).to_csv(
        folder / "21.tsv", sep="\t"
    )
    for model, answer in (("gpt-4o", "benign"), ("claude-3-7", "malignant")):
        path = tmp_path / "out" / "cla" / "21" / model / "multimodal_test_results_1.jsonl"
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps({"id": "0", "response": answer}) + "\n")
    code, _, err = run_cli_err(
        "eval",
        "--data",
        str(tmp_path / "release"),
        "--model",
        f"replay:{tmp_path / 'out'}",
        "--quiet",
        "--bootstrap",
        "0",
        "--runs-dir",
        str(tmp_path / "runs"),
    )
    assert code != 0
    assert "gpt-4o" in err and "claude-3-7" in err


def test_compat_f1_counts_each_failure_text_as_a_class(kit: KitRun) -> None:
    reference = dataset_metrics(kit.release.truths, kit.gpt.rows)
    scores = kit.scores["compat"]["models"][kit.gpt.spec]["datasets"]
    for key, ref in reference.items():
        if "f1" in ref:
            assert scores[key]["extra"]["f1"] == pytest.approx(ref["f1"], rel=1e-12), key
