"""Registration, configuration errors, key hygiene and token estimates."""

from __future__ import annotations

import importlib.metadata
from typing import Any

import pytest
import u2fast_anthropic
from u2fast_anthropic import image_tokens

from u2fast.adapters.base import AdapterInfo, AdapterSettings, HttpAdapter
from u2fast.errors import ConfigError
from u2fast.model_settings import SettingsSources, resolve_model
from u2fast.plugins import build_registry


def test_entry_point_in_group_u2fast_loads_this_module() -> None:
    (ep,) = [ep for ep in importlib.metadata.entry_points(group="u2fast") if ep.name == "anthropic"]
    assert ep.load() is u2fast_anthropic
    assert ep.dist is not None and ep.dist.name == "u2fast-anthropic"


def test_hook_registers_the_adapter_info() -> None:
    registered: list[AdapterInfo] = []
    u2fast_anthropic.u2fast_register_adapters(registered.append)
    (info,) = registered
    assert info.name == "anthropic" and info.default_model == "claude-sonnet-5-5"
    assert info.key_env == ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN")
    assert info.base_url_env == ("ANTHROPIC_BASE_URL",)
    assert info.default_model in info.models and info.default_model in info.prices
    assert all(0 < p.input < p.output for p in info.prices.values())


def test_created_adapter_is_an_http_adapter() -> None:
    adapter = u2fast_anthropic.create(AdapterSettings(model="claude-haiku-4-5", api_key="k"))
    assert isinstance(adapter, HttpAdapter) and adapter.name == "anthropic" and adapter.model == "claude-haiku-4-5"


def test_key_and_base_url_from_the_environment(make_request: Any) -> None:
    env = {"ANTHROPIC_AUTH_TOKEN": "sk-ant-env", "ANTHROPIC_BASE_URL": "https://gateway.example.com"}
    choice = resolve_model("anthropic:claude-sonnet-5-5", u2fast_anthropic.INFO, SettingsSources(environ=env))
    req = u2fast_anthropic.create(choice.settings).build_request(make_request(), [])
    assert req.url == "https://gateway.example.com/v1/messages"
    assert req.headers["authorization"] == "Bearer sk-ant-env"


@pytest.mark.parametrize(
    "options",
    [
        {"auth": "basic"},
        {"temperature": 1.5},
        {"temperature": "0"},
        {"top_p": -1},
        {"thinking_budget": 10},
        {"thinking": "lots"},
        {"thinking": "adaptive", "thinking_budget": 2048},
        {"seed": 1},
    ],
)
def test_bad_options_are_config_errors(options: dict[str, Any]) -> None:
    with pytest.raises(ConfigError, match="anthropic: "):
        u2fast_anthropic.create(AdapterSettings(model="claude-sonnet-5-5", api_key="k", options=options))


def test_key_never_in_repr_or_str() -> None:
    adapter = u2fast_anthropic.create(AdapterSettings(model="claude-sonnet-5-5", api_key="sk-ant-very-secret"))
    assert "sk-ant-very-secret" not in repr(adapter) and "sk-ant-very-secret" not in str(adapter)
    assert "claude-sonnet-5-5" in repr(adapter)


@pytest.mark.parametrize(
    ("size", "tokens"), [((8, 8), 1), ((1000, 1000), 1334), ((1092, 1092), 1590), ((4000, 3000), 1600), ((0, 0), 1600)]
)
def test_image_tokens_follow_the_published_rule(size: tuple[int, int], tokens: int) -> None:
    assert image_tokens(*size) == tokens


def test_estimate_tokens_counts_text_and_images(jpeg: Any, make_request: Any) -> None:
    adapter = u2fast_anthropic.create(AdapterSettings(model="claude-sonnet-5-5", api_key="k"))
    gap = adapter.estimate_tokens(make_request(), [jpeg]) - adapter.estimate_tokens(make_request(n_images=0), [])
    assert gap == image_tokens(640, 480) == 410


def test_loaded_by_the_plugin_manager_and_disabled_alone(monkeypatch: Any) -> None:
    monkeypatch.delenv("U2FAST_DISABLE_PLUGINS", raising=False)
    registry = build_registry()
    assert registry.adapters["anthropic"] is u2fast_anthropic.INFO
    assert registry.adapter_owner["anthropic"] == "anthropic" and registry.distributions["anthropic"] == "u2fast-anthropic"
    assert not [f for f in registry.failures if f.name == "anthropic"]

    installed = {ep.name for ep in importlib.metadata.entry_points(group="u2fast")}
    monkeypatch.setenv("U2FAST_DISABLE_PLUGINS", "anthropic")
    registry = build_registry()
    assert "anthropic" not in registry.adapters
    # The built-ins and the other provider plugins keep working without this one.
    assert {"random", "replay"} <= set(registry.adapters)
    assert ({"openai", "gemini"} & installed) <= set(registry.adapters)
