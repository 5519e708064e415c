"""Recorded response shapes (api.openai.com and OpenAI-compatible servers) -> Reply."""

from __future__ import annotations

from typing import Any

import pytest
import u2fast_openai

from u2fast.adapters.base import AdapterSettings
from u2fast.testing.conformance import assert_answer_reply, assert_error_reply, response_parser
from u2fast.types import ErrorKind, Usage

ADAPTER = u2fast_openai.create(AdapterSettings(model="gpt-4.1", api_key="sk-secret-123"))
parse = response_parser(ADAPTER)


OPENAI_SUCCESS = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 1764300000,
    "model": "gpt-4.1-2025-04-14",
    "system_fingerprint": "fp_abc123",
    "choices": [
        {"index": 0, "message": {"role": "assistant", "content": "B. benign", "refusal": None}, "finish_reason": "stop"}
    ],
    "usage": {"prompt_tokens": 812, "completion_tokens": 4, "total_tokens": 816},
}


def test_success_records_text_usage_model_and_fingerprint() -> None:
    usage = Usage(input_tokens=812, output_tokens=4)
    assert_answer_reply(parse(200, OPENAI_SUCCESS), "B. benign", usage, "gpt-4.1-2025-04-14", "stop", "fp_abc123")


def test_vllm_reply_without_usage_and_with_reasoning_content() -> None:
    body = {
        "model": "Qwen/Qwen2.5-VL-7B-Instruct",
        "choices": [
            {
                "message": {"role": "assistant", "content": "benign", "reasoning_content": "the lesion is oval..."},
                "finish_reason": "stop",
            }
        ],
    }
    reply = parse(200, body)
    assert reply.text == "benign"  # the reasoning is not the answer
    assert reply.usage == Usage()
    assert reply.fingerprint is None


def test_content_as_list_of_parts_is_joined() -> None:
    body = {"choices": [{"message": {"content": [{"type": "text", "text": "upper "}, {"type": "text", "text": "left"}]}}]}
    assert parse(200, body).text == "upper left"


def test_truncated_empty_answer_is_empty_text_not_an_error() -> None:
    body = {"choices": [{"message": {"content": "", "reasoning": "..."}, "finish_reason": "length"}], "usage": {}}
    reply = parse(200, body)
    assert reply.error is None and reply.text == "" and reply.finish_reason == "length"


def test_empty_answer_without_reason_is_malformed() -> None:
    reply = parse(200, {"choices": [{"message": {"content": None}, "finish_reason": "stop"}]})
    assert reply.error is not None and reply.error.kind == "malformed_response"


@pytest.mark.parametrize(
    "choice",
    [
        {"message": {"content": None}, "finish_reason": "content_filter"},
        {"message": {"content": None, "refusal": "I can't help with that."}, "finish_reason": "stop"},
    ],
)
def test_content_filter_and_refusal(choice: dict[str, Any]) -> None:
    reply = parse(200, {"choices": [choice]})
    assert reply.error is not None and reply.error.kind == "content_filtered"
    assert reply.text is None


@pytest.mark.parametrize(
    "body",
    [b"<html>bad gateway</html>", b'{"choices": []}', b'{"id": "x"}', b"[1, 2]", b'{"choices": [{"text": "x"}]}'],
)
def test_malformed_bodies(body: bytes) -> None:
    reply = parse(200, body)
    assert reply.error is not None and reply.error.kind == "malformed_response"


def _err(message: str, type_: str, code: str | None) -> dict[str, Any]:
    return {"error": {"message": message, "type": type_, "param": None, "code": code}}


@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [
        (400, _err("This model's maximum context length is 128000 tokens.", "invalid_request_error", "context_length_exceeded"), "bad_request"),
        (401, _err("Incorrect API key provided: sk-secret-123.", "invalid_request_error", "invalid_api_key"), "auth"),
        (403, _err("Project does not have access to model", "invalid_request_error", "model_not_found"), "auth"),
        (404, _err("The model `gpt-9` does not exist", "invalid_request_error", "model_not_found"), "bad_request"),
        (408, _err("Request timed out", "timeout", None), "timeout"),
        (429, _err("You exceeded your current quota", "insufficient_quota", "insufficient_quota"), "quota_exhausted"),
        (429, _err("Rate limit reached for gpt-4.1", "requests", "rate_limit_exceeded"), "rate_limited"),
        (500, _err("The server had an error", "server_error", None), "server"),
        (502, b"<html>502 Bad Gateway</html>", "server"),
        (503, _err("The engine is currently overloaded", "server_error", None), "overloaded"),
        (504, b"", "timeout"),
        (529, b"overloaded", "overloaded"),
        # vLLM / SGLang and Ollama error shapes
        (400, {"object": "error", "message": "max_tokens is too large", "type": "BadRequestError", "code": 400}, "bad_request"),
        (404, {"error": "model 'llava' not found, try pulling it first"}, "bad_request"),
    ],
)
def test_error_statuses_and_bodies(status: int, body: Any, kind: ErrorKind) -> None:
    assert_error_reply(parse(status, body), status, kind)


def test_error_inside_a_200_body_uses_its_code() -> None:
    reply = parse(200, {"error": {"message": "Provider returned error", "code": 429}})
    assert reply.error is not None and reply.error.kind == "rate_limited"


@pytest.mark.parametrize(
    ("body", "kind", "status"),
    [
        # vLLM's error object, sent with status 200 by some deployments and proxies
        ({"object": "error", "message": "The engine is overloaded, come back later", "type": "ServiceUnavailableError",
          "param": None, "code": 503}, "overloaded", 503),
        # an empty choices list beside the error that explains it
        ({"choices": [], "error": {"message": "upstream said: context length exceeded", "code": "400"}}, "bad_request", 400),
        ({"choices": [], "error": {"message": "upstream crashed", "code": "internal"}}, "server", 500),
        ({"object": "error", "message": "rate limit reached for the deployment", "code": 429}, "rate_limited", 429),
    ],
)
def test_a_200_error_body_is_classified_by_its_code_and_keeps_the_servers_message(
    body: dict[str, Any], kind: str, status: int
) -> None:
    reply = parse(200, body)
    assert reply.error is not None and reply.text is None
    assert (reply.error.kind, reply.error.status) == (kind, status)
    message = body.get("message") or body["error"]["message"]
    assert message in reply.error.message


def test_retry_after_from_message_when_no_header() -> None:
    reply = parse(429, _err("Rate limit reached. Please try again in 820ms. Visit ...", "tokens", "rate_limit_exceeded"))
    assert reply.error is not None and reply.error.retry_after == pytest.approx(0.82)


def test_wait_headers_are_left_to_the_runner() -> None:
    """Retry-After and x-ratelimit-reset-* are read by the runner (u2fast.adapters.retry_after), with its clock."""
    headers = {"Retry-After": "7", "x-ratelimit-reset-requests": "6m0s", "x-ratelimit-remaining-requests": "0"}
    reply = parse(429, _err("Rate limit reached", "requests", "rate_limit_exceeded"), headers)
    assert reply.error is not None and reply.error.kind == "rate_limited" and reply.error.retry_after is None


