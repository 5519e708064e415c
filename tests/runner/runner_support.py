"""Helpers of the runner tests: small PNG cases, requests keyed like the lead's evaluate, a clock that skips waits."""

from __future__ import annotations

import asyncio
import hashlib
import io
import time

from PIL import Image

from u2fast.runner import request_key
from u2fast.types import GenerationParams, ImageRef, Prompt, Request

MODEL = "fakeopenai:fake-model"
DEFAULT_PARAMS = GenerationParams()


def png(seed: int, size: int = 8) -> bytes:
    img = Image.new("RGB", (size, size), (seed % 256, (seed * 7) % 256, (seed * 13) % 256))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def image_ref(data: bytes, mime: str = "image/png") -> ImageRef:
    return ImageRef(sha256=hashlib.sha256(data).hexdigest(), mime=mime, data=data)


def make_requests(
    n: int,
    model: str = MODEL,
    *,
    params: GenerationParams = DEFAULT_PARAMS,
    images: list[ImageRef] | None = None,
) -> list[Request]:
    adapter, bare = model.split(":", 1)
    out = []
    for i in range(n):
        ref = images[i % len(images)] if images else image_ref(png(i))
        prompt = Prompt(
            role="", instruction=f"case c{i:04d}: which option?", output_format="Answer with a letter."
        )
        key = request_key(adapter, bare, params, prompt, [ref.sha256])
        out.append(
            Request(
                key=key,
                case_id=f"c{i:04d}",
                dataset_id="d1",
                task="DD",
                model=model,
                prompt=prompt,
                images=(ref,),
                params=params,
            )
        )
    return out


class FakeClock:
    """Real time plus every wait skipped, so retries and rate limits run instantly; records the waits."""

    def __init__(self) -> None:
        self.offset = 0.0
        self.sleeps: list[float] = []

    def now(self) -> float:
        return time.monotonic() + self.offset

    def wall(self) -> float:
        return time.time() + self.offset

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        if seconds > 0:
            self.offset += seconds
        await asyncio.sleep(0)
