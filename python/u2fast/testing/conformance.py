"""The conformance kit: the tests every model-adapter plugin must pass, run against its own code.

A plugin describes itself once (``PluginUnderTest``: its module, package, wire format, key header,
SDK capture, provider-specific error samples and bad options) and inherits the suite; the kit then
checks registration, settings, the request against the SDK capture, response and error
classification, the runner end to end against ``FakeProvider`` and the real ``u2fast eval`` command.
The three plugins in ``plugins/`` prove themselves this way, and so does a third-party one::

    # tests/conftest.py of the plugin
    from u2fast.testing.conformance import PluginUnderTest, plugin_fixture
    from u2fast.testing.conformance_fixtures import *  # noqa: F403  (the kit's fixtures)
    import u2fast_acme

    PLUGIN = PluginUnderTest(module=u2fast_acme, wire="openai", model="acme-1", key_header="authorization",
                             key_format="Bearer {key}", base_path="/v1")
    plugin_under_test = plugin_fixture(PLUGIN)

    # tests/test_acme_conformance.py
    from u2fast.testing.conformance import ConformanceSuite

    class TestConformance(ConformanceSuite):
        '''u2fast's conformance suite, run against this plugin.'''

The description and the checks a plugin's own tests share with the suite (``assert_error_reply``,
``assert_answer_reply``, ``response_parser``, ``batch_wire``) live in ``conformance_plugin`` and are
importable from here. pytest is imported here only: a test-time dependency of the kit, never of u2fast.
"""

from __future__ import annotations

import base64
import importlib.metadata
import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from ..adapters.base import AdapterInfo, EncodedImage
from ..errors import ConfigError
from ..model_settings import SettingsSources, resolve_model
from ..plugins import build_registry
from ..runfolder.layout import CASES, JOURNAL, MANIFEST, SCORES
from ..types import ErrorKind, GenerationParams, Request
from .conformance_plugin import (
    PluginUnderTest,
    assert_answer_reply,
    assert_error_reply,
    batch_wire,
    capture_path,
    response_parser,
)
from .conformance_runs import cli_env, journal_records, run_against_fake, runner_requests
from .requests import encoded_image, single_request
from .wire import answer_body, error_body, filtered_body

__all__ = [
    "ConformanceSuite", "PluginUnderTest", "assert_answer_reply", "assert_error_reply", "batch_wire", "capture",
    "capture_png", "capture_path", "jpeg", "make_request", "plugin_fixture", "response_parser",
]  # fmt: skip

KEY = "sk-conformance-secret-0001"
#: What each fault of the fake provider's wire formats must be classified as, for every plugin.
FAULT_KINDS: dict[str, ErrorKind] = {
    "rate_limited": "rate_limited", "quota": "quota_exhausted", "server_error": "server",
    "unavailable": "overloaded", "overloaded": "overloaded", "auth": "auth", "bad_request": "bad_request",
}  # fmt: skip


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def capture(plugin_under_test: PluginUnderTest) -> dict[str, Any]:
    """The SDK capture the plugin names (skipped, saying where it looked, when it is absent)."""
    path = plugin_under_test.capture_file
    if path is None or not path.is_file():
        pytest.skip(f"no SDK wire capture for {plugin_under_test.name} (looked for {path})")
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return doc


@pytest.fixture
def capture_png(plugin_under_test: PluginUnderTest, capture: dict[str, Any]) -> EncodedImage:
    """The 8x8 PNG the SDK sent, byte for byte."""
    mime, b64 = plugin_under_test.image_of_capture(capture)
    raw = base64.b64decode(b64.replace("-", "+").replace("_", "/"))  # either base64 alphabet
    return encoded_image(raw, mime, 8, 8)


@pytest.fixture
def jpeg() -> EncodedImage:
    """A 640x480 JPEG made here, for tests that do not need the capture."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (40, 40, 40)).save(buffer, format="JPEG")
    return encoded_image(buffer.getvalue(), "image/jpeg", 640, 480)


@pytest.fixture
def make_request(plugin_under_test: PluginUnderTest) -> Callable[..., Request]:
    """``make_request(text="Which option?", params=..., n_images=1)``: a request for the plugin's model."""

    def build(text: str = "Which option?", *, params: GenerationParams | None = None, n_images: int = 1) -> Request:
        return single_request(text, model=f"{plugin_under_test.name}:{plugin_under_test.model}",
                              params=params or plugin_under_test.capture_params, n_images=n_images)

    return build


def plugin_fixture(plugin: PluginUnderTest) -> Any:
    """The ``plugin_under_test`` fixture every check asks for, giving ``plugin``; a conftest binds it
    (``plugin_under_test = plugin_fixture(PLUGIN)``) so pytest finds it there."""

    @pytest.fixture(name="plugin_under_test")
    def plugin_under_test() -> PluginUnderTest:
        return plugin

    return plugin_under_test


# --------------------------------------------------------------------------- the suite


class ConformanceSuite:
    """Inherit it in a class named ``Test...``; the plugin's conftest provides ``plugin_under_test``."""

    # ---- registration

    def test_its_entry_point_loads_the_plugin_module(self, plugin_under_test: PluginUnderTest) -> None:
        eps = [ep for ep in importlib.metadata.entry_points(group="u2fast") if ep.name == plugin_under_test.name]
        assert len(eps) == 1, f"one entry point named {plugin_under_test.name!r} in the group 'u2fast'"
        assert eps[0].load() is plugin_under_test.module
        assert eps[0].dist is not None and eps[0].dist.name == plugin_under_test.distribution

    def test_its_hook_registers_a_usable_adapter_info(self, plugin_under_test: PluginUnderTest) -> None:
        registered: list[AdapterInfo] = []
        plugin_under_test.module.u2fast_register_adapters(registered.append)
        assert registered == [plugin_under_test.info]
        info = plugin_under_test.info
        assert info.default_model in info.models and info.description
        assert info.default_base_url, "an HTTP adapter names its default base URL"
        assert all(p.input >= 0 and p.output >= 0 for p in info.prices.values())
        plugin_under_test.create(api_key=KEY)  # the default base URL passes its own check

    def test_the_plugin_manager_loads_it_and_can_disable_it_alone(
        self, plugin_under_test: PluginUnderTest, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        name = plugin_under_test.name
        monkeypatch.delenv("U2FAST_DISABLE_PLUGINS", raising=False)
        registry = build_registry()
        assert registry.adapters[name] is plugin_under_test.info
        assert registry.distributions[name] == plugin_under_test.distribution
        assert not [f for f in registry.failures if f.name == name]
        monkeypatch.setenv("U2FAST_DISABLE_PLUGINS", name)
        registry = build_registry()
        assert name not in registry.adapters and {"random", "replay"} <= set(registry.adapters)

    # ---- settings

    def test_create_never_shows_the_key(self, plugin_under_test: PluginUnderTest) -> None:
        adapter = plugin_under_test.create(api_key=KEY)
        assert adapter.name == plugin_under_test.name and adapter.model == plugin_under_test.model
        assert all(KEY not in text for text in (repr(adapter), str(adapter)))

    def test_create_uses_the_settings_as_given_and_reads_no_environment(
        self, plugin_under_test: PluginUnderTest, monkeypatch: pytest.MonkeyPatch, make_request: Any
    ) -> None:
        info = plugin_under_test.info
        for name in (*info.key_env, *info.base_url_env):
            monkeypatch.setenv(name, "https://env-should-not-be-read.example/sk-env")
        http = plugin_under_test.create().build_request(make_request(), [])
        assert urlsplit(http.url).hostname == urlsplit(info.default_base_url or "").hostname
        assert "env-should-not-be-read" not in repr(http.headers)

    def test_u2fasts_resolved_settings_reach_the_request(
        self, plugin_under_test: PluginUnderTest, make_request: Any
    ) -> None:
        info = plugin_under_test.info
        base = "https://gateway.example.com" + plugin_under_test.base_path
        env = {info.key_env[0]: f" {KEY}\n", info.base_url_env[0]: base}
        choice = resolve_model(f"{info.name}:{plugin_under_test.model}", info, SettingsSources(environ=env))
        http = plugin_under_test.adapter(choice.settings).build_request(make_request(), [])
        assert http.url.startswith(base + "/")
        assert {k.lower(): v for k, v in http.headers.items()}[plugin_under_test.key_header] == \
            plugin_under_test.key_format.format(key=KEY)

    def test_the_key_rule_local_servers_need_none_public_ones_do(
        self, plugin_under_test: PluginUnderTest, make_request: Any
    ) -> None:
        info = plugin_under_test.info
        name = f"{info.name}:{plugin_under_test.model}"
        local = SettingsSources(base_url="http://127.0.0.1:8000" + plugin_under_test.base_path, environ={})
        http = plugin_under_test.adapter(resolve_model(name, info, local).settings).build_request(make_request(), [])
        assert plugin_under_test.key_header not in {k.lower() for k in http.headers}
        with pytest.raises(ConfigError, match=" or ".join(info.key_env)):
            resolve_model(name, info, SettingsSources(environ={}))

    def test_bad_options_and_base_urls_are_config_errors_naming_the_adapter(
        self, plugin_under_test: PluginUnderTest
    ) -> None:
        for options in (*plugin_under_test.bad_options, {"no_such_option": 1}):
            with pytest.raises(ConfigError, match=f"^{plugin_under_test.name}: "):
                plugin_under_test.create(api_key=KEY, options=options)
        for url in ("ftp://example.com", "example.com/v1", "http://exa mple.com"):
            with pytest.raises(ConfigError, match=f"^{plugin_under_test.name}: .*base URL"):
                plugin_under_test.create(api_key=KEY, base_url=url)

    # ---- the request

    def test_the_request_is_the_one_the_sdk_sends(
        self, plugin_under_test: PluginUnderTest, capture: dict[str, Any], capture_png: EncodedImage, make_request: Any
    ) -> None:
        adapter = plugin_under_test.adapter(plugin_under_test.settings_of_capture(capture))
        http = adapter.build_request(make_request(), [capture_png])
        assert http.method == capture["method"] and urlsplit(http.url).path == capture["path"]
        assert http.headers == capture["headers"]
        # key order at every level, as the SDK writes it
        assert json.dumps(json.loads(http.body)) == json.dumps(capture["body"])

    def test_estimated_tokens_count_text_and_images(
        self, plugin_under_test: PluginUnderTest, jpeg: EncodedImage, make_request: Any
    ) -> None:
        adapter = plugin_under_test.create(api_key=KEY)
        text_only = adapter.estimate_tokens(make_request(n_images=0), [])
        with_image = adapter.estimate_tokens(make_request(), [jpeg])
        assert 0 < text_only < with_image
        if plugin_under_test.jpeg_tokens is not None:
            assert with_image - text_only == plugin_under_test.jpeg_tokens

    # ---- responses

    def test_an_answer_gives_text_usage_and_model(self, plugin_under_test: PluginUnderTest) -> None:
        body = answer_body(plugin_under_test.wire, plugin_under_test.model, "benign", "Which option?", 1)
        reply = plugin_under_test.create(api_key=KEY).parse_response(200, {}, body)
        assert reply.error is None and reply.text == "benign"
        assert reply.usage.input_tokens > 0 and reply.usage.output_tokens > 0

    def test_errors_are_classified_and_keep_the_providers_message(self, plugin_under_test: PluginUnderTest) -> None:
        adapter = plugin_under_test.create(api_key=KEY)
        samples = [(*error_body(plugin_under_test.wire, fault), kind) for fault, kind in FAULT_KINDS.items()]
        for status, body, kind in [*samples, *plugin_under_test.error_samples]:
            assert_error_reply(adapter.parse_response(status, {}, body), status, kind)
        filtered = adapter.parse_response(200, {}, filtered_body(plugin_under_test.wire, plugin_under_test.model))
        assert filtered.error is not None and filtered.error.kind == "content_filtered"

    def test_a_key_echoed_in_an_error_is_redacted(self, plugin_under_test: PluginUnderTest) -> None:
        status, body = error_body(plugin_under_test.wire, "auth", f"Incorrect API key provided: {KEY}.")
        reply = plugin_under_test.create(api_key=KEY).parse_response(status, {}, body)
        assert reply.error is not None and reply.error.kind == "auth"
        assert KEY not in reply.error.message and "Incorrect API key" in reply.error.message

    def test_broken_bodies_are_malformed_responses_never_exceptions(self, plugin_under_test: PluginUnderTest) -> None:
        adapter = plugin_under_test.create(api_key=KEY)
        for body in (b"", b"<html>bad gateway</html>", b"[1, 2]", b'"text"', b"{}", b'{"unterminated": '):
            reply = adapter.parse_response(200, {}, body)
            assert reply.error is not None and reply.error.kind == "malformed_response", body

    # ---- batch mode

    def test_a_batch_line_carries_the_sync_body_byte_for_byte(
        self, plugin_under_test: PluginUnderTest, jpeg: EncodedImage, make_request: Any
    ) -> None:
        if plugin_under_test.batch_line is None:
            pytest.skip(f"{plugin_under_test.name} names no batch_line")
        adapter, wire = plugin_under_test.batch_adapter()
        request = make_request()
        head, tail = plugin_under_test.batch_line
        assert wire.line("item-0001", request, (jpeg,)) == head + adapter.build_request(request, (jpeg,)).body + tail
        with pytest.raises(ValueError, match="custom id"):
            wire.line("has space", request, (jpeg,))

    def test_batch_results_are_joined_by_custom_id_and_read(self, plugin_under_test: PluginUnderTest) -> None:
        path = plugin_under_test.batch_capture_file
        if path is None or not path.is_file():
            pytest.skip(f"no batch capture for {plugin_under_test.name} (looked for {path})")
        from .batches import captured_results

        wire = plugin_under_test.batch_adapter()[1]
        capture = json.loads(path.read_text(encoding="utf-8"))
        replies = dict(wire.parse_results(captured_results(capture, reverse=True)))  # joined by id, not by order
        assert {k: (r.text, r.usage) for k, r in replies.items() if r.error is None} == plugin_under_test.batch_answers
        assert {k: r.error.kind for k, r in replies.items() if r.error is not None} == plugin_under_test.batch_errors

    # ---- the runner, end to end against the fake provider

    def test_the_runner_retries_a_rate_limit_and_journals_every_answer(
        self, plugin_under_test: PluginUnderTest, tmp_path: Path
    ) -> None:
        from .faults import FailFirst

        requests = runner_requests(plugin_under_test.name, plugin_under_test.model, 5)
        outcome, received = run_against_fake(plugin_under_test, KEY, requests, tmp_path,
                                             FailFirst("rate_limited", 1, only="Case 1:"))
        assert not outcome.stopped
        records = journal_records(tmp_path)
        assert [(r.case_id, r.error.kind) for r in records if r.error is not None] == [("case-1", "rate_limited")]
        final = {r.case_id: r for r in records if r.ok}
        assert set(final) == {r.case_id for r in requests}
        assert final["case-1"].text == "malignant" and final["case-0"].text == "benign"
        assert final["case-1"].attempt == 2 and all(r.response_model == plugin_under_test.model for r in final.values())
        assert len(received) == 6 and all(r.wire == plugin_under_test.wire for r in received)
        sent = [r for r in received if r.fault is None]
        assert all(r.headers[plugin_under_test.key_header] == plugin_under_test.key_format.format(key=KEY) for r in sent)
        assert all(r.images and r.images[0][0] == "image/png" for r in sent)

    def test_a_spent_quota_stops_the_model_without_retrying(
        self, plugin_under_test: PluginUnderTest, tmp_path: Path
    ) -> None:
        requests = runner_requests(plugin_under_test.name, plugin_under_test.model, 6)
        outcome, received = run_against_fake(plugin_under_test, KEY, requests, tmp_path, lambda r, rng: "quota")
        assert f"{plugin_under_test.name}:{plugin_under_test.model}" in outcome.stopped
        records = journal_records(tmp_path)
        assert records and all(r.error is not None and r.error.kind == "quota_exhausted" for r in records)
        assert len(received) < 6 * 3  # not every request retried to the attempt limit

    def test_a_key_the_server_echoes_never_reaches_the_journal(
        self, plugin_under_test: PluginUnderTest, tmp_path: Path
    ) -> None:
        requests = runner_requests(plugin_under_test.name, plugin_under_test.model, 2)
        outcome, _ = run_against_fake(plugin_under_test, KEY, requests, tmp_path, lambda r, rng: "echo_key")
        assert f"{plugin_under_test.name}:{plugin_under_test.model}" in outcome.stopped  # a rejected key stops it
        records = journal_records(tmp_path)
        assert records and all(r.error is not None and r.error.kind == "auth" for r in records)
        assert KEY.encode() not in (tmp_path / JOURNAL).read_bytes()

    # ---- the real command

    def test_u2fast_eval_writes_a_full_run_folder_with_the_key_in_no_file(
        self, plugin_under_test: PluginUnderTest, tmp_path: Path
    ) -> None:
        from .server import FakeProvider

        spec = f"{plugin_under_test.name}:{plugin_under_test.model}"
        with FakeProvider(answer=lambda request: "A") as fake:
            argv = [sys.executable, "-m", "u2fast.cli", "eval", "--model", spec, "--base-url",
                    fake.url + plugin_under_test.base_path, "--tasks", "DD", "--limit", "2", "--runs-dir",
                    str(tmp_path), "--name", "conformance", "--quiet", "--bootstrap", "0"]
            proc = subprocess.run(argv, env=cli_env(plugin_under_test.info, KEY), capture_output=True, text=True,
                                  timeout=300)
            received = fake.received()
        assert proc.returncode == 0, proc.stderr
        run_dir = tmp_path / "conformance"
        for name in (MANIFEST, CASES, JOURNAL, SCORES):
            assert (run_dir / name).is_file(), name
        assert json.loads((run_dir / MANIFEST).read_text())["models"] == [spec]
        records = journal_records(run_dir)
        assert records and all(r.ok and r.text == "A" for r in records) and len(received) == len(records)
        for path in [*run_dir.rglob("*"), *(p for p in tmp_path.iterdir() if p.is_file())]:
            assert not path.is_file() or KEY.encode() not in path.read_bytes(), path
        assert KEY not in proc.stdout + proc.stderr

    def test_u2fast_eval_without_a_key_fails_before_any_request(
        self, plugin_under_test: PluginUnderTest, tmp_path: Path
    ) -> None:
        argv = [sys.executable, "-m", "u2fast.cli", "eval", "--model", f"{plugin_under_test.name}:{plugin_under_test.model}",
                "--runs-dir", str(tmp_path), "--name", "nokey", "--quiet"]
        proc = subprocess.run(argv, env=cli_env(plugin_under_test.info, None), capture_output=True, text=True,
                              timeout=300)
        assert proc.returncode == ConfigError.exit_code, proc.stderr
        assert plugin_under_test.info.key_env[0] in proc.stderr and "Traceback" not in proc.stderr
        assert not (tmp_path / "nokey" / JOURNAL).exists()

