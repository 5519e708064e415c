"""The adapter's request against the one the official Anthropic SDK sends for the same call, live.

The SDK (a test-only dependency pinned in requirements-dev.txt) posts to u2fast's fake provider,
which records what arrived; the adapter must build the same path, body (key order included) and
the headers that matter.
"""

from __future__ import annotations

from typing import Any

import pytest

from u2fast.adapters.base import EncodedImage
from u2fast.testing.sdk_parity import PROMPT, SdkCase, SdkParitySuite
from u2fast.types import GenerationParams

anthropic = pytest.importorskip("anthropic", reason="the anthropic SDK (test-only, requirements-dev.txt) is not installed")

KEY = "sk-ant-sdk-parity-0001"


CASES = {
    "capture-like": SdkCase("claude-sonnet-5-5", GenerationParams(temperature=0.0, max_tokens=64)),
    # The run's temperature and top_p are not forwarded: the SDK has no such arguments any more.
    "sampling-not-forwarded": SdkCase("claude-haiku-4-5", GenerationParams(temperature=0.8, max_tokens=256, top_p=0.5), n_images=2),
    "thinking": SdkCase("claude-sonnet-5-5", GenerationParams(max_tokens=4096), {"thinking_budget": 2048}),
    "adaptive-thinking": SdkCase("claude-opus-5-5", GenerationParams(max_tokens=4096), {"thinking": "adaptive"}),
}


class TestSdkParity(SdkParitySuite):
    cases = CASES
    key = KEY

    def send(self, case: SdkCase, base_url: str, images: list[EncodedImage]) -> object:
        content: list[dict[str, Any]] = [
            {"type": "image", "source": {"type": "base64", "media_type": i.mime, "data": i.base64}} for i in images
        ]
        content.append({"type": "text", "text": PROMPT})
        kwargs: dict[str, Any] = {}
        if "thinking_budget" in case.options:
            kwargs["thinking"] = {"type": "enabled", "budget_tokens": case.options["thinking_budget"]}
        if case.options.get("thinking") == "adaptive":
            kwargs["thinking"] = {"type": "adaptive"}
        client = anthropic.Anthropic(api_key=KEY, base_url=base_url, max_retries=0)
        return client.messages.create(
            model=case.model, max_tokens=case.params.max_tokens, messages=[{"role": "user", "content": content}], **kwargs)


def test_sdk_rejects_temperature_which_is_why_it_is_an_option() -> None:
    client = anthropic.Anthropic(api_key=KEY, base_url="http://127.0.0.1:9", max_retries=0)
    with pytest.raises(TypeError, match="temperature"):
        client.messages.create(model="m", max_tokens=1, messages=[], temperature=0.0)  # type: ignore[call-arg]
