"""The state behind the fake batch endpoints: batches, files, the processing clock, counters.

``u2fast.testing.batches.FakeBatchProvider`` adds the three providers' routes on top of this.
"""

from __future__ import annotations

import hashlib
import math
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import msgspec
from aiohttp import web
from multidict import CIMultiDict

from ..types import HttpRequest
from .server import FakeProvider, ReceivedRequest
from .wire import answer_body, error_body, parse_request

__all__ = ["BatchCall", "BatchCore", "multipart_parts", "send_request"]

_decode = msgspec.json.decode
_encode = msgspec.json.encode

#: Per-request fault -> (status, anthropic/gemini view) comes from the sync wire's error bodies.
RequestFault = Callable[[ReceivedRequest], "str | None"]


@dataclass
class BatchCall:
    """One request to a batch route, as received."""

    method: str
    path_qs: str
    headers: CIMultiDict[str]
    body: bytes


@dataclass
class _Batch:
    id: str
    wire: str
    model: str
    lines: list[tuple[str, Any]]  # (custom id, request body)
    created: float
    created_wall: float
    tag: str  # OpenAI metadata / Gemini display name
    metadata: dict[str, str] = field(default_factory=dict)
    input_file: str | None = None
    cancelled: bool = False
    results: list[tuple[str, str, Any]] | None = None  # (custom id, outcome, payload), once ended
    outcome: str | None = None
    output_files: dict[str, str] = field(default_factory=dict)


def multipart_parts(body: bytes, content_type: str) -> dict[str, bytes]:
    """The named parts of a multipart/form-data body (read from the cached bytes, so that the
    recording middleware and the handler can both see them)."""
    boundary = content_type.partition("boundary=")[2].strip('"')
    parts: dict[str, bytes] = {}
    if not boundary:
        return parts
    for chunk in body.split(b"--" + boundary.encode())[1:]:
        head, sep, content = chunk.partition(b"\r\n\r\n")
        name = head.partition(b'name="')[2].partition(b'"')[0].decode()
        if sep and name:
            parts[name] = content.removesuffix(b"\r\n")
    return parts


def send_request(request: HttpRequest) -> tuple[int, dict[str, str], bytes]:
    """Send one of a batch wire's requests from a plugin test, blocking: (status, headers, body).
    HTTP errors come back as their status and body, as the lifecycle engine sees them."""
    req = urllib.request.Request(request.url, data=request.body or None, headers=request.headers,
                                 method=request.method)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, dict(resp.headers.items()), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers.items()), exc.read()


def _rfc3339(wall: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(wall)) + f".{int(wall % 1 * 1e6):06d}Z"

class BatchCore(FakeProvider):
    """Batches, files and counters shared by the three providers' batch routes."""

    def __init__(
        self,
        *,
        processing_s: float = 0.0,
        shuffle: bool = True,
        request_faults: RequestFault | None = None,
        expire: bool = False,
        expire_done: float = 0.5,
        fail_validation: bool = False,
        create_429: int = 0,
        create_fault: str | None = None,
        **kw: Any,
    ) -> None:
        super().__init__(**kw)
        self.processing_s = processing_s
        self.shuffle = shuffle
        self.request_faults = request_faults
        self.expire = expire
        self.expire_done = expire_done
        self.fail_validation = fail_validation
        self.create_429 = create_429
        self.create_fault = create_fault
        self.batch_counts: Counter[str] = Counter()
        self.batches: dict[str, _Batch] = {}
        self.files: dict[str, bytes] = {}
        self._uploads: dict[str, bytearray] = {}
        self._serial = 0
        #: every call to a batch route as received (what an SDK comparison test inspects)
        self.batch_calls: list[BatchCall] = []

    # ------------------------------------------------------------------ helpers

    @web.middleware
    async def _record_batch_call(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if "batch" in request.path or "/files" in request.path:
            body = await request.read()  # cached: the handler reads it again
            with self._lock:
                self.batch_calls.append(BatchCall(request.method, request.path_qs, CIMultiDict(request.headers), body))
        return await handler(request)  # type: ignore[no-any-return]

    def _next_id(self, prefix: str) -> str:
        with self._lock:
            self._serial += 1
            serial = self._serial
        return f"{prefix}{hashlib.sha256(f'{self.port}-{serial}'.encode()).hexdigest()[:24]}"

    def _count(self, what: str) -> None:
        with self._lock:
            self.batch_counts[what] += 1

    def _refuse_create(self, wire: str, request: web.Request) -> web.Response | None:
        if self.create_fault is not None:  # every create refused with this sync-wire error
            message = None
            if self.create_fault == "echo_key":  # the credential the create carried, repeated
                sent = [request.headers.get(h, "") for h in ("authorization", "x-api-key", "x-goog-api-key")]
                message = f"Incorrect API key provided: {next((v for v in sent if v), '')}."
            status, body = error_body(wire, self.create_fault, message)
            self._count("creates_refused")
            return web.Response(status=status, body=body, content_type="application/json")
        with self._lock:
            if self.create_429 <= 0:
                return None
            self.create_429 -= 1
            self.batch_counts["creates_refused"] += 1
        status, body = error_body(wire, "rate_limited")
        return web.Response(status=status, body=body, content_type="application/json", headers={"Retry-After": "0"})

    def _json(self, doc: Any, status: int = 200) -> web.Response:
        return web.Response(status=status, body=_encode(doc), content_type="application/json")

    def _not_found(self, wire: str, what: str) -> web.Response:
        if wire == "anthropic":
            doc: Any = {"type": "error", "error": {"type": "not_found_error", "message": f"{what} not found"}}
        elif wire == "gemini":
            doc = {"error": {"code": 404, "message": f"{what} not found", "status": "NOT_FOUND"}}
        else:
            doc = {"error": {"message": f"No such object: {what}", "type": "invalid_request_error", "code": None}}
        return self._json(doc, 404)

    def _add_batch(self, wire: str, model: str, lines: list[tuple[str, Any]], tag: str, **kw: Any) -> _Batch:
        prefix = {"openai": "batch_", "anthropic": "msgbatch_", "gemini": ""}[wire]
        batch = _Batch(self._next_id(prefix), wire, model, lines, time.monotonic(), time.time(), tag, **kw)
        with self._lock:
            self.batches[batch.id] = batch
            self.batch_counts["creates"] += 1
            self.batch_counts["batched_requests"] += len(lines)
        return batch

    def _settle(self, batch: _Batch) -> None:
        """Work the batch out once its processing time is over (or it was cancelled)."""
        if batch.results is not None:
            return
        if not batch.cancelled and time.monotonic() - batch.created < self.processing_s:
            return
        if self.fail_validation:
            batch.outcome, batch.results = "failed", []
            return
        n_done = len(batch.lines)
        outcome = "completed"
        if batch.cancelled:
            n_done, outcome = 0, "cancelled"
        elif self.expire:
            n_done = 0 if batch.wire == "gemini" else math.floor(len(batch.lines) * self.expire_done)
            outcome = "expired"
        results: list[tuple[str, str, Any]] = []
        for index, (custom_id, body) in enumerate(batch.lines):
            if index >= n_done:
                results.append((custom_id, outcome, None))
                continue
            model, prompt, images = parse_request(batch.wire, body, batch.model)
            received = ReceivedRequest(wire=batch.wire, method="POST", path="batch", headers=CIMultiDict(),
                                       model=model, prompt=prompt, images=images, body=body, body_size=0)
            fault = self.request_faults(received) if self.request_faults is not None else None
            if fault is not None:
                status, err = error_body(batch.wire, fault)
                results.append((custom_id, "errored", (status, _decode(err))))
                self._count(f"request_{fault}")
                continue
            text = self.answer(received)
            results.append((custom_id, "succeeded", _decode(answer_body(batch.wire, model, text, prompt, len(images)))))
            with self._lock:
                self.counts["answered"] += 1
        if self.shuffle:
            self.rng.shuffle(results)
        batch.outcome, batch.results = outcome, results

