"""A plugin's request against the one its provider's official SDK sends for the same call, live.

The SDK (a test-only dependency of the plugin) posts to ``FakeProvider``, which records what
arrived; the adapter must build the same method, URL, body (key order at every level) and the
headers it sends with the values the SDK sends. A plugin names its cases (``SdkCase``) and how the
SDK is called for one, in a class inheriting ``SdkParitySuite`` (one test per case);
``assert_sends_what_the_sdk_sends`` does the rest. pytest is imported here only: a test-time
dependency of the kit, never of u2fast.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import pytest

from ..adapters.base import AdapterSettings, EncodedImage
from ..types import GenerationParams, Request
from .server import FakeProvider

if TYPE_CHECKING:
    from .conformance import PluginUnderTest

__all__ = ["SdkCase", "SdkParitySuite", "assert_sends_what_the_sdk_sends"]

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


class SdkParitySuite:
    """Inherit it in a class named ``Test...`` with ``cases`` (name -> SdkCase), the ``key`` the SDK
    is given, and ``send``: the SDK call for a case. The plugin's conftest provides the kit's
    fixtures (``plugin_under_test``, ``jpeg``, ``make_request``)."""

    cases: ClassVar[Mapping[str, SdkCase]] = {}
    key: ClassVar[str] = "sk-sdk-parity-0001"

    def send(self, case: SdkCase, base_url: str, images: list[EncodedImage]) -> object:
        """Make the SDK call for ``case`` against ``base_url`` (prompt ``PROMPT``, ``images`` first)."""
        raise NotImplementedError

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        if "sdk_case" in metafunc.fixturenames:
            metafunc.parametrize("sdk_case", list(self.cases.values()), ids=list(self.cases))

    def test_adapter_sends_what_the_sdk_sends(
        self,
        sdk_case: SdkCase,
        jpeg: EncodedImage,
        make_request: Callable[..., Request],
        plugin_under_test: PluginUnderTest,
    ) -> None:
        def send(base_url: str, images: list[EncodedImage]) -> object:
            return self.send(sdk_case, base_url, images)

        assert_sends_what_the_sdk_sends(plugin_under_test, sdk_case, jpeg, make_request, send, self.key)
