"""Building blocks for adapter tests: an encoded image and a one-case request.

Plugin tests check ``build_request`` and ``parse_response`` without the runner; these helpers give
them the inputs the runner would pass.
"""

from __future__ import annotations

import base64
import hashlib

from ..adapters.base import EncodedImage
from ..types import GenerationParams, ImageRef, Prompt, Request, TaskName

__all__ = ["encoded_image", "single_request"]


def encoded_image(raw: bytes, mime: str, width: int, height: int) -> EncodedImage:
    """``raw`` image bytes as the runner hands them to an adapter (base64 once, with its sha256)."""
    b64 = base64.b64encode(raw).decode("ascii")
    return EncodedImage(mime=mime, base64=b64, sha256=hashlib.sha256(raw).hexdigest(), width=width, height=height)


def single_request(
    text: str,
    *,
    model: str,
    params: GenerationParams | None = None,
    n_images: int = 1,
    case_id: str = "case-1",
    dataset_id: str = "BUSI",
    task: TaskName = "DD",
) -> Request:
    """A request whose prompt is ``text`` (as the instruction) with ``n_images`` image slots."""
    ref = ImageRef(sha256="0" * 64, mime="image/png", data=b"")
    return Request(
        key="k1",
        case_id=case_id,
        dataset_id=dataset_id,
        task=task,
        model=model,
        prompt=Prompt(role="", instruction=text, output_format=""),
        images=(ref,) * n_images,
        params=params or GenerationParams(temperature=0.0, max_tokens=64),
    )
