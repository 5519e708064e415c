"""This plugin as u2fast's conformance kit sees it (``PLUGIN``), and the kit's fixtures: the SDK wire
capture, the 8x8 PNG it carries, a JPEG and a request factory."""

from __future__ import annotations

from pathlib import Path

import pytest
import u2fast_openai
from u2fast_openai import image_tokens
from u2fast_openai.batch import OpenAIBatchWire

from u2fast.testing.conformance import PluginUnderTest, capture, capture_path, capture_png, jpeg, make_request
from u2fast.types import GenerationParams, Usage

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
    batch_wire_type=OpenAIBatchWire,
    batch_line=(b'{"custom_id":"item-0001","method":"POST","url":"/v1/chat/completions","body":', b"}"),
    batch_capture=capture_path(Path(__file__).parent, "openai-batch.json"),
    batch_answers={"item-0001": ("B", Usage(input_tokens=278, output_tokens=1))},
    batch_errors={"item-0002": "bad_request", "item-0003": "batch_expired"},
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
