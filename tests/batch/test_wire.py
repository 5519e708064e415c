"""u2fast.batch.wire: a batch line carries the adapter's sync body verbatim, its custom id checked."""

from __future__ import annotations

import json

import pytest

from u2fast.batch.wire import sync_body_line
from u2fast.testing import ChatCompletionsAdapter, encoded_image, single_request

IMAGE = encoded_image(b"\x89PNG\r\n\x1a\n-not-really", "image/png", 8, 8)


def test_the_line_is_the_id_the_fields_then_the_sync_body_byte_for_byte() -> None:
    adapter = ChatCompletionsAdapter("http://127.0.0.1:1/v1", "m")
    request = single_request("Which option?", model="openai:m")
    body = adapter.build_request(request, (IMAGE,)).body
    line = sync_body_line(adapter, request, (IMAGE,), ("custom_id", "item-1"), "body", {"method": "POST", "url": "/v1/x"})
    assert line == b'{"custom_id":"item-1","method":"POST","url":"/v1/x","body":' + body + b"}"
    assert json.loads(line)["body"] == json.loads(body)
    assert sync_body_line(adapter, request, (IMAGE,), ("key", "k"), "request") == b'{"key":"k","request":' + body + b"}"


def test_a_custom_id_the_providers_refuse_is_a_value_error() -> None:
    adapter = ChatCompletionsAdapter("http://127.0.0.1:1/v1", "m")
    with pytest.raises(ValueError, match="custom id 'has space'"):
        sync_body_line(adapter, single_request("x", model="openai:m"), (), ("custom_id", "has space"), "body")
