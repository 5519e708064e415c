"""Provider facts the conformance suite cannot know: its registration details, options, token estimates."""

from __future__ import annotations

from typing import Any

import pytest
import u2fast_openai
from u2fast_openai import image_tokens

from u2fast.adapters.base import AdapterSettings
from u2fast.testing.conformance import PluginUnderTest


def test_the_registered_adapter_info(plugin_under_test: PluginUnderTest) -> None:
    info = plugin_under_test.info  # what the hook registers (the conformance suite checks that)
    assert info.name == "openai"
    assert info.default_model == "gpt-4.1" and "gpt-4.1" in info.models
    assert info.key_env == ("OPENAI_API_KEY",) and info.base_url_env == ("OPENAI_BASE_URL",)
    assert all(p.input > 0 and p.output > p.input for p in info.prices.values())
    assert info.default_model in info.prices and set(info.prices) <= set(info.models)


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


def test_a_text_only_estimate_is_the_text_and_the_message_framing(make_request: Any) -> None:
    # with an image, the estimate grows by image_tokens (conftest's jpeg_tokens, checked by the conformance suite)
    adapter = u2fast_openai.create(AdapterSettings(model="gpt-4.1", api_key="sk-x"))
    assert 0 < adapter.estimate_tokens(make_request(n_images=0), []) < 20


def test_organization_and_project_from_the_sdk_variables_only_for_openai(monkeypatch: Any, make_request: Any) -> None:
    monkeypatch.setenv("OPENAI_ORG_ID", "org-123")
    monkeypatch.setenv("OPENAI_PROJECT_ID", "proj-456")
    official = u2fast_openai.create(AdapterSettings(model="gpt-4.1", api_key="sk-x"))
    headers = official.build_request(make_request(), []).headers
    assert headers["openai-organization"] == "org-123" and headers["openai-project"] == "proj-456"
    local = u2fast_openai.create(AdapterSettings(model="qwen", base_url="http://127.0.0.1:8000/v1"))
    headers = local.build_request(make_request(), []).headers
    assert "openai-organization" not in headers and "openai-project" not in headers


