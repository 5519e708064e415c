"""Gemini API error bodies -> u2fast's ApiError classes.

Google APIs answer failures with ``{"error": {"code", "message", "status", "details": [...]}}`` where
``details`` carries typed entries: ``google.rpc.QuotaFailure`` (which quota: per minute or per day),
``google.rpc.RetryInfo`` (``retryDelay`` such as ``"32s"``) and ``google.rpc.ErrorInfo`` (a reason
such as ``API_KEY_INVALID``). Those are Gemini's own; the status table and the wait headers are
u2fast's (the runner reads the headers with its clock when ``RetryInfo`` names no wait).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from u2fast.adapters.json_body import json_or_none
from u2fast.adapters.retry_after import parse_duration
from u2fast.adapters.status import kind_for_status
from u2fast.types import ApiError, ErrorKind

__all__ = ["classify_error", "is_daily_quota"]

_MAX_MESSAGE = 500
# Reasons of google.rpc.ErrorInfo that mean the key itself is wrong, whatever the HTTP status.
_AUTH_REASONS = ("API_KEY_INVALID", "API_KEY_SERVICE_BLOCKED", "API_KEY_HTTP_REFERRER_BLOCKED", "CONSUMER_INVALID")
_STATUS_KINDS: dict[str, ErrorKind] = {
    "INVALID_ARGUMENT": "bad_request",
    "FAILED_PRECONDITION": "bad_request",
    "OUT_OF_RANGE": "bad_request",
    "NOT_FOUND": "bad_request",
    "UNAUTHENTICATED": "auth",
    "PERMISSION_DENIED": "auth",
    "DEADLINE_EXCEEDED": "timeout",
    "UNAVAILABLE": "overloaded",
    "INTERNAL": "server",
    "UNKNOWN": "server",
}


def _details(err: Mapping[str, Any], kind: str) -> list[dict[str, Any]]:
    details = err.get("details")
    if not isinstance(details, list):
        return []
    return [d for d in details if isinstance(d, dict) and str(d.get("@type", "")).endswith(kind)]


def is_daily_quota(err: Mapping[str, Any]) -> bool:
    """Whether a RESOURCE_EXHAUSTED error is a per-day quota (wait until tomorrow) rather than per minute."""
    for failure in _details(err, "google.rpc.QuotaFailure"):
        for violation in failure.get("violations") or []:
            if not isinstance(violation, dict):
                continue
            ids = f"{violation.get('quotaId', '')} {violation.get('quotaMetric', '')}".lower()
            if "perday" in ids or "per_day" in ids or "daily" in ids:
                return True
    message = str(err.get("message", "")).lower()
    return "daily" in message or "per day" in message


def classify_error(status: int, body: bytes) -> ApiError:
    """The ApiError of a non-2xx response."""
    doc = json_or_none(body)
    # Some proxies wrap the error in a one-element list.
    if isinstance(doc, list) and len(doc) == 1:
        doc = doc[0]
    err: dict[str, Any] = doc["error"] if isinstance(doc, dict) and isinstance(doc.get("error"), dict) else {}
    message = str(err.get("message") or "") or body[:200].decode("utf-8", "replace").strip() or f"HTTP {status}"
    rpc_status = str(err.get("status") or "")
    reasons = {str(d.get("reason", "")) for d in _details(err, "google.rpc.ErrorInfo")}

    retry_after: float | None = None
    kind: ErrorKind
    if reasons & set(_AUTH_REASONS):
        kind = "auth"  # Gemini answers a bad key with 400 INVALID_ARGUMENT
    elif status == 429 or rpc_status == "RESOURCE_EXHAUSTED":
        kind = "quota_exhausted" if is_daily_quota(err) else "rate_limited"
        if kind == "rate_limited":
            for info in _details(err, "google.rpc.RetryInfo"):
                delay = info.get("retryDelay")
                retry_after = parse_duration(delay) if isinstance(delay, str) else None
    elif rpc_status in _STATUS_KINDS:
        kind = _STATUS_KINDS[rpc_status]
    else:
        kind = kind_for_status(status, body)  # 429 never gets here: it is handled above
    if rpc_status and rpc_status not in message:
        message = f"{rpc_status}: {message}"
    return ApiError(kind=kind, message=message[:_MAX_MESSAGE], status=status, retry_after=retry_after)
