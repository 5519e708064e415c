"""Recorded Gemini response shapes -> Reply: answers, usage, safety blocks, quota errors."""

from __future__ import annotations

import json
from typing import Any

import pytest
import u2fast_gemini

from u2fast.adapters.base import AdapterSettings
from u2fast.testing.conformance import assert_answer_reply, assert_error_reply, response_parser
from u2fast.types import ErrorKind, Usage

ADAPTER = u2fast_gemini.create(AdapterSettings(model="gemini-2.5-pro", api_key="AIza-secret-key"))
parse = response_parser(ADAPTER)


def candidate(parts: list[dict[str, Any]], finish: str = "STOP") -> dict[str, Any]:
    return {"content": {"parts": parts, "role": "model"}, "finishReason": finish, "index": 0}


SUCCESS = {
    "candidates": [candidate([{"text": "middle "}, {"text": "left"}])],
    "usageMetadata": {"promptTokenCount": 271, "candidatesTokenCount": 2, "thoughtsTokenCount": 40, "totalTokenCount": 313},
    "modelVersion": "gemini-2.5-pro",
    "responseId": "abc",
}


def test_success_joins_parts_and_counts_thinking_as_output() -> None:
    assert_answer_reply(parse(200, SUCCESS), "middle left", Usage(input_tokens=271, output_tokens=42), "gemini-2.5-pro", "STOP")


def test_thought_parts_are_not_the_answer() -> None:
    body = {"candidates": [candidate([{"text": "Let me look...", "thought": True}, {"text": "benign"}])]}
    reply = parse(200, body)
    assert reply.text == "benign" and reply.usage == Usage()


@pytest.mark.parametrize("finish", ["SAFETY", "RECITATION", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "MODEL_ARMOR"])
def test_blocking_finish_reasons_are_content_filtered(finish: str) -> None:
    reply = parse(200, {"candidates": [{"finishReason": finish, "index": 0}], "usageMetadata": {"promptTokenCount": 5}})
    assert reply.text is None
    assert reply.error is not None and reply.error.kind == "content_filtered"
    assert finish in reply.error.message
    assert reply.usage.input_tokens == 5


def test_finish_message_is_kept_with_the_block() -> None:
    body = {"candidates": [{"finishReason": "IMAGE_SAFETY", "finishMessage": "The image was flagged."}]}
    reply = parse(200, body)
    assert reply.error is not None and reply.error.kind == "content_filtered"
    assert "The image was flagged." in reply.error.message


def test_blocked_prompt_is_content_filtered() -> None:
    reply = parse(200, {"promptFeedback": {"blockReason": "PROHIBITED_CONTENT"}, "usageMetadata": {"promptTokenCount": 9}})
    assert reply.error is not None and reply.error.kind == "content_filtered"
    assert "PROHIBITED_CONTENT" in reply.error.message


def test_max_tokens_spent_thinking_is_an_empty_answer() -> None:
    body = {"candidates": [{"content": {"role": "model"}, "finishReason": "MAX_TOKENS"}], "usageMetadata": {"thoughtsTokenCount": 64}}
    reply = parse(200, body)
    assert reply.error is None and reply.text == "" and reply.finish_reason == "MAX_TOKENS"


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[]", b"{}", b'{"candidates": []}', json.dumps({"candidates": [candidate([])]}).encode()],
)
def test_malformed_bodies(body: bytes) -> None:
    reply = parse(200, body)
    assert reply.error is not None and reply.error.kind == "malformed_response"


def google_error(code: int, status: str, message: str, details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    err: dict[str, Any] = {"code": code, "message": message, "status": status}
    if details is not None:
        err["details"] = details
    return {"error": err}


def quota_failure(quota_id: str, metric: str) -> dict[str, Any]:
    return {
        "@type": "type.googleapis.com/google.rpc.QuotaFailure",
        "violations": [{"quotaMetric": metric, "quotaId": quota_id, "quotaValue": "50"}],
    }


RETRY_32S = {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "32s"}


def test_per_minute_quota_is_rate_limited_with_retry_delay() -> None:
    body = google_error(
        429,
        "RESOURCE_EXHAUSTED",
        "You exceeded your current quota, please check your plan and billing details.",
        [
            quota_failure(
                "GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
                "generativelanguage.googleapis.com/generate_content_free_tier_requests",
            ),
            RETRY_32S,
        ],
    )
    reply = parse(429, body)
    assert reply.error is not None
    assert reply.error.kind == "rate_limited"
    assert reply.error.retry_after == 32.0


def test_daily_quota_is_quota_exhausted() -> None:
    body = google_error(
        429,
        "RESOURCE_EXHAUSTED",
        "You exceeded your current quota.",
        [
            quota_failure(
                "GenerateRequestsPerDayPerProjectPerModel-FreeTier",
                "generativelanguage.googleapis.com/generate_content_free_tier_requests",
            ),
            RETRY_32S,
        ],
    )
    reply = parse(429, body)
    assert reply.error is not None and reply.error.kind == "quota_exhausted"
    assert reply.error.retry_after is None


def test_daily_quota_said_only_in_the_message() -> None:
    reply = parse(429, google_error(429, "RESOURCE_EXHAUSTED", "Daily limit for this model reached."))
    assert reply.error is not None and reply.error.kind == "quota_exhausted"


def test_rate_limit_without_retry_info_leaves_the_header_to_the_runner() -> None:
    """Retry-After is read by the runner (u2fast.adapters.retry_after), with its clock."""
    reply = parse(429, google_error(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota)."), {"Retry-After": "4"})
    assert reply.error is not None and reply.error.kind == "rate_limited" and reply.error.retry_after is None


@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [
        (400, google_error(400, "INVALID_ARGUMENT", "The input token count exceeds the maximum."), "bad_request"),
        (400, google_error(400, "FAILED_PRECONDITION", "User location is not supported for the API use."), "bad_request"),
        (
            400,
            google_error(
                400,
                "INVALID_ARGUMENT",
                "API key not valid. Please pass a valid API key.",
                [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID", "domain": "googleapis.com"}],
            ),
            "auth",
        ),
        (403, google_error(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers."), "auth"),
        (401, google_error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials."), "auth"),
        (404, google_error(404, "NOT_FOUND", "models/gemini-9 is not found for API version v1"), "bad_request"),
        (500, google_error(500, "INTERNAL", "An internal error has occurred."), "server"),
        (503, google_error(503, "UNAVAILABLE", "The model is overloaded. Please try again later."), "overloaded"),
        (504, google_error(504, "DEADLINE_EXCEEDED", "Deadline expired before operation could complete."), "timeout"),
        (502, b"<html>Bad Gateway</html>", "server"),
        (408, b"", "timeout"),
    ],
)
def test_error_statuses_and_bodies(status: int, body: Any, kind: ErrorKind) -> None:
    assert_error_reply(parse(status, body), status, kind)


