"""The journal key of a request: a hash of everything that changes what is sent.

Two requests with the same adapter, model, generation parameters, adapter options, endpoint,
prompt parts and images as sent are the same question, so a recorded answer to one is an answer to
the other (cache and resume). Left out on purpose, because they do not change what is sent:
limits, timeouts, concurrency, budget, sync or batch sending, credentials (the endpoint enters
without them), and the prompt's ``template``/``variant`` labels (they name a prompt, they are not
sent). Recipe 2 (recorded in each manifest as ``key_recipe``) added adapter options, the endpoint
and the image as sent after ``--max-side``; docs/runs.md lists the recipe.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

import msgspec

from ..runfolder.endpoint import endpoint_of
from ..runfolder.manifest import CURRENT_KEY_RECIPE
from ..types import GenerationParams, ImageRef, Prompt

__all__ = ["request_key", "sent_image_id"]

_encoder = msgspec.json.Encoder(order="sorted")


def sent_image_id(ref: ImageRef, max_side: int | None) -> str:
    """The identity of the image as sent: its sha256 when sent as stored, else the sha256 of the
    original and the resize recipe (``--max-side`` resizes deterministically, so the pair names the bytes)."""
    if max_side is None or (ref.width and ref.height and max(ref.width, ref.height) <= max_side):
        return ref.sha256
    return hashlib.sha256(f"resize-lanczos:{max_side}:{ref.sha256}".encode()).hexdigest()


def request_key(
    adapter: str,
    model: str,
    params: GenerationParams,
    prompt: Prompt | str,
    image_shas: Sequence[str],
    *,
    options: Mapping[str, Any] | None = None,
    endpoint: str | None = None,
) -> str:
    """A 32-hex-digit key for one request.

    ``model`` may be the bare model name or ``adapter:model``; both give the same key.
    ``image_shas`` identify the images as sent (``sent_image_id``), in the order sent.
    ``options`` are the adapter options; ``endpoint`` the base URL (credentials are dropped here).
    """
    if not adapter:
        raise ValueError("request_key: adapter name is empty")
    bare_model = model.split(":", 1)[1] if model.startswith(adapter + ":") else model
    if isinstance(prompt, Prompt):
        prompt_parts: list[str] = [prompt.role, prompt.instruction, prompt.output_format, prompt.separator]
    else:
        prompt_parts = [prompt]
    # Through the typed decoder so that temperature=1 and temperature=1.0 give one key.
    normalized = msgspec.json.decode(_encoder.encode(params), type=GenerationParams)
    payload = _encoder.encode(
        [CURRENT_KEY_RECIPE, adapter, bare_model, msgspec.to_builtins(normalized), prompt_parts, list(image_shas),
         dict(options or {}), endpoint_of(endpoint)]
    )
    return hashlib.sha256(payload).hexdigest()[:32]
