"""The adapter's request against the one the official SDK sends for the same call, live.

The SDK (a test-only dependency pinned in requirements-dev.txt) posts to u2fast's fake provider,
which records what arrived; the adapter must build the same path, body (key order included) and
the headers that matter. Broader than the stored capture: several images, sampling settings and
reasoning models.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pytest
import u2fast_openai

from u2fast.adapters.base import AdapterSettings, EncodedImage
from u2fast.testing import FakeProvider
from u2fast.types import GenerationParams

openai = pytest.importorskip("openai", reason="the openai SDK (test-only, requirements-dev.txt) is not installed")

KEY = "sk-sdk-parity-0001"


@dataclass
class Case:
    model: str
    params: GenerationParams
    options: dict[str, Any] = field(default_factory=dict)
    n_images: int = 1


CASES = {
    "capture-like": Case("gpt-4o", GenerationParams(temperature=0, max_tokens=64, seed=1), {"detail": "high"}),
    "two-images-top-p": Case("gpt-4.1", GenerationParams(temperature=0.7, max_tokens=300, top_p=0.9), n_images=2),
    "reasoning-model": Case("o4-mini", GenerationParams(max_tokens=512, seed=3), {"reasoning_effort": "low"}),
    "low-detail": Case("gpt-4.1-mini", GenerationParams(max_tokens=16, seed=0), {"detail": "low"}),
}


def _sdk_kwargs(case: Case) -> dict[str, Any]:
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


@pytest.mark.parametrize("name", list(CASES))
def test_adapter_sends_what_the_sdk_sends(name: str, jpeg: EncodedImage, make_request: Any) -> None:
    case = CASES[name]
    images = [jpeg, jpeg][: case.n_images]
    request = make_request("Which option?", params=case.params, n_images=case.n_images)
    with FakeProvider(keep_bodies=True) as fake:
        adapter = u2fast_openai.create(
            AdapterSettings(model=case.model, api_key=KEY, base_url=f"{fake.url}/v1", options=case.options)
        )
        built = adapter.build_request(request, images)
        ours = json.loads(built.body)
        image_part = {"url": jpeg.data_url, **({"detail": case.options["detail"]} if "detail" in case.options else {})}
        content = [{"type": "image_url", "image_url": image_part} for _ in images]
        content.append({"type": "text", "text": "Which option?"})
        client = openai.OpenAI(api_key=KEY, base_url=f"{fake.url}/v1", max_retries=0)
        client.chat.completions.create(
            model=case.model, messages=[{"role": "user", "content": content}], **_sdk_kwargs(case)
        )
        (sent,) = fake.received()

    assert built.method == sent.method
    assert built.url == f"{fake.url}{sent.path}"
    assert ours == sent.body
    assert list(ours) == list(sent.body)
    sdk_headers = {k.lower(): v for k, v in sent.headers.items()}
    assert {k: sdk_headers.get(k) for k in built.headers} == built.headers
