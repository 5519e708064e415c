"""What every HTTP provider plugin registers, built in one place: the ``create`` factory and its
AdapterInfo, and the ``__repr__`` that never shows a key.

``create`` is called with settings u2fast has already resolved (``u2fast.model_settings``: key,
base URL and the key rule); it checks what only the plugin can judge (the base URL, its options,
with ConfigError before any request) and builds the adapter.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..credentials import redact_url
from .base import AdapterInfo, AdapterSettings, HttpAdapter, Price
from .base_url import check_base_url

__all__ = ["PROVIDER_MODULE_NAMES", "adapter_repr", "http_provider"]

#: What a plugin module built on ``http_provider`` exports, beside its adapter: its provider facts
#: (default model, key and base-URL variables, prices, listed models), the AdapterInfo, its ``create``
#: and the hook that registers it. The three plugins in ``plugins/`` start their ``__all__`` with it.
PROVIDER_MODULE_NAMES = (
    "BASE_URL_ENV", "DEFAULT_MODEL", "INFO", "KEY_ENV", "MODELS", "PRICES", "create", "u2fast_register_adapters",
)  # fmt: skip


def http_provider(
    name: str,
    adapter: Callable[..., HttpAdapter],
    check_options: Callable[[Mapping[str, Any]], dict[str, Any]],
    *,
    default_model: str,
    default_base_url: str,
    description: str,
    models: tuple[str, ...],
    prices: Mapping[str, Price],
    key_env: tuple[str, ...],
    base_url_env: tuple[str, ...],
    coords: Mapping[str, str],
    endpoint_options: Callable[[str, dict[str, Any]], None] | None = None,
) -> AdapterInfo:
    """The AdapterInfo of a provider whose adapter is ``adapter(model, api_key, base_url, **options)``.

    ``check_options`` turns the user's options into the adapter's keyword arguments (ConfigError for
    one it cannot use); ``endpoint_options(base_url, options)`` may add what depends on the endpoint.
    """

    def create(settings: AdapterSettings) -> HttpAdapter:
        base_url = check_base_url(name, settings.base_url or default_base_url)
        options = check_options(settings.options)
        if endpoint_options is not None:
            endpoint_options(base_url, options)
        return adapter(settings.model or default_model, settings.api_key, base_url, **options)

    return AdapterInfo(name=name, create=create, default_model=default_model, models=models, description=description,
                       key_env=key_env, base_url_env=base_url_env, default_base_url=default_base_url, prices=prices,
                       coords=coords)  # fmt: skip


def adapter_repr(adapter: object, model: str, url: str, api_key: str | None) -> str:
    """``Name(model=..., url=..., api_key=<set>)``, credentials in the URL blanked: printing an
    adapter (in a log, a traceback) never shows its key."""
    key = "set" if api_key else "unset"
    return f"{type(adapter).__name__}(model={model!r}, url={redact_url(url)!r}, api_key=<{key}>)"
