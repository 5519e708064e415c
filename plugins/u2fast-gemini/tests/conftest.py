"""u2fast_gemini as u2fast's conformance kit sees it (``PLUGIN``), with the kit's fixtures."""

from __future__ import annotations

from pathlib import Path

import u2fast_gemini

from u2fast.testing.conformance import PluginUnderTest, plugin_fixture
from u2fast.testing.conformance_fixtures import *  # noqa: F403  (the kit's fixtures)
from u2fast.types import Usage

PLUGIN = PluginUnderTest(
    module=u2fast_gemini,
    tests_dir=Path(__file__).parent,
    model="gemini-2.5-flash",
    key_header="x-goog-api-key",
    capture="gemini-generate-content.json",
    jpeg_tokens=258,
    batch_line=(b'{"key":"item-0001","request":', b"}"),
    batch_capture="gemini-batch.json",
    batch_answers={"item-0001": ("B", Usage(input_tokens=263, output_tokens=1))},
    batch_errors={"item-0002": "bad_request"},
    bad_options=({"api_version": "1"}, {"thinking_budget": "lots"}, {"thinking_budget": True}, {"thinking_level": "max"},
                 {"media_resolution": "ultra"}, {"thinking_budget": 10, "thinking_level": "LOW"}),
    error_samples=(
        (400, (b'{"error": {"code": 400, "status": "INVALID_ARGUMENT", "message": "API key not valid.", "details": '
               b'[{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID"}]}}'), "auth"),
        (404, b'{"error": {"code": 404, "status": "NOT_FOUND", "message": "models/x is not found"}}', "bad_request"),
    ),
)

plugin_under_test = plugin_fixture(PLUGIN)
