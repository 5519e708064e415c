"""u2fast_openai as u2fast's conformance kit sees it (``PLUGIN``), with the kit's fixtures."""

from __future__ import annotations

from pathlib import Path

import u2fast_openai
from u2fast_openai import image_tokens

from u2fast.testing.conformance import PluginUnderTest, plugin_fixture
from u2fast.testing.conformance_fixtures import *  # noqa: F403  (the kit's fixtures)
from u2fast.types import GenerationParams, Usage

PLUGIN = PluginUnderTest(
    module=u2fast_openai,
    tests_dir=Path(__file__).parent,
    key_header="authorization",
    key_format="Bearer {key}",
    base_path="/v1",
    capture="openai-chat-completions.json",
    capture_params=GenerationParams(temperature=0, max_tokens=64, seed=1),
    capture_options={"detail": "high"},
    jpeg_tokens=image_tokens("gpt-4.1", 640, 480, None),
    batch_line=(b'{"custom_id":"item-0001","method":"POST","url":"/v1/chat/completions","body":', b"}"),
    batch_capture="openai-batch.json",
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

plugin_under_test = plugin_fixture(PLUGIN)
