"""u2fast.credentials: the one home of secret header/parameter names and of every redaction."""

from __future__ import annotations

import base64

import pytest

from u2fast.credentials import (
    MASK,
    SECRET_HEADERS,
    SECRET_PARAMS,
    URL_MASK,
    Redactor,
    basic_token,
    redact_headers,
    redact_url,
    scrub_credentials,
    url_credentials,
)
from u2fast.types import HttpRequest


def test_the_names_are_one_set_for_headers_and_for_query_parameters() -> None:
    assert {"authorization", "proxy-authorization", "x-api-key", "api-key", "x-goog-api-key"} <= SECRET_HEADERS
    assert {"key", "api_key", "apikey", "api-key", "access_token", "token"} <= SECRET_PARAMS


def test_http_request_repr_masks_every_secret_header_and_the_url_password() -> None:
    request = HttpRequest(
        "POST", "http://alice:Url-Pass-777@h/v1?key=AIza-q-123456", {"Proxy-Authorization": "Basic abcdefgh", "api-key": "k-123456"}, b"{}"
    )
    text = repr(request)
    for secret in ("Url-Pass-777", "AIza-q-123456", "abcdefgh", "k-123456"):
        assert secret not in text


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("http://user:pw-123456@host/v1", "http://REDACTED:REDACTED@host/v1"),
        ("http://sk-only-user@host/v1", "http://REDACTED@host/v1"),
        ("http://u:pw-123456@host:99999/v1", "http://REDACTED:REDACTED@host:99999/v1"),  # malformed, still shown
        ("http://u:pw 123456@ho st/v1", "http://REDACTED:REDACTED@ho st/v1"),
        ("https://h/v1?key=AIza123&alt=sse", "https://h/v1?key=REDACTED&alt=sse"),
        ("--base-url=http://u:pw-123456@h/v1", "--base-url=http://REDACTED:REDACTED@h/v1"),
        ("https://api.openai.com/v1", "https://api.openai.com/v1"),
        ("gpt-4.1", "gpt-4.1"),
    ],
)
def test_redact_url_masks_user_information_and_secret_parameters(url: str, shown: str) -> None:
    assert redact_url(url) == shown


def test_url_credentials_are_percent_decoded() -> None:
    assert url_credentials("http://al%40ice:p%3Aw@h/v1") == ("al@ice", "p:w")
    assert url_credentials("http://h/v1") is None


def test_basic_token_is_what_an_http_client_sends() -> None:
    assert basic_token("user", "pw") == base64.b64encode(b"user:pw").decode()
    import aiohttp
    import yarl

    sent = aiohttp.BasicAuth.from_url(yarl.URL("http://user:p%C3%A4ssword@h/v1"))
    assert sent is not None and sent.encode() == f"Basic {basic_token('user', 'pässword')}"
    assert aiohttp.encode_basic_auth("user", "pässword") == f"Basic {basic_token('user', 'pässword', 'utf-8')}"


def test_scrub_credentials_masks_credential_shapes_and_leaves_prose() -> None:
    text = (
        "echo: Authorization: Basic dXNlcjpwdw== / Bearer sk-proj-abc123 at http://bob:hunter22@proxy/v1?api_key=zzz999"
    )
    scrubbed = scrub_credentials(text)
    for secret in ("dXNlcjpwdw==", "sk-proj-abc123", "hunter22", "bob", "zzz999"):
        assert secret not in scrubbed
    assert scrub_credentials(redact_url("http://u:p@h/v1")) == "http://REDACTED:REDACTED@h/v1"  # idempotent
    prose = "a basic anatomy view; the bearer of the lesion; token classification"
    assert scrub_credentials(prose) == prose


def test_redactor_learns_every_form_of_a_url_credential() -> None:
    redactor = Redactor()
    redactor.learn({"content-type": "application/json"}, "http://alice:S3cret-Pw/x@proxy/v1/chat")
    redactor.learn({}, "http://alice:S3cret-Pw@proxy/v1/chat")
    token = basic_token("alice", "S3cret-Pw")
    echoed = f"got {token} (S3cret-Pw, S3cret%2DPw?)"
    assert token not in redactor.scrub_exact(echoed) and "S3cret-Pw" not in redactor.scrub_exact(echoed)
    assert redactor.scrub_exact("basic anatomy") == "basic anatomy"


def test_redactor_masks_a_learned_key_in_answers_and_messages() -> None:
    redactor = Redactor()
    redactor.learn({"x-goog-api-key": "AIza-learned-001"}, "https://g/v1beta/models/m:generateContent")
    assert redactor.scrub("key AIza-learned-001 rejected") == f"key {MASK} rejected"
    assert redactor.scrub_exact("AIza-learned-001") == MASK


def test_redact_headers_masks_only_credentials() -> None:
    assert redact_headers({"X-Api-Key": "k", "content-type": "a/b"}) == {"X-Api-Key": MASK, "content-type": "a/b"}


def test_the_secret_names_and_every_redaction_have_one_home() -> None:
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    sources = [*(root / "python" / "u2fast").rglob("*.py"), *(root / "plugins").glob("*/src/*/*.py")]
    name_set = re.compile(r"""(frozenset|set)\(\{[^}]*["'](authorization|api_key|access_token)["']""")
    definition = re.compile(r"^\s*(def (redact_url|scrub_credentials|redact_headers|basic_token)|class Redactor)\b", re.M)
    homes = {p.relative_to(root).as_posix() for p in sources if name_set.search(p.read_text(encoding="utf-8"))
             or definition.search(p.read_text(encoding="utf-8"))}
    assert homes == {"python/u2fast/credentials.py"}


def test_a_secret_in_a_url_fragment_is_masked_like_one_in_its_query() -> None:
    # a base URL with a fragment is refused, and the refusal shows the URL: an OAuth-style
    # #access_token=... was printed as written
    assert redact_url("https://h.example/v1#access_token=SECRET1") == f"https://h.example/v1#access_token={URL_MASK}"
    assert "SECRET2" not in redact_url("https://h.example/v1?a=1#key=SECRET2")
