"""Rows of the HTML case browser: image thumbnails, prompt, answer, prediction, truth, outcome."""

from __future__ import annotations

import base64
import io
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..prompt_ids import answer_kind
from ..types import Case, Prompt, SectorTarget
from .build import LoadedRun, ScoredModel, anatomy_of, outcome_of, truth_text
from .schema import CaseView

if TYPE_CHECKING:
    from PIL import Image

__all__ = ["THUMBNAIL_SIDE", "case_views", "select_cases", "thumbnail_data_url"]

#: Longest side of a thumbnail in pixels: enough to recognise an ultrasound view, small enough that
#: a few hundred cases stay a few megabytes.
THUMBNAIL_SIDE = 192


def select_cases(run: LoadedRun, limit: int | None) -> list[int]:
    """Indices of the cases to show: all, or ``limit`` of them taken round-robin over scenarios so
    that every scenario is represented."""
    n = len(run.records)
    if limit is None or limit >= n:
        return list(range(n))
    by_scenario: dict[str, list[int]] = defaultdict(list)
    for i, rec in enumerate(run.records):
        by_scenario[rec.case.scenario].append(i)
    queues = [list(reversed(v)) for _, v in sorted(by_scenario.items())]
    chosen: list[int] = []
    while len(chosen) < limit:
        for q in queues:
            if q and len(chosen) < limit:
                chosen.append(q.pop())
    return sorted(chosen)


def thumbnail_data_url(case: Case, side: int = THUMBNAIL_SIDE) -> str | None:
    """A downscaled JPEG of the case's image as a data URL; None when the image cannot be read
    (e.g. the original data moved), and the browser shows a placeholder."""
    from ..data.images import open_image, read_image_bytes

    try:
        raw = read_image_bytes(case.image)
        with open_image(raw) as opened:
            opened.thumbnail((side, side))
            small = _eight_bit(opened)
            buf = io.BytesIO()
            small.save(buf, format="JPEG", quality=72)
    except Exception:  # noqa: BLE001 - any unreadable image degrades to a placeholder
        return None
    return "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _eight_bit(image: Image.Image) -> Image.Image:
    """An 8-bit grey or RGB copy. 16-bit and float images (ultrasound exports, DICOM frames) are
    stretched from their darkest to their brightest pixel: a plain conversion clips every value
    above 255 and leaves a white square."""
    import numpy as np
    from PIL import Image

    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        pixels = np.asarray(image, dtype=np.float64)
        low, high = float(pixels.min()), float(pixels.max())
        scaled = (pixels - low) * (255.0 / (high - low)) if high > low else np.zeros_like(pixels)
        return Image.fromarray(np.round(scaled).astype(np.uint8), mode="L")
    return image.convert("L" if image.mode in ("L", "1") else "RGB")


def _prompt_builder(run: LoadedRun) -> tuple[object, object]:
    """The registry and prompt options that rebuild the run's prompts (official files if still there)."""
    from ..plugins import get_registry
    from ..tasks.base import PromptOptions

    official = None
    cmd = run.manifest.command
    if run.manifest.prompt_source == "official" and "--prompts" in cmd:
        i = cmd.index("--prompts")
        if i + 1 < len(cmd):
            try:
                from ..tasks.prompts import load_official_prompts

                official = load_official_prompts(Path(cmd[i + 1]))
            except Exception:  # noqa: BLE001 - the files moved: say so in the browser
                official = None
    return get_registry(), PromptOptions(variant=run.manifest.prompt_variant, official=official)


def _prompt_text(run: LoadedRun, case: Case, builder: tuple[object, object]) -> str:
    registry, popts = builder
    if run.manifest.prompt_source == "official" and getattr(popts, "official", None) is None:
        return "(the official prompt files of this run are no longer readable)"
    try:
        prompt: Prompt = registry.task(case.task).build_prompt(case, popts)  # type: ignore[attr-defined]
    except Exception as exc:  # noqa: BLE001 - a plugin task that cannot rebuild its prompt
        return f"(prompt not available: {exc})"
    return prompt.text


def _prediction_text(value: str | float | tuple[float, ...] | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, tuple):
        return "[" + ", ".join(f"{v:.3f}" for v in value) + "] (normalized)"
    return str(value)


def case_views(
    scored: Sequence[ScoredModel], limit_per_run: int | None, *, images: bool = True
) -> tuple[list[CaseView], dict[str, str]]:
    """Browser rows for every model and the thumbnails they refer to (sha256 -> data URL)."""
    views: list[CaseView] = []
    thumbs: dict[str, str] = {}
    chosen: dict[str, list[int]] = {}
    prompts: dict[str, dict[int, str]] = {}
    for sm in scored:
        run = sm.run
        key = str(run.path)
        if key not in chosen:
            chosen[key] = select_cases(run, limit_per_run)
            builder = _prompt_builder(run)
            prompts[key] = {i: _prompt_text(run, run.records[i].case, builder) for i in chosen[key]}
        completions = {r.case.case_id: run.journal.get(r.keys.get(sm.model, ""), None) for r in run.records}
        judged = {cs.case_id: (pred, cs) for pred, cs in sm.judged}
        for i in chosen[key]:
            case = run.records[i].case
            if case.case_id not in judged:
                continue  # a case of the folder that this model was not asked
            pred, cs = judged[case.case_id]
            comp = completions.get(case.case_id)
            if comp is None:
                answer = "(no answer recorded)"
            elif comp.error is not None:
                answer = f"[{comp.error.kind}] {comp.error.message}"
            else:
                answer = comp.text or ""
            outcome, detail = outcome_of(cs, pred)
            sha = case.image.sha256 or ""
            if images and sha and sha not in thumbs:
                url = thumbnail_data_url(case)
                if url is not None:
                    thumbs[sha] = url
            views.append(
                CaseView(
                    label=sm.label,
                    case_id=case.case_id,
                    task=case.task,
                    dataset_id=case.dataset_id,
                    anatomy=anatomy_of(case),
                    image=sha,
                    prompt=prompts[key][i],
                    answer=answer,
                    prediction=_prediction_text(pred.value),
                    truth=truth_text(case),
                    outcome=outcome,
                    detail=detail,
                    **_geometry(case, cs.coords, run.manifest.answer_format),
                )
            )
    return views, thumbs


def _geometry(case: Case, coords: tuple[float, ...] | None, answer_format: str) -> dict[str, list[float]]:
    """Overlay shapes of a coordinate answer: the truth in the answer's kind (box or point), and the answer."""
    target = case.target
    if answer_format == "sector" or not isinstance(target, SectorTarget):
        return {}
    truth: list[float] = []
    if answer_kind(case.task, answer_format) == "box" and case.box is not None:
        truth = [round(v, 4) for v in case.box]
    elif answer_kind(case.task, answer_format) == "point" and target.cx is not None and target.cy is not None:
        truth = [round(target.cx, 4), round(target.cy, 4)]
    return {"truth_geometry": truth, "answer_geometry": [round(v, 4) for v in coords or ()]}
