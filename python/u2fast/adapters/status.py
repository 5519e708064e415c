"""HTTP status -> error class: the one table for the runner, the test adapters and every plugin.

A provider whose body names a more precise class (Anthropic's error ``type``, Gemini's RPC status,
OpenAI's ``insufficient_quota`` code) checks that first and falls back to this table.
"""

from __future__ import annotations

from ..types import ErrorKind

__all__ = ["QUOTA_WORDS", "kind_for_status"]

#: Words in a 429 body that mean a spent quota or balance (wait until tomorrow or pay) rather than a
#: per-minute rate: retrying will not help today, so the runner stops that model.
QUOTA_WORDS = ("quota exceeded", "exceeded your current quota", "per day", "perday", "credit balance")


def kind_for_status(status: int, body: bytes | str = b"") -> ErrorKind:
    """The error class of a non-2xx HTTP ``status`` (ValueError for a 2xx one).

    401/403 ``auth``; 402 (payment required: a spent prepaid balance) ``quota_exhausted``; 408/504
    ``timeout``; 429 ``rate_limited``, or ``quota_exhausted`` when ``body`` says so in one of
    ``QUOTA_WORDS``; 503/529 ``overloaded``; other 5xx ``server``; everything else (400 context too
    long or bad image, 404 unknown model, 413, 422) ``bad_request``.
    """
    if 200 <= status < 300:
        raise ValueError(f"HTTP {status} is a success, not an error")
    if status == 429:
        text = body[:4096].decode("utf-8", "replace") if isinstance(body, bytes) else body[:4096]
        return "quota_exhausted" if any(word in text.lower() for word in QUOTA_WORDS) else "rate_limited"
    if status in (401, 403):
        return "auth"
    if status == 402:
        return "quota_exhausted"
    if status in (408, 504):
        return "timeout"
    if status in (503, 529):
        return "overloaded"
    if status >= 500:
        return "server"
    return "bad_request"
