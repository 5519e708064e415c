"""u2fast.testing.conformance: the kit fails a plugin that breaks the rules it checks.

The three plugins in plugins/ pass it (their tests/test_*_conformance.py); here it is run against
copies of the OpenAI plugin broken in one way each, which it must refuse.
"""

from __future__ import annotations

import dataclasses
import types
from typing import Any

import msgspec
import pytest
import u2fast_openai

from u2fast.adapters.base import AdapterSettings, HttpAdapter, Reply
from u2fast.environment import first_env
from u2fast.testing import single_request
from u2fast.testing.conformance import KEY, ConformanceSuite, PluginUnderTest

SUITE = ConformanceSuite()


def _plugin(create: Any) -> PluginUnderTest:
    module = types.ModuleType("u2fast_broken")
    module.INFO = dataclasses.replace(u2fast_openai.INFO, create=create)  # type: ignore[attr-defined]
    return PluginUnderTest(module=module, distribution="u2fast-broken", wire="openai", model="gpt-4.1",
                           key_header="authorization", key_format="Bearer {key}", base_path="/v1")


def _make_request(text: str = "Which option?", **_: Any) -> Any:
    return single_request(text, model="openai:gpt-4.1")


def test_a_plugin_reading_its_own_environment_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def create(settings: AdapterSettings) -> HttpAdapter:  # the two-layer settings the kit forbids
        key = settings.api_key or first_env(("OPENAI_API_KEY",))
        return u2fast_openai.create(dataclasses.replace(settings, api_key=key))

    with pytest.raises(AssertionError):
        SUITE.test_create_uses_the_settings_as_given_and_reads_no_environment(_plugin(create), monkeypatch, _make_request)
    SUITE.test_create_uses_the_settings_as_given_and_reads_no_environment(
        _plugin(u2fast_openai.create), monkeypatch, _make_request)


class _Leaky:
    """The OpenAI adapter, but its errors keep an echoed key."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.name, self.model = inner, inner.name, inner.model

    def build_request(self, request: Any, images: Any) -> Any:
        return self.inner.build_request(request, images)

    def estimate_tokens(self, request: Any, images: Any) -> int:
        return int(self.inner.estimate_tokens(request, images))

    def parse_response(self, status: int, headers: Any, body: bytes) -> Reply:
        reply: Reply = self.inner.parse_response(status, headers, body)
        if reply.error is not None:
            return msgspec.structs.replace(reply, error=msgspec.structs.replace(reply.error, message=body.decode()))
        return reply


def test_a_plugin_leaking_an_echoed_key_fails() -> None:
    leaky = _plugin(lambda settings: _Leaky(u2fast_openai.create(settings)))
    with pytest.raises(AssertionError):
        SUITE.test_a_key_echoed_in_an_error_is_redacted(leaky)
    SUITE.test_a_key_echoed_in_an_error_is_redacted(_plugin(u2fast_openai.create))
    assert KEY.startswith("sk-")
