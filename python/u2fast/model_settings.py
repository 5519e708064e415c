"""Each model's settings, resolved once: key, base URL, options, limits and price.

Every source a user can set is read here and nowhere else: the command line, the ``--config`` file
(defaults, then the provider's table, then the model's), the provider's environment variables (read
with ``u2fast.environment``) and the adapter's registered defaults. The plugin's ``create()`` gets
the result as it is and reads no environment of its own, so that a key or URL cannot come from one
layer in one place and another elsewhere.

The one key rule of every plugin: an adapter that names key variables (``AdapterInfo.key_env``)
needs a key, unless its base URL is on this machine or a private network (vLLM, Ollama, a fake
server); a missing key is a ConfigError here, before any request is sent.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .adapters.base import AdapterInfo, AdapterSettings, Price
from .adapters.base_url import check_base_url, is_local_url
from .credentials import redact_url, url_credentials
from .environment import env_value, first_env
from .errors import ConfigError
from .runner.config import EvalConfig
from .runner.cost import price_for
from .runner.limits import Limits

__all__ = ["ModelChoice", "SettingsSources", "check_key", "resolve_model"]


@dataclass(frozen=True)
class ModelChoice:
    """One model to evaluate, every setting resolved (the key stays out of every file)."""

    name: str  # "adapter:model"
    info: AdapterInfo
    settings: AdapterSettings
    #: this model's own limits (command line, then the config file's layers; flags given win)
    limits: Limits = field(default_factory=Limits)
    #: what every model of the adapter on the same endpoint and key shares
    provider_limits: Limits = field(default_factory=Limits)
    price: Price | None = None


@dataclass(frozen=True)
class SettingsSources:
    """What the user gave, before resolution: flags, the config file and the environment."""

    base_url: str | None = None  # --base-url
    config: EvalConfig | None = None
    adapter_options: Mapping[str, Any] = field(default_factory=dict)
    seed: int = 0
    #: the limit flags given on the command line (``concurrency``, ``rpm``, ...); they beat the file
    limits: Mapping[str, float | int] = field(default_factory=dict)
    environ: Mapping[str, str] | None = None  # None: the process environment


def check_key(name: str, info: AdapterInfo, api_key: str | None, base_url: str | None) -> None:
    """ConfigError when ``info`` needs a key for ``base_url`` and ``api_key`` is None (the key rule
    above); the message names the variables that would provide one, and the host, never the URL
    (which may hold a password)."""
    if api_key is not None or not info.key_env:
        return
    if base_url is not None and is_local_url(base_url):
        return
    host = urlsplit(base_url).hostname if base_url else None
    raise ConfigError(
        f"{name}: no API key{f' for {host}' if host else ''}; set {' or '.join(info.key_env)} (or api_key / "
        "api_key_env in the --config file), or point --base-url at a server on this machine or a private network"
    )


def _key_source(name: str, info: AdapterInfo, sources: SettingsSources) -> str:
    cfg = sources.config
    if cfg is not None and cfg.api_key_for(name, sources.environ):
        return f"{cfg.path or 'the config file'} (api_key or api_key_env)"
    return next((f"${n}" for n in info.key_env if env_value(n, sources.environ)), "the environment")


def _url_source(name: str, info: AdapterInfo, sources: SettingsSources) -> str:
    cfg = sources.config
    if sources.base_url:
        return "--base-url"
    if cfg is not None and cfg.base_url_for(name):
        return f"{cfg.path or 'the config file'} (base_url)"
    return next((f"${n}" for n in info.base_url_env if env_value(n, sources.environ)), f"{info.name}'s default")


def resolve_model(name: str, info: AdapterInfo, sources: SettingsSources) -> ModelChoice:
    """The settings of the model ``name`` (``adapter:model``) of the adapter ``info``.

    Base URL: ``--base-url``, the config file, the adapter's variables, its default. Key: the config
    file, the adapter's variables. Options: ``--option`` values under the config file's. Limits: the
    flags, overridden by the config file's layers, overridden again by the flags actually given.
    Price: the config file's, else the adapter's table.
    """
    cfg = sources.config
    base_url = (sources.base_url or (cfg.base_url_for(name) if cfg else None)
                or first_env(info.base_url_env, sources.environ) or info.default_base_url)
    api_key = (cfg.api_key_for(name, sources.environ) if cfg else None) or first_env(info.key_env, sources.environ)
    if base_url is not None and (info.default_base_url or info.base_url_env):
        check_base_url(info.name, base_url)  # a malformed URL is named as such, before the key rule reads it
    check_key(name, info, api_key, base_url)
    if api_key and base_url and url_credentials(base_url) is not None:
        # An HTTP client sends the URL's user:password as its Authorization header; with the key in
        # another one, every request fails (or one of the two is silently dropped).
        raise ConfigError(
            f"{name}: two credentials given: an API key (from {_key_source(name, info, sources)}) and "
            f"user:password in the base URL {redact_url(base_url)} (from {_url_source(name, info, sources)}); "
            "keep one of them"
        )
    _, _, model = name.partition(":")
    settings = AdapterSettings(
        model=model, api_key=api_key, base_url=base_url,
        options={**sources.adapter_options, **(cfg.options_for(name) if cfg else {})}, seed=sources.seed,
    )
    given: dict[str, Any] = dict(sources.limits)
    base = dataclasses.replace(Limits(), **given)
    limits = cfg.limits_for(name, base) if cfg else base
    shared = cfg.provider_limits_for(info.name, base) if cfg else base
    return ModelChoice(
        name=name, info=info, settings=settings,
        limits=dataclasses.replace(limits, **given), provider_limits=dataclasses.replace(shared, **given),
        price=(cfg.price_for(name) if cfg else None) or price_for(name, info.prices),
    )
