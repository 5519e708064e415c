"""A plugin's request against the one its provider's official SDK sends for the same call, live.

The SDK (a test-only dependency of the plugin) posts to ``FakeProvider``, which records what
arrived; the adapter must build the same method, URL, body (key order at every level) and the
headers it sends with the values the SDK sends. A plugin names its cases (``SdkCase``) and how the
SDK is called for one; ``assert_sends_what_the_sdk_sends`` does the rest.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..adapters.base import AdapterSettings, EncodedImage
from ..types import GenerationParams, Request
from .server import FakeProvider

if TYPE_CHECKING:
    from .conformance import PluginUnderTest

__all__ = ["SdkCase", "assert_sends_what_the_sdk_sends"]

PROMPT = "Which option?"


@dataclass(frozen=True)
class SdkCase:
    """One call: the model, the run's sampling settings, the adapter options and how many images."""

    model: str
    params: GenerationParams
    options: Mapping[str, Any] = field(default_factory=dict)
    n_images: int = 1


def assert_sends_what_the_sdk_sends(
    plugin: PluginUnderTest,
    case: SdkCase,
    image: EncodedImage,
    make_request: Callable[..., Request],
    send_with_sdk: Callable[[str, list[EncodedImage]], object],
    key: str,
) -> None:
    """``send_with_sdk(base_url, images)`` makes the SDK call for ``case`` (prompt ``PROMPT``, the
    images first); AssertionError unless the adapter's request for it is the same."""
    images = [image] * case.n_images
    request = make_request(PROMPT, params=case.params, n_images=case.n_images)
    with FakeProvider(keep_bodies=True) as fake:
        base_url = fake.url + plugin.base_path
        settings = AdapterSettings(model=case.model, api_key=key, base_url=base_url, options=case.options)
        built = plugin.adapter(settings).build_request(request, images)
        send_with_sdk(base_url, images)
        (sent,) = fake.received()
    assert (built.method, built.url) == (sent.method, f"{fake.url}{sent.path}")
    assert json.dumps(json.loads(built.body)) == json.dumps(sent.body)
    sdk_headers = {k.lower(): v for k, v in sent.headers.items()}
    assert {k: sdk_headers.get(k) for k in built.headers} == built.headers
