"""Reading a provider's answer into a Reply: the token counts it reports, and the one rule for an
answer without text.

An answer the provider cut off at the token limit before any text (a model that spent its budget
thinking) is an empty answer, not an error: the parser counts it as unparsed, which is the truth.
Any other answer without text is ``malformed_response``, naming the finish reason the provider gave.
"""

from __future__ import annotations

from collections.abc import Container
from typing import Any

from ..types import ApiError, Usage
from .base import Reply

__all__ = ["answer_reply", "reported_tokens"]


def reported_tokens(value: Any) -> int:
    """A token count as the provider reported it; 0 when it reported none (vLLM and Ollama may leave
    ``usage`` out: an unknown count is not an error)."""
    return value if isinstance(value, int) else 0


def answer_reply(
    text: str | None,
    *,
    status: int,
    finish_reason: str | None,
    cut_off: Container[str | None],
    finish_field: str,
    usage: Usage,
    response_model: str | None,
    fingerprint: str | None = None,
) -> Reply:
    """The Reply of an answer whose text is ``text``: that text; empty text when there is none and the
    provider cut it off (``finish_reason`` in ``cut_off``); otherwise ``malformed_response``, the
    finish reason named as the provider's field ``finish_field`` names it."""
    meta: dict[str, Any] = {"usage": usage, "response_model": response_model, "fingerprint": fingerprint,
                            "finish_reason": finish_reason}
    if text:
        return Reply(text=text, **meta)
    if finish_reason in cut_off:
        return Reply(text="", **meta)
    message = f"empty answer ({finish_field}={finish_reason})"
    return Reply(error=ApiError(kind="malformed_response", message=message, status=status), **meta)
