"""The request the adapter builds, against the official SDK's capture for the same call."""

from __future__ import annotations

import base64
import json
from typing import Any

import u2fast_gemini

from u2fast.adapters.base import AdapterSettings
from u2fast.types import GenerationParams


def test_default_endpoint_and_v1beta_option(capture_png: Any, make_request: Any) -> None:
    default = u2fast_gemini.create(AdapterSettings(model="gemini-2.5-flash", api_key="g"))
    assert default.build_request(make_request(), []).url == (
        "https://generativelanguage.googleapis.com/v1/models/gemini-2.5-flash:generateContent"
    )
    beta = u2fast_gemini.create(AdapterSettings(model="models/gemini-2.5-flash", api_key="g", options={"api_version": "v1beta"}))
    assert beta.build_request(make_request(), []).url.endswith("/v1beta/models/gemini-2.5-flash:generateContent")
    # A base URL that already carries a version is used as given.
    given = u2fast_gemini.create(AdapterSettings(model="gemini-2.5-pro", api_key="g", base_url="http://127.0.0.1:9/v1beta/"))
    assert given.build_request(make_request(), []).url == "http://127.0.0.1:9/v1beta/models/gemini-2.5-pro:generateContent"


def test_generation_config_carries_every_sampling_setting(jpeg: Any, make_request: Any) -> None:
    adapter = u2fast_gemini.create(
        AdapterSettings(model="gemini-2.5-pro", api_key="g", options={"thinking_budget": 128})
    )
    params = GenerationParams(temperature=0.4, max_tokens=512, top_p=0.95, seed=7)
    body = json.loads(adapter.build_request(make_request(params=params), [jpeg]).body)
    assert body["generationConfig"] == {
        "temperature": 0.4,
        "topP": 0.95,
        "maxOutputTokens": 512,
        "seed": 7,
        "thinkingConfig": {"thinking_budget": 128},
    }
    parts = body["contents"][0]["parts"]
    assert parts[0]["inlineData"]["mime_type"] == "image/jpeg"
    assert parts[1] == {"text": "Which option?"}


def test_several_images_come_first_in_order(jpeg: Any, capture_png: Any, make_request: Any) -> None:
    adapter = u2fast_gemini.create(AdapterSettings(model="gemini-2.5-pro", api_key="g"))
    parts = json.loads(adapter.build_request(make_request(n_images=2), [capture_png, jpeg]).body)["contents"][0]["parts"]
    assert [p["inlineData"]["mime_type"] for p in parts[:2]] == ["image/png", "image/jpeg"]
    assert "text" in parts[2]


def test_image_data_is_url_safe_base64_like_the_sdk(jpeg: Any, make_request: Any) -> None:
    adapter = u2fast_gemini.create(AdapterSettings(model="gemini-2.5-pro", api_key="g"))
    data = json.loads(adapter.build_request(make_request(), [jpeg]).body)["contents"][0]["parts"][0]["inlineData"]["data"]
    assert "/" in jpeg.base64  # a JPEG starts with /9j/ in standard base64
    assert "/" not in data and "+" not in data
    assert base64.urlsafe_b64decode(data) == base64.b64decode(jpeg.base64)
