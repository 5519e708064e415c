"""The release layout: task folders of TSV files with base64 images, column-name variants, lazy images."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from u2fast.data import LoadOptions, describe, load
from u2fast.data.columns import clean_label, normalize_dataset_id
from u2fast.data.images import read_image_bytes
from u2fast.types import LabelTarget, SectorTarget, TextTarget, ValueTarget

from .conftest import b64, make_png, write_table

#: The release's files (folder/file name as the kit spells them) and their rows, ``img_data`` left out.
_RELEASE: dict[str, list[dict[str, object]]] = {
    "disease_diagnosis/40_birads.tsv": [
        {"index": 11, "dataset_name": "40_birads", "class_label": "['4a']", "anatomy_location": "breast"},
        {"index": 12, "dataset_name": "40_birads", "class_label": "['5']"},
    ],
    # no index or dataset_name: row number and file stem
    "disease_diagnosis/28_1.Knee_Grading.tsv": [{"classes": "moderate oa"}],
    "view_recognition_and_assessment/3_FETAL_Planes_US.tsv": [{"class": "Fetal brain"}],
    "view_recognition_and_assessment/anatomy.tsv": [{"class_label": "{'Anatomy': 'liver'}"}],
    "view_recognition_and_assessment/28.Knee_Classification.tsv": [{"class_label": "left lateral longitudinal"}],
    "lesion_localisation/04.tsv": [
        {"gt_bbox": "{'lesion': [0.2, 0.7, 0.1, 0.1]}", "anatomy_location": "thyroid"},
        {"gt_bbox": ""},
    ],
    "organ_detection/09.tsv": [{"gt_bbox": "[{'cortex_R1': [0.5, 0.5, 0.2, 0.2]}]", "seg_channel_name": "['cortex_R1']"}],
    "keypoint_detection/48.tsv": [
        {"keypoints": "{'top point of the interventricular septum': [0.9, 0.1]}", "hint": "apical four-chamber view"}
    ],
    "clinical_value_estimation/27.tsv": [{"measurement": "{'IMT': [0.7, 0.9]}"}],
    "clinical_value_estimation/18_1.Ultrasound_Heart_Segmentation_Dataset.tsv": [
        {"measurement": "{'EF': 61.5, 'ESV': 40}"}
    ],
    "report_generation/39_translated.tsv": [
        {"gt_report": 'Liver normal.\nNo "focal" lesion.', "anatomy_location": "Liver"}
    ],
    "caption_generation/10.tsv": [{"caption": "AC plane."}],
}


def _release(root: Path, image: str) -> Path:
    for name, rows in _RELEASE.items():
        write_table(root / name, [{"img_data": image, **row} for row in rows])
    (root / "an_explanation_of_the_columns.tsv").write_text("column\tmeaning\nimg_data\tbase64\n")
    return root


def test_release_layout_reads_every_task_with_naming_variants(tmp_path: Path, image_b64: str) -> None:
    result = load(str(_release(tmp_path, image_b64)), LoadOptions(strict=True))
    by_id = {c.case_id: c for c in result.cases}
    assert len(by_id) == len(result.cases) == 14
    assert by_id["DD/40/11"].target == LabelTarget("4A", ("2", "3", "4A", "4B", "4C", "5"))
    assert by_id["DD/40/11"].anatomy == "breast"
    assert by_id["DD/40/12"].anatomy is None
    assert isinstance(by_id["DD/28/0"].target, LabelTarget) and by_id["DD/28/0"].target.label == "Moderate OA"
    assert by_id["VRA/03/0"].target.label == "fetal brain"  # type: ignore[union-attr]
    assert by_id["VRA/anatomy/0"].target.label == "liver"  # type: ignore[union-attr]
    assert by_id["VRA/28_class/0"].target.label == "left lateral longitudinal"  # type: ignore[union-attr]
    assert by_id["LL/04/0"].target == SectorTarget("lower left", None, 0.2, 0.7)
    assert by_id["LL/04/1"].target == SectorTarget("not visible")  # missing box: not visible, not a bad row
    assert by_id["OD/09/0"].target == SectorTarget("center", "cortex_R1", 0.5, 0.5)
    kd = by_id["KD/48/0"]
    assert kd.target == SectorTarget("upper right", "top point of the interventricular septum", 0.9, 0.1)
    assert kd.hint == "apical four-chamber view"
    assert by_id["CVE/27/0"].target == ValueTarget(0.7, 0.3, 1.5, "mm")
    assert by_id["CVE/18/0"].target == ValueTarget(61.5, 10.0, 75.0, "%")
    assert by_id["RG/39/0"].target == TextTarget('Liver normal.\nNo "focal" lesion.')
    assert by_id["CG/10/0"].target == TextTarget("AC plane.")
    assert result.skipped == []
    assert result.bbox_format == {"LL/04": "cxcywh-norm", "OD/09": "cxcywh-norm", "KD/48": "point-norm"}
    info = describe(result)
    assert info["cases"] == 14 and info["tasks"]["DD"] == 3 and info["scenarios"]["VRA/anatomy"] == 1
    assert "DD/21" in info["missing_scenarios"]


def test_tsv_images_stay_in_the_file(tmp_path: Path) -> None:
    png = make_png(33, 21)
    write_table(tmp_path / "disease_diagnosis" / "21.tsv", [{"img_data": b64(png), "class_label": "benign"}])
    case = load(str(tmp_path)).cases[0]
    ref = case.image
    assert ref.data is None and ref.base64 and ref.path is not None
    assert (ref.mime, ref.width, ref.height) == ("image/png", 33, 21)
    raw = Path(ref.path).read_bytes()[ref.offset : ref.offset + ref.length]
    assert base64.b64decode(raw) == png
    assert read_image_bytes(ref) == png
    import hashlib

    assert ref.sha256 == hashlib.sha256(png).hexdigest()


def test_short_img_data_refers_to_another_rows_image(tmp_path: Path, image_b64: str) -> None:
    write_table(
        tmp_path / "disease_diagnosis" / "21.tsv",
        [
            {"index": 5, "img_data": image_b64, "class_label": "benign"},
            {"index": 6, "img_data": "5", "class_label": "malignant"},
        ],
    )
    cases = load(str(tmp_path), LoadOptions(strict=True)).cases
    assert cases[1].image == cases[0].image


def test_filters_and_per_scenario_limit(tmp_path: Path, image_b64: str) -> None:
    root = _release(tmp_path, image_b64)
    only_dd = load(str(root), LoadOptions(tasks=("DD",)))
    assert {c.task for c in only_dd.cases} == {"DD"}
    limited = load(str(root), LoadOptions(limit=1))
    assert sum(c.scenario == "DD/40" for c in limited.cases) == 1
    by_key = load(str(root), LoadOptions(datasets=("LL/04", "27")))
    assert {c.scenario for c in by_key.cases} == {"LL/04", "CVE/27"}


def test_fingerprint_ignores_file_layout_but_not_content(tmp_path: Path, image_b64: str) -> None:
    rows = [
        {"img_data": image_b64, "class_label": "benign"},
        {"img_data": image_b64, "class_label": "malignant"},
    ]
    write_table(tmp_path / "a" / "disease_diagnosis" / "21.tsv", rows, ["class_label", "img_data"])
    write_table(tmp_path / "b" / "disease_diagnosis" / "21.Breast.tsv", rows, ["img_data", "class_label"])
    rows[1]["class_label"] = "benign"
    write_table(tmp_path / "c" / "disease_diagnosis" / "21.tsv", rows)
    a, b, c = (load(str(tmp_path / x)).fingerprint for x in "abc")
    assert a == b and a != c and len(a) == 64


@pytest.mark.parametrize(
    ("name", "task", "expected"),
    [
        ("3_FETAL_Planes_US", "VRA", "03"),
        ("18_1.Ultrasound_Heart_Segmentation_Dataset", "CVE", "18"),
        ("39_translated", "RG", "39"),
        ("74_is_normal", "DD", "74is_normal"),
        ("74_is_visible", "VRA", "74is_visible"),
        ("28.Knee_Classification", "VRA", "28_class"),
        ("28_1.Knee_Grading", "DD", "28"),
        ("28", "VRA", "28_class"),
        ("64.BrEaST-Lesions_USG", "LL", "64"),
        ("anatomy", "VRA", "anatomy"),
        ("FETAL_PLANES", "VRA", None),
    ],
)
def test_dataset_id_normalization(name: str, task: str, expected: str | None) -> None:
    assert normalize_dataset_id(name, task) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("['4A']", "4A"),
        ("{'Anatomy': 'liver'}", "liver"),
        (1.0, "1"),
        ("1.0", "1"),
        (" benign ", "benign"),
        (["3"], "3"),
        ("None", "None"),
    ],
)
def test_clean_label(raw: object, expected: str) -> None:
    assert clean_label(raw) == expected


def test_named_sample_source_is_registered() -> None:
    result = load("sample")
    assert len(result.cases) >= 200 and not result.skipped
    assert result.description.startswith("bundled sample")


def test_quoted_cells_crlf_and_bom(tmp_path: Path) -> None:
    import csv

    png = make_png(9, 7)
    path = tmp_path / "caption_generation" / "44.tsv"
    path.parent.mkdir()
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t", lineterminator="\r\n", quoting=csv.QUOTE_ALL)
        writer.writerow(["index", "img_data", "caption"])
        writer.writerow(["0", b64(png), 'B-lines\t"many"\r\nbelow the pleura'])
        writer.writerow(["1", b64(png), "A-lines"])
    result = load(str(tmp_path), LoadOptions(strict=True))
    first, second = result.cases
    assert first.target == TextTarget('B-lines\t"many"\r\nbelow the pleura')
    assert second.target == TextTarget("A-lines") and second.case_id == "CG/44/1"
    assert read_image_bytes(first.image) == png == read_image_bytes(second.image)


def test_od_structure_is_the_scored_one(tmp_path: Path, image_b64: str) -> None:
    write_table(
        tmp_path / "organ_detection" / "37.tsv",
        [
            {
                "img_data": image_b64,
                "seg_channel_name": "['thyroid_left', 'thyroid_right']",
                "gt_bbox": "{'thyroid_right': [0.7, 0.5, 0.2, 0.3], 'thyroid_left': [0.3, 0.5, 0.2, 0.3]}",
            },
            {
                "img_data": image_b64,
                "seg_channel_name": "['thyroid']",
                "gt_bbox": "{'0': [0.3, 0.5, 0.2, 0.3]}",
            },
            {"img_data": image_b64, "gt_bbox": "nan"},
        ],
    )
    first, second, third = load(str(tmp_path), LoadOptions(strict=True)).cases
    assert first.target == SectorTarget("middle right", "thyroid_right", 0.7, 0.5)
    assert second.target == SectorTarget("middle left", "thyroid", 0.3, 0.5)
    assert third.target == SectorTarget("not visible", "thyroid")
