"""A fake model provider on 127.0.0.1, speaking the OpenAI, Gemini and Anthropic wire formats."""

from __future__ import annotations

import asyncio
import logging
import math
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self

import msgspec
from aiohttp import web
from multidict import CIMultiDict

from .faults import OTHER_MODEL, FaultPlan, Latency, constant
from .wire import answer_body, empty_body, error_body, filtered_body, parse_request

__all__ = ["Answer", "FakeProvider", "RateLimit", "ReceivedRequest"]

_HUGE_BYTES = 10 << 20
#: Faults a provider answers before doing any work (no model latency), as real ones do.
_REFUSED_AT_THE_DOOR = frozenset({"rate_limited", "quota", "auth", "echo_key", "bad_request"})
_decode = msgspec.json.decode


@dataclass
class ReceivedRequest:
    """One request as the fake provider saw it (what a wire test inspects)."""

    wire: str  # "openai", "gemini" or "anthropic"
    method: str
    path: str
    headers: CIMultiDict[str]  # case-insensitive: headers["authorization"] == headers["Authorization"]
    model: str
    prompt: str  # every text part, joined by newlines
    images: list[tuple[str, str]]  # (mime, base64) of each image, in order
    body: Any  # the decoded JSON body (None unless keep_bodies)
    body_size: int
    #: how many times a request with the same model, prompt and images has arrived (1 the first time)
    seen: int = 1
    fault: str | None = None  # what was injected, None when answered normally
    at: float = 0.0


#: Turns a request into the model's answer text.
Answer = Callable[[ReceivedRequest], str]


@dataclass
class RateLimit:
    """At most ``rps`` requests per second (bucket of ``burst`` requests); beyond: 429 with Retry-After."""

    rps: float
    burst: float | None = None
    #: Retry-After sent (seconds); None: the time until the bucket has a token again, rounded up.
    retry_after: float | None = None
    _tokens: float = field(default=0.0, init=False)
    _at: float = field(default=-1.0, init=False)

    def take(self, now: float) -> float | None:
        """None when allowed, else the seconds until a token is free."""
        burst = self.burst if self.burst is not None else max(1.0, self.rps)
        if self._at < 0:
            self._tokens, self._at = burst, now
        self._tokens = min(burst, self._tokens + (now - self._at) * self.rps)
        self._at = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return None
        return (1.0 - self._tokens) / self.rps


def _default_answer(request: ReceivedRequest) -> str:
    return "A"


class FakeProvider:
    """A local server that answers like a provider, slowly or badly on request.

    Use it as ``async with FakeProvider(...) as fake:`` inside a loop, or ``with FakeProvider(...)
    as fake:`` from synchronous code (it then runs in a background thread). ``fake.url`` is the
    base URL (``http://127.0.0.1:PORT``); the OpenAI routes answer under ``/v1/chat/completions``
    and ``/chat/completions``, Gemini under ``/v1/models/{m}:generateContent`` and ``/v1beta/...``,
    Anthropic under ``/v1/messages``.
    """

    def __init__(
        self,
        *,
        answer: Answer | None = None,
        latency: float | Latency = 0.0,
        faults: FaultPlan | None = None,
        rate_limit: RateLimit | None = None,
        retry_after: float = 1.0,
        hang_s: float = 3600.0,
        seed: int = 0,
        record: bool = True,
        keep_bodies: bool = False,
        port: int = 0,
        oversize_bytes: int = 50 << 20,
    ) -> None:
        self.answer = answer or _default_answer
        self.latency = constant(latency) if isinstance(latency, (int, float)) else latency
        self.faults = faults
        self.rate_limit = rate_limit
        self.retry_after = retry_after  # sent with injected 429s
        self.hang_s = hang_s
        self.rng = random.Random(seed)
        self.record = record
        self.keep_bodies = keep_bodies
        self.port = port
        self.oversize_bytes = oversize_bytes
        self.requests: list[ReceivedRequest] = []
        #: what happened, by name: "requests", "answered", "limited" (429 from the rate limit) and each fault
        self.counts: Counter[str] = Counter()
        self._seen: Counter[tuple[str, str, str, tuple[int, ...]]] = Counter()
        #: requests being handled now, and the most at once (a client's concurrency, seen from here)
        self.in_flight = 0
        self.peak_in_flight = 0
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ lifecycle

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def app(self) -> web.Application:
        app = web.Application(client_max_size=256 << 20)
        app.router.add_post("/v1/chat/completions", self._openai)
        app.router.add_post("/chat/completions", self._openai)
        app.router.add_post("/v1/models/{model}:generateContent", self._gemini)
        app.router.add_post("/v1beta/models/{model}:generateContent", self._gemini)
        app.router.add_post("/v1/messages", self._anthropic)
        app.router.add_get("/_fake/counts", self._counts)
        return app

    async def _counts(self, request: web.Request) -> web.Response:
        with self._lock:
            counts = dict(self.counts)
        return web.Response(body=msgspec.json.encode(counts), content_type="application/json")

    async def start(self) -> None:
        logging.getLogger("aiohttp.server").setLevel(logging.CRITICAL)
        self._runner = web.AppRunner(
            self.app(), access_log=None, shutdown_timeout=0.2, handler_cancellation=True
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port, backlog=4096, reuse_address=True)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def start_in_thread(self) -> Self:
        """Serve from a background thread with its own event loop; returns once listening."""
        ready = threading.Event()
        failure: list[BaseException] = []

        def serve() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                loop.run_until_complete(self.start())
            except BaseException as exc:  # noqa: BLE001 - reported to the caller
                failure.append(exc)
                ready.set()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self.close())
            loop.close()

        self._thread = threading.Thread(target=serve, name="u2fast-fake-provider", daemon=True)
        self._thread.start()
        ready.wait(30)
        if failure:
            raise failure[0]
        return self

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(30)
            self._thread = None
            self._loop = None

    def __enter__(self) -> Self:
        return self.start_in_thread()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # ------------------------------------------------------------------ handlers

    async def _openai(self, request: web.Request) -> web.StreamResponse:
        return await self._handle(request, "openai", None)

    async def _gemini(self, request: web.Request) -> web.StreamResponse:
        return await self._handle(request, "gemini", request.match_info["model"])

    async def _anthropic(self, request: web.Request) -> web.StreamResponse:
        return await self._handle(request, "anthropic", None)

    async def _handle(self, request: web.Request, wire: str, path_model: str | None) -> web.StreamResponse:
        with self._lock:
            self.in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
        try:
            return await self._answer(request, wire, path_model)
        finally:
            with self._lock:
                self.in_flight -= 1

    async def _answer(self, request: web.Request, wire: str, path_model: str | None) -> web.StreamResponse:
        raw = await request.read()
        now = time.monotonic()
        with self._lock:
            self.counts["requests"] += 1
        try:
            doc = _decode(raw)
            model, prompt, images = parse_request(wire, doc, path_model)
        except (msgspec.DecodeError, ValueError, AttributeError, TypeError) as exc:
            status, body = error_body(wire, "bad_request", f"could not read the request: {exc}")
            with self._lock:
                self.counts["unreadable"] += 1
            return web.Response(status=status, body=body, content_type="application/json")
        identity = (wire, model, prompt, tuple(len(b) for _, b in images))
        with self._lock:
            self._seen[identity] += 1
            seen = self._seen[identity]
        received = ReceivedRequest(
            wire=wire,
            method=request.method,
            path=request.path,
            headers=CIMultiDict(request.headers),
            model=model,
            prompt=prompt,
            images=images,
            body=doc if self.keep_bodies else None,
            body_size=len(raw),
            seen=seen,
            at=now,
        )
        if self.record:
            with self._lock:
                self.requests.append(received)
        if self.rate_limit is not None:
            wait = self.rate_limit.take(now)
            if wait is not None:
                received.fault = "limited"
                with self._lock:
                    self.counts["limited"] += 1
                after = (
                    self.rate_limit.retry_after
                    if self.rate_limit.retry_after is not None
                    else math.ceil(wait)
                )
                return self._error(wire, "rate_limited", retry_after=after)
        fault = self.faults(received, self.rng) if self.faults is not None else None
        received.fault = fault
        if fault is not None:
            with self._lock:
                self.counts[fault] += 1
        delay = self.latency(self.rng)
        if fault == "hang":
            await asyncio.sleep(self.hang_s)
            return web.Response(status=504)
        if delay > 0 and fault not in _REFUSED_AT_THE_DOOR:
            await asyncio.sleep(delay)
        if fault is None or fault in ("huge", "other_model"):
            text = self.answer(received)
            with self._lock:
                self.counts["answered"] += 1
            said = OTHER_MODEL if fault == "other_model" else model
            body = answer_body(wire, said, text, prompt, len(images), padding=_HUGE_BYTES if fault == "huge" else 0)
            return web.Response(body=body, content_type="application/json")
        if fault == "oversize":
            return await self._stream_oversize(request, answer_body(wire, model, self.answer(received), prompt, len(images)))
        if fault == "error_in_200":
            body = msgspec.json.encode({"object": "error", "message": "The server is overloaded; try again later",
                                        "type": "ServiceUnavailableError", "param": None, "code": 503})
            return web.Response(body=body, content_type="application/json")
        if fault == "reset":
            transport = request.transport
            if transport is not None:
                transport.abort()
            raise asyncio.CancelledError  # nothing more to say on a dropped connection
        if fault == "malformed":
            return web.Response(
                body=b'{"choices": [{"message": {"content": "A"', content_type="application/json"
            )
        if fault == "empty":
            return web.Response(body=empty_body(wire, model), content_type="application/json")
        if fault == "content_filter":
            return web.Response(body=filtered_body(wire, model), content_type="application/json")
        if fault == "echo_key":
            sent = (
                request.headers.get("authorization")
                or request.headers.get("x-api-key")
                or request.headers.get("x-goog-api-key")
                or ""
            )
            return self._error(wire, "echo_key", message=f"Incorrect API key provided: {sent}.")
        return self._error(wire, fault, retry_after=self.retry_after if fault == "rate_limited" else None)

    async def _stream_oversize(self, request: web.Request, answer: bytes) -> web.StreamResponse:
        """``answer`` with a padding field of ``oversize_bytes``, written a megabyte at a time so that
        the server holds no large body: what the client keeps is the client's doing."""
        response = web.StreamResponse(headers={"content-type": "application/json"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        chunk = b"p" * (1 << 20)
        try:
            await response.write(answer[:-1] + b',"x_padding":"')
            left = self.oversize_bytes
            while left > 0:
                await response.write(chunk[: min(left, len(chunk))])
                left -= len(chunk)
            await response.write(b'"}')
            await response.write_eof()
        except ConnectionError:
            pass  # the client stopped reading: what a capped client does
        return response

    def _error(
        self, wire: str, fault: str, *, retry_after: float | None = None, message: str | None = None
    ) -> web.Response:
        status, body = error_body(wire, fault, message)
        headers = {}
        if retry_after is not None:
            headers["Retry-After"] = f"{retry_after:g}"
        return web.Response(status=status, body=body, content_type="application/json", headers=headers)

    # ------------------------------------------------------------------ inspection

    def received(self, *, fault: str | bool | None = True) -> list[ReceivedRequest]:
        """Recorded requests; ``fault=None`` only the answered ones, a name only those with that fault."""
        with self._lock:
            items = list(self.requests)
        if fault is True:
            return items
        return [r for r in items if r.fault == fault]
