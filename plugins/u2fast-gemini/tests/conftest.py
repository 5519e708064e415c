"""This plugin as u2fast's conformance kit sees it (``PLUGIN``), and the kit's fixtures: the SDK wire
capture, the 8x8 PNG it carries, a JPEG and a request factory."""

from __future__ import annotations

from pathlib import Path

import pytest
import u2fast_gemini
from u2fast_gemini.batch import GeminiBatchWire

from u2fast.testing.conformance import PluginUnderTest, capture, capture_path, capture_png, jpeg, make_request
from u2fast.types import Usage

__all__ = ["PLUGIN", "capture", "capture_png", "jpeg", "make_request"]

PLUGIN = PluginUnderTest(
    module=u2fast_gemini,
    distribution="u2fast-gemini",
    wire="gemini",
    model="gemini-2.5-flash",
    key_header="x-goog-api-key",
    capture=capture_path(Path(__file__).parent, "gemini-generate-content.json"),
    jpeg_tokens=258,
    batch_wire_type=GeminiBatchWire,
    batch_line=(b'{"key":"item-0001","request":', b"}"),
    batch_capture=capture_path(Path(__file__).parent, "gemini-batch.json"),
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


@pytest.fixture
def plugin_under_test() -> PluginUnderTest:
    return PLUGIN
