"""u2fast.adapters.http: the checks and conversions every HTTP plugin shares."""

from __future__ import annotations

import subprocess
import sys

import pytest

from u2fast.adapters.http import (
    check_base_url,
    check_known_options,
    decode_json_object,
    first_env,
    kind_for_status,
    redact_key,
    require_api_key,
)
from u2fast.errors import ConfigError
from u2fast.types import ApiError


def test_first_env_takes_the_first_variable_that_is_set_and_strips_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("U2T_FIRST", "   ")  # blank counts as unset
    monkeypatch.setenv("U2T_SECOND", " key-2\n")
    monkeypatch.setenv("U2T_THIRD", "key-3")
    assert first_env(("U2T_FIRST", "U2T_SECOND", "U2T_THIRD")) == "key-2"
    assert first_env(["U2T_THIRD", "U2T_SECOND"]) == "key-3"


def test_first_env_is_none_when_nothing_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("U2T_UNSET", raising=False)
    assert first_env(("U2T_UNSET",)) is None
    assert first_env(()) is None


@pytest.mark.parametrize(
    "url", ["https://api.example.com/v1", "http://127.0.0.1:8000/v1", "http://[::1]:11434", "http://vllm:8000"]
)
def test_check_base_url_returns_a_usable_url_unchanged(url: str) -> None:
    assert check_base_url("acme", url) == url


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("api.example.com/v1", "acme: base URL must start with http:// or https://, got 'api.example.com/v1'"),
        ("ftp://example.com", "acme: base URL must start with http:// or https://"),
        ("http://localhost:99999/v1", "acme: bad base URL 'http://localhost:99999/v1': Port out of range"),
        ("http://[::1/v1", "acme: bad base URL 'http://[::1/v1'"),
        ("http:///v1", "acme: bad base URL 'http:///v1': no host, or a space in it"),
        ("http://exa mple.com", "no host, or a space in it"),
    ],
)
def test_check_base_url_names_the_adapter_and_the_url(url: str, reason: str) -> None:
    with pytest.raises(ConfigError) as info:
        check_base_url("acme", url)
    assert reason in str(info.value)


def test_require_api_key_passes_a_key_through_and_names_the_variables_when_missing() -> None:
    assert require_api_key("acme", "sk-1", ("ACME_KEY",)) == "sk-1"
    for missing in (None, ""):
        with pytest.raises(ConfigError) as info:
            require_api_key("acme", missing, ("ACME_KEY", "ACME_TOKEN"))
        assert str(info.value) == "acme: no API key; set ACME_KEY or ACME_TOKEN (or api_key in the config file)"


def test_check_known_options_lists_unknown_names_sorted_and_the_known_ones() -> None:
    check_known_options("acme", {"detail": "low"}, ("detail", "seed"))
    check_known_options("acme", {}, ())
    with pytest.raises(ConfigError) as info:
        check_known_options("acme", {"zeta": 1, "detail": "low", "alpha": 2}, ("detail", "seed"))
    assert str(info.value) == "acme: unknown option(s) alpha, zeta; known: detail, seed"


def test_check_known_options_accepts_a_one_shot_iterable() -> None:
    with pytest.raises(ConfigError, match="known: a, b$"):
        check_known_options("acme", {"c": 1}, iter(("a", "b")))


def test_redact_key_hides_every_copy_of_the_key_and_keeps_the_rest() -> None:
    error = ApiError(kind="auth", message="bad key sk-secret (sk-secret)", status=401, retry_after=2.0)
    redacted = redact_key(error, "sk-secret")
    assert redacted.message == "bad key [redacted] ([redacted])"
    assert (redacted.kind, redacted.status, redacted.retry_after) == ("auth", 401, 2.0)
    assert error.message == "bad key sk-secret (sk-secret)"  # the original is not changed


def test_redact_key_returns_the_same_error_when_there_is_nothing_to_hide() -> None:
    error = ApiError(kind="server", message="HTTP 500", status=500)
    assert redact_key(error, "sk-secret") is error
    assert redact_key(error, None) is error
    assert redact_key(error, "") is error


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (400, "bad_request"),
        (401, "auth"),
        (403, "auth"),
        (404, "bad_request"),
        (408, "timeout"),
        (413, "bad_request"),
        (422, "bad_request"),
        (429, "rate_limited"),
        (500, "server"),
        (502, "server"),
        (503, "overloaded"),
        (504, "timeout"),
        (529, "overloaded"),
    ],
)
def test_kind_for_status_classes_what_the_runner_does_next(status: int, kind: str) -> None:
    assert kind_for_status(status) == kind


def test_decode_json_object_returns_the_object() -> None:
    assert decode_json_object(200, b'{"choices": [], "n": 1}') == {"choices": [], "n": 1}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html>bad gateway</html>", "response is not JSON: "),
        (b"", "response is not JSON: "),
        (b'{"unterminated": ', "response is not JSON: "),
        (b"[1, 2]", "response is not a JSON object"),
        (b'"text"', "response is not a JSON object"),
        (b"null", "response is not a JSON object"),
    ],
)
def test_decode_json_object_turns_a_bad_body_into_malformed_response(body: bytes, message: str) -> None:
    error = decode_json_object(203, body)
    assert isinstance(error, ApiError)
    assert error.kind == "malformed_response"
    assert error.status == 203
    assert error.message.startswith(message)
    assert len(error.message) > len("response is not JSON: ") or message.endswith("object")


def test_importing_the_helpers_does_not_import_an_http_client() -> None:
    code = "import sys, u2fast.adapters.http; print('aiohttp' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
