"""u2fast.adapters.base_url: the base URL check and the local-network test of the key rule."""

from __future__ import annotations

import pytest

from u2fast.adapters.base_url import check_base_url, is_local_url
from u2fast.errors import ConfigError


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
        # the path the adapter appends would land inside the query; the key is shown redacted
        ("http://127.0.0.1:8000/v1?key=AIza-secret-1", "acme: bad base URL 'http://127.0.0.1:8000/v1?key=REDACTED': a query"),
        ("http://127.0.0.1:8000/v1?api-version=2024", "a query (?...) or fragment (#...) cannot be part"),
        ("http://127.0.0.1:8000/v1#top", "a query (?...) or fragment (#...) cannot be part"),
    ],
)
def test_check_base_url_names_the_adapter_and_the_url(url: str, reason: str) -> None:
    with pytest.raises(ConfigError) as info:
        check_base_url("acme", url)
    assert reason in str(info.value)


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("http://localhost:8000/v1", True),
        ("http://127.0.0.1:1234/v1", True),
        ("http://[::1]:8000/v1", True),
        ("http://0.0.0.0:8000/v1", True),
        ("http://192.168.1.20:11434/v1", True),
        ("http://10.1.2.3/v1", True),
        ("http://vllm:8000/v1", True),
        ("http://gpu-box.local:8000/v1", True),
        ("https://api.openai.com/v1", False),
        ("https://generativelanguage.googleapis.com", False),
        ("https://8.8.8.8/v1", False),
        ("https://openrouter.ai/api/v1", False),
        ("not a url", False),
        ("http://[bad/v1", False),
    ],
)
def test_is_local_url(url: str, local: bool) -> None:
    assert is_local_url(url) is local
