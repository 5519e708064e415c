"""Registration, configuration errors, key hygiene and token estimates."""

from __future__ import annotations

import importlib.metadata
from typing import Any

import pytest
import u2fast_openai
from u2fast_openai import image_tokens

from u2fast.adapters.base import AdapterInfo, AdapterSettings, HttpAdapter
from u2fast.errors import ConfigError
from u2fast.model_settings import SettingsSources, resolve_model
from u2fast.plugins import build_registry


def test_entry_point_in_group_u2fast_loads_this_module() -> None:
    (ep,) = [ep for ep in importlib.metadata.entry_points(group="u2fast") if ep.name == "openai"]
    assert ep.load() is u2fast_openai
    assert ep.dist is not None and ep.dist.name == "u2fast-openai"


def test_hook_registers_the_adapter_info() -> None:
    registered: list[AdapterInfo] = []
    u2fast_openai.u2fast_register_adapters(registered.append)
    (info,) = registered
    assert info.name == "openai"
    assert info.default_model == "gpt-4.1" and "gpt-4.1" in info.models
    assert info.key_env == ("OPENAI_API_KEY",) and info.base_url_env == ("OPENAI_BASE_URL",)
    assert all(p.input > 0 and p.output > p.input for p in info.prices.values())
    assert info.default_model in info.prices and set(info.prices) <= set(info.models)


def test_created_adapter_is_an_http_adapter() -> None:
    adapter = u2fast_openai.create(AdapterSettings(model="gpt-4.1", api_key="sk-x"))
    assert isinstance(adapter, HttpAdapter)
    assert adapter.name == "openai" and adapter.model == "gpt-4.1"


def test_key_and_base_url_from_the_environment_through_u2fasts_resolution(make_request: Any) -> None:
    env = {"OPENAI_API_KEY": "sk-from-env\n", "OPENAI_BASE_URL": "https://proxy.example.com/v1"}
    choice = resolve_model("openai:gpt-4.1", u2fast_openai.INFO, SettingsSources(environ=env))
    http = u2fast_openai.create(choice.settings).build_request(make_request(), [])
    assert http.url == "https://proxy.example.com/v1/chat/completions"
    assert http.headers["authorization"] == "Bearer sk-from-env"


@pytest.mark.parametrize(
    "options",
    [{"detial": "high"}, {"detail": 3}, {"max_tokens_param": "tokens"}, {"send_temperature": "yes"}, {"extra_body": [1]}],
)
def test_bad_options_are_config_errors(options: dict[str, Any]) -> None:
    with pytest.raises(ConfigError, match="openai: "):
        u2fast_openai.create(AdapterSettings(model="gpt-4.1", api_key="sk-x", options=options))


def test_bad_base_url_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="base URL"):
        u2fast_openai.create(AdapterSettings(model="gpt-4.1", api_key="sk-x", base_url="api.openai.com"))


def test_key_never_in_repr_or_str() -> None:
    adapter = u2fast_openai.create(AdapterSettings(model="gpt-4.1", api_key="sk-very-secret"))
    for text in (repr(adapter), str(adapter), repr(AdapterSettings(model="gpt-4.1", api_key="sk-very-secret"))):
        assert "sk-very-secret" not in text
    assert "gpt-4.1" in repr(adapter)


@pytest.mark.parametrize(
    ("model", "size", "detail", "tokens"),
    [
        ("gpt-4.1", (1024, 1024), None, 765),  # 768x768 -> 4 tiles
        ("gpt-4o", (2048, 4096), "high", 1105),  # 1024x2048 -> 768x1536 -> 6 tiles
        ("gpt-4o", (8, 8), "high", 255),  # one tile
        ("gpt-4o", (4000, 3000), "low", 85),
        ("gpt-4.1-mini", (64, 64), None, 7),  # 4 patches x 1.62
        ("gpt-4.1-mini", (4096, 4096), None, 2489),  # capped at 1536 patches
    ],
)
def test_image_tokens_follow_the_published_rules(model: str, size: tuple[int, int], detail: str | None, tokens: int) -> None:
    assert image_tokens(model, size[0], size[1], detail) == tokens


def test_estimate_tokens_counts_text_and_images(jpeg: Any, make_request: Any) -> None:
    adapter = u2fast_openai.create(AdapterSettings(model="gpt-4.1", api_key="sk-x"))
    without = adapter.estimate_tokens(make_request(n_images=0), [])
    with_image = adapter.estimate_tokens(make_request(), [jpeg])
    assert 0 < without < 20
    assert with_image - without == image_tokens("gpt-4.1", 640, 480, None)


def test_organization_and_project_from_the_sdk_variables_only_for_openai(monkeypatch: Any, make_request: Any) -> None:
    monkeypatch.setenv("OPENAI_ORG_ID", "org-123")
    monkeypatch.setenv("OPENAI_PROJECT_ID", "proj-456")
    official = u2fast_openai.create(AdapterSettings(model="gpt-4.1", api_key="sk-x"))
    headers = official.build_request(make_request(), []).headers
    assert headers["openai-organization"] == "org-123" and headers["openai-project"] == "proj-456"
    local = u2fast_openai.create(AdapterSettings(model="qwen", base_url="http://127.0.0.1:8000/v1"))
    headers = local.build_request(make_request(), []).headers
    assert "openai-organization" not in headers and "openai-project" not in headers


def test_loaded_by_the_plugin_manager_and_disabled_alone(monkeypatch: Any) -> None:
    monkeypatch.delenv("U2FAST_DISABLE_PLUGINS", raising=False)
    registry = build_registry()
    assert registry.adapters["openai"] is u2fast_openai.INFO
    assert registry.adapter_owner["openai"] == "openai" and registry.distributions["openai"] == "u2fast-openai"
    assert not [f for f in registry.failures if f.name == "openai"]

    installed = {ep.name for ep in importlib.metadata.entry_points(group="u2fast")}
    monkeypatch.setenv("U2FAST_DISABLE_PLUGINS", "openai")
    registry = build_registry()
    assert "openai" not in registry.adapters
    # The built-ins and the other provider plugins keep working without this one.
    assert {"random", "replay"} <= set(registry.adapters)
    assert ({"gemini", "anthropic"} & installed) <= set(registry.adapters)
