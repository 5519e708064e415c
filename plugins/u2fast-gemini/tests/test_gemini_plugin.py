"""Provider facts the conformance suite cannot know: its registration details, options, token estimates."""

from __future__ import annotations

from typing import Any

import pytest
import u2fast_gemini
from u2fast_gemini import image_tokens

from u2fast.model_settings import SettingsSources, resolve_model
from u2fast.testing.conformance import PluginUnderTest


def test_the_registered_adapter_info(plugin_under_test: PluginUnderTest) -> None:
    info = plugin_under_test.info  # what the hook registers (the conformance suite checks that)
    assert info.name == "gemini" and info.default_model == "gemini-2.5-pro"
    assert info.key_env == ("GOOGLE_API_KEY", "GEMINI_API_KEY")
    assert set(info.prices) <= set(info.models) and info.default_model in info.prices
    assert all(0 < p.input < p.output for p in info.prices.values())


@pytest.mark.parametrize("variable", ["GEMINI_API_KEY", "GOOGLE_API_KEY"])
def test_key_from_either_variable(variable: str, make_request: Any) -> None:
    choice = resolve_model("gemini:gemini-2.5-pro", u2fast_gemini.INFO, SettingsSources(environ={variable: "from-env"}))
    adapter = u2fast_gemini.create(choice.settings)
    assert adapter.build_request(make_request(), []).headers["x-goog-api-key"] == "from-env"


@pytest.mark.parametrize(
    ("size", "tokens"), [((8, 8), 258), ((384, 384), 258), ((385, 200), 258), ((1024, 768), 516), ((2000, 1600), 2322)]
)
def test_image_tokens_follow_the_tiling_rule(size: tuple[int, int], tokens: int) -> None:
    assert image_tokens(*size) == tokens


def test_google_api_key_wins_when_both_are_set(make_request: Any) -> None:
    env = {"GEMINI_API_KEY": "from-gemini", "GOOGLE_API_KEY": "from-google"}
    choice = resolve_model("gemini:gemini-2.5-pro", u2fast_gemini.INFO, SettingsSources(environ=env))
    adapter = u2fast_gemini.create(choice.settings)
    assert adapter.build_request(make_request(), []).headers["x-goog-api-key"] == "from-google"


