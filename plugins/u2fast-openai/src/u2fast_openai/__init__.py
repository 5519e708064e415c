"""u2fast plugin: OpenAI chat completions, and every server that speaks the same protocol.

Registered as the adapter ``openai`` (``--model openai:gpt-4.1``). Point it at vLLM, SGLang, Ollama
or LM Studio with ``--base-url http://127.0.0.1:8000/v1`` (or ``OPENAI_BASE_URL``); as for every
adapter, no key is needed when the server is on this machine or a private network.

Options (``AdapterSettings.options``, i.e. the model's table in the TOML config):
``detail`` (``auto``/``low``/``high``), ``max_tokens_param`` (``max_tokens`` or
``max_completion_tokens``; the latter by default for o-series and gpt-5 models),
``send_temperature`` (bool; off by default for those models, which reject it), ``reasoning_effort``,
``organization`` and ``project`` (for api.openai.com also from ``OPENAI_ORG_ID`` /
``OPENAI_PROJECT_ID``), and ``extra_body`` (a table merged into the JSON body, e.g. vLLM's
``top_k``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from u2fast.adapters.base import AdapterInfo, Price
from u2fast.adapters.options import check_known_options
from u2fast.adapters.provider import PROVIDER_MODULE_NAMES, http_provider
from u2fast.environment import first_env
from u2fast.errors import ConfigError
from u2fast.hookspecs import hookimpl

from .adapter import DEFAULT_BASE_URL, OpenAIAdapter, image_tokens, is_reasoning_model

__all__ = [*PROVIDER_MODULE_NAMES, "OpenAIAdapter", "image_tokens", "is_reasoning_model"]

DEFAULT_MODEL = "gpt-4.1"
KEY_ENV = ("OPENAI_API_KEY",)
BASE_URL_ENV = ("OPENAI_BASE_URL",)

#: USD per million tokens (standard tier, text and image input alike) of the models whose published
#: prices we know. Models without an entry still run; give their price in the config file
#: (``price = { input = ..., output = ... }``) to get cost tracking and ``--max-cost``.
PRICES: dict[str, Price] = {
    "gpt-4.1": Price(input=2.00, output=8.00),
    "gpt-4.1-mini": Price(input=0.40, output=1.60),
    "gpt-4o": Price(input=2.50, output=10.00),
    "gpt-4o-mini": Price(input=0.15, output=0.60),
    "gpt-5": Price(input=1.25, output=10.00),
    "gpt-5-mini": Price(input=0.25, output=2.00),
    "gpt-5-nano": Price(input=0.05, output=0.40),
    "o3": Price(input=2.00, output=8.00),
}
#: What ``u2fast plugins`` lists: the priced models, then newer ids the current SDK knows (unpriced here).
#: gpt-4.1/gpt-4o are announced for shutdown on 2027-01-14 and gpt-5/o3 on 2026-12-11.
MODELS = (*PRICES, "gpt-5.5", "gpt-5.4", "gpt-5.4-mini")

_STRING_OPTIONS = ("detail", "max_tokens_param", "reasoning_effort", "organization", "project")
_KNOWN_OPTIONS = (*_STRING_OPTIONS, "send_temperature", "extra_body")


def _checked_options(options: Mapping[str, Any]) -> dict[str, Any]:
    check_known_options("openai", options, _KNOWN_OPTIONS)
    checked: dict[str, Any] = {}
    for name in _STRING_OPTIONS:
        if name in options:
            if not isinstance(options[name], str) or not options[name]:
                raise ConfigError(f"openai: option {name!r} must be a non-empty string, got {options[name]!r}")
            checked[name] = options[name]
    if checked.get("max_tokens_param", "max_tokens") not in ("max_tokens", "max_completion_tokens"):
        raise ConfigError("openai: option 'max_tokens_param' must be 'max_tokens' or 'max_completion_tokens'")
    if "send_temperature" in options:
        if not isinstance(options["send_temperature"], bool):
            raise ConfigError("openai: option 'send_temperature' must be true or false")
        checked["send_temperature"] = options["send_temperature"]
    if "extra_body" in options:
        if not isinstance(options["extra_body"], Mapping):
            raise ConfigError("openai: option 'extra_body' must be a table (mapping)")
        checked["extra_body"] = options["extra_body"]
    return checked


def _endpoint_options(base_url: str, options: dict[str, Any]) -> None:
    if urlsplit(base_url).hostname == "api.openai.com":
        # The SDK's variables; only for OpenAI itself, so that they never leak to another server.
        for option, variable in (("organization", "OPENAI_ORG_ID"), ("project", "OPENAI_PROJECT_ID")):
            value = options.get(option) or first_env((variable,))
            if value:
                options[option] = value


INFO = http_provider(
    "openai", OpenAIAdapter, _checked_options, endpoint_options=_endpoint_options,
    description="OpenAI chat completions and OpenAI-compatible servers (vLLM, SGLang, Ollama, LM Studio)",
    default_model=DEFAULT_MODEL, default_base_url=DEFAULT_BASE_URL, models=MODELS, prices=PRICES,
    key_env=KEY_ENV, base_url_env=BASE_URL_ENV,
    # GPT models: fractions; Qwen2.5-VL served OpenAI-style: pixels of the image it saw; Qwen2/3-VL: 0-1000
    coords={"": "xyxy-norm", "qwen2.5-vl": "xyxy-px", "qwen2-vl": "xyxy-norm1000", "qwen3-vl": "xyxy-norm1000"},
)  # fmt: skip
#: The adapter for settings as u2fast resolved them; ConfigError for a base URL or option it cannot use.
create = INFO.create


@hookimpl
def u2fast_register_adapters(register: Callable[[AdapterInfo], None]) -> None:
    register(INFO)
