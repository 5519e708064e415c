"""Pandas-written release TSVs in the messy real-world forms load into the right cases.

Checked against what an outside reader of each raw cell knows: the case id the kit writes in its
output rows, the target (option, sector from the box centre, value, reference text), the image
type, references to another row's image, the box layout and the rows that must be skipped.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pandas as pd
import pytest

from u2fast.data import LoadOptions, load
from u2fast.data.images import read_image_bytes
from u2fast.errors import RowError
from u2fast.types import Case, LabelTarget, SectorTarget, TextTarget, ValueTarget

from .conftest import KitRun, run_cli
from .release_kit import image_bytes, write_release


@pytest.fixture(scope="module")
def loaded(kit: KitRun) -> dict[str, Case]:
    result = load(str(kit.release.root))
    return {c.case_id: c for c in result.cases}


def _target_value(case: Case) -> object:
    t = case.target
    if isinstance(t, LabelTarget):
        return t.label
    if isinstance(t, SectorTarget):
        return t.sector
    if isinstance(t, ValueTarget):
        return t.value
    assert isinstance(t, TextTarget)
    return t.text


def test_every_case_has_the_kit_id_and_the_right_target(kit: KitRun, loaded: dict[str, Case]) -> None:
    expected = {t.case_id: t for t in kit.release.truths if t.target is not None}
    assert set(loaded) == set(expected)
    wrong = []
    for case_id, truth in expected.items():
        case = loaded[case_id]
        got = _target_value(case)
        want = (
            truth.target.strip()
            if isinstance(truth.target, str) and case.task in ("RG", "CG")
            else truth.target
        )
        if got != want or case.image.mime != truth.mime:
            wrong.append((case_id, want, got, truth.mime, case.image.mime))
    assert wrong == []


def test_sector_targets_carry_the_normalized_centre(kit: KitRun, loaded: dict[str, Case]) -> None:
    for truth in kit.release.truths:
        if truth.family != "seg":
            continue
        target = loaded[truth.case_id].target
        assert isinstance(target, SectorTarget)
        if truth.centre is None:
            assert target.sector == "not visible"
        else:  # pixel boxes of OD/37 divided by each image's own width and height
            assert (target.cx, target.cy) == pytest.approx(truth.centre, abs=1e-12)


def test_first_structure_of_a_list_of_dicts_and_seg_channel_name(loaded: dict[str, Case]) -> None:
    ll = loaded["LL/64/0"]
    assert ll.anatomy is None  # anatomy_location = nan
    od = loaded["OD/37/1"]
    assert isinstance(od.target, SectorTarget) and od.target.structure == "thyroid"
    kd = loaded["KD/48/1"]
    assert isinstance(kd.target, SectorTarget)
    assert kd.target.structure == "anterior hinge point of the mitral valve"


def test_img_data_references_show_the_referenced_rows_image(kit: KitRun, loaded: dict[str, Case]) -> None:
    pairs = [(t.case_id, t.same_image_as) for t in kit.release.truths if t.same_image_as]
    assert len(pairs) == 4  # one of them refers to a row further down the file (VLMEvalKit allows it)
    assert ("DD/21/8", "DD/21/85") in pairs
    for case_id, other in pairs:
        assert other is not None
        assert loaded[case_id].image.sha256 == loaded[other].image.sha256
        assert read_image_bytes(loaded[case_id].image) == read_image_bytes(loaded[other].image)
    distinct = {
        loaded["DD/21/1"].image.sha256,
        loaded["DD/21/8"].image.sha256,
        loaded["DD/21/15"].image.sha256,
    }
    assert len(distinct) == 3


def test_integer_and_dict_labels_name_their_options(loaded: dict[str, Case]) -> None:
    for case in loaded.values():
        if isinstance(case.target, LabelTarget):
            assert case.target.label in case.target.options, case.case_id
    assert all(c.dataset_id == "28_class" for c in loaded.values() if c.case_id.startswith("VRA/28"))
    assert {c.dataset_id for c in loaded.values() if c.task == "DD"} == {
        "21",
        "40",
        "44",
        "57",
        "74is_normal",
    }


def test_data_info_json_counts_layouts_and_skipped_rows(kit: KitRun) -> None:
    code, out = run_cli("data", "info", "--data", str(kit.release.root), "--json")
    assert code == 0
    info = json.loads(out)
    per_scenario: dict[str, int] = {}
    for t in kit.release.truths:
        if t.target is not None:
            per_scenario[f"{t.task}/{t.dataset_id}"] = per_scenario.get(f"{t.task}/{t.dataset_id}", 0) + 1
    assert info["scenarios"] == per_scenario
    for key, layout in kit.release.layouts.items():
        assert info["bbox_format"][key] == layout
    assert info["bbox_format"]["KD/48"] == "point-norm"
    assert info["warnings"] == []
    rows = info["skipped"]["rows"]
    assert [
        (Path(r["file"]).relative_to(kit.release.root).as_posix(), int(r["row"]), r["field"]) for r in rows
    ] == kit.release.bad_rows
    # --strict makes the NaN measurement fatal, naming file, row and field
    code, _ = run_cli("data", "info", "--data", str(kit.release.root), "--strict", "--json")
    assert code != 0


def test_data_info_table_names_scenarios_layouts_and_the_bad_row(kit: KitRun) -> None:
    code, out = run_cli("data", "info", "--data", str(kit.release.root))
    assert code == 0
    assert "OD/37" in out and "xyxy-px" in out and "1 bad rows skipped" in out


def test_eval_manifest_records_layouts_and_skipped_rows(kit: KitRun) -> None:
    manifest = json.loads((kit.run / "manifest.json").read_text())
    assert "OD/37=xyxy-px" in manifest["bbox_format"]
    assert manifest["skipped_rows"] == len(kit.release.bad_rows)
    assert manifest["n_cases"] == sum(t.target is not None for t in kit.release.truths)
    # the run folder's cases are the release's, with the same targets and images
    records = [
        json.loads(line)["case"] for line in (kit.run / "cases.jsonl").read_text().splitlines() if line
    ]
    expected = {t.case_id: t for t in kit.release.truths if t.target is not None}
    assert sorted(r["case_id"] for r in records) == sorted(expected)
    for r in records:
        truth = expected[r["case_id"]]
        if truth.family == "seg":
            assert r["target"]["sector"] == truth.target, r["case_id"]


def test_random_baseline_runs_on_the_release(tmp_path: Path, kit: KitRun) -> None:
    code, out = run_cli(
        "eval",
        "--data",
        str(kit.release.root),
        "--limit",
        "2",
        "--bootstrap",
        "0",
        "--quiet",
        "--json",
        "--runs-dir",
        str(tmp_path),
        "--name",
        "rnd",
    )
    assert code == 0
    scores = json.loads(out)["scores"]
    model = scores["models"]["random:uniform"]
    scenarios = {f"{t.task}/{t.dataset_id}" for t in kit.release.truths}
    assert model["n"] == 2 * len(scenarios)  # --limit is per scenario
    assert 0.0 <= model["u2"]["value"] <= 1.0


def test_images_from_paths_are_typed_by_content_not_extension(tmp_path: Path) -> None:
    folder = tmp_path / "disease_diagnosis"
    (folder / "imgs").mkdir(parents=True)
    (folder / "imgs" / "a.png").write_bytes(image_bytes(30, 20, "JPEG", 1))
    (folder / "imgs" / "b.jpg").write_bytes(image_bytes(30, 20, "PNG", 2))
    rows = [
        {"index": 5, "img_path": "imgs/a.png", "class": "benign"},
        {"index": 6, "img_path": "imgs/b.jpg", "class": "malignant"},
    ]
    (folder / "21.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    cases = {c.case_id: c for c in load(str(tmp_path)).cases}
    assert cases["DD/21/5"].image.mime == "image/jpeg"
    assert cases["DD/21/6"].image.mime == "image/png"
    assert (cases["DD/21/5"].image.width, cases["DD/21/5"].image.height) == (30, 20)


def test_a_reference_to_no_row_is_a_bad_row_naming_the_index(tmp_path: Path) -> None:
    folder = tmp_path / "disease_diagnosis"
    folder.mkdir()
    image = base64.b64encode(image_bytes(30, 20, "PNG", 4)).decode()
    pd.DataFrame({"index": [0, 1], "img_data": ["7", image], "class_label": ["benign", "benign"]}).to_csv(
        folder / "21.tsv", sep="\t", index=False
    )
    result = load(str(tmp_path))
    assert [c.case_id for c in result.cases] == ["DD/21/1"]
    [bad] = result.skipped
    assert (bad.row, bad.field) == (0, "img_data") and "'7'" in bad.reason
    with pytest.raises(RowError, match="row 0: field 'img_data'"):
        load(str(tmp_path), LoadOptions(strict=True))


def test_generator_is_deterministic(tmp_path: Path, kit: KitRun) -> None:
    again = write_release(tmp_path / "again")
    assert [(t.case_id, t.target) for t in again.truths] == [
        (t.case_id, t.target) for t in kit.release.truths
    ]
    assert load(str(tmp_path / "again")).fingerprint == load(str(kit.release.root)).fingerprint


def test_loading_options_filter_tasks_and_datasets(kit: KitRun) -> None:
    result = load(str(kit.release.root), LoadOptions(tasks=("CVE",), datasets=("57",)))
    assert {c.case_id.rsplit("/", 1)[0] for c in result.cases} == {"CVE/57"}
