"""The ``random`` baseline: a uniform guess per case, seeded and independent of run order.

Classification and sector tasks pick uniformly among the scenario's options, CVE draws uniformly in
the clinical range (an integer where the scale is integer), RG/CG return one sentence drawn from a
small pool of generic findings. Asked for a box or point (``--answer-format``), it says "not visible"
one time in ten (as often as the sector guess does) and otherwise answers uniform corners or a
uniform point, written in the convention the prompt states (its own: ``xyxy-norm``). Each case's draw depends only on (seed, case id), so a resumed or
re-ordered run gives the same answers.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable, Sequence

from ..data.bbox import box_from_xyxy, point_from_xy
from ..hookspecs import hookimpl
from ..prompt_ids import coordinate_request
from ..types import Request
from ..u2bench.scenarios import scenario
from ..u2bench.tasks import TEXT_TASKS
from .base import DEFAULT_COORDS, AdapterInfo, AdapterSettings, EncodedImage, LocalAdapter, Reply

__all__ = ["RandomAdapter"]

# Written for u2fast; deliberately bland so that BLEU stays near the floor.
_REPORT_SENTENCES = (
    "The organ shows a homogeneous echotexture without focal lesions.",
    "No abnormal mass or fluid collection is identified.",
    "A hypoechoic nodule with smooth margins is seen in the scanned region.",
    "The visualised structures are within normal limits.",
    "Mild heterogeneity of the parenchyma is noted; follow-up is suggested.",
    "There is no evidence of calcification or posterior shadowing.",
)
_CAPTION_SENTENCES = (
    "Standard ultrasound plane showing the target anatomy.",
    "Transverse view with the main structure in the centre of the field.",
    "Longitudinal scan of the region of interest.",
    "Ultrasound image with a clearly visible echogenic boundary.",
)


class RandomAdapter:
    """Uniform guesses; a LocalAdapter (no network)."""

    name = "random"

    def __init__(self, model: str = "uniform", seed: int = 0) -> None:
        self.model = model
        self.seed = seed

    def _rng(self, case_id: str) -> random.Random:
        digest = hashlib.sha256(f"{self.seed}:{case_id}".encode()).digest()
        return random.Random(int.from_bytes(digest[:8], "little"))

    def answer(self, request: Request) -> str:
        rng = self._rng(request.case_id)
        sc = scenario(request.task, request.dataset_id)
        if request.task in TEXT_TASKS:
            pool = _REPORT_SENTENCES if request.task == "RG" else _CAPTION_SENTENCES
            return rng.choice(pool)
        if sc is None:
            raise ValueError(f"random baseline: no scenario for {request.task}/{request.dataset_id}")
        coordinate = coordinate_request(request.prompt.template, request.task)
        if coordinate is not None:
            return self._coordinates(rng, request, *coordinate)
        if request.task == "CVE":
            if sc.integer:
                return str(rng.randint(int(sc.low), int(sc.high)))
            return f"{rng.uniform(sc.low, sc.high):.2f}"
        return rng.choice(sc.options)

    @staticmethod
    def _coordinates(rng: random.Random, request: Request, kind: str, convention: str | None) -> str:
        if rng.randrange(10) == 0:
            return "not visible"
        layout = convention or DEFAULT_COORDS
        image = request.images[0] if request.images else None
        w, h = (float(image.width or 0), float(image.height or 0)) if image else (0.0, 0.0)
        if kind == "point":
            values: tuple[float, ...] = point_from_xy((rng.random(), rng.random()), layout, w, h)
            return json.dumps({"point_2d": [round(v, 4) for v in values]})
        xs, ys = sorted((rng.random(), rng.random())), sorted((rng.random(), rng.random()))
        values = box_from_xyxy((xs[0], ys[0], xs[1], ys[1]), layout, w, h)
        return json.dumps({"bbox_2d": [round(v, 4) for v in values]})

    async def generate(self, request: Request, images: Sequence[EncodedImage]) -> Reply:
        return Reply(text=self.answer(request), response_model=f"random:{self.model}")


def _create(settings: AdapterSettings) -> LocalAdapter:
    return RandomAdapter(settings.model or "uniform", seed=settings.seed)


@hookimpl
def u2fast_register_adapters(register: Callable[[AdapterInfo], None]) -> None:
    register(
        AdapterInfo(
            name="random",
            create=_create,
            default_model="uniform",
            models=("uniform",),
            description="Uniform random guessing baseline (offline, seeded)",
            needs_images=False,
        )
    )
