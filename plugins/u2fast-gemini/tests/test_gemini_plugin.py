"""Registration, configuration errors, key hygiene and token estimates."""

from __future__ import annotations

import importlib.metadata
from typing import Any

import pytest
import u2fast_gemini
from u2fast_gemini import image_tokens

from u2fast.adapters.base import AdapterInfo, AdapterSettings, HttpAdapter
from u2fast.errors import ConfigError
from u2fast.model_settings import SettingsSources, resolve_model
from u2fast.plugins import build_registry


def test_entry_point_in_group_u2fast_loads_this_module() -> None:
    (ep,) = [ep for ep in importlib.metadata.entry_points(group="u2fast") if ep.name == "gemini"]
    assert ep.load() is u2fast_gemini
    assert ep.dist is not None and ep.dist.name == "u2fast-gemini"


def test_hook_registers_the_adapter_info() -> None:
    registered: list[AdapterInfo] = []
    u2fast_gemini.u2fast_register_adapters(registered.append)
    (info,) = registered
    assert info.name == "gemini" and info.default_model == "gemini-2.5-pro"
    assert info.key_env == ("GOOGLE_API_KEY", "GEMINI_API_KEY")
    assert set(info.prices) <= set(info.models) and info.default_model in info.prices
    assert all(0 < p.input < p.output for p in info.prices.values())


def test_created_adapter_is_an_http_adapter() -> None:
    adapter = u2fast_gemini.create(AdapterSettings(model="gemini-2.5-flash", api_key="g"))
    assert isinstance(adapter, HttpAdapter) and adapter.name == "gemini" and adapter.model == "gemini-2.5-flash"


@pytest.mark.parametrize("variable", ["GEMINI_API_KEY", "GOOGLE_API_KEY"])
def test_key_from_either_variable(variable: str, make_request: Any) -> None:
    choice = resolve_model("gemini:gemini-2.5-pro", u2fast_gemini.INFO, SettingsSources(environ={variable: "from-env"}))
    adapter = u2fast_gemini.create(choice.settings)
    assert adapter.build_request(make_request(), []).headers["x-goog-api-key"] == "from-env"


@pytest.mark.parametrize(
    "options",
    [
        {"api_version": "1"},
        {"thinking_budget": "lots"},
        {"thinking_budget": True},
        {"thinking_level": "max"},
        {"thinking_level": "LOW", "thinking_budget": 10},
        {"media_resolution": "HIGH"},
        {"temperature": 1},
    ],
)
def test_bad_options_are_config_errors(options: dict[str, Any]) -> None:
    with pytest.raises(ConfigError, match="gemini: "):
        u2fast_gemini.create(AdapterSettings(model="gemini-2.5-pro", api_key="g", options=options))


def test_key_never_in_repr_or_str() -> None:
    adapter = u2fast_gemini.create(AdapterSettings(model="gemini-2.5-pro", api_key="AIza-very-secret"))
    assert "AIza-very-secret" not in repr(adapter) and "AIza-very-secret" not in str(adapter)
    assert "gemini-2.5-pro" in repr(adapter)


@pytest.mark.parametrize(
    ("size", "tokens"), [((8, 8), 258), ((384, 384), 258), ((385, 200), 258), ((1024, 768), 516), ((2000, 1600), 2322)]
)
def test_image_tokens_follow_the_tiling_rule(size: tuple[int, int], tokens: int) -> None:
    assert image_tokens(*size) == tokens


def test_estimate_tokens_counts_text_and_images(jpeg: Any, make_request: Any) -> None:
    adapter = u2fast_gemini.create(AdapterSettings(model="gemini-2.5-pro", api_key="g"))
    assert adapter.estimate_tokens(make_request(), [jpeg]) - adapter.estimate_tokens(make_request(n_images=0), []) == 258


def test_google_api_key_wins_when_both_are_set(make_request: Any) -> None:
    env = {"GEMINI_API_KEY": "from-gemini", "GOOGLE_API_KEY": "from-google"}
    choice = resolve_model("gemini:gemini-2.5-pro", u2fast_gemini.INFO, SettingsSources(environ=env))
    adapter = u2fast_gemini.create(choice.settings)
    assert adapter.build_request(make_request(), []).headers["x-goog-api-key"] == "from-google"


def test_loaded_by_the_plugin_manager_and_disabled_alone(monkeypatch: Any) -> None:
    monkeypatch.delenv("U2FAST_DISABLE_PLUGINS", raising=False)
    registry = build_registry()
    assert registry.adapters["gemini"] is u2fast_gemini.INFO
    assert registry.adapter_owner["gemini"] == "gemini" and registry.distributions["gemini"] == "u2fast-gemini"
    assert not [f for f in registry.failures if f.name == "gemini"]

    installed = {ep.name for ep in importlib.metadata.entry_points(group="u2fast")}
    monkeypatch.setenv("U2FAST_DISABLE_PLUGINS", "gemini")
    registry = build_registry()
    assert "gemini" not in registry.adapters
    # The built-ins and the other provider plugins keep working without this one.
    assert {"random", "replay"} <= set(registry.adapters)
    assert ({"openai", "anthropic"} & installed) <= set(registry.adapters)
