"""What the conformance kit knows of a plugin (``PluginUnderTest``) and the checks a plugin's own
tests share with the kit: an error reply, an answer reply, a recorded response parsed, a batch wire.

``PluginUnderTest`` is the plugin's description: its module, package, wire format, key header and
SDK capture. What the module already says is not repeated: the package is the distribution that
installs the module, the wire format is the adapter's name when that is one of the fake provider's
formats, the model its default model, the batch wire whatever its adapter's ``batch_wire()`` gives; and capture files may be named relative to ``tests_dir`` (``capture_path`` locates them). What a capture means (which settings reproduce it, which image it carries) is read
from the capture the way ``FakeProvider`` reads a request of the same wire, so a plugin states only
what the capture itself cannot say (its adapter options, say).
"""

from __future__ import annotations

import importlib.metadata
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

from ..adapters.base import AdapterInfo, AdapterSettings, HttpAdapter, Reply
from ..batch.wire import batch_wire_of
from ..types import ErrorKind, GenerationParams, Usage
from .wire import WIRES, parse_request

__all__ = [
    "PluginUnderTest", "assert_answer_reply", "assert_error_reply", "batch_wire", "capture_path", "response_parser",
]

W = TypeVar("W")

#: The host of the base URL a capture is replayed against: the capture's path is compared, not its host.
_CAPTURE_HOST = "http://127.0.0.1:8000"


@dataclass(frozen=True, kw_only=True)
class PluginUnderTest:
    """What the kit needs to know about a plugin; everything else it reads from ``module.INFO``."""

    module: ModuleType  # holds INFO, create and the hook implementation
    #: the package name, as its entry point reports it; empty: the one installed distribution holding ``module``
    distribution: str = ""
    #: the FakeProvider format it speaks ("openai", "gemini" or "anthropic"); empty: the adapter's name
    wire: str = ""
    model: str = ""  # a model to send requests for; empty: the adapter's ``default_model``
    key_header: str  # the request header the key travels in
    key_format: str = "{key}"  # that header's value ("Bearer {key}")
    base_path: str = ""  # what follows the fake server's URL in a base URL ("/v1")
    #: the folder of the plugin's tests, against which a capture given as a file name is located
    tests_dir: Path | None = None
    #: the provider SDK's request for a one-image call (method, path, headers, body), when there is one:
    #: a path, or a file name located by ``capture_path(tests_dir, name)`` (``capture_file``)
    capture: Path | str | None = None
    #: the adapter settings that reproduce the capture, read from it; when None: the capture's model
    #: and key (as ``wire`` and ``key_header`` place them) with ``capture_options``
    capture_settings: Callable[[dict[str, Any]], AdapterSettings] | None = None
    #: (mime, base64) of the image the capture carries; when None: its first image, as ``wire`` places it
    capture_image: Callable[[dict[str, Any]], tuple[str, str]] | None = None
    capture_params: GenerationParams = field(default_factory=lambda: GenerationParams(temperature=0.0, max_tokens=64))
    #: the adapter options the SDK call of the capture corresponds to (when ``capture_settings`` is None)
    capture_options: Mapping[str, Any] = field(default_factory=dict)
    #: options that must be refused (a ConfigError naming the adapter)
    bad_options: tuple[Mapping[str, Any], ...] = ()
    #: provider-specific (status, body, kind) samples beyond the fake provider's faults
    error_samples: tuple[tuple[int, bytes, ErrorKind], ...] = ()
    #: the input tokens the plugin estimates for the kit's 640x480 JPEG (``jpeg``), when it pins its rule
    jpeg_tokens: int | None = None
    #: batch mode (``u2fast eval --batch``), when the adapter has a ``batch_wire()``: the wire's class
    #: (None: whatever ``batch_wire()`` gives, which must not be None);
    #: the bytes a batch line holds before and after the sync body, for the custom id ``item-0001``
    #: and the base URL ``http://127.0.0.1:1`` + ``base_path``; the provider's batch capture (its
    #: results file, ``u2fast.testing.batches.captured_results``) and what its results read as, by
    #: custom id: (text, usage) of each answer, the kind of each error
    batch_wire_type: type | None = None
    batch_line: tuple[bytes, bytes] | None = None
    batch_capture: Path | str | None = None  # a path, or a file name as for ``capture``
    batch_answers: Mapping[str, tuple[str, Usage]] = field(default_factory=dict)
    batch_errors: Mapping[str, ErrorKind] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.distribution:
            object.__setattr__(self, "distribution", _distribution_of(self.module))
        if not self.wire:
            name = self.name
            assert name in WIRES, f"{name}: its adapter name is no fake provider format {WIRES}; pass wire="
            object.__setattr__(self, "wire", name)
        if not self.model:
            object.__setattr__(self, "model", self.info.default_model)

    @property
    def capture_file(self) -> Path | None:
        """The SDK capture's path (``capture``, a file name located in ``tests_dir``)."""
        return self._located(self.capture)

    @property
    def batch_capture_file(self) -> Path | None:
        """The batch capture's path (``batch_capture``, a file name located in ``tests_dir``)."""
        return self._located(self.batch_capture)

    def _located(self, capture: Path | str | None) -> Path | None:
        if capture is None or isinstance(capture, Path):
            return capture
        assert self.tests_dir is not None, f"{self.name}: the capture {capture!r} is a file name; pass tests_dir="
        return capture_path(self.tests_dir, capture)

    @property
    def info(self) -> AdapterInfo:
        info: AdapterInfo = self.module.INFO
        return info

    @property
    def name(self) -> str:
        return self.info.name

    def adapter(self, settings: AdapterSettings) -> HttpAdapter:
        """``INFO.create(settings)``, which must be an HTTP adapter."""
        adapter = self.info.create(settings)
        assert isinstance(adapter, HttpAdapter), f"{self.name}: create() gave {adapter!r}, not an HttpAdapter"
        return adapter

    def create(self, **settings: Any) -> HttpAdapter:
        """An adapter for the plugin's model with ``settings`` (api_key, base_url, options)."""
        return self.adapter(AdapterSettings(**{"model": self.model, **settings}))

    def batch_adapter(self) -> tuple[HttpAdapter, Any]:
        """An adapter for the plugin's model (the kit's key, base URL ``http://127.0.0.1:1`` + ``base_path``)
        and its batch wire, which must be a ``batch_wire_type`` (when None: any, but there must be one)."""
        adapter = self.create(api_key="sk-conformance-batch", base_url="http://127.0.0.1:1" + self.base_path)
        return adapter, _wire_of(adapter, self.batch_wire_type or object)

    def capture_request(self, capture: dict[str, Any]) -> tuple[str, str, list[tuple[str, str]]]:
        """(model, prompt, [(mime, base64)]) of the captured request, read as ``FakeProvider`` reads one."""
        path_model = capture["path"].rpartition("/models/")[2].partition(":")[0] or None
        return parse_request(self.wire, capture["body"], path_model)

    def settings_of_capture(self, capture: dict[str, Any]) -> AdapterSettings:
        """The settings that reproduce ``capture``: ``capture_settings``, or else the capture's model,
        the key its ``key_header`` carries (``key_format`` taken off) and ``capture_options``."""
        if self.capture_settings is not None:
            return self.capture_settings(capture)
        headers = {k.lower(): v for k, v in capture["headers"].items()}
        head, _, tail = self.key_format.partition("{key}")
        sent = headers.get(self.key_header, "")
        assert sent.startswith(head) and sent.endswith(tail), f"{self.key_header} {sent!r} is not {self.key_format!r}"
        return AdapterSettings(model=self.capture_request(capture)[0], api_key=sent[len(head):len(sent) - len(tail)],
                               base_url=_CAPTURE_HOST + self.base_path, options=self.capture_options)

    def image_of_capture(self, capture: dict[str, Any]) -> tuple[str, str]:
        """(mime, base64) of the image the capture carries: ``capture_image``, or its first image."""
        if self.capture_image is not None:
            return self.capture_image(capture)
        images = self.capture_request(capture)[2]
        assert images, f"the {self.wire} capture carries no image"
        return images[0]


def capture_path(tests_dir: Path, name: str) -> Path:
    """The SDK capture ``name`` for the plugin whose tests are in ``tests_dir``: the u2fast project's
    ``shared/wire/`` beside the repository when present (refreshed when an SDK moves), else the copy
    kept with the tests (``tests_dir/wire/name``)."""
    shared = tests_dir.resolve().parents[2].parent / "shared" / "wire" / name
    return shared if shared.is_file() else tests_dir / "wire" / name


def _distribution_of(module: ModuleType) -> str:
    """The one installed distribution that holds ``module``'s top-level package."""
    top = module.__name__.partition(".")[0]
    found = sorted(set(importlib.metadata.packages_distributions().get(top, ())))
    assert len(found) == 1, f"{top}: installed by {found or 'no distribution'}, not one; pass distribution="
    return found[0]


def batch_wire(create: Callable[[AdapterSettings], object], settings: AdapterSettings, kind: type[W]) -> W:
    """The batch wire of the adapter ``create(settings)`` makes, which must have one of type ``kind``."""
    return _wire_of(create(settings), kind)


def _wire_of(adapter: object, kind: type[W]) -> W:
    """``adapter``'s batch wire, which must be of type ``kind``."""
    wire = batch_wire_of(adapter)
    assert wire is not None and isinstance(wire, kind), f"{adapter!r} has no batch wire of type {kind.__name__}: {wire!r}"
    return wire


def assert_error_reply(reply: Reply, status: int, kind: ErrorKind) -> None:
    """A provider error as every adapter must give it: no text, the class ``kind``, the HTTP
    ``status`` kept, and a message (the provider's own words, or what was missing)."""
    assert reply.text is None and reply.error is not None, reply
    assert (reply.error.kind, reply.error.status) == (kind, status), reply.error
    assert reply.error.message, reply.error


def assert_answer_reply(
    reply: Reply, text: str, usage: Usage, response_model: str | None, finish_reason: str | None,
    fingerprint: str | None = None,
) -> None:
    """An answer as every adapter must give it: no error, the text, and the usage, model, finish
    reason and fingerprint the provider reported (None where it reported none)."""
    assert reply.error is None, reply.error
    got = (reply.text, reply.usage, reply.response_model, reply.finish_reason, reply.fingerprint)
    assert got == (text, usage, response_model, finish_reason, fingerprint), reply


def response_parser(adapter: HttpAdapter) -> Callable[..., Reply]:
    """``parse(status, body, headers=None)``: ``adapter.parse_response`` of a recorded response, the
    body given as bytes or as a JSON value (encoded here)."""

    def parse(status: int, body: Any, headers: Mapping[str, str] | None = None) -> Reply:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        return adapter.parse_response(status, headers or {}, raw)

    return parse
