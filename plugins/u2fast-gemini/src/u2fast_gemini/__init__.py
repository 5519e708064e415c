"""u2fast plugin: the Google Gemini API (``generateContent``).

Registered as the adapter ``gemini`` (``--model gemini:gemini-2.5-pro``). The key comes from the
config file, or ``GOOGLE_API_KEY``, or ``GEMINI_API_KEY`` (the SDK's order), and travels in the
``x-goog-api-key`` header.

Options (``AdapterSettings.options``): ``api_version`` (``v1``, the SDK's choice and the default, or
``v1beta``), ``thinking_budget`` (int; tokens 2.5 models may spend thinking, which count against
``max_tokens``; 0 turns thinking off where the model allows it), ``thinking_level`` (``MINIMAL`` to
``XHIGH``, for the models that take a level instead of a budget) and ``media_resolution``
(``MEDIA_RESOLUTION_LOW``/``MEDIUM``/``HIGH``).

Per-minute rate limits (429 ``RESOURCE_EXHAUSTED``) become ``rate_limited`` with the server's
``retryDelay``; a spent daily quota becomes ``quota_exhausted`` so that the runner stops that model.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from u2fast.adapters.base import AdapterInfo, Price
from u2fast.adapters.options import check_known_options
from u2fast.adapters.provider import PROVIDER_MODULE_NAMES, http_provider
from u2fast.errors import ConfigError
from u2fast.hookspecs import hookimpl

from .adapter import DEFAULT_API_VERSION, DEFAULT_BASE_URL, GeminiAdapter, image_tokens

__all__ = [*PROVIDER_MODULE_NAMES, "GeminiAdapter", "image_tokens"]

DEFAULT_MODEL = "gemini-2.5-pro"
#: The google-genai SDK prefers GOOGLE_API_KEY when both are set; so do we.
KEY_ENV = ("GOOGLE_API_KEY", "GEMINI_API_KEY")
BASE_URL_ENV = ("GOOGLE_GEMINI_BASE_URL",)  # the SDK's variable

#: USD per million tokens (paid tier, prompts up to 200k tokens; thinking billed as output).
PRICES: dict[str, Price] = {
    "gemini-2.5-pro": Price(input=1.25, output=10.00),
    "gemini-2.5-flash": Price(input=0.30, output=2.50),
    "gemini-2.5-flash-lite": Price(input=0.10, output=0.40),
}
#: What ``u2fast plugins`` lists: the priced 2.5 family, then newer ids the current SDK mentions
#: (unpriced here: give their ``price`` in the config file for cost tracking).
MODELS = (*PRICES, "gemini-3.8-flash", "gemini-3.5-flash", "gemini-3.1-pro-preview")

_KNOWN_OPTIONS = ("api_version", "thinking_budget", "thinking_level", "media_resolution")
_THINKING_LEVELS = ("MINIMAL", "LOW", "MEDIUM", "HIGH", "XHIGH")
_MEDIA_RESOLUTIONS = ("MEDIA_RESOLUTION_LOW", "MEDIA_RESOLUTION_MEDIUM", "MEDIA_RESOLUTION_HIGH")


def _checked_options(options: Mapping[str, Any]) -> dict[str, Any]:
    check_known_options("gemini", options, _KNOWN_OPTIONS)
    checked: dict[str, Any] = {}
    version = options.get("api_version", DEFAULT_API_VERSION)
    if not isinstance(version, str) or not version.startswith("v") or "/" in version:
        raise ConfigError(f"gemini: option 'api_version' must look like 'v1' or 'v1beta', got {version!r}")
    checked["api_version"] = version
    if "thinking_budget" in options:
        budget = options["thinking_budget"]
        if isinstance(budget, bool) or not isinstance(budget, int) or budget < -1:
            raise ConfigError(f"gemini: option 'thinking_budget' must be an integer >= -1, got {budget!r}")
        checked["thinking_budget"] = budget
    if "thinking_level" in options:
        if options["thinking_level"] not in _THINKING_LEVELS:
            raise ConfigError(f"gemini: option 'thinking_level' must be one of {', '.join(_THINKING_LEVELS)}")
        if "thinking_budget" in options:
            raise ConfigError("gemini: give either 'thinking_budget' or 'thinking_level', not both")
        checked["thinking_level"] = options["thinking_level"]
    if "media_resolution" in options:
        if options["media_resolution"] not in _MEDIA_RESOLUTIONS:
            raise ConfigError(f"gemini: option 'media_resolution' must be one of {', '.join(_MEDIA_RESOLUTIONS)}")
        checked["media_resolution"] = options["media_resolution"]
    return checked


INFO = http_provider(
    "gemini", GeminiAdapter, _checked_options, description="Google Gemini API (generateContent)",
    default_model=DEFAULT_MODEL, default_base_url=DEFAULT_BASE_URL, models=MODELS, prices=PRICES,
    key_env=KEY_ENV, base_url_env=BASE_URL_ENV,
    coords={"": "yxyx-norm1000"},  # Gemini boxes: [ymin, xmin, ymax, xmax] on 0-1000
)  # fmt: skip
#: The adapter for settings as u2fast resolved them; ConfigError for a base URL or option it cannot use.
create = INFO.create


@hookimpl
def u2fast_register_adapters(register: Callable[[AdapterInfo], None]) -> None:
    register(INFO)
