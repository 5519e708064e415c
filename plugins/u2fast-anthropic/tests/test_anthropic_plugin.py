"""Provider facts the conformance suite cannot know: its registration details, options, token estimates."""

from __future__ import annotations

import pytest
from u2fast_anthropic import image_tokens

from u2fast.testing.conformance import PluginUnderTest


def test_the_registered_adapter_info(plugin_under_test: PluginUnderTest) -> None:
    info = plugin_under_test.info  # what the hook registers (the conformance suite checks that)
    assert info.name == "anthropic" and info.default_model == "claude-sonnet-5-5"
    assert info.key_env == ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN")
    assert info.base_url_env == ("ANTHROPIC_BASE_URL",)
    assert info.default_model in info.models and info.default_model in info.prices
    assert all(0 < p.input < p.output for p in info.prices.values())


@pytest.mark.parametrize(
    ("size", "tokens"), [((8, 8), 1), ((640, 480), 410), ((1000, 1000), 1334), ((1092, 1092), 1590), ((4000, 3000), 1600), ((0, 0), 1600)]
)
def test_image_tokens_follow_the_published_rule(size: tuple[int, int], tokens: int) -> None:
    assert image_tokens(*size) == tokens

