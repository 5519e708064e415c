"""OpenAI error bodies and rate-limit headers -> u2fast's ApiError classes.

Covers the shapes seen from api.openai.com (``{"error": {"message", "type", "code"}}``) and from the
OpenAI-compatible servers people run locally: vLLM and SGLang (``{"object": "error", "message", ...}``),
Ollama (``{"error": "text"}``) and LM Studio (``{"error": {"message": ...}}`` or a bare string).
"""

from __future__ import annotations

import email.utils
import re
import time
from collections.abc import Mapping
from typing import Any

import msgspec

from u2fast.adapters.http import kind_for_status
from u2fast.types import ApiError

__all__ = ["classify_error", "status_in_body", "kind_for_status", "lower_headers", "parse_duration", "retry_after_seconds"]

_MAX_MESSAGE = 500

# "6m0s", "1.5s", "20ms", "1h2m3s": the format of x-ratelimit-reset-requests / -tokens.
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}
# "Please try again in 20ms." / "... in 1.532s." inside a 429 message, the last resort.
_TRY_AGAIN = re.compile(r"try again in (\d+(?:\.\d+)?)\s*(ms|s)\b", re.IGNORECASE)


def lower_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Header names lower-cased (a plain dict from a test may use any case)."""
    return {k.lower(): v for k, v in headers.items()}


def parse_duration(text: str) -> float | None:
    """Seconds in a Go-style duration (``6m0s``, ``1.5s``, ``20ms``) or a bare number of seconds."""
    text = text.strip()
    if not text:
        return None
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    total = 0.0
    pos = 0
    for match in _DURATION_PART.finditer(text):
        if match.start() != pos:
            return None
        total += float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
        pos = match.end()
    return total if pos == len(text) else None


def _http_retry_after(value: str) -> float | None:
    """``Retry-After``: delta seconds or an HTTP date."""
    seconds = parse_duration(value)
    if seconds is not None:
        return seconds
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def retry_after_seconds(headers: Mapping[str, str], message: str = "") -> float | None:
    """How long the server asked us to wait, from the most precise source available."""
    h = lower_headers(headers)
    if "retry-after-ms" in h:
        try:
            return max(0.0, float(h["retry-after-ms"]) / 1000.0)
        except ValueError:
            pass
    if "retry-after" in h:
        seconds = _http_retry_after(h["retry-after"])
        if seconds is not None:
            return seconds
    # The reset header that matters is the one whose budget is spent; if that is not said, the
    # nearest reset (retrying early costs one more 429, waiting too long costs the whole run).
    resets: dict[str, float] = {}
    for which in ("requests", "tokens"):
        raw = h.get(f"x-ratelimit-reset-{which}")
        seconds = parse_duration(raw) if raw else None
        if seconds is not None:
            resets[which] = seconds
    spent = [w for w in resets if h.get(f"x-ratelimit-remaining-{w}", "").strip() == "0"]
    if spent:
        return max(resets[w] for w in spent)
    if resets:
        return min(resets.values())
    match = _TRY_AGAIN.search(message)
    if match:
        return float(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()]
    return None


def _error_fields(doc: Any) -> tuple[str, str, str]:
    """(message, type, code) from any of the error body shapes, empty strings when absent."""
    if not isinstance(doc, dict):
        return "", "", ""
    err = doc.get("error", doc)
    if isinstance(err, str):
        return err, "", ""
    if not isinstance(err, dict):
        return "", "", ""
    message = err.get("message") or err.get("detail") or ""
    return str(message), str(err.get("type") or ""), str(err.get("code") or "")


def status_in_body(code: Any) -> int:
    """The HTTP status an error body inside a 200 response stands for: its ``code`` when that is
    an error status (``503`` or ``"503"``), else 500 (a server failure of unknown kind)."""
    if isinstance(code, str) and code.strip().isdigit():
        code = int(code)
    return code if isinstance(code, int) and not isinstance(code, bool) and 400 <= code < 600 else 500


def classify_error(status: int, headers: Mapping[str, str], body: bytes) -> ApiError:
    """The ApiError of a non-2xx response."""
    try:
        doc: Any = msgspec.json.decode(body)
    except msgspec.DecodeError:
        doc = None
    message, err_type, code = _error_fields(doc)
    if not message:
        message = body[:200].decode("utf-8", "replace").strip() or f"HTTP {status}"
    kind = kind_for_status(status)
    retry_after: float | None = None
    if status == 429:
        if "insufficient_quota" in (code, err_type):
            kind = "quota_exhausted"  # billing, not rate: retrying will not help today
        else:
            retry_after = retry_after_seconds(headers, message)
    elif kind in ("overloaded", "server"):
        retry_after = retry_after_seconds(headers)
    if err_type and err_type not in message:
        message = f"{err_type}: {message}"
    return ApiError(kind=kind, message=message[:_MAX_MESSAGE], status=status, retry_after=retry_after)
