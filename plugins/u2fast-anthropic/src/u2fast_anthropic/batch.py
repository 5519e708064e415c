"""Anthropic Message Batches, sans-I/O: ``POST /v1/messages/batches`` (the requests in the body, no
upload) -> ``GET /v1/messages/batches/{id}`` until ``processing_status`` is ``ended`` -> ``GET
results_url`` (JSONL, not in request order).

The shapes are those of ``shared/wire/anthropic-batch.json``. Each request's ``params`` is the body
the sync adapter builds, byte for byte. A batch carries neither metadata nor a name, so a create
whose answer was lost (killed between sending it and journaling its id) cannot be found again:
``list_batches`` is None and the lifecycle engine says so instead of guessing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import msgspec

from u2fast.adapters.base import EncodedImage, Reply
from u2fast.adapters.json_body import answer_document
from u2fast.adapters.key_redaction import redact_key
from u2fast.batch.wire import BatchLimits, BatchStatus, Outcome, result_lines, rfc3339_seconds, sync_body_line
from u2fast.types import ApiError, HttpRequest, Request

from ._errors import classify_error

if TYPE_CHECKING:
    from .adapter import AnthropicAdapter

__all__ = ["LIMITS", "AnthropicBatchWire"]

#: 100,000 requests or 256 MB per batch (batch-processing guide); 10% headroom on each.
LIMITS = BatchLimits(max_requests=90_000, max_bytes=230_000_000)

#: HTTP status of each error type, for the sync classifier (which also reads the type).
_TYPE_STATUS = {"invalid_request_error": 400, "authentication_error": 401, "permission_error": 403,
                "not_found_error": 404, "request_too_large": 413, "rate_limit_error": 429, "api_error": 500,
                "overloaded_error": 529, "billing_error": 400}
_encode = msgspec.json.encode


class AnthropicBatchWire:
    name = "anthropic"
    limits = LIMITS
    uploads = False

    def __init__(self, adapter: AnthropicAdapter) -> None:
        self.adapter = adapter
        self.url = f"{adapter.url}/batches"
        self._headers = {k: v for k, v in adapter._headers.items() if k != "content-type"}
        self._headers["accept"] = "application/json"

    def line(self, custom_id: str, request: Request, images: tuple[EncodedImage, ...]) -> bytes:
        return sync_body_line(self.adapter, request, images, ("custom_id", custom_id), "params")

    def upload(self, data: bytes, display_name: str) -> HttpRequest:
        raise TypeError("Anthropic batches take their requests in the create body; nothing is uploaded")

    def parse_upload(self, status: int, headers: Mapping[str, str], body: bytes, data: bytes) -> str | HttpRequest | ApiError:
        raise TypeError("Anthropic batches take their requests in the create body; nothing is uploaded")

    def create(self, source: str | bytes, tag: str) -> HttpRequest:
        if not isinstance(source, bytes):
            raise TypeError("Anthropic batches are created from the shard's lines")
        body = b'{"requests":[' + b",".join(line for line in source.splitlines() if line.strip()) + b"]}"
        headers = {**self._headers, "content-type": "application/json"}
        return HttpRequest(method="POST", url=self.url, headers=headers, body=body)

    def retrieve(self, batch_id: str) -> HttpRequest:
        return HttpRequest(method="GET", url=f"{self.url}/{quote(batch_id)}", headers=dict(self._headers), body=b"")

    def parse_batch(self, status: int, headers: Mapping[str, str], body: bytes) -> BatchStatus | ApiError:
        doc = answer_document(status, body, classify_error, self.adapter._api_key)
        if isinstance(doc, ApiError):
            return doc
        batch_id, state = doc.get("id"), doc.get("processing_status")
        if not isinstance(batch_id, str) or not isinstance(state, str):
            return ApiError(kind="malformed_response", message="batch has no id or processing_status", status=status)
        counts = {k: v for k, v in (doc.get("request_counts") or {}).items() if isinstance(v, int)}
        outcome: Outcome | None = None
        results: tuple[str, ...] = ()
        if state == "ended":
            # "ended" covers finished, cancelled and expired alike; the counts tell which
            outcome = "expired" if counts.get("expired") else "cancelled" if counts.get("canceled") else "completed"
            if isinstance(doc.get("results_url"), str):
                results = (doc["results_url"],)
        return BatchStatus(batch_id=batch_id, state=state, outcome=outcome, counts=counts,
                           expires_at=rfc3339_seconds(doc.get("expires_at")), results=results)

    def fetch(self, ref: str) -> HttpRequest:
        return HttpRequest(method="GET", url=ref, headers={**self._headers, "accept": "application/binary"}, body=b"")

    def parse_results(self, body: bytes) -> Iterator[tuple[str, Reply]]:
        for custom_id, line in result_lines(body, "custom_id"):
            result: dict[str, Any] = line["result"] if isinstance(line.get("result"), dict) else {}
            kind = result.get("type")
            if kind == "succeeded":
                yield custom_id, self.adapter.parse_response(200, {}, _encode(result.get("message")))
            elif kind == "errored":
                error: dict[str, Any] = result["error"] if isinstance(result.get("error"), dict) else {}
                inner: dict[str, Any] = error["error"] if isinstance(error.get("error"), dict) else {}
                status = _TYPE_STATUS.get(str(inner.get("type")), 500)
                yield custom_id, Reply(error=redact_key(classify_error(status, _encode(error)), self.adapter._api_key))
            elif kind == "canceled":
                yield custom_id, Reply(error=ApiError(kind="cancelled", message="the batch was cancelled before this request ran"))
            elif kind == "expired":
                yield custom_id, Reply(error=ApiError(kind="batch_expired", message="the batch expired before this request ran"))
            else:
                yield custom_id, Reply(error=ApiError(kind="malformed_response", message=f"unknown result type {kind!r}"))

    def cancel(self, batch_id: str) -> HttpRequest:
        return HttpRequest(method="POST", url=f"{self.url}/{quote(batch_id)}/cancel",
                           headers={**self._headers, "content-type": "application/json"}, body=b"")

    def delete_file(self, file_id: str) -> None:
        return None  # nothing was uploaded

    def list_batches(self) -> None:
        return None  # batches carry no tag to find one by

    def parse_list(self, status: int, headers: Mapping[str, str], body: bytes) -> list[BatchStatus] | ApiError:
        return []
