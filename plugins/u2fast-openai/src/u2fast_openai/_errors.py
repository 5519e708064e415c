"""OpenAI error bodies -> u2fast's ApiError classes.

Covers the shapes seen from api.openai.com (``{"error": {"message", "type", "code"}}``) and from the
OpenAI-compatible servers people run locally: vLLM and SGLang (``{"object": "error", "message", ...}``),
Ollama (``{"error": "text"}``) and LM Studio (``{"error": {"message": ...}}`` or a bare string).

What is OpenAI's own: the ``insufficient_quota`` code (a 429 that is billing, not rate) and the
"try again in 20ms" a 429 message names. The status table and the wait headers are u2fast's
(``u2fast.adapters``); the runner reads the headers with its clock.
"""

from __future__ import annotations

import re
from typing import Any

from u2fast.adapters.json_body import json_or_none
from u2fast.adapters.retry_after import parse_duration
from u2fast.adapters.status import kind_for_status
from u2fast.types import ApiError

__all__ = ["classify_error", "message_wait", "status_in_body"]

_MAX_MESSAGE = 500
# "Please try again in 20ms." / "... in 1.532s." inside a 429 message.
_TRY_AGAIN = re.compile(r"try again in (\d+(?:\.\d+)?\s*(?:ms|s))\b", re.IGNORECASE)


def message_wait(message: str) -> float | None:
    """Seconds a 429 message asks for ("Please try again in 1.532s."), None when it names none."""
    match = _TRY_AGAIN.search(message)
    return parse_duration(match.group(1).replace(" ", "").lower()) if match else None


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


def classify_error(status: int, body: bytes) -> ApiError:
    """The ApiError of a non-2xx response."""
    doc = json_or_none(body)
    message, err_type, code = _error_fields(doc)
    if not message:
        message = body[:200].decode("utf-8", "replace").strip() or f"HTTP {status}"
    kind = kind_for_status(status, body)
    retry_after: float | None = None
    if status == 429 and "insufficient_quota" in (code, err_type):
        kind = "quota_exhausted"  # billing, not rate: retrying will not help today
    elif kind == "rate_limited":
        retry_after = message_wait(message)
    if err_type and err_type not in message:
        message = f"{err_type}: {message}"
    return ApiError(kind=kind, message=message[:_MAX_MESSAGE], status=status, retry_after=retry_after)
