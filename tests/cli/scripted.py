"""A provider server written for these tests only, independent of ``u2fast.testing``.

Each request is handed to a script ``(hit) -> Action`` that decides what goes back on the wire:
a JSON answer, any status/headers/body, a hang, a reset in the middle of the body. The server
records what it saw (time, path, headers, body, connection) and how many requests were in flight
at once, so tests can count at the server what the client really did.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

__all__ = [
    "Action", "Hit", "ScriptedServer", "anthropic_ok", "default_ok", "first_try_differs", "gemini_ok", "openai_ok",
    "wire_of",
]  # fmt: skip


@dataclass
class Hit:
    """One request as the server received it."""

    index: int
    at: float  # time.monotonic() on arrival
    path: str
    headers: dict[str, str]
    body: bytes
    peer: tuple[Any, ...] | None

    @property
    def doc(self) -> Any:
        return json.loads(self.body) if self.body else None

    @property
    def identity(self) -> str:
        """The same for every resend of the same request (same prompt, image, model)."""
        return hashlib.sha256(self.path.encode() + b"\0" + self.body).hexdigest()

    @property
    def model(self) -> str:
        if "generateContent" in self.path:
            return self.path.rsplit("/", 1)[-1].split(":", 1)[0]
        return str((self.doc or {}).get("model", ""))


@dataclass
class Action:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"
    #: seconds to wait before answering (past the client's first-byte timeout = a hang)
    delay: float = 0.0
    #: send the headers and this many bytes of body, then reset the connection (-1: reset before the headers)
    reset_after: int | None = None
    #: send the headers and this many bytes of body, go silent for ``delay`` seconds, then the rest
    stall_after: int | None = None
    #: answer only once this event is set: a gate the test opens, so ordering needs no timing
    hold: threading.Event | None = None

    @classmethod
    def json(cls, status: int, doc: Any, **kw: Any) -> Action:
        return cls(status=status, body=json.dumps(doc).encode(), **kw)


def wire_of(path: str) -> str:
    if "generateContent" in path:
        return "gemini"
    if path.endswith("/messages"):
        return "anthropic"
    return "openai"


def openai_ok(text: str = "A", model: str = "", usage: tuple[int, int] = (100, 5), fingerprint: str | None = None) -> Action:
    """An answer; ``model`` "" names no model (a server that names another is scored apart);
    ``fingerprint`` goes into ``system_fingerprint``, which the journal keeps (a test's tracer)."""
    return Action.json(
        200,
        {
            "id": "x",
            "object": "chat.completion",
            "model": model,
            **({"system_fingerprint": fingerprint} if fingerprint else {}),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": usage[0], "completion_tokens": usage[1], "total_tokens": sum(usage)},
        },
    )


def gemini_ok(text: str = "A") -> Action:
    return Action.json(
        200,
        {
            "candidates": [{"content": {"role": "model", "parts": [{"text": text}]}, "finishReason": "STOP"}],
            "usageMetadata": {"promptTokenCount": 100, "candidatesTokenCount": 5, "totalTokenCount": 105},
        },
    )


def anthropic_ok(text: str = "A") -> Action:
    return Action.json(
        200,
        {
            "id": "msg_1",
            "type": "message",
            "role": "assistant",
            "model": "",
            "content": [{"type": "text", "text": text}],
            "stop_reason": "end_turn",
            "usage": {"input_tokens": 100, "output_tokens": 5},
        },
    )


def default_ok(hit: Hit) -> Action:
    return {"gemini": gemini_ok, "anthropic": anthropic_ok}.get(wire_of(hit.path), openai_ok)()


Script = Callable[[Hit], Action]


def first_try_differs(first: Script, then: Script = default_ok) -> Script:
    """A script that answers the first try of every distinct request with ``first(hit)`` and every
    later try with ``then(hit)`` (a fault the client must recover from)."""
    seen: set[str] = set()
    lock = threading.Lock()

    def script(hit: Hit) -> Action:
        with lock:
            is_first = hit.identity not in seen
            seen.add(hit.identity)
        return first(hit) if is_first else then(hit)

    return script


class ScriptedServer:
    """``with ScriptedServer(script) as srv:`` serves on ``srv.url`` from a background thread."""

    def __init__(self, script: Script = default_ok) -> None:
        self.script = script
        self.hits: list[Hit] = []
        self.in_flight = 0
        self.peak_in_flight = 0
        self.in_flight_by_model: dict[str, int] = {}
        self.peak_by_model: dict[str, int] = {}
        self.connections: set[Any] = set()
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        with self._lock:
            hit = Hit(
                index=len(self.hits),
                at=time.monotonic(),
                path=request.path,
                headers={k.lower(): v for k, v in request.headers.items()},
                body=body,
                peer=request.transport.get_extra_info("peername") if request.transport else None,
            )
            self.hits.append(hit)
            self.in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
            model = hit.model
            self.in_flight_by_model[model] = self.in_flight_by_model.get(model, 0) + 1
            self.peak_by_model[model] = max(self.peak_by_model.get(model, 0), self.in_flight_by_model[model])
            if hit.peer is not None:
                self.connections.add(hit.peer)
        try:
            action = self.script(hit)
            while action.hold is not None and not action.hold.is_set():
                await asyncio.sleep(0.01)
            if action.stall_after is not None:
                response = await self._first_bytes(request, action, action.stall_after)
                await asyncio.sleep(action.delay)
                await response.write(action.body[action.stall_after :])
                return response
            if action.delay:
                await asyncio.sleep(action.delay)
            if action.reset_after is not None and action.reset_after < 0:
                self._reset(request)
                return web.Response(status=500)  # never reaches the client
            if action.reset_after is not None:
                response = await self._first_bytes(request, action, action.reset_after)
                self._reset(request)
                return response
            return web.Response(
                status=action.status, body=action.body, headers=action.headers, content_type=action.content_type
            )
        finally:
            with self._lock:
                self.in_flight -= 1
                self.in_flight_by_model[model] -= 1

    @staticmethod
    async def _first_bytes(request: web.Request, action: Action, count: int) -> web.StreamResponse:
        """Send the headers (announcing the whole body's length) and the first ``count`` bytes of the body."""
        response = web.StreamResponse(status=action.status, headers=action.headers)
        response.content_type = action.content_type
        response.content_length = len(action.body)
        await response.prepare(request)
        await response.write(action.body[:count])
        return response

    @staticmethod
    def _reset(request: web.Request) -> None:
        assert request.transport is not None
        sock = request.transport.get_extra_info("socket")
        if sock is not None:  # RST instead of FIN: a reset, not a clean close
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        request.transport.abort()

    def _serve(self, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)  # this thread's own loop
        self._loop = loop
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("POST", "/{tail:.*}", self._handle)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
        loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, "127.0.0.1", 0)
        loop.run_until_complete(site.start())
        self._runner = runner
        server = site._server
        assert server is not None and server.sockets
        self.port = server.sockets[0].getsockname()[1]
        ready.set()
        loop.run_forever()
        pending = asyncio.all_tasks(loop)  # handlers still sleeping in a hang: end them quietly
        for task in pending:
            task.cancel()
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.run_until_complete(runner.cleanup())
        loop.close()

    def __enter__(self) -> ScriptedServer:
        ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(ready,), daemon=True)
        self._thread.start()
        ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._loop is not None and self._thread is not None
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def by_identity(self) -> dict[str, list[Hit]]:
        out: dict[str, list[Hit]] = {}
        for hit in list(self.hits):
            out.setdefault(hit.identity, []).append(hit)
        return out
