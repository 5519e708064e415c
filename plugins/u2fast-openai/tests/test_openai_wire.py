"""The request the adapter builds, against the official SDK's capture for the same call."""

from __future__ import annotations

import json
from typing import Any

import u2fast_openai

from u2fast.adapters.base import AdapterSettings
from u2fast.types import GenerationParams


def test_default_base_url_and_no_detail_when_unset(capture_png: Any, make_request: Any) -> None:
    adapter = u2fast_openai.create(AdapterSettings(model="gpt-4.1", api_key="sk-x"))
    req = adapter.build_request(make_request(), [capture_png])
    assert req.url == "https://api.openai.com/v1/chat/completions"
    image_url = json.loads(req.body)["messages"][0]["content"][0]["image_url"]
    assert image_url == {"url": capture_png.data_url}


def test_real_mime_type_and_every_image_in_order(jpeg: Any, capture_png: Any, make_request: Any) -> None:
    adapter = u2fast_openai.create(AdapterSettings(model="gpt-4.1", api_key="sk-x"))
    body = json.loads(adapter.build_request(make_request(n_images=2), [jpeg, capture_png]).body)
    urls = [p["image_url"]["url"] for p in body["messages"][0]["content"][:2]]
    assert urls[0].startswith("data:image/jpeg;base64,")
    assert urls[1].startswith("data:image/png;base64,")
    assert body["messages"][0]["content"][2] == {"type": "text", "text": "Which option?"}


def test_sampling_params_and_options(make_request: Any) -> None:
    params = GenerationParams(temperature=0.7, max_tokens=300, top_p=0.9, seed=None)
    adapter = u2fast_openai.create(
        AdapterSettings(model="Qwen/Qwen2.5-VL-7B", base_url="http://10.0.0.5:8000/v1", options={"extra_body": {"top_k": 20}})
    )
    body = json.loads(adapter.build_request(make_request(params=params), []).body)
    assert body["temperature"] == 0.7 and body["top_p"] == 0.9 and body["max_tokens"] == 300
    assert "seed" not in body  # no seed configured: none sent
    assert body["top_k"] == 20


def test_reasoning_models_use_max_completion_tokens_without_temperature(make_request: Any) -> None:
    adapter = u2fast_openai.create(
        AdapterSettings(model="o4-mini", api_key="sk-x", options={"reasoning_effort": "low"})
    )
    body = json.loads(adapter.build_request(make_request(), []).body)
    assert body["max_completion_tokens"] == 64 and "max_tokens" not in body
    assert "temperature" not in body
    assert body["reasoning_effort"] == "low"
    forced = u2fast_openai.create(
        AdapterSettings(
            model="o4-mini", api_key="sk-x", options={"max_tokens_param": "max_tokens", "send_temperature": True}
        )
    )
    body = json.loads(forced.build_request(make_request(), []).body)
    assert body["max_tokens"] == 64 and body["temperature"] == 0
