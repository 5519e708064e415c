"""The sans-I/O OpenAI chat-completions adapter.

``build_request`` writes the request the official SDK writes for the same call (the wire capture in
``shared/wire/openai-chat-completions.json`` is the reference, key order included);
``parse_response`` reads api.openai.com replies and the variants of OpenAI-compatible servers
(missing ``usage``, ``content`` as a list of parts, ``reasoning_content``/``reasoning`` fields).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import msgspec

from u2fast.adapters.answer import answer_reply, reported_tokens
from u2fast.adapters.base import EncodedImage, Reply
from u2fast.adapters.json_body import IMAGE_URL, answer_document, encode_json_with_images
from u2fast.adapters.key_redaction import redact_key
from u2fast.adapters.provider import adapter_repr
from u2fast.types import ApiError, HttpRequest, Request, Usage

from ._errors import classify_error, status_in_body

if TYPE_CHECKING:
    from .batch import OpenAIBatchWire

__all__ = ["OpenAIAdapter", "image_tokens", "is_reasoning_model"]

DEFAULT_BASE_URL = "https://api.openai.com/v1"

# Finish reasons that explain an empty answer: the model was cut off, not broken.
_TRUNCATED = ("length", "max_tokens")


def is_reasoning_model(model: str) -> bool:
    """o-series, gpt-5 and gpt-6 models: ``max_completion_tokens``, and no sampling temperature."""
    base = model.rsplit("/", 1)[-1].lower()
    return base.startswith(("o1", "o3", "o4", "gpt-5", "gpt-6"))


# Patch-based image pricing (32 px patches, at most 1536 of them) and its per-model multiplier.
_PATCH_MULTIPLIER = {"gpt-4.1-mini": 1.62, "gpt-4.1-nano": 2.46, "o4-mini": 1.72, "gpt-5-mini": 1.62, "gpt-5-nano": 2.46}


def image_tokens(model: str, width: int, height: int, detail: str | None) -> int:
    """Approximate input tokens of one image, by OpenAI's published rules.

    Tile models (gpt-4o, gpt-4.1, o3...): 85 base tokens, plus 170 per 512 px tile after the image is
    fitted into 2048x2048 and its short side brought down to 768 px; ``detail=low`` is the base only.
    Patch models (gpt-4.1-mini/nano, o4-mini): 32 px patches (at most 1536) times a multiplier.
    Unknown sizes count as 1024x1024.
    """
    if width <= 0 or height <= 0:
        width = height = 1024
    base = model.rsplit("/", 1)[-1].lower()
    for prefix, multiplier in _PATCH_MULTIPLIER.items():
        if base.startswith(prefix):
            patches = math.ceil(width / 32) * math.ceil(height / 32)
            if patches > 1536:
                shrink = math.sqrt(1536 * 32 * 32 / (width * height))
                patches = min(1536, math.ceil(width * shrink / 32) * math.ceil(height * shrink / 32))
            return math.ceil(patches * multiplier)
    if detail == "low":
        return 85
    scale = min(1.0, 2048 / max(width, height))
    w, h = width * scale, height * scale
    scale = min(1.0, 768 / min(w, h))
    w, h = w * scale, h * scale
    tiles = math.ceil(w / 512) * math.ceil(h / 512)
    return 85 + 170 * tiles


def _text_of(content: Any) -> str | None:
    """Message content as text: a string, or the text parts of a list of parts."""
    if content is None or isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = [p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") in ("text", "output_text")]
        return "".join(t for t in texts if isinstance(t, str))
    return None


def _usage(doc: Mapping[str, Any]) -> Usage:
    usage = doc.get("usage")
    if not isinstance(usage, dict):
        return Usage()  # vLLM and Ollama may leave it out; an unknown count is not an error
    inp = usage.get("prompt_tokens", usage.get("input_tokens", 0))
    out = usage.get("completion_tokens", usage.get("output_tokens", 0))
    return Usage(input_tokens=reported_tokens(inp), output_tokens=reported_tokens(out))


class OpenAIAdapter:
    """One model behind one OpenAI-compatible endpoint. Holds the key; never shows it."""

    name = "openai"

    def __init__(
        self,
        model: str,
        api_key: str | None,
        base_url: str = DEFAULT_BASE_URL,
        *,
        detail: str | None = None,
        max_tokens_param: str | None = None,
        send_temperature: bool | None = None,
        reasoning_effort: str | None = None,
        extra_body: Mapping[str, Any] | None = None,
        organization: str | None = None,
        project: str | None = None,
    ) -> None:
        self.model = model
        self.base_url = base_url.rstrip("/")
        self.detail = detail
        reasoning = is_reasoning_model(model)
        self.max_tokens_param = max_tokens_param or ("max_completion_tokens" if reasoning else "max_tokens")
        self.send_temperature = (not reasoning) if send_temperature is None else send_temperature
        self.reasoning_effort = reasoning_effort
        self.extra_body = dict(extra_body or {})
        self._api_key = api_key
        self._headers = {"content-type": "application/json"}
        if api_key:
            self._headers["authorization"] = f"Bearer {api_key}"
        if organization:
            self._headers["openai-organization"] = organization
        if project:
            self._headers["openai-project"] = project

    def __repr__(self) -> str:
        return adapter_repr(self, self.model, self.base_url, self._api_key)

    __str__ = __repr__

    # ------------------------------------------------------------------ request

    def build_body(self, request: Request, images: Sequence[EncodedImage]) -> dict[str, Any]:
        """The JSON body, keys in the order the official SDK sends them."""
        return self._body(request, [image.data_url for image in images])

    def _body(self, request: Request, urls: Sequence[Any]) -> dict[str, Any]:
        content: list[dict[str, Any]] = []
        for url in urls:
            image_url: dict[str, Any] = {"url": url}
            if self.detail:
                image_url["detail"] = self.detail
            content.append({"type": "image_url", "image_url": image_url})
        content.append({"type": "text", "text": request.prompt.text})
        params = request.params
        body: dict[str, Any] = {"model": self.model, "messages": [{"role": "user", "content": content}]}
        body[self.max_tokens_param] = params.max_tokens
        if self.reasoning_effort:
            body["reasoning_effort"] = self.reasoning_effort
        if params.seed is not None:
            body["seed"] = params.seed
        if self.send_temperature:
            body["temperature"] = params.temperature
            if params.top_p is not None:
                body["top_p"] = params.top_p
        body.update(self.extra_body)
        return body

    def build_request(self, request: Request, images: Sequence[EncodedImage]) -> HttpRequest:
        try:  # the data URLs spliced into the encoded rest: the same bytes, a fraction of the CPU
            body = encode_json_with_images(self._body(request, [IMAGE_URL] * len(images)), images)
        except ValueError:  # extra_body replaced the messages: the slots are gone, encode it all
            body = msgspec.json.encode(self.build_body(request, images))
        return HttpRequest(
            method="POST", url=f"{self.base_url}/chat/completions", headers=dict(self._headers), body=body
        )

    def estimate_tokens(self, request: Request, images: Sequence[EncodedImage]) -> int:
        """Input tokens (text at ~4 characters a token, images by OpenAI's rules), for limits and cost."""
        text = math.ceil(len(request.prompt.text) / 4) + 7  # message framing
        return text + sum(image_tokens(self.model, i.width, i.height, self.detail) for i in images)

    def batch_wire(self) -> OpenAIBatchWire:
        """This model's OpenAI Batch requests (``u2fast eval --batch``), with the same bodies."""
        from .batch import OpenAIBatchWire

        return OpenAIBatchWire(self)

    # ------------------------------------------------------------------ response

    def parse_response(self, status: int, headers: Mapping[str, str], body: bytes) -> Reply:
        doc = answer_document(status, body, classify_error, self._api_key)
        if isinstance(doc, ApiError):
            return Reply(error=doc)
        if not doc.get("choices") and (doc.get("error") or doc.get("object") == "error"):
            # Proxies and servers (vLLM: {"object": "error", "code": 503, ...}; others: {"choices": [],
            # "error": {...}}) report failures in a 200 body: classify by the code they give.
            err = doc.get("error") or doc
            inner = status_in_body(err.get("code") if isinstance(err, dict) else None)
            return Reply(error=redact_key(classify_error(inner, body), self._api_key))
        choices = doc.get("choices")
        if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
            return Reply(error=ApiError(kind="malformed_response", message="response has no choices", status=status))
        choice = choices[0]
        message = choice.get("message")
        if not isinstance(message, dict):
            return Reply(error=ApiError(kind="malformed_response", message="choice has no message", status=status))
        usage = _usage(doc)
        model = doc.get("model") if isinstance(doc.get("model"), str) else None
        fingerprint = doc.get("system_fingerprint") if isinstance(doc.get("system_fingerprint"), str) else None
        finish = choice.get("finish_reason") if isinstance(choice.get("finish_reason"), str) else None
        meta: dict[str, Any] = {"usage": usage, "response_model": model, "fingerprint": fingerprint, "finish_reason": finish}
        text = _text_of(message.get("content"))
        refusal = message.get("refusal")
        if finish == "content_filter" or (not text and isinstance(refusal, str) and refusal):
            reason = refusal if isinstance(refusal, str) and refusal else "the provider's content filter stopped the answer"
            return Reply(error=ApiError(kind="content_filtered", message=reason[:500], status=status), **meta)
        # Out of tokens before any answer (often spent on reasoning): an empty answer, not an error.
        return answer_reply(text, status=status, finish_reason=finish, cut_off=_TRUNCATED, finish_field="finish_reason",
                            usage=usage, response_model=model, fingerprint=fingerprint)
