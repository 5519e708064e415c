"""Which failures are retried, how long to wait, and how transport failures are classified.

Adapters classify provider answers (they know that OpenAI's ``insufficient_quota`` is a daily
quota); the runner classifies what never reached an adapter (timeouts, resets) and fills in the
wait a provider asked for when the adapter did not. ``classify_status`` is a fallback adapters
may use for statuses they have no better reading of.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import re
from collections.abc import Mapping
from datetime import datetime

import aiohttp

from ..types import ApiError, ErrorKind

__all__ = [
    "RETRYABLE",
    "STOPS_MODEL",
    "backoff_delay",
    "classify_exception",
    "classify_status",
    "parse_retry_after",
    "retry_delay",
]

#: Worth another attempt after a wait.
RETRYABLE: frozenset[ErrorKind] = frozenset(
    {"rate_limited", "server", "overloaded", "timeout", "connection", "malformed_response"}
)
#: Every further request to the same model would fail the same way: stop that model, keep the rest.
STOPS_MODEL: frozenset[ErrorKind] = frozenset({"quota_exhausted", "auth"})


def backoff_delay(attempt: int, rng: random.Random, *, base: float = 0.5, cap: float = 30.0) -> float:
    """Exponential backoff with full jitter: uniform in [0, min(cap, base * 2**(attempt-1)))."""
    return rng.uniform(0.0, min(cap, base * (2 ** max(0, attempt - 1))))


def retry_delay(
    error: ApiError, attempt: int, rng: random.Random, *, base: float = 0.5, cap: float = 30.0
) -> float:
    """How long to wait before the next attempt after ``error`` (attempt numbers start at 1).

    A provider's own wait is honoured in full, plus a little jitter so that the requests it
    turned away do not all come back in the same millisecond.
    """
    if error.retry_after is not None and error.retry_after > 0:
        return error.retry_after + rng.uniform(0.0, min(1.0, 0.1 * error.retry_after + 0.05))
    return backoff_delay(attempt, rng, base=base, cap=cap)


_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)")


def _parse_duration(value: str) -> float | None:
    """``"1.5"``, ``"20ms"``, ``"6m0s"``, ``"1h2m3.5s"`` -> seconds."""
    text = value.strip()
    if not text:
        return None
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    pos, total = 0, 0.0
    for match in _DURATION_PART.finditer(text):
        if match.start() != pos:
            return None
        number, unit = float(match.group(1)), match.group(2)
        total += number * {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}[unit]
        pos = match.end()
    return total if pos == len(text) and pos > 0 else None


def _parse_date(value: str, now_epoch: float) -> float | None:
    text = value.strip()
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is None:
        try:  # RFC 3339, as Anthropic's ratelimit reset headers use
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    if parsed.tzinfo is None:
        return None
    return max(0.0, parsed.timestamp() - now_epoch)


def parse_retry_after(headers: Mapping[str, str], now_epoch: float) -> float | None:
    """Seconds a provider asked us to wait, from ``retry-after-ms``, ``Retry-After`` (seconds or
    an HTTP date) or the ``x-ratelimit-reset-*`` / ``anthropic-ratelimit-*-reset`` headers (the
    longest reset of the limits that are used up, else the longest announced)."""
    lower = {k.lower(): v for k, v in headers.items()}
    if "retry-after-ms" in lower:
        try:
            return max(0.0, float(lower["retry-after-ms"]) / 1000.0)
        except ValueError:
            pass
    if "retry-after" in lower:
        raw = lower["retry-after"]
        seconds = _parse_duration(raw) if raw.strip().replace(".", "", 1).isdigit() else None
        if seconds is None:
            seconds = _parse_date(raw, now_epoch)
        if seconds is not None:
            return seconds
    waits: list[tuple[bool, float]] = []
    for name, raw in lower.items():
        if name.startswith("x-ratelimit-reset"):
            seconds = _parse_duration(raw)
            # Some servers send an epoch timestamp instead of a duration.
            if seconds is not None and seconds > 1e9:
                seconds = max(0.0, seconds - now_epoch)
            suffix = name[len("x-ratelimit-reset") :]
            exhausted = lower.get("x-ratelimit-remaining" + suffix, "").strip() == "0"
        elif name.startswith("anthropic-ratelimit-") and name.endswith("-reset"):
            seconds = _parse_date(raw, now_epoch)
            stem = name[: -len("-reset")]
            exhausted = lower.get(stem + "-remaining", "").strip() == "0"
        else:
            continue
        if seconds is not None:
            waits.append((exhausted, seconds))
    if not waits:
        return None
    used_up = [s for exhausted, s in waits if exhausted]
    return max(used_up) if used_up else max(s for _, s in waits)


_QUOTA_WORDS = (
    "insufficient_quota",
    "quota exceeded",
    "exceeded your current quota",
    "per day",
    "perday",
    "credit balance",
)


def classify_status(status: int, body: bytes = b"") -> ErrorKind | None:
    """A default reading of an HTTP status (None for 2xx). 429 is a daily quota when the body says so."""
    if 200 <= status < 300:
        return None
    if status == 429:
        lowered = body[:4096].decode("utf-8", "replace").lower()
        return "quota_exhausted" if any(w in lowered for w in _QUOTA_WORDS) else "rate_limited"
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


def classify_exception(exc: BaseException) -> ApiError:
    """A transport failure as an ApiError (the request may or may not have reached the provider)."""
    name = type(exc).__name__
    detail = str(exc) or name
    refused_locally = isinstance(exc, (ValueError, TypeError)) and not isinstance(
        exc, (aiohttp.ClientError, UnicodeError)
    )
    if refused_locally or isinstance(exc, aiohttp.InvalidURL):
        # Refused by the HTTP client before anything was sent (a malformed URL, credentials in
        # the URL beside an Authorization header): every retry would fail the same way.
        return ApiError(kind="bad_request", message=f"{name}: {detail}")
    if isinstance(exc, (asyncio.TimeoutError, aiohttp.ServerTimeoutError, TimeoutError)):
        return ApiError(kind="timeout", message=f"{name}: {detail}")
    if isinstance(exc, (aiohttp.ClientError, ConnectionError, OSError)):
        return ApiError(kind="connection", message=f"{name}: {detail}")
    return ApiError(kind="server", message=f"{name}: {detail}")
