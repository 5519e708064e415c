"""The journal key of a request: a hash of everything that decides the answer.

Two requests with the same adapter, model, generation parameters, prompt parts and image bytes
are the same question, so a recorded answer to one is an answer to the other (cache and resume).
The prompt's ``template``/``variant`` labels are left out on purpose: they name a prompt, they
are not sent.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import msgspec

from ..types import GenerationParams, Prompt

__all__ = ["KEY_VERSION", "request_key"]

#: Bumped when the key recipe changes, so that old journals are not mistaken for new ones.
KEY_VERSION = 1

_encoder = msgspec.json.Encoder(order="sorted")


def request_key(
    adapter: str,
    model: str,
    params: GenerationParams,
    prompt: Prompt | str,
    image_shas: Sequence[str],
) -> str:
    """A 32-hex-digit key for one request.

    ``model`` may be the bare model name or ``adapter:model``; both give the same key.
    ``image_shas`` are the sha256 hex digests of the original image bytes, in the order sent.
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
        [KEY_VERSION, adapter, bare_model, msgspec.to_builtins(normalized), prompt_parts, list(image_shas)]
    )
    return hashlib.sha256(payload).hexdigest()[:32]
