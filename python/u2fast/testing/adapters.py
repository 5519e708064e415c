"""A minimal OpenAI chat-completions adapter, for testing the runner against the fake provider.

It is deliberately small (no model quirks, no token tables beyond a flat estimate); real runs use
the ``u2fast-openai`` plugin. It shows the sans-I/O shape an adapter needs: ``build_request``,
``parse_response`` and ``estimate_tokens``, all pure.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from typing import Any

import msgspec

from ..adapters.base import EncodedImage, Reply
from ..adapters.json_body import IMAGE_URL, encode_json_with_images
from ..adapters.status import kind_for_status
from ..credentials import redact_url
from ..types import ApiError, HttpRequest, Request, Usage

__all__ = ["ChatCompletionsAdapter"]

_decode = msgspec.json.decode


class ChatCompletionsAdapter:
    name = "fakeopenai"

    def __init__(
        self, base_url: str, model: str = "fake-model", api_key: str | None = "sk-test-key-000000"
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        self._api_key = api_key

    def __repr__(self) -> str:
        return f"ChatCompletionsAdapter(base_url={redact_url(self.base_url)!r}, model={self.model!r})"

    def build_request(self, request: Request, images: Sequence[EncodedImage]) -> HttpRequest:
        content: list[dict[str, Any]] = [
            {"type": "image_url", "image_url": {"url": IMAGE_URL, "detail": "high"}} for _ in images
        ]
        content.append({"type": "text", "text": request.prompt.text})
        body: dict[str, Any] = {
            "model": self.model,
            "messages": [{"role": "user", "content": content}],
            "max_tokens": request.params.max_tokens,
            "temperature": request.params.temperature,
        }
        if request.params.seed is not None:
            body["seed"] = request.params.seed
        headers = {"content-type": "application/json"}
        if self._api_key:
            headers["authorization"] = f"Bearer {self._api_key}"
        return HttpRequest(
            method="POST",
            url=f"{self.base_url}/v1/chat/completions",
            headers=headers,
            body=encode_json_with_images(body, images),  # the same bytes as with the data URLs in place
        )

    def estimate_tokens(self, request: Request, images: Sequence[EncodedImage]) -> int:
        return len(request.prompt.text) // 4 + 1 + 765 * len(images)

    def parse_response(self, status: int, headers: Mapping[str, str], body: bytes) -> Reply:
        if not 200 <= status < 300:
            kind = kind_for_status(status, body)
            message = f"HTTP {status}"
            with contextlib.suppress(Exception):  # a body without a message keeps the status
                message = str(_decode(body)["error"]["message"])
            return Reply(error=ApiError(kind=kind, message=message, status=status))
        try:
            doc = _decode(body)
            choices = doc["choices"]
            usage_doc = doc.get("usage") or {}
        except Exception as exc:  # noqa: BLE001
            return Reply(
                error=ApiError(
                    kind="malformed_response", message=f"not a chat completion: {exc}"[:300], status=status
                )
            )
        usage = Usage(
            input_tokens=int(usage_doc.get("prompt_tokens", 0)),
            output_tokens=int(usage_doc.get("completion_tokens", 0)),
        )
        if not choices:
            return Reply(
                error=ApiError(
                    kind="malformed_response", message="no choices in the response", status=status
                ),
                usage=usage,
            )
        choice = choices[0]
        if choice.get("finish_reason") == "content_filter":
            return Reply(
                error=ApiError(
                    kind="content_filtered", message="withheld by the content filter", status=status
                ),
                usage=usage,
            )
        text = (choice.get("message") or {}).get("content")
        if not isinstance(text, str):
            return Reply(
                error=ApiError(kind="malformed_response", message="the message has no text", status=status),
                usage=usage,
            )
        return Reply(
            text=text,
            usage=usage,
            response_model=doc.get("model"),
            fingerprint=doc.get("system_fingerprint"),
            finish_reason=choice.get("finish_reason"),
        )
