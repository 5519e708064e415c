"""The adapter's request against the one the official Anthropic SDK sends for the same call, live.

The SDK (a test-only dependency pinned in requirements-dev.txt) posts to u2fast's fake provider,
which records what arrived; the adapter must build the same path, body (key order included) and
the headers that matter.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pytest
import u2fast_anthropic

from u2fast.adapters.base import AdapterSettings, EncodedImage
from u2fast.testing import FakeProvider
from u2fast.types import GenerationParams

anthropic = pytest.importorskip("anthropic", reason="the anthropic SDK (test-only, requirements-dev.txt) is not installed")

KEY = "sk-ant-sdk-parity-0001"


@dataclass
class Case:
    model: str
    params: GenerationParams
    options: dict[str, Any] = field(default_factory=dict)
    n_images: int = 1


CASES = {
    "capture-like": Case("claude-sonnet-5-5", GenerationParams(temperature=0.0, max_tokens=64)),
    # The run's temperature and top_p are not forwarded: the SDK has no such arguments any more.
    "sampling-not-forwarded": Case("claude-haiku-4-5", GenerationParams(temperature=0.8, max_tokens=256, top_p=0.5), n_images=2),
    "thinking": Case("claude-sonnet-5-5", GenerationParams(max_tokens=4096), {"thinking_budget": 2048}),
    "adaptive-thinking": Case("claude-opus-5-5", GenerationParams(max_tokens=4096), {"thinking": "adaptive"}),
}


@pytest.mark.parametrize("name", list(CASES))
def test_adapter_sends_what_the_sdk_sends(name: str, jpeg: EncodedImage, make_request: Any) -> None:
    case = CASES[name]
    images = [jpeg, jpeg][: case.n_images]
    request = make_request("Which option?", params=case.params, n_images=case.n_images)
    with FakeProvider(keep_bodies=True) as fake:
        adapter = u2fast_anthropic.create(
            AdapterSettings(model=case.model, api_key=KEY, base_url=fake.url, options=case.options)
        )
        built = adapter.build_request(request, images)
        ours = json.loads(built.body)
        content: list[dict[str, Any]] = [
            {"type": "image", "source": {"type": "base64", "media_type": i.mime, "data": i.base64}} for i in images
        ]
        content.append({"type": "text", "text": "Which option?"})
        kwargs: dict[str, Any] = {}
        if "thinking_budget" in case.options:
            kwargs["thinking"] = {"type": "enabled", "budget_tokens": case.options["thinking_budget"]}
        if case.options.get("thinking") == "adaptive":
            kwargs["thinking"] = {"type": "adaptive"}
        client = anthropic.Anthropic(api_key=KEY, base_url=fake.url, max_retries=0)
        client.messages.create(
            model=case.model, max_tokens=case.params.max_tokens, messages=[{"role": "user", "content": content}], **kwargs
        )
        (sent,) = fake.received()

    assert built.method == sent.method
    assert built.url == f"{fake.url}{sent.path}"
    assert ours == sent.body
    assert list(ours) == list(sent.body)
    sdk_headers = {k.lower(): v for k, v in sent.headers.items()}
    assert {k: sdk_headers.get(k) for k in built.headers} == built.headers


def test_sdk_rejects_temperature_which_is_why_it_is_an_option() -> None:
    client = anthropic.Anthropic(api_key=KEY, base_url="http://127.0.0.1:9", max_retries=0)
    with pytest.raises(TypeError, match="temperature"):
        client.messages.create(model="m", max_tokens=1, messages=[], temperature=0.0)  # type: ignore[call-arg]
