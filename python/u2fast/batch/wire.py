"""What a provider plugin gives batch mode: a sans-I/O ``BatchWire`` for one model.

An HTTP adapter that supports its provider's batch API has a ``batch_wire()`` method returning an
object of this shape. It builds the HTTP requests of each lifecycle step and reads their answers;
the lifecycle engine (``u2fast.batch.lifecycle``) sends them, journals every step and decides what
comes next. Request lines carry the exact body of the adapter's ``build_request`` (the sync path),
so a batch answer and a sync answer are answers to the same bytes.

Results are always joined by custom id (the request key), never by position.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

import msgspec

from ..adapters.base import EncodedImage, HttpAdapter, Reply
from ..types import ApiError, HttpRequest, Request

__all__ = [
    "CUSTOM_ID",
    "BatchLimits",
    "BatchStatus",
    "BatchWire",
    "Outcome",
    "batch_wire_of",
    "check_custom_id",
    "custom_id_for",
    "result_lines",
    "rfc3339_seconds",
    "statuses",
    "sync_body_line",
]

#: Anthropic's pattern, the strictest of the three; a request key (32 hex digits) always fits it.
CUSTOM_ID = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")

#: How a batch ended: every request ran (some may have failed one by one), or the batch as a whole
#: failed validation, ran out of time, or was cancelled.
Outcome = Literal["completed", "failed", "expired", "cancelled"]


def custom_id_for(key: str) -> str:
    """The custom id of a request in every provider's batch: its journal key, checked."""
    return check_custom_id(key)


def check_custom_id(custom_id: str) -> str:
    if not CUSTOM_ID.match(custom_id):
        raise ValueError(f"custom id {custom_id!r} does not match {CUSTOM_ID.pattern}")
    return custom_id


@dataclass(frozen=True)
class BatchLimits:
    """The provider's limits per batch, with headroom already taken off."""

    max_requests: int
    max_bytes: int


@dataclass(frozen=True)
class BatchStatus:
    """A provider's batch object, read."""

    batch_id: str
    #: The provider's own word for the state (``in_progress``, ``ended``, ``BATCH_STATE_RUNNING``...).
    state: str
    #: None while the provider is still working on it.
    outcome: Outcome | None
    counts: Mapping[str, int] = field(default_factory=dict)
    #: Unix seconds of the provider's deadline, when it says.
    expires_at: float | None = None
    #: What to fetch for the results (file ids or URLs), once ended.
    results: tuple[str, ...] = ()
    #: Why the batch failed as a whole, when it did.
    message: str = ""
    #: The tag u2fast gave it at create (OpenAI metadata, Gemini display name); None when unknown.
    tag: str | None = None


@runtime_checkable
class BatchWire(Protocol):
    """One model's batch API, sans-I/O."""

    #: The adapter's name (``openai``, ``anthropic``, ``gemini``).
    name: str
    limits: BatchLimits
    #: Whether the shard is uploaded as a file before the create (False: sent in the create body).
    uploads: bool

    def line(self, custom_id: str, request: Request, images: tuple[EncodedImage, ...]) -> bytes:
        """One request as a line of the provider's batch input (no newline)."""
        ...

    def upload(self, data: bytes, display_name: str) -> HttpRequest: ...

    def parse_upload(self, status: int, headers: Mapping[str, str], body: bytes, data: bytes) -> str | HttpRequest | ApiError:
        """The uploaded file's id, or the next request of a multi-step upload, or the error."""
        ...

    def create(self, source: str | bytes, tag: str) -> HttpRequest:
        """The create request: ``source`` is the file id, or the shard's lines when ``uploads`` is False."""
        ...

    def parse_batch(self, status: int, headers: Mapping[str, str], body: bytes) -> BatchStatus | ApiError: ...

    def retrieve(self, batch_id: str) -> HttpRequest: ...

    def fetch(self, ref: str) -> HttpRequest: ...

    def parse_results(self, body: bytes) -> Iterator[tuple[str, Reply]]:
        """(custom id, reply) per result line, in the order the provider wrote them."""
        ...

    def cancel(self, batch_id: str) -> HttpRequest: ...

    def delete_file(self, file_id: str) -> HttpRequest | None: ...

    def list_batches(self) -> HttpRequest | None:
        """The newest batches of the account (for reconciling an unjournaled create), or None."""
        ...

    def parse_list(self, status: int, headers: Mapping[str, str], body: bytes) -> list[BatchStatus] | ApiError: ...


def batch_wire_of(adapter: object) -> BatchWire | None:
    """The adapter's batch wire, or None when its provider has no batch API in u2fast."""
    if not isinstance(adapter, HttpAdapter):
        return None
    make = getattr(adapter, "batch_wire", None)
    return make() if callable(make) else None


def sync_body_line(
    adapter: HttpAdapter,
    request: Request,
    images: tuple[EncodedImage, ...],
    custom_id: tuple[str, str],
    body_field: str,
    fields: Mapping[str, Any] | None = None,
) -> bytes:
    """One request as a line of a batch input: a JSON object of the custom id (``(field, id)``,
    checked), the provider's other ``fields``, and last ``body_field``: the body the adapter's
    ``build_request`` makes, spliced in verbatim, so that the batch sends the bytes the sync path sends."""
    id_field, value = custom_id
    head = msgspec.json.encode({id_field: check_custom_id(value), **(fields or {})})
    return head[:-1] + b',"' + body_field.encode() + b'":' + adapter.build_request(request, images).body + b"}"


def result_lines(body: bytes, id_field: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(custom id, line) of each line of a results file; ValueError naming the line when one is not
    a JSON object with a string ``id_field`` (a results file is never half read silently)."""
    for number, raw in enumerate(body.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            line = msgspec.json.decode(raw)
        except msgspec.DecodeError:
            line = None
        if not isinstance(line, dict) or not isinstance(line.get(id_field), str):
            raise ValueError(f"result line {number} has no {id_field}: {raw[:120]!r}")
        yield line[id_field], line


def statuses(items: Iterable[Any], read: Callable[[Mapping[str, Any], int], BatchStatus | ApiError]) -> list[BatchStatus]:
    """The readable batch objects of a listing (others are skipped: a listing is only searched)."""
    out = []
    for item in items:
        if isinstance(item, dict):
            status = read(item, 200)
            if isinstance(status, BatchStatus):
                out.append(status)
    return out


def rfc3339_seconds(text: Any) -> float | None:
    """Unix seconds of an RFC 3339 time (``...Z``, up to nanoseconds), None when it is not one."""
    if not isinstance(text, str):
        return None
    try:
        head, _, frac = text.rstrip("Z").partition(".")
        return _dt.datetime.fromisoformat(f"{head}.{(frac + '000000')[:6]}+00:00").timestamp()
    except ValueError:
        return None
