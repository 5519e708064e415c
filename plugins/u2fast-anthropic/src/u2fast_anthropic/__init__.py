"""u2fast plugin: the Anthropic Messages API (Claude).

Registered as the adapter ``anthropic`` (``--model anthropic:claude-sonnet-5-5``). The key comes from
``ANTHROPIC_API_KEY`` (or the config file), the base URL from ``ANTHROPIC_BASE_URL``.

Options (``AdapterSettings.options``): ``auth`` (``bearer``, what the current SDK sends and the
default, or ``x-api-key``), ``anthropic_version`` (default ``2026-10-21``), ``temperature`` and
``top_p`` (sent only when set here: the current API no longer takes a temperature by default, so the
run's ``GenerationParams.temperature`` is not forwarded), ``thinking_budget`` (manual extended
thinking, tokens, at least 1024 and below ``max_tokens``) and ``thinking = "adaptive"`` (the model
decides; what newer models prefer).

``overloaded_error`` (HTTP 529) becomes the ``overloaded`` class, which the runner retries.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from u2fast.adapters.base import AdapterInfo, Price
from u2fast.adapters.options import check_known_options
from u2fast.adapters.provider import PROVIDER_MODULE_NAMES, http_provider
from u2fast.errors import ConfigError
from u2fast.hookspecs import hookimpl

from .adapter import API_VERSION, DEFAULT_BASE_URL, AnthropicAdapter, image_tokens

__all__ = [*PROVIDER_MODULE_NAMES, "API_VERSION", "AnthropicAdapter", "image_tokens"]

#: The newest Sonnet the current SDK names (claude-sonnet-4-5 reaches end of life on 2026-11-30).
DEFAULT_MODEL = "claude-sonnet-5-5"
#: The SDK reads ANTHROPIC_API_KEY, then ANTHROPIC_AUTH_TOKEN; both are sent as a bearer token.
KEY_ENV = ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN")
BASE_URL_ENV = ("ANTHROPIC_BASE_URL",)

#: USD per million tokens (base input and output rates; cache writes and reads are priced apart) of
#: the models whose published prices we know. Others run without cost tracking unless the config
#: file gives their ``price``.
PRICES: dict[str, Price] = {
    # Assumed, not verified: the Sonnet tier's rate, unchanged from Claude 3 to Sonnet 4.5. Override it
    # with ``price = {...}`` in the config file if Anthropic's price list says otherwise.
    "claude-sonnet-5-5": Price(input=3.00, output=15.00),
    "claude-sonnet-4-5": Price(input=3.00, output=15.00),
    "claude-sonnet-4-5-20250929": Price(input=3.00, output=15.00),
    "claude-haiku-4-5": Price(input=1.00, output=5.00),
    "claude-haiku-4-5-20251001": Price(input=1.00, output=5.00),
    "claude-opus-4-5": Price(input=5.00, output=25.00),
    "claude-opus-4-5-20251101": Price(input=5.00, output=25.00),
}
#: What ``u2fast plugins`` lists: models the current SDK names and does not mark for end of life
#: (claude-opus-4-5 ends on 2027-01-22), newest families first.
MODELS = (
    "claude-sonnet-5-5",
    "claude-opus-5-5",
    "claude-haiku-5-5",
    "claude-sonnet-4-6",
    "claude-opus-4-6",
    "claude-haiku-4-5",
    "claude-opus-4-5",
)

_KNOWN_OPTIONS = ("auth", "anthropic_version", "temperature", "top_p", "thinking", "thinking_budget")


def _number(options: Mapping[str, Any], name: str, low: float, high: float) -> float | None:
    if name not in options:
        return None
    value = options[name]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise ConfigError(f"anthropic: option {name!r} must be a number in [{low}, {high}], got {value!r}")
    return float(value)


def _checked_options(options: Mapping[str, Any]) -> dict[str, Any]:
    check_known_options("anthropic", options, _KNOWN_OPTIONS)
    auth = options.get("auth", "bearer")
    if auth not in ("bearer", "x-api-key"):
        raise ConfigError(f"anthropic: option 'auth' must be 'bearer' or 'x-api-key', got {auth!r}")
    version = options.get("anthropic_version", API_VERSION)
    if not isinstance(version, str) or not version:
        raise ConfigError("anthropic: option 'anthropic_version' must be a date string such as 2026-10-21")
    checked: dict[str, Any] = {"auth": auth, "anthropic_version": version}
    checked["temperature"] = _number(options, "temperature", 0.0, 1.0)
    checked["top_p"] = _number(options, "top_p", 0.0, 1.0)
    if "thinking_budget" in options:
        budget = options["thinking_budget"]
        if isinstance(budget, bool) or not isinstance(budget, int) or budget < 1024:
            raise ConfigError(f"anthropic: option 'thinking_budget' must be an integer >= 1024, got {budget!r}")
        checked["thinking_budget"] = budget
    if "thinking" in options:
        if options["thinking"] != "adaptive":
            raise ConfigError(f"anthropic: option 'thinking' can only be 'adaptive', got {options['thinking']!r}")
        if "thinking_budget" in options:
            raise ConfigError("anthropic: give either 'thinking = \"adaptive\"' or 'thinking_budget', not both")
        checked["thinking_budget"] = "adaptive"
    return checked


INFO = http_provider(
    "anthropic", AnthropicAdapter, _checked_options, description="Anthropic Messages API (Claude)",
    default_model=DEFAULT_MODEL, default_base_url=DEFAULT_BASE_URL, models=MODELS, prices=PRICES,
    key_env=KEY_ENV, base_url_env=BASE_URL_ENV, coords={"": "xyxy-px"},  # Claude: pixels of the image as sent
)  # fmt: skip
#: The adapter for settings as u2fast resolved them; ConfigError for a base URL or option it cannot use.
create = INFO.create


@hookimpl
def u2fast_register_adapters(register: Callable[[AdapterInfo], None]) -> None:
    register(INFO)
