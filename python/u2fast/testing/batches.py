"""Fake batch endpoints of the three providers, on the same server as their sync routes.

``FakeBatchProvider`` is a ``FakeProvider`` (the sync routes still answer, so a fallback to sync
can be tested against the same answers) that also speaks OpenAI Batch (file upload, ``/v1/batches``,
file content, delete), Anthropic Message Batches (``/v1/messages/batches``, ``results_url``) and
Gemini Batch Mode (resumable upload, ``:batchGenerateContent``, ``batches/{id}``, file download),
in the shapes of ``shared/wire/*-batch.json``.

A batch is processed ``processing_s`` seconds after its create (its state is computed when asked);
results come out of order (``shuffle``); ``request_faults(received) -> fault | None`` fails single
requests with the sync wire's error bodies; ``expire=True`` ends every batch as expired with only
the first ``expire_done`` share of its requests answered (Gemini's expired jobs have no results);
``fail_validation=True`` fails every batch before it runs; ``create_429=N`` refuses the first N
creates with a 429 and ``create_fault`` (``bad_request``, ``auth``...) refuses every create
(``echo_key``: with a message repeating the credential the create carried).
``batch_counts`` counts uploads, creates (accepted), polls, downloads, cancels,
deletes and lists, which is how a test proves nothing was uploaded or created twice.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import msgspec
from aiohttp import web

from .batch_core import BatchCall, BatchCore, _Batch, _rfc3339, multipart_parts, send_request

__all__ = ["BatchCall", "FakeBatchProvider", "captured_results", "multipart_parts", "send_request"]

_decode = msgspec.json.decode
_encode = msgspec.json.encode


class FakeBatchProvider(BatchCore):
    def app(self) -> web.Application:
        app = super().app()
        app.middlewares.append(self._record_batch_call)
        r = app.router
        r.add_post("/v1/files", self._openai_upload)
        r.add_get("/v1/files/{name}/content", self._openai_content)
        r.add_get("/v1/files/{name}", self._gemini_download)  # name ends ":download"
        r.add_delete("/v1/files/{name}", self._delete_file)
        r.add_post("/v1/batches", self._openai_create)
        r.add_get("/v1/batches", self._list)
        r.add_get("/v1/batches/{name}", self._get)
        r.add_post("/v1/batches/{name}", self._gemini_cancel)  # name ends ":cancel"
        r.add_post("/v1/batches/{name}/cancel", self._openai_cancel)
        r.add_post("/v1/messages/batches", self._anthropic_create)
        r.add_get("/v1/messages/batches/{name}", self._get)
        r.add_get("/v1/messages/batches/{name}/results", self._anthropic_results)
        r.add_post("/v1/messages/batches/{name}/cancel", self._anthropic_cancel)
        r.add_post("/upload/v1/files", self._gemini_upload)
        r.add_post("/v1/models/{model}:batchGenerateContent", self._gemini_create)
        return app

    # ------------------------------------------------------------------ OpenAI

    async def _openai_upload(self, request: web.Request) -> web.Response:
        parts = multipart_parts(await request.read(), request.headers.get("content-type", ""))
        purpose, data = parts.get("purpose", b"").decode(), parts.get("file", b"")
        if purpose != "batch":
            return self._json({"error": {"message": "purpose must be batch", "type": "invalid_request_error"}}, 400)
        file_id = self._next_id("file-")
        with self._lock:
            self.files[file_id] = data
        self._count("uploads")
        return self._json({"object": "file", "id": file_id, "purpose": "batch", "filename": "upload",
                           "bytes": len(data), "created_at": int(time.time()), "status": "processed"})

    async def _openai_create(self, request: web.Request) -> web.Response:
        refused = self._refuse_create("openai", request)
        if refused is not None:
            return refused
        doc = _decode(await request.read())
        data = self.files.get(doc.get("input_file_id", ""))
        if data is None:
            return self._not_found("openai", str(doc.get("input_file_id")))
        lines = [_decode(line) for line in data.splitlines() if line.strip()]
        models = {line["body"].get("model") for line in lines}
        if len(models) != 1 or any(line.get("url") != doc.get("endpoint") for line in lines):
            return self._json({"error": {"message": "one model and the batch's endpoint per file",
                                         "type": "invalid_request_error"}}, 400)
        metadata = dict(doc.get("metadata") or {})
        batch = self._add_batch("openai", models.pop(), [(line["custom_id"], line["body"]) for line in lines],
                                metadata.get("u2fast_shard", ""), metadata=metadata, input_file=doc["input_file_id"])
        return self._json(self._openai_batch(batch))

    def _openai_batch(self, batch: _Batch) -> dict[str, Any]:
        self._settle(batch)
        status, counts = "in_progress", {"total": len(batch.lines), "completed": 0, "failed": 0}
        out_id = err_id = None
        if batch.results is not None:
            status = batch.outcome or "completed"
            ok = [r for r in batch.results if r[1] == "succeeded"]
            bad = [r for r in batch.results if r[1] != "succeeded"]
            counts = {"total": len(batch.lines), "completed": len(ok), "failed": len(bad)}
            if not batch.output_files and status != "failed":
                for name, rows in (("output", ok), ("error", bad)):
                    if rows:
                        file_id = self._next_id("file-")
                        self.files[file_id] = b"".join(_encode(self._openai_line(r)) + b"\n" for r in rows)
                        batch.output_files[name] = file_id
            out_id, err_id = batch.output_files.get("output"), batch.output_files.get("error")
        elif batch.cancelled:
            status = "cancelling"
        errors = None
        if status == "failed":
            errors = {"object": "list", "data": [{"code": "invalid_request", "message": "validation failed",
                                                  "param": None, "line": 1}]}
        return {"id": batch.id, "object": "batch", "endpoint": "/v1/chat/completions", "model": batch.model,
                "errors": errors, "input_file_id": batch.input_file, "completion_window": "24h", "status": status,
                "output_file_id": out_id, "error_file_id": err_id, "created_at": int(batch.created_wall),
                "expires_at": int(batch.created_wall) + 86400, "request_counts": counts, "metadata": batch.metadata}

    def _openai_line(self, result: tuple[str, str, Any]) -> dict[str, Any]:
        custom_id, outcome, payload = result
        line: dict[str, Any] = {"id": self._next_id("batch_req_"), "custom_id": custom_id, "response": None, "error": None}
        if outcome == "succeeded":
            line["response"] = {"status_code": 200, "request_id": "req_fake", "body": payload}
        elif outcome == "errored":
            line["response"] = {"status_code": payload[0], "request_id": "req_fake", "body": payload[1]}
        else:
            code = "batch_expired" if outcome == "expired" else "batch_cancelled"
            line["error"] = {"code": code, "message": f"This request was not run: the batch was {outcome}."}
        return line

    async def _openai_content(self, request: web.Request) -> web.Response:
        data = self.files.get(request.match_info["name"])
        if data is None:
            return self._not_found("openai", request.match_info["name"])
        self._count("downloads")
        return web.Response(body=data, content_type="application/octet-stream")

    async def _openai_cancel(self, request: web.Request) -> web.Response:
        return self._cancel("openai", request.match_info["name"], self._openai_batch)

    async def _delete_file(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        with self._lock:
            found = self.files.pop(name, None) is not None
        if not found:
            return self._not_found("gemini" if "x-goog-api-key" in request.headers else "openai", name)
        self._count("deletes")
        return self._json({"id": name, "object": "file", "deleted": True})

    # ------------------------------------------------------------------ shared GET and list

    async def _get(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        batch = self.batches.get(name)
        wire = "gemini" if "x-goog-api-key" in request.headers else batch.wire if batch else "openai"
        if batch is None or batch.wire != wire:
            return self._not_found(wire, name)
        self._count("polls")
        if wire == "openai":
            return self._json(self._openai_batch(batch))
        if wire == "anthropic":
            return self._json(self._anthropic_batch(batch))
        return self._json(self._gemini_operation(batch))

    async def _list(self, request: web.Request) -> web.Response:
        self._count("lists")
        if "x-goog-api-key" in request.headers:
            ops = [self._gemini_operation(b) for b in self.batches.values() if b.wire == "gemini"]
            return self._json({"operations": ops[::-1]})
        data = [self._openai_batch(b) for b in self.batches.values() if b.wire == "openai"]
        return self._json({"object": "list", "data": data[::-1], "has_more": False})

    # ------------------------------------------------------------------ Anthropic

    async def _anthropic_create(self, request: web.Request) -> web.Response:
        refused = self._refuse_create("anthropic", request)
        if refused is not None:
            return refused
        doc = _decode(await request.read())
        items = doc.get("requests") or []
        models = {item["params"].get("model") for item in items}
        if len(models) != 1:
            return self._json({"type": "error", "error": {"type": "invalid_request_error",
                                                          "message": "requests must be a non-empty list"}}, 400)
        model = str(models.pop())
        batch = self._add_batch("anthropic", model, [(i["custom_id"], i["params"]) for i in items], "")
        return self._json(self._anthropic_batch(batch))

    def _anthropic_batch(self, batch: _Batch) -> dict[str, Any]:
        self._settle(batch)
        counts = {"processing": len(batch.lines), "succeeded": 0, "errored": 0, "canceled": 0, "expired": 0}
        ended = batch.results is not None
        if batch.results is not None:
            counts["processing"] = 0
            for _, outcome, _ in batch.results:
                key = {"succeeded": "succeeded", "errored": "errored", "cancelled": "canceled"}.get(outcome, "expired")
                counts[key] += 1
        status = "ended" if ended else "canceling" if batch.cancelled else "in_progress"
        return {"id": batch.id, "type": "message_batch", "processing_status": status, "request_counts": counts,
                "ended_at": _rfc3339(time.time()) if ended else None, "created_at": _rfc3339(batch.created_wall),
                "expires_at": _rfc3339(batch.created_wall + 86400), "archived_at": None, "cancel_initiated_at": None,
                "results_url": f"{self.url}/v1/messages/batches/{batch.id}/results" if ended else None}

    async def _anthropic_results(self, request: web.Request) -> web.Response:
        batch = self.batches.get(request.match_info["name"])
        if batch is None or batch.results is None:
            return self._not_found("anthropic", request.match_info["name"])
        self._count("downloads")
        lines = []
        for custom_id, outcome, payload in batch.results:
            if outcome == "succeeded":
                result: dict[str, Any] = {"type": "succeeded", "message": payload}
            elif outcome == "errored":
                result = {"type": "errored", "error": {**payload[1], "request_id": "req_fake"}}
            else:
                result = {"type": "canceled" if outcome == "cancelled" else "expired"}
            lines.append(_encode({"custom_id": custom_id, "result": result}) + b"\n")
        return web.Response(body=b"".join(lines), content_type="application/binary")

    async def _anthropic_cancel(self, request: web.Request) -> web.Response:
        return self._cancel("anthropic", request.match_info["name"], self._anthropic_batch)

    # ------------------------------------------------------------------ Gemini

    async def _gemini_upload(self, request: web.Request) -> web.Response:
        command = request.headers.get("x-goog-upload-command", "")
        upload_id = request.query.get("upload_id")
        if command == "start":
            doc = _decode(await request.read())
            upload_id = self._next_id("up")
            self._uploads[upload_id] = bytearray()
            url = f"{self.url}/upload/v1/files?upload_id={upload_id}&upload_protocol=resumable"
            if not isinstance(doc.get("file"), dict):
                return self._json({"error": {"code": 400, "message": "no file", "status": "INVALID_ARGUMENT"}}, 400)
            return web.Response(body=b"", headers={"x-goog-upload-status": "active", "x-goog-upload-url": url})
        if upload_id not in self._uploads or "x-goog-api-key" in request.headers:
            return self._json({"error": {"code": 400, "message": "bad upload", "status": "INVALID_ARGUMENT"}}, 400)
        if int(request.headers.get("x-goog-upload-offset", "-1")) != len(self._uploads[upload_id]):
            return self._json({"error": {"code": 400, "message": "bad offset", "status": "INVALID_ARGUMENT"}}, 400)
        self._uploads[upload_id] += await request.read()
        if "finalize" not in command:
            return web.Response(body=b"", headers={"x-goog-upload-status": "active"})
        file_id = self._next_id("f")
        with self._lock:
            self.files[file_id] = bytes(self._uploads.pop(upload_id))
        self._count("uploads")
        return web.Response(body=_encode({"file": {"name": f"files/{file_id}", "state": "ACTIVE",
                                                   "sizeBytes": str(len(self.files[file_id]))}}),
                            content_type="application/json", headers={"x-goog-upload-status": "final"})

    async def _gemini_create(self, request: web.Request) -> web.Response:
        refused = self._refuse_create("gemini", request)
        if refused is not None:
            return refused
        doc = _decode(await request.read())
        spec = doc.get("batch", {})
        file_name = spec.get("inputConfig", {}).get("fileName", "")
        data = self.files.get(file_name.removeprefix("files/"))
        if data is None:
            return self._not_found("gemini", file_name)
        lines = [_decode(line) for line in data.splitlines() if line.strip()]
        batch = self._add_batch("gemini", request.match_info["model"], [(x["key"], x["request"]) for x in lines],
                                spec.get("displayName", ""))
        return self._json(self._gemini_operation(batch))

    def _gemini_operation(self, batch: _Batch) -> dict[str, Any]:
        self._settle(batch)
        states = {"completed": "SUCCEEDED", "failed": "FAILED", "expired": "EXPIRED", "cancelled": "CANCELLED"}
        state = "BATCH_STATE_" + (states[batch.outcome] if batch.outcome else "RUNNING")
        meta: dict[str, Any] = {"model": f"models/{batch.model}", "displayName": batch.tag,
                                "createTime": _rfc3339(batch.created_wall), "state": state,
                                "name": f"batches/{batch.id}",
                                "batchStats": {"requestCount": str(len(batch.lines))}}
        if batch.results is not None and batch.results and batch.outcome in ("completed", "cancelled"):
            if "output" not in batch.output_files:
                file_id = f"batch-{batch.id}"
                rows = []
                for custom_id, outcome, payload in batch.results:
                    if outcome == "succeeded":
                        rows.append({"response": payload, "key": custom_id})
                    elif outcome == "errored":
                        rows.append({"error": {"code": {400: 3, 429: 8}.get(payload[0], 13),
                                               "message": payload[1]["error"]["message"]}, "key": custom_id})
                self.files[file_id] = b"".join(_encode(r) + b"\n" for r in rows)
                batch.output_files["output"] = file_id
            meta["output"] = {"responsesFile": f"files/{batch.output_files['output']}"}
        op: dict[str, Any] = {"name": f"batches/{batch.id}", "metadata": meta}
        if batch.outcome is not None:
            op["done"] = True
        return op

    async def _gemini_download(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if not name.endswith(":download") or request.query.get("alt") != "media":
            return self._not_found("gemini", name)
        data = self.files.get(name.removesuffix(":download"))
        if data is None:
            return self._not_found("gemini", name)
        self._count("downloads")
        return web.Response(body=data, content_type="application/octet-stream")

    async def _gemini_cancel(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if not name.endswith(":cancel"):
            return self._not_found("gemini", name)
        return self._cancel("gemini", name.removesuffix(":cancel"), lambda batch: {})

    def _cancel(self, wire: str, name: str, view: Callable[[_Batch], Any]) -> web.Response:
        """Mark batch ``name`` cancelled (counted) and answer with ``view`` of it; 404 in ``wire``'s words."""
        batch = self.batches.get(name)
        if batch is None:
            return self._not_found(wire, name)
        self._count("cancels")
        batch.cancelled = True
        return self._json(view(batch))


def captured_results(capture: dict[str, Any], *, reverse: bool = False) -> bytes:
    """The results files a batch SDK capture recorded, as one JSONL body; ``reverse`` turns the
    lines round (a provider may return results in any order, so joining must go by id)."""
    lines = [line for r in capture["requests"] if "body_jsonl" in r.get("response", {}) for line in r["response"]["body_jsonl"]]
    return b"".join(json.dumps(line).encode() + b"\n" for line in (reversed(lines) if reverse else lines))
