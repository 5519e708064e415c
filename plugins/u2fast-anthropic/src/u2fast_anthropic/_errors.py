"""Anthropic error bodies -> u2fast's ApiError classes.

The Messages API answers failures with ``{"type": "error", "error": {"type", "message"}}``; the
error ``type`` is more precise than the status (``overloaded_error`` arrives as 529, and behind some
gateways as 500 or 503). The status table (402 included) and the wait headers are u2fast's; the
runner reads the wait headers with its clock.
"""

from __future__ import annotations

from typing import Any

from u2fast.adapters.json_body import json_or_none
from u2fast.adapters.status import kind_for_status
from u2fast.types import ApiError, ErrorKind

__all__ = ["classify_error"]

_MAX_MESSAGE = 500
_TYPE_KINDS: dict[str, ErrorKind] = {
    "invalid_request_error": "bad_request",
    "not_found_error": "bad_request",
    "request_too_large": "bad_request",
    "authentication_error": "auth",
    "permission_error": "auth",
    "billing_error": "quota_exhausted",
    "rate_limit_error": "rate_limited",
    "timeout_error": "timeout",
    "overloaded_error": "overloaded",
}
# ``api_error`` is generic (sent with 500 and 503 alike): the status says more.
# A 400 for an empty prepaid balance: no retry will help until someone pays.
_BILLING_PHRASES = ("credit balance is too low", "billing")


def classify_error(status: int, body: bytes) -> ApiError:
    """The ApiError of a non-2xx response."""
    doc = json_or_none(body)
    err: dict[str, Any] = doc["error"] if isinstance(doc, dict) and isinstance(doc.get("error"), dict) else {}
    err_type = str(err.get("type") or "")
    message = str(err.get("message") or "") or body[:200].decode("utf-8", "replace").strip() or f"HTTP {status}"
    kind = _TYPE_KINDS.get(err_type) or kind_for_status(status, body)
    if kind == "bad_request" and any(p in message.lower() for p in _BILLING_PHRASES):
        kind = "quota_exhausted"
    if err_type and err_type not in message:
        message = f"{err_type}: {message}"
    return ApiError(kind=kind, message=message[:_MAX_MESSAGE], status=status)
