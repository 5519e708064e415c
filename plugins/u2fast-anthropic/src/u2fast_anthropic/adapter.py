"""The sans-I/O Anthropic Messages adapter.

``build_request`` writes what the official SDK writes for the same call (the wire capture
``shared/wire/anthropic-messages.json``): ``POST /v1/messages`` with ``authorization: Bearer`` and
``anthropic-version: 2026-10-21``, base64 image blocks before the text, and no ``temperature``,
which the current ``messages.create`` no longer takes; sampling settings are sent only when the
user sets them as adapter options.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from u2fast.adapters.answer import answer_reply, reported_tokens
from u2fast.adapters.base import EncodedImage, Reply
from u2fast.adapters.json_body import IMAGE_BASE64, answer_document, encode_json_with_images
from u2fast.adapters.key_redaction import redact_key
from u2fast.adapters.provider import adapter_repr
from u2fast.types import ApiError, HttpRequest, Request, Usage

from ._errors import classify_error

if TYPE_CHECKING:
    from .batch import AnthropicBatchWire

__all__ = ["API_VERSION", "DEFAULT_BASE_URL", "AnthropicAdapter", "image_tokens"]

DEFAULT_BASE_URL = "https://api.anthropic.com"
#: The ``anthropic-version`` the current SDK sends.
API_VERSION = "2026-10-21"
# Stop reasons that explain an empty answer (cut off, not broken).
_TRUNCATED = frozenset({"max_tokens", "model_context_window_exceeded"})


def image_tokens(width: int, height: int) -> int:
    """Approximate input tokens of one image: width x height / 750 after Anthropic's resizing.

    Images are scaled down to a long edge of at most 1568 px and about 1.2 megapixels (1092x1092 is
    kept as is), which caps an image near 1600 tokens. Unknown sizes count as the cap.
    """
    if width <= 0 or height <= 0:
        return 1600
    scale = min(1.0, 1568 / max(width, height), math.sqrt(1_200_000 / (width * height)))
    return max(1, math.ceil(width * scale * height * scale / 750))


def _usage(doc: Mapping[str, Any]) -> Usage:
    usage = doc.get("usage")
    if not isinstance(usage, dict):
        return Usage()
    # Cached prompt tokens are still prompt tokens (billed at other rates).
    prompt = reported_tokens(usage.get("input_tokens")) + reported_tokens(usage.get("cache_creation_input_tokens"))
    prompt += reported_tokens(usage.get("cache_read_input_tokens"))
    return Usage(input_tokens=prompt, output_tokens=reported_tokens(usage.get("output_tokens")))


class AnthropicAdapter:
    """One Claude model. Holds the key; never shows it."""

    name = "anthropic"

    def __init__(
        self,
        model: str,
        api_key: str | None,
        base_url: str = DEFAULT_BASE_URL,
        *,
        auth: str = "bearer",
        anthropic_version: str = API_VERSION,
        temperature: float | None = None,
        top_p: float | None = None,
        thinking_budget: int | str | None = None,
    ) -> None:
        self.model = model
        base = base_url.rstrip("/")
        # Accept a base URL given with the version path ("https://host/v1") as well as without.
        self.url = f"{base}/messages" if base.endswith("/v1") else f"{base}/v1/messages"
        self.temperature = temperature
        self.top_p = top_p
        self.thinking_budget = thinking_budget
        self._api_key = api_key
        self._headers = {"content-type": "application/json"}
        if api_key:
            if auth == "x-api-key":
                self._headers["x-api-key"] = api_key
            else:
                self._headers["authorization"] = f"Bearer {api_key}"
        self._headers["anthropic-version"] = anthropic_version

    def __repr__(self) -> str:
        return adapter_repr(self, self.model, self.url, self._api_key)

    __str__ = __repr__

    # ------------------------------------------------------------------ request

    def build_body(self, request: Request, images: Sequence[EncodedImage]) -> dict[str, Any]:
        """The JSON body, keys in the order the official SDK sends them (alphabetical)."""
        return self._body(request, images, [i.base64 for i in images])

    def _body(self, request: Request, images: Sequence[EncodedImage], data: Sequence[Any]) -> dict[str, Any]:
        content: list[dict[str, Any]] = [
            {"type": "image", "source": {"type": "base64", "media_type": i.mime, "data": d}}
            for i, d in zip(images, data)
        ]
        content.append({"type": "text", "text": request.prompt.text})
        body: dict[str, Any] = {
            "max_tokens": request.params.max_tokens,
            "messages": [{"role": "user", "content": content}],
            "model": self.model,
        }
        if self.temperature is not None:
            body["temperature"] = self.temperature
        if self.thinking_budget == "adaptive":
            body["thinking"] = {"type": "adaptive"}
        elif self.thinking_budget is not None:
            body["thinking"] = {"type": "enabled", "budget_tokens": self.thinking_budget}
        if self.top_p is not None:
            body["top_p"] = self.top_p
        return body

    def build_request(self, request: Request, images: Sequence[EncodedImage]) -> HttpRequest:
        # the base64 spliced into the encoded rest: the same bytes, a fraction of the CPU
        body = encode_json_with_images(self._body(request, images, [IMAGE_BASE64] * len(images)), images)
        return HttpRequest(method="POST", url=self.url, headers=dict(self._headers), body=body)

    def estimate_tokens(self, request: Request, images: Sequence[EncodedImage]) -> int:
        """Input tokens (text at ~4 characters a token, images by Anthropic's rule), for limits and cost."""
        return math.ceil(len(request.prompt.text) / 4) + 8 + sum(image_tokens(i.width, i.height) for i in images)

    def batch_wire(self) -> AnthropicBatchWire:
        """This model's batch API requests (``u2fast eval --batch``), with the same bodies."""
        from .batch import AnthropicBatchWire

        return AnthropicBatchWire(self)

    # ------------------------------------------------------------------ response

    def parse_response(self, status: int, headers: Mapping[str, str], body: bytes) -> Reply:
        doc = answer_document(status, body, classify_error, self._api_key)
        if isinstance(doc, ApiError):
            return Reply(error=doc)
        if doc.get("type") == "error":
            # An error delivered with a 2xx status (seen behind gateways): classify by its type.
            return Reply(error=redact_key(classify_error(500, body), self._api_key))
        content = doc.get("content")
        if not isinstance(content, list):
            return Reply(error=ApiError(kind="malformed_response", message="response has no content list", status=status))
        stop = doc.get("stop_reason") if isinstance(doc.get("stop_reason"), str) else None
        model = doc.get("model") if isinstance(doc.get("model"), str) else None
        if stop == "refusal":
            return Reply(
                error=ApiError(kind="content_filtered", message="the model declined to answer (stop_reason refusal)", status=status),
                usage=_usage(doc), response_model=model, finish_reason=stop,
            )  # fmt: skip
        # Thinking blocks are not the answer; only text blocks are.
        text = "".join(
            b["text"] for b in content if isinstance(b, dict) and b.get("type") == "text" and isinstance(b.get("text"), str)
        )
        return answer_reply(text, status=status, finish_reason=stop, cut_off=_TRUNCATED, finish_field="stop_reason",
                            usage=_usage(doc), response_model=model)
