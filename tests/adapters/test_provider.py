"""u2fast.adapters.provider: the create factory and AdapterInfo every HTTP plugin registers."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

import pytest

from u2fast.adapters.base import AdapterSettings
from u2fast.adapters.provider import PROVIDER_MODULE_NAMES, adapter_repr, http_provider
from u2fast.errors import ConfigError


class _Adapter:
    name = "acme"

    def __init__(self, model: str, api_key: str | None, base_url: str, **options: Any) -> None:
        self.model, self.api_key, self.base_url, self.options = model, api_key, base_url, options

    def __repr__(self) -> str:
        return adapter_repr(self, self.model, self.base_url, self.api_key)


def _options(options: Mapping[str, Any]) -> dict[str, Any]:
    if set(options) - {"detail"}:
        raise ConfigError("acme: unknown option")
    return dict(options)


def _info(**extra: Any) -> Any:
    return http_provider("acme", _Adapter, _options, default_model="acme-1", default_base_url="https://api.acme.test/v1",
                         description="Acme", models=("acme-1",), prices={}, key_env=("ACME_KEY",), base_url_env=(),
                         coords={"": "xyxy-px"}, **extra)  # fmt: skip


def test_create_fills_the_defaults_and_passes_checked_options() -> None:
    info = _info()
    adapter = info.create(AdapterSettings(model=None, api_key="k", options={"detail": "high"}))
    assert (adapter.model, adapter.base_url, adapter.options) == ("acme-1", "https://api.acme.test/v1", {"detail": "high"})
    assert (info.name, info.key_env, info.coords_for("acme-1")) == ("acme", ("ACME_KEY",), "xyxy-px")


def test_create_refuses_a_bad_base_url_or_option_before_any_request() -> None:
    with pytest.raises(ConfigError, match="acme"):
        _info().create(AdapterSettings(model="m", api_key="k", base_url="ftp://x"))
    with pytest.raises(ConfigError, match="unknown option"):
        _info().create(AdapterSettings(model="m", api_key="k", options={"colour": 1}))


def test_endpoint_options_see_the_checked_base_url() -> None:
    seen: list[str] = []

    def endpoint(base_url: str, options: dict[str, Any]) -> None:
        seen.append(base_url)
        options["organization"] = "org-1"

    adapter = _info(endpoint_options=endpoint).create(AdapterSettings(model="m", api_key="k", base_url="http://h:1/v1"))
    assert seen == ["http://h:1/v1"] and adapter.options == {"organization": "org-1"}


def test_repr_says_whether_a_key_is_set_never_the_key_or_url_credentials() -> None:
    text = repr(_Adapter("m", "sk-very-secret", "http://user:hunter2@h:1/v1"))
    assert "sk-very-secret" not in text and "hunter2" not in text
    assert text.startswith("_Adapter(model='m'") and "api_key=<set>" in text
    assert "api_key=<unset>" in repr(_Adapter("m", None, "http://h:1"))


@pytest.mark.parametrize("plugin", ["u2fast_openai", "u2fast_gemini", "u2fast_anthropic"])
def test_a_provider_module_exports_its_facts_and_they_are_its_info(plugin: str) -> None:
    module = importlib.import_module(plugin)
    assert set(PROVIDER_MODULE_NAMES) <= set(module.__all__)
    assert all(hasattr(module, name) for name in module.__all__)
    info = module.INFO
    facts = (module.DEFAULT_MODEL, module.KEY_ENV, module.BASE_URL_ENV, module.MODELS, module.PRICES, module.create)
    assert facts == (info.default_model, info.key_env, info.base_url_env, info.models, info.prices, info.create)
