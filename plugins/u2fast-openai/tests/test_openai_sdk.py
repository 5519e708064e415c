"""The adapter's request against the one the official SDK sends for the same call, live.

The SDK (a test-only dependency pinned in requirements-dev.txt) posts to u2fast's fake provider,
which records what arrived; the adapter must build the same path, body (key order included) and
the headers that matter. Broader than the stored capture: several images, sampling settings and
reasoning models.
"""

from __future__ import annotations

from typing import Any

import pytest
import u2fast_openai

from u2fast.adapters.base import EncodedImage
from u2fast.testing.sdk_parity import PROMPT, SdkCase, SdkParitySuite
from u2fast.types import GenerationParams

openai = pytest.importorskip("openai", reason="the openai SDK (test-only, requirements-dev.txt) is not installed")

KEY = "sk-sdk-parity-0001"

CASES = {
    "capture-like": SdkCase("gpt-4o", GenerationParams(temperature=0, max_tokens=64, seed=1), {"detail": "high"}),
    "two-images-top-p": SdkCase("gpt-4.1", GenerationParams(temperature=0.7, max_tokens=300, top_p=0.9), n_images=2),
    "reasoning-model": SdkCase("o4-mini", GenerationParams(max_tokens=512, seed=3), {"reasoning_effort": "low"}),
    "low-detail": SdkCase("gpt-4.1-mini", GenerationParams(max_tokens=16, seed=0), {"detail": "low"}),
}


def _sdk_kwargs(case: SdkCase) -> dict[str, Any]:
    """The SDK call a user would write for ``case``."""
    kwargs: dict[str, Any] = {}
    reasoning = u2fast_openai.is_reasoning_model(case.model)
    kwargs["max_completion_tokens" if reasoning else "max_tokens"] = case.params.max_tokens
    if "reasoning_effort" in case.options:
        kwargs["reasoning_effort"] = case.options["reasoning_effort"]
    if case.params.seed is not None:
        kwargs["seed"] = case.params.seed
    if not reasoning:
        kwargs["temperature"] = case.params.temperature
        if case.params.top_p is not None:
            kwargs["top_p"] = case.params.top_p
    return kwargs


class TestSdkParity(SdkParitySuite):
    cases = CASES
    key = KEY

    def send(self, case: SdkCase, base_url: str, images: list[EncodedImage]) -> object:
        detail = {"detail": case.options["detail"]} if "detail" in case.options else {}
        content: list[dict[str, Any]] = [{"type": "image_url", "image_url": {"url": i.data_url, **detail}} for i in images]
        content.append({"type": "text", "text": PROMPT})
        client = openai.OpenAI(api_key=KEY, base_url=base_url, max_retries=0)
        return client.chat.completions.create(
            model=case.model, messages=[{"role": "user", "content": content}], **_sdk_kwargs(case))
