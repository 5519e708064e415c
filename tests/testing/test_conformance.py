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
from u2fast.testing import encoded_image, single_request
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


def _capture(path: str, headers: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    return {"method": "POST", "path": path, "headers": headers, "body": body}


def test_a_capture_is_read_as_the_fake_provider_reads_its_wire() -> None:
    image = {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBO"}}
    body = {"model": "gpt-4o", "messages": [{"role": "user", "content": [image, {"type": "text", "text": "Which?"}]}]}
    plugin = dataclasses.replace(_plugin(u2fast_openai.create), capture_options={"detail": "high"})
    capture = _capture("/v1/chat/completions", {"Authorization": "Bearer sk-cap"}, body)
    settings = plugin.settings_of_capture(capture)
    assert (settings.model, settings.api_key, settings.options) == ("gpt-4o", "sk-cap", {"detail": "high"})
    assert settings.base_url is not None and settings.base_url.endswith("/v1")
    assert plugin.image_of_capture(capture) == ("image/png", "iVBO")
    gemini = dataclasses.replace(plugin, wire="gemini", key_header="x-goog-api-key", key_format="{key}")
    parts = {"contents": [{"parts": [{"text": "Which?"}], "role": "user"}]}
    got = gemini.settings_of_capture(_capture("/v1/models/gemini-2.5-pro:generateContent", {"x-goog-api-key": "g"}, parts))
    assert (got.model, got.api_key) == ("gemini-2.5-pro", "g")
    with pytest.raises(AssertionError, match="carries no image"):
        gemini.image_of_capture(_capture("/v1/models/g:generateContent", {}, parts))
    given = dataclasses.replace(plugin, capture_settings=lambda c: AdapterSettings(model="from-plugin"),
                                capture_image=lambda c: ("image/jpeg", "AAAA"))
    assert given.settings_of_capture(capture).model == "from-plugin"  # a plugin's own reading wins
    assert given.image_of_capture(capture) == ("image/jpeg", "AAAA")


def test_a_capture_whose_key_header_is_not_the_key_format_fails() -> None:
    body = {"model": "gpt-4o", "messages": [{"role": "user", "content": "Which?"}]}
    with pytest.raises(AssertionError, match="authorization 'sk-raw' is not 'Bearer {key}'"):
        _plugin(u2fast_openai.create).settings_of_capture(_capture("/v1/chat/completions", {"authorization": "sk-raw"}, body))


def test_the_estimate_check_holds_a_plugin_to_its_image_rule() -> None:
    import io

    from PIL import Image  # the kit's jpeg fixture, made the same way

    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (40, 40, 40)).save(buffer, format="JPEG")
    jpeg = encoded_image(buffer.getvalue(), "image/jpeg", 640, 480)
    wrong = dataclasses.replace(_plugin(u2fast_openai.create), jpeg_tokens=1)
    with pytest.raises(AssertionError):
        SUITE.test_estimated_tokens_count_text_and_images(wrong, jpeg, _make_request_with_images)
    right = dataclasses.replace(wrong, jpeg_tokens=u2fast_openai.image_tokens("gpt-4.1", 640, 480, None))
    SUITE.test_estimated_tokens_count_text_and_images(right, jpeg, _make_request_with_images)


def _make_request_with_images(text: str = "Which option?", *, n_images: int = 1, **_: Any) -> Any:
    return single_request(text, model="openai:gpt-4.1", n_images=n_images)


def test_the_batch_checks_hold_a_plugin_to_its_envelope_and_results() -> None:
    from pathlib import Path

    from u2fast_openai.batch import OpenAIBatchWire

    from u2fast.testing.conformance import capture_path
    from u2fast.types import Usage

    tests_dir = Path(__file__).resolve().parents[2] / "plugins" / "u2fast-openai" / "tests"
    head = b'{"custom_id":"item-0001","method":"POST","url":"/v1/chat/completions","body":'
    plugin = dataclasses.replace(
        _plugin(u2fast_openai.create), batch_wire_type=OpenAIBatchWire, batch_line=(head, b"}"),
        batch_capture=capture_path(tests_dir, "openai-batch.json"),
        batch_answers={"item-0001": ("B", Usage(input_tokens=278, output_tokens=1))},
        batch_errors={"item-0002": "bad_request", "item-0003": "batch_expired"},
    )  # fmt: skip
    jpeg = encoded_image(b"\xff\xd8\xff-not-really", "image/jpeg", 640, 480)
    SUITE.test_a_batch_line_carries_the_sync_body_byte_for_byte(plugin, jpeg, _make_request_with_images)
    SUITE.test_batch_results_are_joined_by_custom_id_and_read(plugin)
    with pytest.raises(AssertionError):
        SUITE.test_a_batch_line_carries_the_sync_body_byte_for_byte(
            dataclasses.replace(plugin, batch_line=(head.replace(b"custom_id", b"key"), b"}")), jpeg,
            _make_request_with_images)
    with pytest.raises(AssertionError):
        SUITE.test_batch_results_are_joined_by_custom_id_and_read(
            dataclasses.replace(plugin, batch_errors={"item-0002": "bad_request"}))
