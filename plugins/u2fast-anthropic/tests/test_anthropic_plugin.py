"""Provider facts the conformance suite cannot know: its registration details, options, token estimates."""

from __future__ import annotations

from typing import Any

import pytest
import u2fast_anthropic
from u2fast_anthropic import image_tokens

from u2fast.adapters.base import AdapterInfo, AdapterSettings


def test_hook_registers_the_adapter_info() -> None:
    registered: list[AdapterInfo] = []
    u2fast_anthropic.u2fast_register_adapters(registered.append)
    (info,) = registered
    assert info.name == "anthropic" and info.default_model == "claude-sonnet-5-5"
    assert info.key_env == ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN")
    assert info.base_url_env == ("ANTHROPIC_BASE_URL",)
    assert info.default_model in info.models and info.default_model in info.prices
    assert all(0 < p.input < p.output for p in info.prices.values())


@pytest.mark.parametrize(
    ("size", "tokens"), [((8, 8), 1), ((1000, 1000), 1334), ((1092, 1092), 1590), ((4000, 3000), 1600), ((0, 0), 1600)]
)
def test_image_tokens_follow_the_published_rule(size: tuple[int, int], tokens: int) -> None:
    assert image_tokens(*size) == tokens


def test_estimate_tokens_counts_text_and_images(jpeg: Any, make_request: Any) -> None:
    adapter = u2fast_anthropic.create(AdapterSettings(model="claude-sonnet-5-5", api_key="k"))
    gap = adapter.estimate_tokens(make_request(), [jpeg]) - adapter.estimate_tokens(make_request(n_images=0), [])
    assert gap == image_tokens(640, 480) == 410


