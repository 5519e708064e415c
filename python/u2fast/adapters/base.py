"""What a model adapter is.

Adapters are sans-I/O where they can be: ``build_request`` turns a Request into an HttpRequest and
``parse_response`` turns status, headers and body into a Reply. The runner owns the HTTP session,
limits, retries and the journal. An adapter that needs no network (``random``, ``replay``) or its own
I/O implements ``async generate()`` instead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import msgspec

from ..credentials import redact_url
from ..types import ApiError, HttpRequest, Request, Usage
from .encoded_image import EncodedImage

__all__ = [
    "AdapterInfo",
    "AdapterSettings",
    "EncodedImage",
    "Reply",
    "HttpAdapter",
    "LocalAdapter",
    "Adapter",
    "Price",
    "DEFAULT_COORDS",
]

#: The coordinate convention of an adapter that declares none: corners as fractions of the image.
DEFAULT_COORDS = "xyxy-norm"


class Reply(msgspec.Struct, frozen=True, omit_defaults=True):
    """An adapter's reading of one response: text, or a classified error."""

    text: str | None = None
    error: ApiError | None = None
    usage: Usage = Usage()
    response_model: str | None = None
    fingerprint: str | None = None
    finish_reason: str | None = None


class Price(msgspec.Struct, frozen=True):
    """USD per million tokens."""

    input: float
    output: float
    #: Batch-API rates; None: half the standard rate, as all three providers charge.
    batch_input: float | None = None
    batch_output: float | None = None

    def at_batch_rates(self) -> Price:
        """The price of the same tokens sent through the provider's batch API."""
        return Price(
            input=self.input * 0.5 if self.batch_input is None else self.batch_input,
            output=self.output * 0.5 if self.batch_output is None else self.batch_output,
        )


@dataclass(frozen=True)
class AdapterSettings:
    """What a user configured for one model (command line, TOML config, environment)."""

    model: str
    api_key: str | None = None
    base_url: str | None = None
    #: adapter-specific options, e.g. ``{"detail": "high"}``
    options: Mapping[str, Any] = field(default_factory=dict)
    seed: int = 0

    def __repr__(self) -> str:  # never print a key
        key = "set" if self.api_key else "unset"
        return f"AdapterSettings(model={self.model!r}, api_key=<{key}>, base_url={redact_url(self.base_url or '')!r})"


@runtime_checkable
class HttpAdapter(Protocol):
    """A provider reached over HTTP; the runner does the I/O."""

    name: str
    model: str

    def build_request(self, request: Request, images: Sequence[EncodedImage]) -> HttpRequest: ...

    def parse_response(self, status: int, headers: Mapping[str, str], body: bytes) -> Reply: ...

    def estimate_tokens(self, request: Request, images: Sequence[EncodedImage]) -> int: ...


@runtime_checkable
class LocalAdapter(Protocol):
    """An adapter that answers without the runner's HTTP machinery."""

    name: str
    model: str

    async def generate(self, request: Request, images: Sequence[EncodedImage]) -> Reply: ...


Adapter = HttpAdapter | LocalAdapter


@dataclass(frozen=True)
class AdapterInfo:
    """A registered adapter factory (``u2fast_register_adapters``)."""

    name: str
    create: Callable[[AdapterSettings], Adapter]
    default_model: str
    models: tuple[str, ...] = ()
    description: str = ""
    #: Environment variables tried, in order, for the API key; empty when no key is needed.
    key_env: tuple[str, ...] = ()
    base_url_env: tuple[str, ...] = ()
    default_base_url: str | None = None
    prices: Mapping[str, Price] = field(default_factory=dict)
    #: Whether images and prompt are needed (False for replay, which reads answers from a file).
    needs_images: bool = True
    #: Coordinate convention (a layout of ``u2fast.data.bbox``) each model family answers boxes and
    #: points in: a lower-case part of the model name -> layout; "" is the adapter's default.
    coords: Mapping[str, str] = field(default_factory=dict)

    def coords_for(self, model: str) -> str:
        """The convention ``model`` answers in by default: the longest matching family, else ""'s."""
        name = model.lower()
        families = [f for f in self.coords if f and f in name]
        if families:
            return self.coords[max(families, key=len)]
        return self.coords.get("", DEFAULT_COORDS)
