"""The adapter's request against the one the official google-genai SDK sends for the same call, live.

The SDK (a test-only dependency pinned in requirements-dev.txt) posts to u2fast's fake provider,
which records what arrived; the adapter must build the same path, body (key order included) and
the headers that matter.
"""

from __future__ import annotations

import base64
from typing import Any

import pytest

from u2fast.adapters.base import EncodedImage
from u2fast.testing.sdk_parity import PROMPT, SdkCase, SdkParitySuite
from u2fast.types import GenerationParams

genai = pytest.importorskip("google.genai", reason="the google-genai SDK (test-only, requirements-dev.txt) is not installed")
types = pytest.importorskip("google.genai.types")

KEY = "g-sdk-parity-0001"


CASES = {
    "capture-like": SdkCase("gemini-2.5-pro", GenerationParams(temperature=0.0, max_tokens=64)),
    "every-setting": SdkCase(
        "gemini-2.5-flash",
        GenerationParams(temperature=0.4, max_tokens=512, top_p=0.95, seed=7),
        {"thinking_budget": 128, "media_resolution": "MEDIA_RESOLUTION_HIGH"},
        n_images=2,
    ),
    "thinking-level": SdkCase("gemini-3.8-flash", GenerationParams(max_tokens=256), {"thinking_level": "LOW"}),
    "v1beta": SdkCase("gemini-2.5-flash-lite", GenerationParams(max_tokens=32, seed=0), {"api_version": "v1beta"}),
}


def _sdk_config(case: SdkCase) -> types.GenerateContentConfig:
    thinking = case.options.get("thinking_budget")
    return types.GenerateContentConfig(
        temperature=case.params.temperature,
        top_p=case.params.top_p,
        max_output_tokens=case.params.max_tokens,
        seed=case.params.seed,
        media_resolution=case.options.get("media_resolution"),
        thinking_config=types.ThinkingConfig(thinking_budget=thinking, thinking_level=case.options.get("thinking_level"))
        if thinking is not None or "thinking_level" in case.options
        else None,
    )


class TestSdkParity(SdkParitySuite):
    cases = CASES
    key = KEY

    def send(self, case: SdkCase, base_url: str, images: list[EncodedImage]) -> object:
        version = case.options.get("api_version", "v1")
        client = genai.Client(api_key=KEY, http_options=types.HttpOptions(base_url=base_url, api_version=version))
        parts: list[Any] = [types.Part.from_bytes(data=base64.b64decode(i.base64), mime_type=i.mime) for i in images]
        return client.models.generate_content(model=case.model, contents=[*parts, PROMPT], config=_sdk_config(case))
