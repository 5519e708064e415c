from __future__ import annotations

from pathlib import Path

import pytest

from u2fast.adapters.base import Price
from u2fast.errors import ConfigError
from u2fast.runner import Limits, load_config

GOOD = """
[defaults]
concurrency = 8
max_attempts = 4

[providers.openai]
rpm = 500
api_key_env = "MY_OPENAI_KEY"

[models."openai:gpt-4.1"]
concurrency = 64
tpm = 200000
base_url = "http://127.0.0.1:8000/v1"
price = { input = 2.0, output = 8 }
options = { detail = "low" }
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "eval.toml"
    path.write_text(text)
    return path


def test_model_settings_win_over_provider_and_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD))
    limits = config.limits_for("openai:gpt-4.1")
    assert (limits.concurrency, limits.rpm, limits.tpm, limits.max_attempts) == (64, 500.0, 200000.0, 4)
    other = config.limits_for("openai:gpt-4o", Limits(first_byte_timeout=30))
    assert (other.concurrency, other.rpm, other.tpm, other.first_byte_timeout) == (8, 500.0, None, 30)
    assert config.limits_for("gemini:gemini-2.5-pro").rpm is None
    assert config.base_url_for("openai:gpt-4.1") == "http://127.0.0.1:8000/v1"
    assert config.price_for("openai:gpt-4.1") == Price(input=2.0, output=8.0)
    assert config.options_for("openai:gpt-4.1") == {"detail": "low"}
    assert config.api_key_for("openai:gpt-4.1", {"MY_OPENAI_KEY": "sk-x"}) == "sk-x"


def test_provider_limits_leave_out_the_model_tables(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD))
    shared = config.provider_limits_for("openai", Limits(first_byte_timeout=30))
    # defaults and [providers.openai] only: gpt-4.1's concurrency 64 and tpm bound gpt-4.1 alone
    assert (shared.concurrency, shared.rpm, shared.tpm, shared.first_byte_timeout) == (8, 500.0, None, 30)
    assert config.provider_limits_for("gemini").rpm is None


def test_missing_key_variable_is_named(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD))
    with pytest.raises(ConfigError, match="MY_OPENAI_KEY"):
        config.api_key_for("openai:gpt-4.1", {})


def test_the_key_is_not_in_the_repr(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, '[models."openai:m"]\napi_key = "sk-very-secret"\n'))
    assert "sk-very-secret" not in repr(config)
    assert config.api_key_for("openai:m", {}) == "sk-very-secret"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[models."openai:m"]\nconcurency = 3\n', r"unknown setting\(s\) concurency"),
        ('[models."openai:m"]\nconcurrency = 2.5\n', "concurrency: expected an integer"),
        ('[models."openai:m"]\nrpm = -1\n', "rpm: must be positive"),
        ('[models."openai:m"]\nrpm = true\n', "rpm: expected a number"),
        ("[models.gpt]\nrpm = 1\n", "written adapter:model"),
        ("[model]\nrpm = 1\n", r"unknown table\(s\) model"),
        ("[defaults]\nprice = 3\n", "price: expected"),
        ("[defaults\n", "not valid TOML"),
    ],
)
def test_mistakes_name_the_file_table_and_field(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError, match=message) as info:
        load_config(path)
    assert str(path) in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read config"):
        load_config(tmp_path / "nope.toml")


def test_response_cap_and_request_deadline_come_from_the_file(tmp_path: Path) -> None:
    path = tmp_path / "eval.toml"
    path.write_text('[defaults]\nrequest_deadline = 1200\n\n[models."openai:o3"]\nmax_response_bytes = 33554432\n')
    limits = load_config(path).limits_for("openai:o3")
    assert (limits.request_deadline, limits.max_response_bytes) == (1200.0, 32 << 20)
    assert Limits().request_deadline == 900.0 and Limits().max_response_bytes == 16 << 20
    with pytest.raises(ConfigError, match="max_response_bytes"):
        Limits(max_response_bytes=10)


def test_batch_switch_and_batch_price_columns(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, """
[providers.anthropic]
batch = true

[models."openai:gpt-4.1"]
price = { input = 2.0, output = 8.0, batch_output = 3.0 }
"""))
    assert config.batch_for("anthropic:claude-haiku-4-5") is True and config.batch_for("openai:gpt-4.1") is None
    price = config.price_for("openai:gpt-4.1")
    assert price is not None and price.at_batch_rates() == Price(input=1.0, output=3.0)
    with pytest.raises(ConfigError, match="batch: expected true or false"):
        load_config(write(tmp_path, '[defaults]\nbatch = "yes"\n'))
    with pytest.raises(ConfigError, match="batch_input"):
        load_config(write(tmp_path, "[defaults]\nprice = { input = 1, output = 2, batch = 1 }\n"))
