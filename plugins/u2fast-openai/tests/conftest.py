"""This plugin as u2fast's conformance kit sees it (``PLUGIN``), and the kit's fixtures: the SDK wire
capture, the 8x8 PNG it carries, a JPEG and a request factory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import u2fast_openai

from u2fast.adapters.base import AdapterSettings
from u2fast.testing.conformance import PluginUnderTest, capture, capture_path, capture_png, jpeg, make_request
from u2fast.types import GenerationParams

__all__ = ["PLUGIN", "capture", "capture_png", "jpeg", "make_request"]


def _capture_settings(capture: dict[str, Any]) -> AdapterSettings:
    key = capture["headers"]["authorization"].removeprefix("Bearer ")
    return AdapterSettings(model=capture["body"]["model"], api_key=key, base_url="http://127.0.0.1:8000/v1",
                           options={"detail": "high"})


def _capture_image(capture: dict[str, Any]) -> tuple[str, str]:
    mime, b64 = capture["body"]["messages"][0]["content"][0]["image_url"]["url"].removeprefix("data:").split(";base64,")
    return mime, b64


PLUGIN = PluginUnderTest(
    module=u2fast_openai,
    distribution="u2fast-openai",
    wire="openai",
    model="gpt-4.1",
    key_header="authorization",
    key_format="Bearer {key}",
    base_path="/v1",
    capture=capture_path(Path(__file__).parent, "openai-chat-completions.json"),
    capture_settings=_capture_settings,
    capture_image=_capture_image,
    capture_params=GenerationParams(temperature=0, max_tokens=64, seed=1),
    bad_options=({"detail": 3}, {"max_tokens_param": "tokens"}, {"send_temperature": "yes"}, {"extra_body": [1]}),
    error_samples=(
        (402, b'{"error": {"message": "Payment required", "type": "billing"}}', "quota_exhausted"),
        (429, b'{"error": {"message": "You exceeded your current quota", "type": "insufficient_quota"}}', "quota_exhausted"),
        (404, b'{"object": "error", "message": "The model does not exist.", "code": 404}', "bad_request"),
        (500, b'{"error": "ollama: model runner crashed"}', "server"),
    ),
)


@pytest.fixture
def plugin_under_test() -> PluginUnderTest:
    return PLUGIN
