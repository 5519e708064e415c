"""The request the adapter builds, against the official SDK's capture for the same call."""

from __future__ import annotations

import json
from typing import Any

import u2fast_anthropic

from u2fast.adapters.base import AdapterSettings
from u2fast.types import GenerationParams


def test_default_url_and_x_api_key_option(make_request: Any) -> None:
    adapter = u2fast_anthropic.create(
        AdapterSettings(model="claude-sonnet-5-5", api_key="a-key", options={"auth": "x-api-key", "anthropic_version": "2023-06-01"})
    )
    req = adapter.build_request(make_request(), [])
    assert req.url == "https://api.anthropic.com/v1/messages"
    assert req.headers == {"content-type": "application/json", "x-api-key": "a-key", "anthropic-version": "2023-06-01"}


def test_base_url_with_version_path_is_not_doubled(make_request: Any) -> None:
    adapter = u2fast_anthropic.create(AdapterSettings(model="m", api_key="k", base_url="http://127.0.0.1:5/v1/"))
    assert adapter.build_request(make_request(), []).url == "http://127.0.0.1:5/v1/messages"


def test_sampling_only_when_set_as_options(jpeg: Any, capture_png: Any, make_request: Any) -> None:
    params = GenerationParams(temperature=0.9, max_tokens=2048, top_p=0.5, seed=3)
    plain = u2fast_anthropic.create(AdapterSettings(model="claude-sonnet-5-5", api_key="k"))
    body = json.loads(plain.build_request(make_request(params=params), [jpeg]).body)
    assert "temperature" not in body and "top_p" not in body and "seed" not in body
    assert body["max_tokens"] == 2048

    tuned = u2fast_anthropic.create(
        AdapterSettings(
            model="claude-sonnet-5-5", api_key="k", options={"temperature": 0, "top_p": 0.9, "thinking_budget": 1024}
        )
    )
    body = json.loads(tuned.build_request(make_request(params=params, n_images=2), [jpeg, capture_png]).body)
    assert body["temperature"] == 0.0 and body["top_p"] == 0.9
    assert body["thinking"] == {"type": "enabled", "budget_tokens": 1024}
    content = body["messages"][0]["content"]
    assert [c["type"] for c in content] == ["image", "image", "text"]
    assert [c["source"]["media_type"] for c in content[:2]] == ["image/jpeg", "image/png"]
