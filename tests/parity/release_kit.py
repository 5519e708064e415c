"""A generator of release-format U2-Bench data unlike our own sample, plus official-kit output rows.

The TSVs are written by pandas (``DataFrame.to_csv(sep="\\t")`` with its own quoting, the default
unnamed index column included where the release would have one), in the messy forms docs/u2bench.md
sections 2 and 5 describe: list-string labels, integer labels, anatomy dicts, single-quoted dict
boxes and lists of dicts, pixel boxes, NaN boxes, keypoint dicts, measurement dicts, reports under
``gt_report``, descriptive file stems, JPEG and PNG images, and ``img_data`` short references to
another row's index.

Every case carries what a careful reader of the raw cell knows the target is (``Truth``), and the
answer rows carry the forms a real model and the kit's API scripts produce (stray whitespace, case,
"1.", API failure strings, missing rows). Nothing here imports u2fast: it is the outside view.
"""

from __future__ import annotations

import base64
import io
import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from PIL import Image

__all__ = ["Release", "Truth", "image_bytes", "sector_of", "write_kit_outputs", "write_release"]

#: The kit's words for the three bands down and across an image.
_ROWS, _COLS = ("upper", "middle", "lower"), ("left", "center", "right")
FAILURES = ("API调用失败: 500", "多次API调用尝试失败", "调用API时发生错误: timeout")
#: The release folder of each task's tables.
_FOLDERS = {
    "DD": "disease_diagnosis",
    "VRA": "view_recognition_and_assessment",
    "LL": "lesion_localisation",
    "OD": "organ_detection",
    "KD": "keypoint_detection",
    "CVE": "clinical_value_estimation",
    "RG": "report_generation",
    "CG": "caption_generation",
}


def sector_of(cx: float, cy: float) -> str:
    """docs/u2bench.md 5, written independently: half-open bands [0, .45) [.45, .55) [.55, ...)."""

    def band(v: float) -> int:
        return 0 if v < 0.45 else (1 if v < 0.55 else 2)

    return _sector_name(band(cy), band(cx))


def _sector_name(row: int, col: int) -> str:
    return "center" if (row, col) == (1, 1) else f"{_ROWS[row]} {_COLS[col]}"


#: The ten answers of a sector question, in the kit's order: the nine bands row by row, then "not visible".
SECTORS = (*(_sector_name(row, col) for row in range(3) for col in range(3)), "not visible")


def image_bytes(width: int, height: int, fmt: str, seed: int) -> bytes:
    """A small smooth image (compresses well) in PNG or JPEG."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width]
    pixels = ((x * 3 + y * 2 + int(rng.integers(0, 200))) % 256).astype(np.uint8)
    pixels[:4, :4] = rng.integers(0, 256, (4, 4), dtype=np.uint8)  # unique per seed: no accidental twins
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, format=fmt, **({"quality": 80} if fmt == "JPEG" else {}))
    return out.getvalue()


@dataclass
class Truth:
    """One case as an outside reader of the release sees it."""

    task: str
    dataset_id: str
    #: The id the kit writes in its output rows: ``str(index)`` or the row number.
    kit_id: str
    #: Family and dataset folder of the kit's output layout.
    family: str
    out_dataset: str
    #: The cell the kit scores against, as pandas parses it (str, int, ...).
    kit_gt: Any
    #: What the target is: option text, sector label, value (None: the kit skips the row), reference.
    target: Any
    #: Normalized centre for sector cases (None when not visible).
    centre: tuple[float, float] | None = None
    mime: str = "image/png"
    #: Case id of the row whose image this row references (``img_data`` holding that row's index).
    same_image_as: str | None = None

    @property
    def case_id(self) -> str:
        return f"{self.task}/{self.dataset_id}/{self.kit_id}"


@dataclass
class Release:
    root: Path
    truths: list[Truth] = field(default_factory=list)
    #: (task, dataset) -> expected box layout name reported by the loader
    layouts: dict[str, str] = field(default_factory=dict)
    #: (relative table path, row) of rows the loader must skip, with the field it must name
    bad_rows: list[tuple[str, int, str]] = field(default_factory=list)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _write(df: pd.DataFrame, path: Path, *, pandas_index: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, sep="\t", index=pandas_index)


class _Builder:
    def __init__(self, root: Path, seed: int) -> None:
        self.release = Release(root)
        self.rng = random.Random(seed)
        self.image_seed = seed * 1000

    def image(self, w: int = 48, h: int = 36) -> tuple[str, str]:
        self.image_seed += 1
        fmt = "JPEG" if self.image_seed % 3 == 0 else "PNG"
        return _b64(image_bytes(w, h, fmt, self.image_seed)), f"image/{fmt.lower()}"

    def table(
        self,
        task: str,
        stem: str,
        index: list[int] | None,
        images: list[str],
        columns: dict[str, list[Any]],
        *,
        pandas_index: bool,
    ) -> Path:
        """Write one TSV of the task's folder: an ``index`` column when given, ``img_data``, then ``columns``."""
        data: dict[str, list[Any]] = {} if index is None else {"index": index}
        data.update({"img_data": images, **columns})
        path = self.release.root / _FOLDERS[task] / f"{stem}.tsv"
        _write(pd.DataFrame(data), path, pandas_index=pandas_index)
        return path

    # ------------------------------------------------------------------ cla

    def cla(
        self,
        stem: str,
        task: str,
        ds: str,
        column: str,
        choices: Sequence[Any],
        n: int,
        *,
        cell: Callable[[Any], Any] = lambda choice: choice,
        index: list[int] | None = None,
        pandas_index: bool = False,
        extra: dict[str, list[Any]] | None = None,
        refs: dict[int, int] | None = None,
    ) -> None:
        """``n`` rows, each a draw from ``choices``: ``str(choice)`` the option meant, ``cell(choice)``
        what the TSV holds. ``refs``: row -> row it points at."""
        drawn = [self.rng.choice(choices) for _ in range(n)]
        labels, cells = [str(x) for x in drawn], [cell(x) for x in drawn]
        ids = index if index is not None else list(range(n))
        images, mimes = zip(*(self.image() for _ in range(n)))
        images, mimes = list(images), list(mimes)
        for row, target_row in (refs or {}).items():
            images[row] = str(ids[target_row])
            mimes[row] = mimes[target_row]
        path = self.table(task, stem, index, images, {column: cells, **(extra or {})}, pandas_index=pandas_index)
        parsed = pd.read_csv(path, sep="\t")
        for i in range(n):
            target_row = (refs or {}).get(i)
            same = None if target_row is None else f"{task}/{ds}/{ids[target_row]}"
            self.release.truths.append(
                Truth(
                    task,
                    ds,
                    str(ids[i]),
                    "cla",
                    ds,
                    parsed[column][i],
                    labels[i],
                    mime=mimes[i],
                    same_image_as=same,
                )
            )

    # ------------------------------------------------------------------ seg

    def seg(
        self,
        stem: str,
        task: str,
        ds: str,
        column: str,
        cells: list[Any],
        centres: list[tuple[float, float] | None],
        sizes: list[tuple[int, int]] | None = None,
        extra: dict[str, list[Any]] | None = None,
        index: list[int] | None = None,
    ) -> None:
        """``sizes``: each image's (width, height), the builder's default size when not given."""
        n = len(cells)
        ids = index if index is not None else list(range(n))
        imgs = [self.image() for _ in range(n)] if sizes is None else [self.image(w, h) for w, h in sizes]
        columns = {column: cells, **(extra or {})}
        self.table(task, stem, index, [b for b, _ in imgs], columns, pandas_index=index is None)
        for i in range(n):
            c = centres[i]
            target = "not visible" if c is None else sector_of(*c)
            self.release.truths.append(
                Truth(task, ds, str(ids[i]), "seg", ds, cells[i], target, c, mime=imgs[i][1])
            )

    # ------------------------------------------------------------------ CVE and text

    def cve(self, stem: str, ds: str, cells: list[Any], values: list[float | None]) -> None:
        n = len(cells)
        imgs = [self.image() for _ in range(n)]
        columns = {"measurement": cells, "anatomy_location": ["heart"] * n}
        self.table("CVE", stem, None, [b for b, _ in imgs], columns, pandas_index=True)
        for i in range(n):
            self.release.truths.append(
                Truth("CVE", ds, str(i), "measurement", ds, cells[i], values[i], mime=imgs[i][1])
            )
            if values[i] is None:
                self.release.bad_rows.append((f"{_FOLDERS['CVE']}/{stem}.tsv", i, "measurement"))

    def text(self, task: str, stem: str, ds: str, column: str, refs: list[str], anatomy: list[Any]) -> None:
        n = len(refs)
        imgs = [self.image() for _ in range(n)]
        columns = {column: refs, "anatomy_location": anatomy}
        self.table(task, stem, list(range(n)), [b for b, _ in imgs], columns, pandas_index=False)
        for i in range(n):
            self.release.truths.append(
                Truth(task, ds, str(i), "report", ds, refs[i], refs[i], mime=imgs[i][1])
            )


_WORDS = (
    "liver",
    "size",
    "normal",
    "echotexture",
    "homogeneous",
    "the",
    "is",
    "of",
    "gallbladder",
    "wall",
    "smooth",
    "no",
    "focal",
    "lesion",
    "seen",
    "thyroid",
    "nodule",
    "left",
    "lobe",
    "fetal",
    "abdomen",
    "plane",
    "stomach",
    "visible",
    "B-lines",
    "pleural",
    "line",
    "irregular.",
    "Liver",
)


def _centres(
    rng: random.Random, n: int, low: float, high: float, digits: int, missing: Callable[[int], bool] = lambda i: False
) -> list[Any]:
    """``n`` normalized centres (cx, cy), each drawn in [low, high] and rounded to ``digits``; None (not
    visible, nothing drawn) in the rows ``missing`` names."""
    return [
        None if missing(i) else (round(rng.uniform(low, high), digits), round(rng.uniform(low, high), digits))
        for i in range(n)
    ]


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(n))


#: The options the kit offers for each classification question; where a data set's cells hold the
#: option text itself, its cases' labels are drawn from the same list.
OPTIONS = {
    ("DD", "40"): ["2", "3", "4a", "4b", "4c", "5"],
    ("DD", "57"): ["0", "1"],
    ("DD", "44"): ["0", "1", "2", "3"],
    ("DD", "74is_normal"): ["Appears abnormal", "Appears normal"],
    ("DD", "21"): ["benign", "malignant"],
    ("VRA", "anatomy"): [
        "fetal",
        "thyroid",
        "heart",
        "lung",
        "liver",
        "carotid",
        "kidney",
        "prostate",
        "breast",
        "other",
    ],
    ("VRA", "28_class"): [
        "left lateral longitudinal",
        "right medial longitudinal",
        "left medial longitudinal",
    ],
    ("VRA", "18"): ["2CH", "4CH"],
}


def write_release(root: Path, seed: int = 7, n: int = 14) -> Release:
    """Write a release folder under ``root``; ``n`` cases per scenario (a few scenarios differ)."""
    b = _Builder(root, seed)
    rng = b.rng
    # The release's column description (its example row is generic, not data): never a table of cases.
    explanation = pd.DataFrame(
        {
            "column": ["gt_bbox", "keypoints", "measurement"],
            "explanation": ["[100,200,300,400]", "[[150,250],[200,300]]", '{"length":10.5}'],
        }
    )
    for folder in (root, root / _FOLDERS["DD"]):
        folder.mkdir(parents=True, exist_ok=True)
        explanation.to_csv(folder / "an_explanation_of_the_columns.tsv", sep="\t", index=False)

    # DD/40: list-string labels in `classes`, an explicit non-sequential index column.
    birads = ["2", "3", "4A", "4B", "4C", "5"]
    b.cla("40_birads", "DD", "40", "classes", birads, n, cell=lambda x: f"['{x}']",
          index=[100 + 3 * i for i in range(n)])
    # DD/57: integer labels 0/1 in `class`, pandas' own index column.
    b.cla("57_1.Liver_Ultrasound_Segmentation_Dataset", "DD", "57", "class", [0, 1], n, pandas_index=True)
    # DD/44: integer labels 0-3 in `class_label`.
    b.cla("44.COVID-BLUES-frames", "DD", "44", "class_label", [0, 1, 2, 3], n, index=list(range(n)))
    # DD/74is_normal: plain strings; DD/21 with img_data references to an earlier row's index.
    b.cla("74_is_normal", "DD", "74is_normal", "class_label", OPTIONS[("DD", "74is_normal")], n, index=list(range(n)))
    b.cla(
        "21.Breast_Ultrasound_Segmentation_Dataset",
        "DD",
        "21",
        "classes",
        OPTIONS[("DD", "21")],
        n,
        index=[7 * i + 1 for i in range(n)],
        refs={3: 0, 4: 0, 9: 2, 1: 12},
        extra={"anatomy_location": ["breast"] * n},
    )
    # VRA/anatomy: dict labels; VRA/28_class: the knee view file; VRA/18: a `_view` stem.
    b.cla(
        "anatomy",
        "VRA",
        "anatomy",
        "class_label",
        OPTIONS[("VRA", "anatomy")],
        n,
        cell=lambda x: f"{{'Anatomy': '{x}'}}",
        index=list(range(n)),
    )
    views = [
        "left lateral longitudinal",
        "right medial longitudinal",
        "left anterior suprapatellar transverse in 30 degrees flexion",
    ]
    b.cla("28.Knee_Classification", "VRA", "28_class", "class", views, n, pandas_index=True)
    b.cla("18_1.Ultrasound_Heart_Segmentation_Dataset_view", "VRA", "18", "class_label", OPTIONS[("VRA", "18")], n,
          index=list(range(n)))

    # LL/04: normalized {'lesion': [cx, cy, w, h]} with NaN cells (not visible).
    centres = _centres(rng, n, 0.1, 0.9, 2, missing=lambda i: i % 5 == 4)
    cells: list[Any] = [float("nan") if c is None else f"{{'lesion': [{c[0]}, {c[1]}, 0.1, 0.2]}}" for c in centres]
    b.seg("04", "LL", "04", "gt_bbox", cells, centres, extra={"anatomy_location": ["thyroid"] * n})
    # LL/64: lists of dicts, anatomy nan; the first structure counts.
    centres = _centres(rng, n, 0.1, 0.9, 3)
    cells = [f"[{{'lesion_1': [{cx}, {cy}, 0.05, 0.05]}}, {{'lesion_2': [0.5, 0.5, 0.1, 0.1]}}]" for cx, cy in centres]
    b.seg(
        "64.BrEaST-Lesions_USG-images_and_masks",
        "LL",
        "64",
        "gt_bbox",
        cells,
        centres,
        extra={"anatomy_location": [float("nan")] * n},
    )
    # OD/37: pixel boxes [x1, y1, x2, y2] on non-square images of several sizes.
    centres, cells, sizes = [], [], []
    for i in range(n):
        w, h = (160, 90) if i % 2 else (120, 200)
        x1, y1 = rng.randint(0, w // 2), rng.randint(0, h // 2)
        x2, y2 = rng.randint(x1 + 4, w), rng.randint(y1 + 4, h)
        if i == 0:  # one box only a corner layout fits: rules out x,y,w,h
            x1, y1, x2, y2 = w - 30, h - 20, w - 2, h - 2
        sizes.append((w, h))
        centres.append(((x1 + x2) / 2 / w, (y1 + y2) / 2 / h))
        cells.append(f"{{'thyroid': [{x1}, {y1}, {x2}, {y2}]}}")
    b.seg(
        "37",
        "OD",
        "37",
        "gt_bbox",
        cells,
        centres,
        sizes,
        extra={"seg_channel_name": ["['thyroid']"] * n, "anatomy_location": ["thyroid"] * n},
    )
    b.release.layouts["OD/37"] = "xyxy-px"
    # OD/13: normalized, seg_channel_name list-strings.
    centres = _centres(rng, n, 0.05, 0.95, 2)
    cells = [f"{{'stomach': [{cx}, {cy}, 0.08, 0.08]}}" for cx, cy in centres]
    b.seg(
        "13",
        "OD",
        "13",
        "gt_bbox",
        cells,
        centres,
        extra={"seg_channel_name": ["['stomach']"] * n, "anatomy_location": ["fetal abdomen"] * n},
        index=list(range(n)),
    )
    b.release.layouts["OD/13"] = "cxcywh-norm"
    # KD/48: keypoint dicts; a missing one is "not visible".
    names = ("endocardial point of the left ventricular apex", "anterior hinge point of the mitral valve")
    centres = _centres(rng, n, 0.1, 0.9, 2, missing=lambda i: i == 5)
    cells = ["" if c is None else f"{{'{names[i % 2]}': [{c[0]}, {c[1]}]}}" for i, c in enumerate(centres)]
    b.seg("48", "KD", "48", "keypoints", cells, centres)

    # CVE: the four scored datasets and HC (out of U2); one NaN measurement (skipped by the kit).
    ef = [round(rng.uniform(20, 70), 1) for _ in range(n)]
    b.cve("18_1.Ultrasound_Heart_Segmentation_Dataset", "18", [f"{{'EF': {v}}}" for v in ef], list(ef))
    imt = [round(rng.uniform(0.4, 1.3), 2) for _ in range(n)]
    b.cve("27", "27", [f"{{'IMT': [{v}, {round(v + 0.1, 2)}]}}" for v in imt], list(imt))
    ac = [float(rng.randint(150, 350)) for _ in range(n)]
    b.cve("50", "50", [f"{{'abdominal_circumference': {int(v)}}}" for v in ac], list(ac))
    fat: list[float | None] = [float(rng.randint(0, 80)) for _ in range(n)]
    fat_cells: list[Any] = [f"{{'fat value': {int(v)}}}" for v in fat if v is not None]
    fat[6], fat_cells[6] = None, float("nan")
    b.cve("57_1.Liver_Ultrasound_Segmentation_Dataset", "57", fat_cells, fat)
    hc = [float(rng.randint(150, 330)) for _ in range(6)]
    b.cve("31", "31", [f"{{'head_circumference': {int(v)}}}" for v in hc], list(hc))

    # RG/39 under `gt_report`, CG/10 and CG/44 under `caption`.
    reps = [_sentence(rng, rng.randint(8, 20)) for _ in range(n)]
    # pandas quotes a cell holding a double quote, a tab or a newline: one of each.
    reps[2] = reps[2] + ' "hypoechoic" area\tnoted\nsecond line'
    b.text(
        "RG",
        "39_translated",
        "39",
        "gt_report",
        reps,
        [rng.choice(["Liver", "Mammary", "Thyroid"]) for _ in range(n)],
    )
    caps = [_sentence(rng, rng.randint(5, 12)) for _ in range(n)]
    b.text("CG", "10", "10", "caption", caps, ["fetal phantom"] * n)
    caps = [_sentence(rng, rng.randint(3, 6)) for _ in range(6)]
    b.text("CG", "44.COVID-BLUES-frames", "44", "caption", caps, ["lung"] * 6)
    return b.release


# ---------------------------------------------------------------------- official-kit outputs


def _cla_answer(rng: random.Random, t: Truth, options: list[str], k: int) -> str:
    wrong = rng.choice([o for o in options if o != t.target] or options)
    if isinstance(t.kit_gt, (int, np.integer)):
        forms = [
            t.target,
            f" {t.target}\n",
            f"{t.target}.",
            f"0{t.target}",
            wrong,
            "one",
            rng.choice(FAILURES),
            f"+{t.target}",
        ]
    else:
        forms = [
            t.target,
            t.target.upper(),
            t.target + " ",
            t.target.lower(),
            f"\n{t.target}",
            f"The answer is {t.target}",
            wrong,
            rng.choice(FAILURES),
            t.target.title(),
        ]
    return forms[k % len(forms)]


def _seg_answer(rng: random.Random, t: Truth, k: int) -> Any:
    wrong = rng.choice([s for s in SECTORS if s != t.target])
    forms = [
        t.target,
        t.target.title(),
        t.target + " ",
        t.target + ".",
        wrong,
        rng.choice(FAILURES),
        None,
        t.target.upper(),
        "Upper Left",
    ]
    return forms[k % len(forms)]


def _cve_answer(rng: random.Random, t: Truth, k: int) -> str:
    v = float(t.target) if t.target is not None else 50.0
    forms = [
        f"{v * rng.uniform(0.7, 1.3):.2f}",
        f" {v:.1f} ",
        f"{v / 10:.3f}e1",
        f"{v}%",
        f"EF: {v}",
        "null",
        rng.choice(FAILURES),
        f"{v * 3:.1f}",
        str(int(v)),
        f"{v}\n",
    ]
    return forms[k % len(forms)]


def _text_answer(rng: random.Random, t: Truth, k: int) -> str:
    words = str(t.target).split()
    keep = [w for w in words if rng.random() < 0.7]
    forms = [
        " ".join(keep + [rng.choice(_WORDS)]),
        " ".join(words),
        rng.choice(FAILURES),
        " ".join(keep).lower(),
        "",
        "  ".join(keep) + "\n",
    ]
    return forms[k % len(forms)]


def write_kit_outputs(
    release: Release,
    out: Path,
    seed: int = 11,
    model: str = "gpt-x",
    drop_every: int = 9,
    answer: Callable[[Truth, int], Any] | None = None,
) -> dict[str, Any]:
    """Official-kit output rows ``{id, response, ...}`` in ``<family>/<dataset>/<model>/`` (shuffled,
    every ``drop_every``-th row dropped), and the rows as written: ``case_id -> response``.

    Rows showing the same image as another row get that row's answer and are never dropped: u2fast
    asks a (prompt, image) question once (see test_known_bugs for what that does to replays).
    ``answer(truth, k)`` replaces the generated answer forms.
    """
    rng = random.Random(seed)
    files: dict[Path, list[dict[str, Any]]] = {}
    responses: dict[str, Any] = {}
    shared = {t.same_image_as for t in release.truths if t.same_image_as}
    for k, t in enumerate(release.truths):
        if (
            t.same_image_as is None
            and t.case_id not in shared
            and drop_every
            and k % drop_every == drop_every - 1
        ):
            continue  # the kit dropped this question (an exception): no row at all
        if t.same_image_as is not None:
            reply: Any = None  # filled in below: the referenced row may come later in the file
        elif answer is not None:
            reply = answer(t, k)
        elif t.family == "cla":
            reply = _cla_answer(rng, t, OPTIONS[(t.task, t.dataset_id)], k)
        elif t.family == "seg":
            reply = _seg_answer(rng, t, k)
        elif t.family == "measurement":
            reply = _cve_answer(rng, t, k)
        else:
            reply = _text_answer(rng, t, k)
        responses[t.case_id] = reply
    for t in release.truths:
        if t.same_image_as is not None:
            responses[t.case_id] = responses[t.same_image_as]
    for t in release.truths:
        if t.case_id not in responses:
            continue
        path = out / t.family / t.out_dataset / model / "multimodal_test_results_20250501_120000.jsonl"
        files.setdefault(path, []).append(
            {
                "id": t.kit_id,
                "text_content": "prompt",
                "image_paths": [],
                "category": t.family,
                "response": responses[t.case_id],
                "model": model,
                "timestamp": "2025-05-01 12:00:00",
            }
        )
    for path, rows in files.items():
        rng.shuffle(rows)  # never joined by position
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    return responses
