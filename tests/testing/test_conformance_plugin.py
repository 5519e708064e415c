"""u2fast.testing.conformance_plugin: what a plugin's ``PluginUnderTest`` may leave out (its package,
its wire format, where its captures lie) is derived, and the long keyword form still works."""

from __future__ import annotations

import dataclasses
import types
from pathlib import Path

import pytest
import u2fast_openai

from u2fast.adapters.base import AdapterSettings
from u2fast.testing.conformance import PluginUnderTest, capture_path

OPENAI_TESTS = Path(__file__).resolve().parents[2] / "plugins" / "u2fast-openai" / "tests"


def _shortest(**fields: object) -> PluginUnderTest:
    return PluginUnderTest(module=u2fast_openai, model="gpt-4.1-mini", key_header="authorization", **fields)  # type: ignore[arg-type]


def _without_batch_wire(settings: AdapterSettings) -> object:
    """The OpenAI adapter with no ``batch_wire()``, as a provider without a batch API has."""
    adapter = u2fast_openai.INFO.create(settings)
    adapter.batch_wire = None
    return adapter


def test_the_package_wire_format_and_model_are_read_from_the_module() -> None:
    plugin = PluginUnderTest(module=u2fast_openai, key_header="authorization")
    assert (plugin.distribution, plugin.wire, plugin.model) == ("u2fast-openai", "openai", u2fast_openai.DEFAULT_MODEL)


def test_the_long_keyword_form_keeps_what_it_states() -> None:
    capture = capture_path(OPENAI_TESTS, "openai-chat-completions.json")
    plugin = PluginUnderTest(module=u2fast_openai, distribution="u2fast-openai-fork", wire="gemini", model="gpt-4.1",
                             key_header="authorization", capture=capture, batch_capture=Path("/elsewhere/b.json"))
    assert (plugin.distribution, plugin.wire, plugin.model) == ("u2fast-openai-fork", "gemini", "gpt-4.1")
    assert (plugin.capture_file, plugin.batch_capture_file) == (capture, Path("/elsewhere/b.json"))


def test_a_capture_file_name_is_located_in_the_tests_folder() -> None:
    plugin = _shortest(tests_dir=OPENAI_TESTS, capture="openai-chat-completions.json", batch_capture="openai-batch.json")
    assert plugin.capture_file == capture_path(OPENAI_TESTS, "openai-chat-completions.json")
    assert plugin.batch_capture_file == capture_path(OPENAI_TESTS, "openai-batch.json")
    assert plugin.capture_file is not None and plugin.capture_file.is_file()
    assert (_shortest().capture_file, _shortest().batch_capture_file) == (None, None)


def test_a_capture_file_name_without_a_tests_folder_is_refused() -> None:
    with pytest.raises(AssertionError, match="'openai-batch.json' is a file name; pass tests_dir="):
        _ = _shortest(batch_capture="openai-batch.json").batch_capture_file


def test_an_adapter_name_that_is_no_wire_format_must_be_given_one() -> None:
    module = types.ModuleType("u2fast_openai")
    module.INFO = dataclasses.replace(u2fast_openai.INFO, name="acme")  # type: ignore[attr-defined]
    with pytest.raises(AssertionError, match="acme: its adapter name is no fake provider format.*pass wire="):
        PluginUnderTest(module=module, model="acme-1", key_header="authorization")
    assert PluginUnderTest(module=module, wire="openai", model="acme-1", key_header="authorization").wire == "openai"


def test_a_module_no_distribution_installs_must_be_given_its_package() -> None:
    module = types.ModuleType("u2fast_nowhere")
    module.INFO = u2fast_openai.INFO  # type: ignore[attr-defined]
    with pytest.raises(AssertionError, match="u2fast_nowhere: installed by no distribution, not one; pass distribution="):
        PluginUnderTest(module=module, model="gpt-4.1", key_header="authorization")


def test_fields_are_given_by_keyword_so_a_positional_call_fails_loudly() -> None:
    with pytest.raises(TypeError):
        PluginUnderTest(u2fast_openai, "u2fast-openai", "openai", "gpt-4.1", "authorization")  # type: ignore[misc]


def test_the_batch_wire_is_the_adapters_own_unless_a_type_is_named() -> None:
    from u2fast_openai.batch import OpenAIBatchWire

    assert isinstance(_shortest(base_path="/v1").batch_adapter()[1], OpenAIBatchWire)
    assert isinstance(_shortest(batch_wire_type=OpenAIBatchWire).batch_adapter()[1], OpenAIBatchWire)
    with pytest.raises(AssertionError, match="has no batch wire of type dict"):
        _shortest(batch_wire_type=dict).batch_adapter()
    module = types.ModuleType("u2fast_openai")
    module.INFO = dataclasses.replace(u2fast_openai.INFO, create=_without_batch_wire)  # type: ignore[attr-defined]
    with pytest.raises(AssertionError, match="has no batch wire of type object: None"):
        PluginUnderTest(module=module, model="gpt-4.1", key_header="authorization").batch_adapter()
