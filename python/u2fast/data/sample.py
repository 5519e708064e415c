"""The bundled sample and ``u2fast data sample``: phantom cases (plus real frames) in the release layout.

``write_sample(out_dir, cases, seed)`` writes one folder per task and one TSV per dataset, named
like the official kit's files (``3_FETAL_Planes_US.tsv``, ``39_translated.tsv``...) with the release
columns and base64 PNG ``img_data``, so that loading it runs the same code as the real release.
Cases are spread over all 50 scenarios: each gets an equal base (up to 4) and the rest is shared in
proportion to the official case counts, so 7,241 cases give the release's shape. The output depends
only on (cases, seed, image size, the real frames used); ``sample_assets/`` is this function's output
for ``SAMPLE_CASES`` cases, seed 0 and the pydicom wheel's frames only.
"""

from __future__ import annotations

import base64
import itertools
import os
import shutil
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..u2bench.scenarios import SCENARIOS, Scenario
from .columns import FOLDER_OF_TASK
from .dicom_frames import real_frames
from .images import encode_png
from .phantom import warm_speckle
from .phantom_cases import make_case

__all__ = ["FILE_STEMS", "SAMPLE_CASES", "SAMPLE_DIR", "allocate", "write_sample"]

#: Size of the committed sample: 4 cases per scenario.
SAMPLE_CASES = 200
SAMPLE_DIR = Path(__file__).with_name("sample_assets")

#: Kit file stems (docs/u2bench.md 2.3) where they differ from the bare dataset id; the loader normalizes them.
FILE_STEMS: dict[str, str] = {
    "VRA/03": "3_FETAL_Planes_US",
    "VRA/10": "10_FetusOrientation",
    "VRA/18": "18_1.Ultrasound_Heart_Segmentation_Dataset_view",
    "OD/18": "18_1.Ultrasound_Heart_Segmentation_Dataset",
    "CVE/18": "18_1.Ultrasound_Heart_Segmentation_Dataset",
    "DD/21": "21.Breast_Ultrasound_Segmentation_Dataset",
    "DD/25": "25.Dermatologic_Ultrasound_Classification_Dataset",
    "DD/28": "28_1.Knee_Grading_Kellgren-Lawrence_Grade",
    "VRA/28_class": "28.Knee_Classification",
    "DD/32": "32_image",
    "LL/32": "32_image",
    "LL/17": "17_1",
    "RG/39": "39_translated",
    "DD/40": "40_birads",
    "DD/44": "44.COVID-BLUES-frames",
    "CG/44": "44.COVID-BLUES-frames",
    "VRA/50": "50.ACOUSLIC_AI",
    "DD/57": "57_1.Liver_Ultrasound_Segmentation_Dataset",
    "CVE/57": "57_1.Liver_Ultrasound_Segmentation_Dataset",
    "LL/64": "64.BrEaST-Lesions_USG",
    "DD/74is_normal": "74_is_normal",
    "VRA/74is_visible": "74_is_visible",
    "DD/75": "75.PCOS_Ultrasound_Classification_Dataset",
}
_COLUMNS = (
    "index",
    "dataset_name",
    "img_data",
    "anatomy_location",
    "class_label",
    "gt_bbox",
    "seg_channel_name",
    "keypoints",
    "measurement",
    "report",
    "caption",
    "hint",
    "notes",
)
_BASE_PER_SCENARIO = 4
#: 28_class has no published count (docs/u2bench.md 2.3); give it the KL-grade set's 104.
_UNKNOWN_N = 104


def allocate(cases: int) -> dict[str, int]:
    """Cases per scenario key: an equal base of up to 4, the rest in proportion to the official counts."""
    if cases < 0:
        raise ValueError("cases must be >= 0")
    keys = [s.key for s in SCENARIOS]
    base = min(_BASE_PER_SCENARIO, cases // len(keys))
    counts = dict.fromkeys(keys, base)
    rest = cases - base * len(keys)
    if base == 0:  # fewer cases than scenarios: one each, in table order
        for key in keys[:rest]:
            counts[key] = 1
        return counts
    weights = {s.key: s.official_n or _UNKNOWN_N for s in SCENARIOS}
    total = sum(weights.values())
    shares = {k: rest * w / total for k, w in weights.items()}
    for k, share in shares.items():
        counts[k] += int(share)
    left = cases - sum(counts.values())
    for k in sorted(keys, key=lambda k: (-(shares[k] - int(shares[k])), keys.index(k)))[:left]:
        counts[k] += 1
    return counts


def _tsv_cell(value: str) -> str:
    # csv.QUOTE_MINIMAL's rule (quote a cell holding the delimiter, a quote or a line break), written
    # out so that the long base64 cells are not scanned: they cannot hold any of these.
    if any(c in value for c in '\t"\n\r'):
        return '"' + value.replace('"', '""') + '"'
    return value


def _tsv_text(rows: list[dict[str, str]]) -> str:
    used = [c for c in _COLUMNS if any(c in r for r in rows)]
    lines = ["\t".join(used)]
    for r in rows:
        lines.append("\t".join(r.get(c, "") if c == "img_data" else _tsv_cell(r.get(c, "")) for c in used))
    return "\n".join(lines) + "\n"


def _png_b64(pixels: Any) -> str:
    height, width = pixels.shape[:2]
    channels = 1 if pixels.ndim == 2 else pixels.shape[2]
    # Speckle barely compresses at any level (level 1 is 1% larger than level 9, at half the time);
    # run-length matches at level 1 are smaller still at half of level 1's time.
    png = encode_png(pixels.tobytes(), width, height, channels, level=1, run_length=True)
    return base64.b64encode(png).decode("ascii")


def _rows_for(
    sc: Scenario, numbers: range, seed: int, size: int, frames: list[Any], phantom_offset: int = 0
) -> list[dict[str, str]]:
    """Rows ``numbers`` of a scenario: real ``frames`` first, then phantom case ``number - phantom_offset``."""
    rows = []
    stem = FILE_STEMS.get(sc.key, sc.dataset_id)
    for number in numbers:
        row = {"index": str(number), "dataset_name": stem}
        if frames and number < len(frames):
            frame = frames[number]
            row.update(
                img_data=base64.b64encode(frame.image).decode("ascii"),
                anatomy_location="",
                class_label=f"{{'Anatomy': '{frame.anatomy}'}}",
                notes=frame.notes,
            )
        else:
            case = make_case(sc, number - phantom_offset, seed, size)
            row["img_data"] = _png_b64(case.pixels)
            row.update(case.cells)
            row["notes"] = "u2fast phantom"
        rows.append(row)
    return rows


#: One scenario's file: (scenario key, cases, seed, image size, path, its real-frame rows).
_FileJob = tuple[str, int, int, int, str, list[dict[str, str]]]


def _write_file(job: _FileJob) -> int:
    """Write one scenario's TSV (its real-frame rows first, then phantom cases numbered from 0 after
    them); the number of cases written. Run by a worker process, which writes the file itself: the
    rows (~16 KB of base64 each) then never travel back to the parent."""
    key, count, seed, size, path, first = job
    rows = first + _rows_for(_SCENARIO_OF[key], range(len(first), count), seed, size, [], len(first))
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(_tsv_text(rows), encoding="utf-8", newline="")
    return count


_SCENARIO_OF = {s.key: s for s in SCENARIOS}
#: The scenario whose first cases are real frames (dicom_frames: a header can only name the organ).
_REAL_FRAMES_SCENARIO = "VRA/anatomy"
#: The sample size from which worker processes pay off.
_PARALLEL_FROM = 1000


def write_sample(
    out_dir: str | os.PathLike[str],
    cases: int,
    seed: int = 0,
    *,
    size: int = 128,
    include_pydicom_data: bool | None = None,
    overwrite: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Write ``cases`` cases in the release layout under ``out_dir``; return a summary.

    Real frames (see ``dicom_frames``) are the first cases of ``VRA/anatomy``;
    ``include_pydicom_data=None`` uses ``pydicom-data`` when it is installed, False never does.
    ``out_dir`` must be empty or absent (ConfigError otherwise) unless ``overwrite`` is set, which
    replaces its task folders. ``progress(done, total)`` is called as each file is written; samples of
    1,000 cases or more are made by worker processes, one per core, each writing whole files.
    """
    if not 32 <= size <= 1024:
        raise ValueError("size must be between 32 and 1024 pixels")
    out = Path(out_dir)
    if out.exists() and any(out.iterdir()):
        if not overwrite:
            raise ConfigError(f"{out} is not empty; choose an empty or new folder for the sample")
        for folder in FOLDER_OF_TASK.values():
            shutil.rmtree(out / folder, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    counts = allocate(cases)
    total = sum(counts.values())
    # One file per scenario (no two scenarios share a task folder and a file stem).
    path_of = {
        sc.key: out / FOLDER_OF_TASK[sc.task] / f"{FILE_STEMS.get(sc.key, sc.dataset_id)}.tsv"
        for sc in SCENARIOS
        if counts[sc.key]
    }
    workers = min(os.cpu_count() or 1, 8) if total >= _PARALLEL_FROM else 1
    if workers > 1:
        warm_speckle(size)  # made once here, inherited by the forked workers instead of made in each
    pool = ProcessPoolExecutor(max_workers=workers) if workers > 1 else None
    # Largest files first, so that the workers finish together. Each case depends only on
    # (scenario, number, seed, size), so no order of work changes a byte of the output.
    jobs: list[_FileJob] = [(key, counts[key], seed, size, str(path_of[key]), [])
            for key in sorted(path_of, key=lambda k: -counts[k]) if key != _REAL_FRAMES_SCENARIO]
    try:
        # Every file but the anatomy set's goes to the workers before the real frames are read
        # (importing pydicom and decoding take a few tenths of a second).
        pending = [pool.submit(_write_file, job) for job in jobs] if pool is not None else []
        frames = real_frames(include_pydicom_data)
        done = 0
        if progress:
            progress(done, total)
        if _REAL_FRAMES_SCENARIO in path_of:
            # the parent writes this one file itself while the workers write the others
            first = min(counts[_REAL_FRAMES_SCENARIO], len(frames))
            sc = _SCENARIO_OF[_REAL_FRAMES_SCENARIO]
            jobs.append((sc.key, counts[sc.key], seed, size, str(path_of[sc.key]),
                         _rows_for(sc, range(first), seed, size, frames[:first])))
        finished: Iterable[int] = (
            (f.result() for f in as_completed(pending)) if pool is not None else map(_write_file, jobs)
        )
        if pool is not None and _REAL_FRAMES_SCENARIO in path_of:
            finished = itertools.chain([_write_file(jobs[-1])], finished)
        for cases_written in finished:
            done += cases_written
            if progress:
                progress(done, total)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return {
        "out_dir": str(out),
        "cases": sum(counts.values()),
        "seed": seed,
        "size": size,
        "real_frames": min(len(frames), counts.get(_REAL_FRAMES_SCENARIO, 0)),
        "scenarios": {k: v for k, v in counts.items() if v},
        "files": sorted(str(p.relative_to(out)) for p in path_of.values()),
    }
