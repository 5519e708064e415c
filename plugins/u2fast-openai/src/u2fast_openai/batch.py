"""OpenAI Batch, sans-I/O: ``POST /v1/files`` (purpose ``batch``) -> ``POST /v1/batches`` ->
``GET /v1/batches/{id}`` -> ``GET /v1/files/{id}/content`` (output and error files).

The shapes are those of ``shared/wire/openai-batch.json`` (the SDK's requests, captured). Each input
line carries the body the sync adapter builds, byte for byte; the create's metadata carries the
shard tag, by which an unjournaled create is found again (``list_batches``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

import msgspec

from u2fast.adapters.base import EncodedImage, Reply
from u2fast.adapters.json_body import answer_document
from u2fast.adapters.key_redaction import redact_key
from u2fast.batch.wire import BatchLimits, BatchStatus, Outcome, result_lines, statuses, sync_body_line
from u2fast.types import ApiError, HttpRequest, Request

from ._errors import classify_error

if TYPE_CHECKING:
    from .adapter import OpenAIAdapter

__all__ = ["LIMITS", "OpenAIBatchWire"]

#: 50,000 requests and 200 MB per input file (BatchCreateParams); 10% headroom on each.
LIMITS = BatchLimits(max_requests=45_000, max_bytes=180_000_000)

_OUTCOMES: dict[str, Outcome] = {"completed": "completed", "failed": "failed", "expired": "expired", "cancelled": "cancelled"}
#: Per-request error codes without an HTTP response.
_LINE_ERRORS: dict[str, Any] = {"batch_expired": "batch_expired", "batch_cancelled": "cancelled"}
_encode = msgspec.json.encode


class OpenAIBatchWire:
    name = "openai"
    limits = LIMITS
    uploads = True

    def __init__(self, adapter: OpenAIAdapter) -> None:
        self.adapter = adapter
        self.base_url = adapter.base_url
        # the line's url is the endpoint's path as the server sees it ("/v1/chat/completions")
        self.endpoint = f"{urlsplit(adapter.base_url).path.rstrip('/')}/chat/completions"
        self._headers = {k: v for k, v in adapter._headers.items() if k != "content-type"}
        self._headers["accept"] = "application/json"

    def line(self, custom_id: str, request: Request, images: tuple[EncodedImage, ...]) -> bytes:
        fields = {"method": "POST", "url": self.endpoint}
        return sync_body_line(self.adapter, request, images, ("custom_id", custom_id), "body", fields)

    # ------------------------------------------------------------------ upload and create

    def upload(self, data: bytes, display_name: str) -> HttpRequest:
        boundary = os.urandom(16).hex()
        body = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nbatch\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{display_name}.jsonl"\r\n'
            f"Content-Type: application/jsonl\r\n\r\n"
        ).encode() + data + f"\r\n--{boundary}--\r\n".encode()
        headers = {**self._headers, "content-type": f"multipart/form-data; boundary={boundary}"}
        return HttpRequest(method="POST", url=f"{self.base_url}/files", headers=headers, body=body)

    def parse_upload(self, status: int, headers: Mapping[str, str], body: bytes, data: bytes) -> str | HttpRequest | ApiError:
        doc = self._doc(status, headers, body)
        if isinstance(doc, ApiError):
            return doc
        file_id = doc.get("id")
        if not isinstance(file_id, str) or not file_id:
            return ApiError(kind="malformed_response", message="file upload answer has no id", status=status)
        return file_id

    def create(self, source: str | bytes, tag: str) -> HttpRequest:
        if not isinstance(source, str):
            raise TypeError("OpenAI batches are created from an uploaded file id")
        body = {"completion_window": "24h", "endpoint": self.endpoint, "input_file_id": source,
                "metadata": {"u2fast_shard": tag}}
        headers = {**self._headers, "content-type": "application/json"}
        return HttpRequest(method="POST", url=f"{self.base_url}/batches", headers=headers, body=_encode(body))

    # ------------------------------------------------------------------ status

    def retrieve(self, batch_id: str) -> HttpRequest:
        return HttpRequest(method="GET", url=f"{self.base_url}/batches/{quote(batch_id)}", headers=dict(self._headers), body=b"")

    def parse_batch(self, status: int, headers: Mapping[str, str], body: bytes) -> BatchStatus | ApiError:
        doc = self._doc(status, headers, body)
        if isinstance(doc, ApiError):
            return doc
        return self._status(doc, status)

    def _status(self, doc: Mapping[str, Any], status: int) -> BatchStatus | ApiError:
        batch_id, state = doc.get("id"), doc.get("status")
        if not isinstance(batch_id, str) or not isinstance(state, str):
            return ApiError(kind="malformed_response", message="batch object has no id or status", status=status)
        counts = doc.get("request_counts") if isinstance(doc.get("request_counts"), dict) else {}
        refs = tuple(doc[k] for k in ("output_file_id", "error_file_id") if isinstance(doc.get(k), str))
        errors = doc.get("errors")
        message = ""
        if isinstance(errors, dict) and isinstance(errors.get("data"), list):
            message = "; ".join(str(e.get("message", "")) for e in errors["data"] if isinstance(e, dict))[:500]
        metadata = doc.get("metadata") if isinstance(doc.get("metadata"), dict) else {}
        expires = doc.get("expires_at")
        return BatchStatus(
            batch_id=batch_id, state=state, outcome=_OUTCOMES.get(state),
            counts={k: v for k, v in (counts or {}).items() if isinstance(v, int)},
            expires_at=float(expires) if isinstance(expires, (int, float)) else None,
            results=refs, message=message, tag=(metadata or {}).get("u2fast_shard"),
        )

    def list_batches(self) -> HttpRequest:
        return HttpRequest(method="GET", url=f"{self.base_url}/batches?limit=100", headers=dict(self._headers), body=b"")

    def parse_list(self, status: int, headers: Mapping[str, str], body: bytes) -> list[BatchStatus] | ApiError:
        doc = self._doc(status, headers, body)
        if isinstance(doc, ApiError):
            return doc
        return statuses(doc.get("data") or [], self._status)

    # ------------------------------------------------------------------ results

    def fetch(self, ref: str) -> HttpRequest:
        headers = {**self._headers, "accept": "application/binary"}
        return HttpRequest(method="GET", url=f"{self.base_url}/files/{quote(ref)}/content", headers=headers, body=b"")

    def parse_results(self, body: bytes) -> Iterator[tuple[str, Reply]]:
        for custom_id, line in result_lines(body, "custom_id"):
            response, error = line.get("response"), line.get("error")
            if isinstance(response, dict) and isinstance(response.get("status_code"), int):
                yield custom_id, self.adapter.parse_response(response["status_code"], {}, _encode(response.get("body")))
            elif isinstance(error, dict):
                code = str(error.get("code") or "")
                kind = _LINE_ERRORS.get(code, "server")
                message = redact_key(ApiError(kind=kind, message=f"{code}: {error.get('message', '')}"[:500]),
                                     self.adapter._api_key)
                yield custom_id, Reply(error=message)
            else:
                yield custom_id, Reply(error=ApiError(kind="malformed_response", message="result line has no response or error"))

    # ------------------------------------------------------------------ cancel and clean up

    def cancel(self, batch_id: str) -> HttpRequest:
        return HttpRequest(method="POST", url=f"{self.base_url}/batches/{quote(batch_id)}/cancel",
                           headers={**self._headers, "content-type": "application/json"}, body=b"")

    def delete_file(self, file_id: str) -> HttpRequest:
        return HttpRequest(method="DELETE", url=f"{self.base_url}/files/{quote(file_id)}", headers=dict(self._headers), body=b"")

    def _doc(self, status: int, headers: Mapping[str, str], body: bytes) -> dict[str, Any] | ApiError:
        return answer_document(status, body, classify_error, self.adapter._api_key)
