"""Gemini Batch Mode, sans-I/O: resumable upload of a JSONL file (``POST /upload/v1/files`` start,
then ``upload, finalize`` to the URL the server gives) -> ``POST /v1/models/{m}:batchGenerateContent``
-> ``GET /v1/batches/{id}`` -> ``GET /v1/files/{id}:download?alt=media``.

The shapes are those of ``shared/wire/gemini-batch.json``. Each input line is ``{"key", "request"}``
with the body the sync adapter builds, byte for byte. The shard tag is the batch's display name, by
which an unjournaled create is found again (``list_batches``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

import msgspec

from u2fast.adapters.base import EncodedImage, Reply
from u2fast.adapters.json_body import answer_document, decode_json_object
from u2fast.adapters.key_redaction import redact_key
from u2fast.batch.wire import (
    BatchLimits,
    BatchStatus,
    Outcome,
    result_lines,
    rfc3339_seconds,
    statuses,
    sync_body_line,
)
from u2fast.types import ApiError, HttpRequest, Request

from ._errors import classify_error

if TYPE_CHECKING:
    from .adapter import GeminiAdapter

__all__ = ["LIMITS", "GeminiBatchWire"]

#: Input files up to 2 GB (batch-api guide); shards are kept far smaller so that one fits in memory
#: while it is uploaded, and a lost one costs little.
LIMITS = BatchLimits(max_requests=50_000, max_bytes=500_000_000)

_OUTCOMES: dict[str, Outcome] = {"SUCCEEDED": "completed", "FAILED": "failed", "EXPIRED": "expired", "CANCELLED": "cancelled"}
#: google.rpc.Code of a per-request error -> (HTTP status, status name) for the sync classifier.
_RPC = {3: (400, "INVALID_ARGUMENT"), 4: (504, "DEADLINE_EXCEEDED"), 5: (404, "NOT_FOUND"), 7: (403, "PERMISSION_DENIED"),
        8: (429, "RESOURCE_EXHAUSTED"), 9: (400, "FAILED_PRECONDITION"), 13: (500, "INTERNAL"), 14: (503, "UNAVAILABLE"),
        16: (401, "UNAUTHENTICATED")}
#: A job pending or running for 48 hours expires (batch-api guide).
_EXPIRES_AFTER_S = 48 * 3600
_encode = msgspec.json.encode


class GeminiBatchWire:
    name = "gemini"
    limits = LIMITS
    uploads = True

    def __init__(self, adapter: GeminiAdapter) -> None:
        self.adapter = adapter
        self.endpoint = adapter.endpoint
        parts = urlsplit(adapter.endpoint)
        self.upload_url = f"{parts.scheme}://{parts.netloc}/upload{parts.path}/files"
        self._headers = dict(adapter._headers)

    def line(self, custom_id: str, request: Request, images: tuple[EncodedImage, ...]) -> bytes:
        return sync_body_line(self.adapter, request, images, ("key", custom_id), "request")

    def upload(self, data: bytes, display_name: str) -> HttpRequest:
        headers = {**self._headers, "x-goog-upload-protocol": "resumable", "x-goog-upload-command": "start",
                   "x-goog-upload-header-content-length": str(len(data)), "x-goog-upload-header-content-type": "jsonl"}
        body = _encode({"file": {"display_name": display_name, "mime_type": "jsonl", "size_bytes": len(data)}})
        return HttpRequest(method="POST", url=self.upload_url, headers=headers, body=body)

    def parse_upload(self, status: int, headers: Mapping[str, str], body: bytes, data: bytes) -> str | HttpRequest | ApiError:
        if not 200 <= status < 300:
            return redact_key(classify_error(status, body), self.adapter._api_key)
        lower = {k.lower(): v for k, v in headers.items()}
        if "x-goog-upload-url" in lower:
            # the upload URL carries its own authority: the API key is not sent again
            return HttpRequest(method="POST", url=lower["x-goog-upload-url"], body=data, headers={
                "content-type": "application/json", "x-goog-upload-protocol": "resumable",
                "x-goog-upload-command": "upload, finalize", "x-goog-upload-offset": "0",
                "x-goog-upload-header-content-length": str(len(data)), "x-goog-upload-header-content-type": "jsonl"})
        doc = decode_json_object(status, body)
        if isinstance(doc, ApiError):
            return doc
        file: dict[str, Any] = doc["file"] if isinstance(doc.get("file"), dict) else {}
        name = file.get("name")
        if not isinstance(name, str) or not name.startswith("files/"):
            return ApiError(kind="malformed_response", message="upload answer has no file name", status=status)
        return name

    def create(self, source: str | bytes, tag: str) -> HttpRequest:
        if not isinstance(source, str):
            raise TypeError("Gemini batches are created here from an uploaded file name")
        url = f"{self.endpoint}/models/{quote(self.adapter.model, safe='-._~')}:batchGenerateContent"
        body = _encode({"batch": {"inputConfig": {"fileName": source}, "displayName": tag}})
        return HttpRequest(method="POST", url=url, headers=dict(self._headers), body=body)

    def retrieve(self, batch_id: str) -> HttpRequest:
        return HttpRequest(method="GET", url=f"{self.endpoint}/{quote(batch_id)}", headers=dict(self._headers), body=b"")

    def parse_batch(self, status: int, headers: Mapping[str, str], body: bytes) -> BatchStatus | ApiError:
        doc = answer_document(status, body, classify_error, self.adapter._api_key)
        if isinstance(doc, ApiError):
            return doc
        return self._status(doc, status)

    def _status(self, doc: Mapping[str, Any], status: int) -> BatchStatus | ApiError:
        name = doc.get("name")
        meta = doc.get("metadata") if isinstance(doc.get("metadata"), dict) else {}
        state = (meta or {}).get("state")
        if not isinstance(name, str) or not isinstance(state, str):
            return ApiError(kind="malformed_response", message="batch operation has no name or state", status=status)
        assert meta is not None
        output: dict[str, Any] = meta["output"] if isinstance(meta.get("output"), dict) else {}
        refs = (output["responsesFile"],) if isinstance(output.get("responsesFile"), str) else ()
        stats = meta.get("batchStats") if isinstance(meta.get("batchStats"), dict) else {}
        counts = {k: int(v) for k, v in (stats or {}).items() if isinstance(v, (int, str)) and str(v).isdigit()}
        created = rfc3339_seconds(meta.get("createTime"))
        error = doc.get("error") if isinstance(doc.get("error"), dict) else {}
        return BatchStatus(
            batch_id=name, state=state, outcome=_OUTCOMES.get(state.removeprefix("BATCH_STATE_")), counts=counts,
            expires_at=None if created is None else created + _EXPIRES_AFTER_S, results=refs,
            message=str((error or {}).get("message", ""))[:500], tag=meta.get("displayName"),
        )

    def fetch(self, ref: str) -> HttpRequest:
        return HttpRequest(method="GET", url=f"{self.endpoint}/{quote(ref)}:download?alt=media",
                           headers=dict(self._headers), body=b"")

    def parse_results(self, body: bytes) -> Iterator[tuple[str, Reply]]:
        for custom_id, line in result_lines(body, "key"):
            if isinstance(line.get("response"), dict):
                yield custom_id, self.adapter.parse_response(200, {}, _encode(line["response"]))
            elif isinstance(line.get("error"), dict):
                err = line["error"]
                http, rpc = _RPC.get(err.get("code") if isinstance(err.get("code"), int) else -1, (500, "UNKNOWN"))
                doc = {"error": {"code": http, "message": str(err.get("message", "")), "status": rpc}}
                yield custom_id, Reply(error=redact_key(classify_error(http, _encode(doc)), self.adapter._api_key))
            else:
                yield custom_id, Reply(error=ApiError(kind="malformed_response", message="result line has no response or error"))

    def cancel(self, batch_id: str) -> HttpRequest:
        return HttpRequest(method="POST", url=f"{self.endpoint}/{quote(batch_id)}:cancel", headers=dict(self._headers), body=b"")

    def delete_file(self, file_id: str) -> HttpRequest:
        return HttpRequest(method="DELETE", url=f"{self.endpoint}/{quote(file_id)}", headers=dict(self._headers), body=b"")

    def list_batches(self) -> HttpRequest:
        return HttpRequest(method="GET", url=f"{self.endpoint}/batches?pageSize=100", headers=dict(self._headers), body=b"")

    def parse_list(self, status: int, headers: Mapping[str, str], body: bytes) -> list[BatchStatus] | ApiError:
        doc = answer_document(status, body, classify_error, self.adapter._api_key)
        if isinstance(doc, ApiError):
            return doc
        return statuses(doc.get("operations") or doc.get("batches") or [], self._status)
