"""The sans-I/O Gemini ``generateContent`` adapter.

``build_request`` writes what the official google-genai SDK writes for the same call (the wire capture
``shared/wire/gemini-generate-content.json``: ``/v1/models/{model}:generateContent``, the key in
``x-goog-api-key``, ``inlineData`` parts with URL-safe base64 data, ``generationConfig``).
``parse_response`` reads candidates, ``usageMetadata``, safety blocks and Google's error bodies.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from u2fast.adapters.answer import answer_reply, reported_tokens
from u2fast.adapters.base import EncodedImage, Reply
from u2fast.adapters.json_body import IMAGE_BASE64_URLSAFE, answer_document, encode_json_with_images
from u2fast.adapters.provider import adapter_repr
from u2fast.types import ApiError, HttpRequest, Request, Usage

from ._errors import classify_error

if TYPE_CHECKING:
    from .batch import GeminiBatchWire

__all__ = ["BLOCKING_FINISH_REASONS", "DEFAULT_API_VERSION", "DEFAULT_BASE_URL", "GeminiAdapter", "image_tokens"]

DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com"
#: The version the current SDK posts to (the REST reference also shows ``v1beta``; option ``api_version``).
DEFAULT_API_VERSION = "v1"
#: Finish reasons that mean the answer was withheld by a filter, not produced.
BLOCKING_FINISH_REASONS = frozenset(
    {
        "SAFETY",
        "RECITATION",
        "PROHIBITED_CONTENT",
        "BLOCKLIST",
        "SPII",
        "IMAGE_SAFETY",
        "IMAGE_PROHIBITED_CONTENT",
        "IMAGE_RECITATION",
        "MODEL_ARMOR",
    }
)
_TRUNCATED = frozenset({"MAX_TOKENS"})
_VERSION_SUFFIX = re.compile(r"/v\d+(?:alpha|beta)?\d*$")


def image_tokens(width: int, height: int) -> int:
    """Approximate input tokens of one image (Gemini 2.x rules).

    258 tokens when both sides are at most 384 px; otherwise the image is cut into 768x768 tiles of
    258 tokens each. Unknown sizes count as one 768x768 tile.
    """
    if width <= 0 or height <= 0:
        return 258
    if width <= 384 and height <= 384:
        return 258
    return 258 * math.ceil(width / 768) * math.ceil(height / 768)


def _urlsafe(standard_b64: str) -> str:
    """URL-safe base64, as the google-genai SDK sends image bytes (the API reads both alphabets)."""
    return standard_b64.replace("+", "-").replace("/", "_")


def _usage(doc: Mapping[str, Any]) -> Usage:
    meta = doc.get("usageMetadata")
    if not isinstance(meta, dict):
        return Usage()
    # Thinking tokens are billed as output; report them with the answer's tokens.
    output = reported_tokens(meta.get("candidatesTokenCount")) + reported_tokens(meta.get("thoughtsTokenCount"))
    return Usage(input_tokens=reported_tokens(meta.get("promptTokenCount")), output_tokens=output)


class GeminiAdapter:
    """One Gemini model. Holds the key; never shows it."""

    name = "gemini"

    def __init__(
        self,
        model: str,
        api_key: str | None,
        base_url: str = DEFAULT_BASE_URL,
        *,
        api_version: str = DEFAULT_API_VERSION,
        thinking_budget: int | None = None,
        thinking_level: str | None = None,
        media_resolution: str | None = None,
    ) -> None:
        self.model = model.removeprefix("models/")
        base = base_url.rstrip("/")
        # A base URL that already names a version (".../v1beta") is used as given.
        self.endpoint = base if _VERSION_SUFFIX.search(urlsplit(base).path) else f"{base}/{api_version}"
        self.thinking_budget = thinking_budget
        self.thinking_level = thinking_level
        self.media_resolution = media_resolution
        self._api_key = api_key
        self._headers = {"content-type": "application/json"}
        if api_key:
            self._headers["x-goog-api-key"] = api_key

    def __repr__(self) -> str:
        return adapter_repr(self, self.model, self.endpoint, self._api_key)

    __str__ = __repr__

    # ------------------------------------------------------------------ request

    def build_body(self, request: Request, images: Sequence[EncodedImage]) -> dict[str, Any]:
        """The JSON body, keys in the order the official SDK sends them."""
        return self._body(request, images, [_urlsafe(i.base64) for i in images])

    def _body(self, request: Request, images: Sequence[EncodedImage], data: Sequence[Any]) -> dict[str, Any]:
        parts: list[dict[str, Any]] = [{"inlineData": {"data": d, "mime_type": i.mime}} for i, d in zip(images, data)]
        parts.append({"text": request.prompt.text})
        params = request.params
        config: dict[str, Any] = {"temperature": params.temperature}
        if params.top_p is not None:
            config["topP"] = params.top_p
        config["maxOutputTokens"] = params.max_tokens
        if params.seed is not None:
            config["seed"] = params.seed
        if self.media_resolution:
            config["mediaResolution"] = self.media_resolution
        # Inside thinkingConfig the SDK writes snake_case names.
        if self.thinking_budget is not None:
            config["thinkingConfig"] = {"thinking_budget": self.thinking_budget}
        elif self.thinking_level is not None:
            config["thinkingConfig"] = {"thinking_level": self.thinking_level}
        return {"contents": [{"parts": parts, "role": "user"}], "generationConfig": config}

    def build_request(self, request: Request, images: Sequence[EncodedImage]) -> HttpRequest:
        url = f"{self.endpoint}/models/{quote(self.model, safe='-._~')}:generateContent"
        # the URL-safe base64 spliced into the encoded rest: the same bytes, a fraction of the CPU
        body = encode_json_with_images(self._body(request, images, [IMAGE_BASE64_URLSAFE] * len(images)), images)
        return HttpRequest(method="POST", url=url, headers=dict(self._headers), body=body)

    def estimate_tokens(self, request: Request, images: Sequence[EncodedImage]) -> int:
        """Input tokens (text at ~4 characters a token, images by Gemini's tiling), for limits and cost."""
        return math.ceil(len(request.prompt.text) / 4) + sum(image_tokens(i.width, i.height) for i in images)

    def batch_wire(self) -> GeminiBatchWire:
        """This model's batch API requests (``u2fast eval --batch``), with the same bodies."""
        from .batch import GeminiBatchWire

        return GeminiBatchWire(self)

    # ------------------------------------------------------------------ response

    def parse_response(self, status: int, headers: Mapping[str, str], body: bytes) -> Reply:
        doc = answer_document(status, body, classify_error, self._api_key)
        if isinstance(doc, ApiError):
            return Reply(error=doc)
        usage = _usage(doc)
        model = doc.get("modelVersion") if isinstance(doc.get("modelVersion"), str) else None
        feedback = doc.get("promptFeedback")
        block = feedback.get("blockReason") if isinstance(feedback, dict) else None
        candidates = doc.get("candidates")
        if block and not candidates:
            return Reply(
                error=ApiError(kind="content_filtered", message=f"prompt blocked: {block}", status=status),
                usage=usage,
                response_model=model,
                finish_reason=str(block),
            )
        if not isinstance(candidates, list) or not candidates or not isinstance(candidates[0], dict):
            return Reply(error=ApiError(kind="malformed_response", message="response has no candidates", status=status))
        candidate = candidates[0]
        finish = candidate.get("finishReason") if isinstance(candidate.get("finishReason"), str) else None
        meta: dict[str, Any] = {"usage": usage, "response_model": model, "finish_reason": finish}
        if finish in BLOCKING_FINISH_REASONS:
            detail = candidate.get("finishMessage")
            message = f"answer withheld: finishReason {finish}" + (f" ({detail})" if isinstance(detail, str) else "")
            return Reply(error=ApiError(kind="content_filtered", message=message[:500], status=status), **meta)
        content = candidate.get("content")
        parts = content.get("parts") if isinstance(content, dict) else None
        # Thought summaries (``"thought": true``) are not the answer.
        texts = [
            p["text"]
            for p in (parts if isinstance(parts, list) else [])
            if isinstance(p, dict) and isinstance(p.get("text"), str) and not p.get("thought")
        ]
        # Out of tokens (thinking counts against maxOutputTokens on 2.5 models): empty, not broken.
        return answer_reply("".join(texts), status=status, finish_reason=finish, cut_off=_TRUNCATED,
                            finish_field="finishReason", usage=usage, response_model=model)
