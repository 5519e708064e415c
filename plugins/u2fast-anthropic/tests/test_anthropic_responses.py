"""Recorded Messages API response shapes -> Reply: answers, usage, refusals and error types."""

from __future__ import annotations

import json
from typing import Any

import pytest
import u2fast_anthropic

from u2fast.adapters.base import AdapterSettings
from u2fast.testing.conformance import assert_answer_reply, assert_error_reply, response_parser
from u2fast.types import ErrorKind, Usage

ADAPTER = u2fast_anthropic.create(AdapterSettings(model="claude-sonnet-5-5", api_key="sk-ant-secret"))
parse = response_parser(ADAPTER)


def message(content: list[dict[str, Any]], stop: str = "end_turn", usage: dict[str, int] | None = None) -> dict[str, Any]:
    return {
        "id": "msg_01",
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-5-5-20261001",
        "content": content,
        "stop_reason": stop,
        "stop_sequence": None,
        "usage": usage if usage is not None else {"input_tokens": 300, "output_tokens": 3},
    }


def test_success_text_usage_and_model() -> None:
    reply = parse(
        200,
        message(
            [{"type": "text", "text": "benign"}],
            usage={"input_tokens": 20, "cache_read_input_tokens": 280, "cache_creation_input_tokens": 0, "output_tokens": 3},
        ),
    )
    assert_answer_reply(reply, "benign", Usage(input_tokens=300, output_tokens=3), "claude-sonnet-5-5-20261001", "end_turn")


def test_thinking_blocks_are_not_the_answer() -> None:
    reply = parse(200, message([{"type": "thinking", "thinking": "hmm", "signature": "x"}, {"type": "text", "text": "lower left"}]))
    assert reply.text == "lower left"


def test_refusal_is_content_filtered() -> None:
    reply = parse(200, message([], stop="refusal"))
    assert reply.text is None
    assert reply.error is not None and reply.error.kind == "content_filtered"
    assert reply.usage.input_tokens == 300


def test_cut_off_before_any_text_is_an_empty_answer() -> None:
    reply = parse(200, message([{"type": "thinking", "thinking": "...", "signature": "x"}], stop="max_tokens"))
    assert reply.error is None and reply.text == "" and reply.finish_reason == "max_tokens"


@pytest.mark.parametrize(
    "body", [b"", b"null", b'{"type": "message"}', json.dumps(message([], stop="end_turn")).encode()]
)
def test_malformed_bodies(body: bytes) -> None:
    reply = parse(200, body)
    assert reply.error is not None and reply.error.kind == "malformed_response"


def anthropic_error(type_: str, text: str) -> dict[str, Any]:
    return {"type": "error", "error": {"type": type_, "message": text}, "request_id": "req_01"}


@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [
        (400, anthropic_error("invalid_request_error", "prompt is too long: 250000 tokens > 200000 maximum"), "bad_request"),
        (400, anthropic_error("invalid_request_error", "Your credit balance is too low to access the Anthropic API."), "quota_exhausted"),
        (401, anthropic_error("authentication_error", "invalid x-api-key"), "auth"),
        (403, anthropic_error("permission_error", "Your API key does not have permission to use the specified resource."), "auth"),
        (404, anthropic_error("not_found_error", "model: claude-9"), "bad_request"),
        (413, anthropic_error("request_too_large", "Request exceeds the maximum allowed number of bytes."), "bad_request"),
        (429, anthropic_error("rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit"), "rate_limited"),
        (500, anthropic_error("api_error", "Internal server error"), "server"),
        (503, anthropic_error("api_error", "Service unavailable"), "overloaded"),
        (529, anthropic_error("overloaded_error", "Overloaded"), "overloaded"),
        (503, anthropic_error("overloaded_error", "Overloaded"), "overloaded"),
        (504, anthropic_error("timeout_error", "Request timed out"), "timeout"),
        (502, b"<html>bad gateway</html>", "server"),
        (529, b"", "overloaded"),
        (408, b"", "timeout"),
    ],
)
def test_error_types_and_statuses(status: int, body: Any, kind: ErrorKind) -> None:
    assert_error_reply(parse(status, body), status, kind)


def test_error_type_in_a_200_body_is_classified() -> None:
    reply = parse(200, anthropic_error("overloaded_error", "Overloaded"))
    assert reply.error is not None and reply.error.kind == "overloaded"


def test_wait_headers_are_left_to_the_runner() -> None:
    """retry-after and anthropic-ratelimit-*-reset are read by the runner (u2fast.adapters.retry_after)."""
    for status, kind in ((429, "rate_limit_error"), (529, "overloaded_error")):
        reply = parse(status, anthropic_error(kind, "slow down"), {"retry-after": "12"})
        assert reply.error is not None and reply.error.retry_after is None
