"""u2fast_anthropic as u2fast's conformance kit sees it (``PLUGIN``), with the kit's fixtures."""

from __future__ import annotations

from pathlib import Path

import u2fast_anthropic

from u2fast.testing.conformance import PluginUnderTest, plugin_fixture
from u2fast.testing.conformance_fixtures import *  # noqa: F403  (the kit's fixtures)
from u2fast.types import Usage

PLUGIN = PluginUnderTest(
    module=u2fast_anthropic,
    tests_dir=Path(__file__).parent,
    model="claude-sonnet-4-5",
    key_header="authorization",
    key_format="Bearer {key}",
    capture="anthropic-messages.json",
    jpeg_tokens=410,
    batch_line=(b'{"custom_id":"item-0001","params":', b"}"),
    batch_capture="anthropic-batch.json",
    batch_answers={"item-0001": ("B", Usage(input_tokens=37, output_tokens=4))},
    batch_errors={"item-0002": "bad_request", "item-0003": "cancelled", "item-0004": "batch_expired"},
    bad_options=({"auth": "basic"}, {"temperature": 1.5}, {"temperature": "0"}, {"top_p": -1},
                 {"thinking_budget": 100}, {"thinking": "always"}),
    error_samples=(
        (500, b'{"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}', "overloaded"),
        (402, b'{"type": "error", "error": {"type": "api_error", "message": "payment required"}}', "quota_exhausted"),
        (400, b'{"type": "error", "error": {"type": "invalid_request_error", "message": "Your credit balance is too low"}}',
         "quota_exhausted"),
    ),
)

plugin_under_test = plugin_fixture(PLUGIN)
