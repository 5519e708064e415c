"""Rows of the HTML case browser: image thumbnails, prompt, answer, prediction, truth, outcome."""

from __future__ import annotations

import base64
import contextlib
import io
import os
import threading
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

__all__ = [
    "THUMBNAIL_SIDE", "EarlyThumbnails", "browser_data", "case_views", "make_thumbnails", "select_cases",
    "thumbnail_data_url",
]

#: Longest side of a thumbnail in pixels, and its JPEG quality: enough to tell one ultrasound view
#: from another, small enough that every case of the benchmark (7,241) fits in ~11 MB. The report
#: stays one self-contained file, so there is no larger view to fetch.
THUMBNAIL_SIDE = 72
THUMBNAIL_QUALITY = 45
#: A report of at most this many distinct images gets thumbnails of LARGE_THUMBNAIL_SIDE instead
#: (about 6 MB at the most): a sample or a subset can afford a frame one can read.
LARGE_THUMBNAILS_UP_TO = 1_000
LARGE_THUMBNAIL_SIDE = 192


def thumbnail_side(images: int) -> int:
    """The thumbnail side for a report of ``images`` distinct images."""
    return LARGE_THUMBNAIL_SIDE if images <= LARGE_THUMBNAILS_UP_TO else THUMBNAIL_SIDE
#: From this many images that are not PNGs on, thumbnails are made in worker processes (one per CPU core).
_PARALLEL_FROM = 256


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


def _thumbnail(case: Case, side: int = THUMBNAIL_SIDE, fd: int | None = None) -> str:
    """A downscaled JPEG of the case's image as a data URL; raises what reading or decoding raised.
    8-bit grey and RGB PNGs are made by the extension (``png_thumbnail_jpeg``: Pillow's size rule and
    filter, without the GIL, a few times cheaper); every other image, and any PNG it declines, by Pillow.
    ``fd``: the case's file already open (see ``read_stored_base64``)."""
    from .._core import png_thumbnail_jpeg
    from ..data.images import MAX_IMAGE_PIXELS, read_image_bytes, read_stored_base64

    ref = case.image
    jpeg = None
    if ref.mime == "image/png" and ref.base64 and ref.path is not None:
        # a release TSV's base64 text, checked against its recorded hash, decoded with the rest
        jpeg = png_thumbnail_jpeg(read_stored_base64(ref, fd), side, THUMBNAIL_QUALITY, MAX_IMAGE_PIXELS, base64=True)
    raw = b"" if jpeg is not None else read_image_bytes(ref)
    if jpeg is None and raw.startswith(_PNG):
        jpeg = png_thumbnail_jpeg(raw, side, THUMBNAIL_QUALITY, MAX_IMAGE_PIXELS)
    if jpeg is None:
        jpeg = _pillow_thumbnail(raw, side)
    return "data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii")


_PNG = b"\x89PNG\r\n\x1a\n"


def _pillow_thumbnail(raw: bytes, side: int) -> bytes:
    """The JPEG thumbnail of any image Pillow reads (16-bit and float frames stretched to 8 bits)."""
    from ..data.images import open_image

    with open_image(raw) as opened:
        image = opened
        if opened.mode in _WIDE_MODES:  # Pillow's reduce() refuses these: stretch to 8 bits first
            image = _eight_bit(opened)
        image.thumbnail((side, side))
        small = _eight_bit(image)
        buf = io.BytesIO()
        small.save(buf, format="JPEG", quality=THUMBNAIL_QUALITY, optimize=True)
    return buf.getvalue()


def thumbnail_data_url(case: Case, side: int = THUMBNAIL_SIDE) -> str | None:
    """:func:`_thumbnail`, or None when the image cannot be read (e.g. the original data moved)."""
    try:
        return _thumbnail(case, side)
    except Exception:  # noqa: BLE001 - callers that need the reason use make_thumbnails
        return None


def _thumbnail_or_reason(case: Case, side: int = THUMBNAIL_SIDE, fd: int | None = None) -> tuple[str | None, str]:
    try:
        return _thumbnail(case, side, fd), ""
    except Exception as exc:  # noqa: BLE001 - any unreadable image becomes a placeholder, counted and named
        return None, f"{type(exc).__name__}: {exc}"


def _thumbnails_or_reasons(cases: Sequence[Case], side: int) -> list[tuple[str | None, str]]:
    """Each case's thumbnail or reason, the TSVs holding their base64 text opened once each (an open
    per image cost a fifth of its thumbnail); a file that cannot be opened here is left to
    ``_thumbnail``, which names it."""
    fds: dict[str, int] = {}
    try:
        for path in {c.image.path for c in cases if c.image.base64 and c.image.path is not None}:
            with contextlib.suppress(OSError):  # not silent: _thumbnail opens it again and names it
                fds[path] = os.open(path, os.O_RDONLY)
        return [_thumbnail_or_reason(c, side, fds.get(c.image.path or "")) for c in cases]
    finally:
        for fd in fds.values():
            os.close(fd)


def _png_thumbnails(pngs: Sequence[Case], side: int) -> dict[str, tuple[str | None, str]]:
    """Thumbnail or reason per image (sha256) of distinct PNG cases, made on a thread per core (the
    extension's work releases the GIL). Daemon threads: a report that fails or is interrupted
    exits without waiting for them."""
    workers = min(os.cpu_count() or 1, 8)
    # chunks of a few dozen: handing out one image at a time would cost more than its thumbnail
    step = max(1, min(64, -(-len(pngs) // workers)))
    chunks = [pngs[i : i + step] for i in range(0, len(pngs), step)]
    results: list[list[tuple[str | None, str]]] = [[] for _ in chunks]
    order = iter(range(len(chunks)))
    lock = threading.Lock()

    failures: list[tuple[str, BaseException]] = []

    def work() -> None:
        while True:
            with lock:
                i = next(order, None)
            if i is None:
                return
            try:
                results[i] = _thumbnails_or_reasons(chunks[i], side)
            except BaseException as exc:  # noqa: BLE001 - re-raised by the caller, naming where
                failures.append((chunks[i][0].case_id, exc))
                return

    threads = [threading.Thread(target=work, daemon=True) for _ in range(min(workers, len(chunks)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        case_id, exc = failures[0]
        raise RuntimeError(f"thumbnails of the images from case {case_id} on failed: {exc!r}") from exc
    return {c.image.sha256: r for chunk, made in zip(chunks, results, strict=True)
            for c, r in zip(chunk, made, strict=True)}


class EarlyThumbnails:
    """The PNG thumbnails of every case the browser may show (:func:`select_cases` of each run),
    started as soon as the runs are loaded so that they are made while the runs are scored;
    :func:`case_views` takes them (``early=``)."""

    def __init__(self, runs: Sequence[LoadedRun], limit_per_run: int | None) -> None:
        distinct = _distinct([run.records[i].case for run in runs for i in select_cases(run, limit_per_run)])
        self.side = thumbnail_side(len(distinct))
        pngs = [c for c in distinct if c.image.mime == "image/png"]
        self.images = {c.image.sha256 for c in pngs}
        self._made: dict[str, tuple[str | None, str]] = {}
        self._failed: BaseException | None = None
        self._thread = threading.Thread(target=self._make, args=(pngs,), daemon=True)
        self._thread.start()

    def _make(self, pngs: list[Case]) -> None:
        try:
            self._made = _png_thumbnails(pngs, self.side)
        except BaseException as exc:  # noqa: BLE001 - raised again by made(), in the report thread
            self._failed = exc

    def made(self) -> dict[str, tuple[str | None, str]]:
        """Thumbnail or reason per image; waits for the last ones."""
        self._thread.join()
        if self._failed is not None:
            raise self._failed
        return self._made


def _distinct(cases: Sequence[Case]) -> list[Case]:
    return list({c.image.sha256: c for c in cases if c.image.sha256}.values())


def make_thumbnails(
    cases: Sequence[Case], early: EarlyThumbnails | None = None
) -> tuple[dict[str, str], dict[str, str]]:
    """Thumbnails of the cases' images, once per image (by sha256): ``(sha256 -> data URL, sha256 ->
    why the image could not be read)``. Few images get larger thumbnails (:func:`thumbnail_side`).
    PNGs are made on a thread per core (taken from ``early`` when it made them at the same size);
    many images of other kinds, made by Pillow under the GIL, in worker processes."""
    distinct = _distinct(cases)
    side = thumbnail_side(len(distinct))
    workers = min(os.cpu_count() or 1, 8)
    pngs = [c for c in distinct if c.image.mime == "image/png"]
    others = [c for c in distinct if c.image.mime != "image/png"]
    if early is not None and early.side == side and {c.image.sha256 for c in pngs} <= early.images:
        made = dict(early.made())
    else:
        made = _png_thumbnails(pngs, side)
    if len(others) >= _PARALLEL_FROM and workers > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(_thumbnail_or_reason, others, [side] * len(others), chunksize=64))
    else:
        results = [_thumbnail_or_reason(c, side) for c in others]
    made.update((c.image.sha256, r) for c, r in zip(others, results, strict=True))
    thumbs: dict[str, str] = {}
    failed: dict[str, str] = {}
    for case in distinct:
        url, reason = made[case.image.sha256]
        if url is None:
            failed[case.image.sha256] = f"{case.case_id}: {reason}"
        else:
            thumbs[case.image.sha256] = url
    return thumbs, failed


#: 16-bit, 32-bit integer and float image modes (ultrasound exports, DICOM frames)
_WIDE_MODES = ("I;16", "I;16B", "I;16L", "I", "F")


def _eight_bit(image: Image.Image) -> Image.Image:
    """An 8-bit grey or RGB copy. 16-bit and float images (ultrasound exports, DICOM frames) are
    stretched from their darkest to their brightest pixel: a plain conversion clips every value
    above 255 and leaves a white square."""
    import numpy as np
    from PIL import Image

    if image.mode in _WIDE_MODES:
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
    scored: Sequence[ScoredModel], limit_per_run: int | None, *, images: bool = True,
    early: EarlyThumbnails | None = None,
) -> tuple[list[CaseView], dict[str, str], dict[str, str]]:
    """Browser rows for every model, the thumbnails they refer to (sha256 -> data URL) and the
    images that could not be read (sha256 -> case and reason; their rows show a placeholder).
    Without ``images`` no row refers to an image; ``early``: thumbnails started before scoring."""
    views: list[CaseView] = []
    chosen: dict[str, list[int]] = {}
    prompts: dict[str, dict[int, str]] = {}
    shown: list[Case] = []
    for sm in scored:
        run = sm.run
        key = str(run.path)
        if key not in chosen:
            chosen[key] = select_cases(run, limit_per_run)
            builder = _prompt_builder(run)
            prompts[key] = {i: _prompt_text(run, run.records[i].case, builder) for i in chosen[key]}
        judged = {cs.case_id: (pred, cs) for pred, cs in sm.judged}
        for i in chosen[key]:
            rec = run.records[i]
            case = rec.case
            if case.case_id not in judged:
                continue  # a case of the folder that this model was not asked
            pred, cs = judged[case.case_id]
            comp = run.journal.get(rec.keys.get(sm.model, ""))
            if comp is None:
                answer = "(no answer recorded)"
            elif comp.error is not None:
                answer = f"[{comp.error.kind}] {comp.error.message}"
            else:
                answer = comp.text or ""
            outcome, detail = outcome_of(cs, pred)
            if images:
                shown.append(case)
            views.append(
                CaseView(
                    label=sm.label,
                    case_id=case.case_id,
                    task=case.task,
                    dataset_id=case.dataset_id,
                    anatomy=anatomy_of(case),
                    image=(case.image.sha256 or "") if images else "",
                    prompt=prompts[key][i],
                    answer=answer,
                    prediction=_prediction_text(pred.value),
                    truth=truth_text(case),
                    outcome=outcome,
                    detail=detail,
                    **_geometry(case, cs.coords, run.manifest.answer_format),
                )
            )
    thumbs, failed = make_thumbnails(shown, early) if images else ({}, {})
    return views, thumbs, failed


#: Short keys of the browser data (``browser_data``); the four filter fields and the overlay shapes
#: (present on coordinate runs only) keep their names.
_SHORT = {
    "case_id": "id", "anatomy": "an", "answer": "ans", "prediction": "pr", "truth": "tr", "detail": "d",
    "truth_geometry": "truth_geometry", "answer_geometry": "answer_geometry",
}
_FILTERS = ("label", "task", "dataset_id", "outcome")


def browser_data(cases: Sequence[CaseView], thumbnails: dict[str, str]) -> dict[str, object]:
    """The case browser's data, compact: each distinct prompt and thumbnail stored once and referred
    to by position (``p``, ``im``), short keys, empty fields left out; the page's script turns the
    rows back into :class:`CaseView` fields. A row without ``im`` shows a placeholder."""
    prompts: dict[str, int] = {}
    images: dict[str, int] = {}
    rows: list[dict[str, object]] = []
    for view in cases:
        row: dict[str, object] = {name: getattr(view, name) for name in _FILTERS}
        for name, short in _SHORT.items():
            value = getattr(view, name)
            if value:
                row[short] = value
        row["p"] = prompts.setdefault(view.prompt, len(prompts))
        if view.image in thumbnails:
            row["im"] = images.setdefault(view.image, len(images))
        rows.append(row)
    return {"cases": rows, "prompts": list(prompts), "images": [thumbnails[sha] for sha in images]}





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
