"""u2fast.model_settings: each model's key, base URL, options, limits and price resolved in one place."""

from __future__ import annotations

from pathlib import Path

import pytest

from u2fast.adapters.base import AdapterInfo, Price
from u2fast.adapters.random_baseline import RandomAdapter
from u2fast.errors import ConfigError
from u2fast.model_settings import SettingsSources, check_key, resolve_model
from u2fast.runner.config import load_config

INFO = AdapterInfo(
    name="acme", create=lambda s: RandomAdapter(s.model), default_model="m1", key_env=("ACME_KEY", "ACME_TOKEN"),
    base_url_env=("ACME_BASE_URL",), default_base_url="https://api.acme.example/v1",
    prices={"m1": Price(input=1.0, output=2.0)},
)


def _config(tmp_path: Path, text: str) -> SettingsSources:
    path = tmp_path / "eval.toml"
    path.write_text(text, encoding="utf-8")
    return SettingsSources(config=load_config(path), environ={})


def test_environment_values_are_stripped_and_blank_ones_skipped() -> None:
    env = {"ACME_KEY": "  ", "ACME_TOKEN": "tok-123456\n", "ACME_BASE_URL": " http://10.0.0.2:8000/v1\n"}
    choice = resolve_model("acme:m1", INFO, SettingsSources(environ=env))
    assert choice.settings.api_key == "tok-123456"
    assert choice.settings.base_url == "http://10.0.0.2:8000/v1"


def test_flag_beats_config_beats_environment_beats_default_for_the_base_url(tmp_path: Path) -> None:
    sources = _config(tmp_path, '[models."acme:m1"]\nbase_url = "http://10.0.0.3/v1"\napi_key = "sk-file-0001"\n')
    assert resolve_model("acme:m1", INFO, sources).settings.base_url == "http://10.0.0.3/v1"
    flagged = SettingsSources(base_url="http://10.0.0.4/v1", config=sources.config, environ={})
    assert resolve_model("acme:m1", INFO, flagged).settings.base_url == "http://10.0.0.4/v1"
    env_only = SettingsSources(environ={"ACME_BASE_URL": "http://10.0.0.5/v1"})
    assert resolve_model("acme:m1", INFO, env_only).settings.base_url == "http://10.0.0.5/v1"
    default = SettingsSources(environ={"ACME_KEY": "sk-env-0001"})
    assert resolve_model("acme:m1", INFO, default).settings.base_url == "https://api.acme.example/v1"


def test_limits_and_price_are_resolved_with_the_rest(tmp_path: Path) -> None:
    sources = _config(tmp_path, """
[defaults]
concurrency = 16
[providers.acme]
rpm = 100
api_key = "sk-file-0002"
[models."acme:m2"]
tpm = 5000
price = { input = 3.0, output = 4.0 }
""")
    given = SettingsSources(config=sources.config, environ={}, limits={"concurrency": 64})
    m1 = resolve_model("acme:m1", INFO, given)
    m2 = resolve_model("acme:m2", INFO, given)
    assert m1.limits.concurrency == 64 and m1.limits.rpm == 100  # a flag given beats the file
    assert m2.limits.tpm == 5000 and m2.provider_limits.tpm != 5000  # a model table is its own
    assert m1.price == Price(input=1.0, output=2.0) and m2.price == Price(input=3.0, output=4.0)


def test_the_key_rule_is_one_for_every_adapter() -> None:
    check_key("acme:m1", INFO, "sk-1", "https://api.acme.example/v1")
    check_key("acme:m1", INFO, None, "http://127.0.0.1:8000/v1")  # local: no key needed
    keyless = AdapterInfo(name="free", create=INFO.create, default_model="m")
    check_key("free:m", keyless, None, "https://free.example")  # an adapter naming no key variable
    with pytest.raises(ConfigError) as info:
        check_key("acme:m1", INFO, None, "https://user:pw-secret@api.acme.example/v1?x=1")
    assert str(info.value).startswith("acme:m1: no API key for api.acme.example; set ACME_KEY or ACME_TOKEN")
    assert "pw-secret" not in str(info.value) and "?x=1" not in str(info.value)


def test_a_config_key_variable_is_stripped_and_a_blank_one_refused(tmp_path: Path) -> None:
    sources = _config(tmp_path, '[providers.acme]\napi_key_env = "MY_ACME"\n')
    assert sources.config is not None
    assert sources.config.api_key_for("acme:m1", {"MY_ACME": "sk-pasted-0001\n"}) == "sk-pasted-0001"
    with pytest.raises(ConfigError, match="MY_ACME .api_key_env. is not set, or blank"):
        sources.config.api_key_for("acme:m1", {"MY_ACME": " \n"})
