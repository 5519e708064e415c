"""This plugin as u2fast's conformance kit sees it (``PLUGIN``), and the kit's fixtures: the SDK wire
capture, the 8x8 PNG it carries, a JPEG and a request factory."""

from __future__ import annotations

from pathlib import Path

import pytest
import u2fast_openai
from u2fast_openai import image_tokens

from u2fast.testing.conformance import PluginUnderTest, capture, capture_path, capture_png, jpeg, make_request
from u2fast.types import GenerationParams

__all__ = ["PLUGIN", "capture", "capture_png", "jpeg", "make_request"]

PLUGIN = PluginUnderTest(
    module=u2fast_openai,
    distribution="u2fast-openai",
    wire="openai",
    model="gpt-4.1",
    key_header="authorization",
    key_format="Bearer {key}",
    base_path="/v1",
    capture=capture_path(Path(__file__).parent, "openai-chat-completions.json"),
    capture_params=GenerationParams(temperature=0, max_tokens=64, seed=1),
    capture_options={"detail": "high"},
    jpeg_tokens=image_tokens("gpt-4.1", 640, 480, None),
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
