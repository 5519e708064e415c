"""Per-provider and per-model settings from a TOML file (``u2fast eval --config eval.toml``).

::

    [defaults]                      # every model
    concurrency = 32
    max_attempts = 6

    [providers.openai]              # every model of one adapter
    rpm = 500
    api_key_env = "OPENAI_API_KEY"

    [models."openai:gpt-4.1"]       # one model; wins over the two above
    concurrency = 8
    tpm = 200000
    base_url = "https://api.openai.com/v1"
    price = { input = 2.0, output = 8.0 }   # USD per million tokens
    options = { detail = "high" }
    batch = true                    # through the provider's batch API (docs/batch.md)

A key may be given inline (``api_key``) but is never written anywhere by u2fast; prefer
``api_key_env``.

``concurrency``, ``rpm`` and ``tpm`` from ``[defaults]`` and ``[providers.x]`` are shared by every
model of that provider sent to the same base URL with the same key (``provider_limits_for``); a
``[models]`` table adds a limit for that model alone, within the shared one (both apply), so it
can hold one model tighter but not give it more than its provider allows.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..adapters.base import Price
from ..environment import env_value
from ..errors import ConfigError
from .limits import Limits

__all__ = ["LIMIT_FIELDS", "EvalConfig", "ModelConfig", "load_config"]

LIMIT_FIELDS: dict[str, type] = {
    "concurrency": int,
    "rpm": float,
    "tpm": float,
    "max_attempts": int,
    "connect_timeout": float,
    "first_byte_timeout": float,
    "total_timeout": float,
    "max_retry_wait": float,
    "max_response_bytes": int,
    "request_deadline": float,
}
_OTHER_FIELDS = {"base_url", "api_key", "api_key_env", "price", "options", "batch", "coords"}


@dataclass(frozen=True)
class ModelConfig:
    """One table of the file, as read (every field optional)."""

    limits: Mapping[str, float | int] = field(default_factory=dict)
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    api_key_env: str | None = None
    price: Price | None = None
    options: Mapping[str, Any] = field(default_factory=dict)
    #: Send through the provider's batch API (``u2fast eval --batch`` for these models only).
    batch: bool | None = None
    #: Coordinate convention of box/point answers (a layout name), overriding the adapter's default.
    coords: str | None = None


@dataclass(frozen=True)
class EvalConfig:
    path: str | None = None
    defaults: ModelConfig = field(default_factory=ModelConfig)
    providers: Mapping[str, ModelConfig] = field(default_factory=dict)
    models: Mapping[str, ModelConfig] = field(default_factory=dict)

    def _layers(self, model: str) -> list[ModelConfig]:
        adapter = model.split(":", 1)[0]
        layers = [self.defaults]
        if adapter in self.providers:
            layers.append(self.providers[adapter])
        if model in self.models:
            layers.append(self.models[model])
        return layers

    def limits_for(self, model: str, base: Limits | None = None) -> Limits:
        """``base`` (command-line values) overridden by defaults, then provider, then model."""
        values: dict[str, Any] = {}
        for layer in self._layers(model):
            values.update(layer.limits)
        try:
            return dataclasses.replace(base or Limits(), **values)
        except ValueError as exc:
            raise ConfigError(f"{self.path or 'config'}: {model}: {exc}") from None

    def provider_limits_for(self, adapter: str, base: Limits | None = None) -> Limits:
        """``base`` overridden by defaults, then the provider's table: the limits that every model of
        the adapter on one endpoint shares (the ``[models]`` tables do not enter)."""
        values: dict[str, Any] = dict(self.defaults.limits)
        if adapter in self.providers:
            values.update(self.providers[adapter].limits)
        try:
            return dataclasses.replace(base or Limits(), **values)
        except ValueError as exc:
            raise ConfigError(f"{self.path or 'config'}: providers.{adapter}: {exc}") from None

    def _last(self, model: str, name: str) -> Any:
        value = None
        for layer in self._layers(model):
            if getattr(layer, name) is not None:
                value = getattr(layer, name)
        return value

    def base_url_for(self, model: str) -> str | None:
        return self._last(model, "base_url")  # type: ignore[no-any-return]

    def coords_for(self, model: str) -> str | None:
        return self._last(model, "coords")  # type: ignore[no-any-return]

    def price_for(self, model: str) -> Price | None:
        return self._last(model, "price")  # type: ignore[no-any-return]

    def batch_for(self, model: str) -> bool | None:
        return self._last(model, "batch")  # type: ignore[no-any-return]

    def options_for(self, model: str) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for layer in self._layers(model):
            merged.update(layer.options)
        return merged

    def api_key_for(self, model: str, environ: Mapping[str, str] | None = None) -> str | None:
        """The inline key or the one in the named environment variable (the most specific wins);
        both stripped of surrounding whitespace, as ``u2fast.environment`` reads every variable."""
        key = None
        for layer in self._layers(model):
            if layer.api_key and layer.api_key.strip():
                key = layer.api_key.strip()
            elif layer.api_key_env:
                key = env_value(layer.api_key_env, environ)
                if key is None:
                    raise ConfigError(
                        f"{self.path or 'config'}: {model}: environment variable "
                        f"{layer.api_key_env} (api_key_env) is not set, or blank"
                    )
        return key


def _table(path: str, where: str, raw: Any) -> ModelConfig:
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: [{where}] must be a table")
    unknown = set(raw) - set(LIMIT_FIELDS) - _OTHER_FIELDS
    if unknown:
        known = ", ".join(sorted([*LIMIT_FIELDS, *_OTHER_FIELDS]))
        raise ConfigError(
            f"{path}: [{where}]: unknown setting(s) {', '.join(sorted(unknown))}; known: {known}"
        )
    limits: dict[str, float | int] = {}
    for name, kind in LIMIT_FIELDS.items():
        if name not in raw:
            continue
        value = raw[name]
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or (kind is int and not isinstance(value, int))
        ):
            raise ConfigError(
                f"{path}: [{where}] {name}: expected {'an integer' if kind is int else 'a number'}, "
                f"got {value!r}"
            )
        if value <= 0:
            raise ConfigError(f"{path}: [{where}] {name}: must be positive, got {value!r}")
        limits[name] = kind(value)
    for name in ("base_url", "api_key", "api_key_env", "coords"):
        if name in raw and not isinstance(raw[name], str):
            raise ConfigError(f"{path}: [{where}] {name}: expected a string")
    if "coords" in raw:
        from ..data.bbox import check_layout

        try:
            check_layout(raw["coords"])
        except ConfigError as exc:
            raise ConfigError(f"{path}: [{where}] coords: {exc}") from None
    price = None
    if "price" in raw:
        p = raw["price"]
        if not (
            isinstance(p, dict)
            and {"input", "output"} <= set(p) <= {"input", "output", "batch_input", "batch_output"}
            and all(isinstance(p[k], (int, float)) and not isinstance(p[k], bool) and p[k] >= 0 for k in p)
        ):
            raise ConfigError(
                f"{path}: [{where}] price: expected {{ input = USD, output = USD }} per million tokens "
                "(optionally batch_input, batch_output: the batch-API rates, half by default)"
            )
        price = Price(input=float(p["input"]), output=float(p["output"]),
                      batch_input=None if "batch_input" not in p else float(p["batch_input"]),
                      batch_output=None if "batch_output" not in p else float(p["batch_output"]))
    options = raw.get("options", {})
    if not isinstance(options, dict):
        raise ConfigError(f"{path}: [{where}] options: expected a table")
    if "batch" in raw and not isinstance(raw["batch"], bool):
        raise ConfigError(f"{path}: [{where}] batch: expected true or false")
    return ModelConfig(
        batch=raw.get("batch"),
        limits=limits,
        base_url=raw.get("base_url"),
        api_key=raw.get("api_key"),
        api_key_env=raw.get("api_key_env"),
        price=price,
        options=options,
        coords=raw.get("coords"),
    )


def load_config(path: str | os.PathLike[str]) -> EvalConfig:
    """Read and check a TOML config; every mistake is a ConfigError naming the file and table."""
    p = Path(path)
    try:
        raw = tomllib.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{p}: cannot read config: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{p}: not valid TOML: {exc}") from exc
    unknown = set(raw) - {"defaults", "providers", "models"}
    if unknown:
        raise ConfigError(
            f"{p}: unknown table(s) {', '.join(sorted(unknown))}; known: defaults, providers, models"
        )
    name = str(p)
    defaults = _table(name, "defaults", raw.get("defaults", {}))
    providers_raw = raw.get("providers", {})
    models_raw = raw.get("models", {})
    if not isinstance(providers_raw, dict) or not isinstance(models_raw, dict):
        raise ConfigError(f"{p}: [providers] and [models] must be tables of tables")
    providers = {k: _table(name, f"providers.{k}", v) for k, v in providers_raw.items()}
    models = {}
    for k, v in models_raw.items():
        if ":" not in k:
            raise ConfigError(
                f'{p}: [models."{k}"]: model names are written adapter:model, e.g. "openai:gpt-4.1"'
            )
        models[k] = _table(name, f'models."{k}"', v)
    return EvalConfig(path=name, defaults=defaults, providers=providers, models=models)
