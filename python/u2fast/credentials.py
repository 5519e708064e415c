"""Credentials: where they travel, and how every form of one is kept out of what u2fast writes.

A credential reaches a provider in one of four forms: a raw key in a header (``x-api-key``) or a
query parameter (``?key=``), ``user:password`` embedded in a base URL, the ``Basic`` token an HTTP
client derives from that (``base64(user:password)``), or a ``Bearer`` token. A server may echo any
of them in an error message, and a user may paste any of them into a flag; none may reach the
journal, the manifest, a report, or a message on screen.

Two layers do that. ``Redactor`` learns the exact secrets a run sends (from the headers and URL of
each request) and blanks every copy. ``scrub_credentials`` needs no knowledge: it masks whatever
has the shape of a credential (``scheme://user:pw@``, ``Basic …``, ``Bearer …``, ``?key=…``), for
text whose secrets were never learned (a configuration error, a proxy's echo of its own header).

Only the standard library is imported: ``u2fast.types`` and the plugins use this module.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from urllib.parse import parse_qsl, quote, unquote, urlsplit

__all__ = [
    "MASK",
    "SECRET_HEADERS",
    "SECRET_PARAMS",
    "URL_MASK",
    "Redactor",
    "basic_token",
    "redact_headers",
    "redact_url",
    "scrub_credentials",
    "url_credentials",
]

#: Header names whose value is a credential (compared in lower case).
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "x-api-key", "api-key", "x-goog-api-key"})
#: Query parameter names whose value is a credential (compared in lower case).
SECRET_PARAMS = frozenset({"key", "api_key", "apikey", "api-key", "access_token", "token"})
#: What a secret becomes in text.
MASK = "[redacted]"
#: What a secret becomes inside a URL: no brackets, which would read as an IPv6 host.
URL_MASK = "REDACTED"

# Shorter strings would blank ordinary words in the text they are scrubbed from.
_MIN_SECRET = 6

_URL_START = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_URL_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^\s/?#@]*@")
# A token must look like one (a digit, padding or punctuation in it): "basic anatomy" is prose.
_AUTH_TOKEN = re.compile(r"(?i)\b(basic|bearer)(\s+)(?=[A-Za-z0-9._~+/-]*[0-9=._~+/-])[A-Za-z0-9._~+/-]{8,}=*")
_SECRET_QUERY = re.compile(
    r"(?i)([?&#](?:" + "|".join(re.escape(p) for p in sorted(SECRET_PARAMS)) + r")=)[^&\s#\"']+"
)


def url_credentials(url: str) -> tuple[str, str] | None:
    """``(user, password)`` embedded in ``url`` (percent-decoded, either may be empty), or None
    when the URL carries none or cannot be parsed."""
    if "@" not in url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if "@" not in parts.netloc:
        return None
    userinfo = parts.netloc.rpartition("@")[0]
    user, _, password = userinfo.partition(":")
    return unquote(user), unquote(password)


def basic_token(user: str, password: str, encoding: str = "latin1") -> str:
    """The token of ``Authorization: Basic <token>`` that an HTTP client sends for ``user:password``
    (aiohttp encodes a URL's credentials as latin-1, other clients as UTF-8); empty when the text
    cannot be encoded so."""
    try:
        data = f"{user}:{password}".encode(encoding)
    except UnicodeEncodeError:
        return ""
    return base64.b64encode(data).decode("ascii")


def redact_url(text: str) -> str:
    """``text`` with the user information of a URL and its secret query values masked; the rest is
    kept as written, even when the URL is malformed (so that an error about it can show it).
    Other text (``--base-url=URL``, prose) gets ``scrub_credentials``."""
    match = _URL_START.match(text)
    if not match:
        return scrub_credentials(text)
    start = match.end()
    end = min((i for i in (text.find(c, start) for c in "/?#") if i >= 0), default=len(text))
    authority = text[start:end]
    if "@" in authority:  # everything up to the last @ of the authority is user information
        userinfo, _, host = authority.rpartition("@")
        masked = f"{URL_MASK}:{URL_MASK}" if ":" in userinfo else URL_MASK
        text = f"{text[:start]}{masked}@{host}{text[end:]}"
    if "=" in text:
        text = _SECRET_QUERY.sub(lambda m: f"{m.group(1)}{URL_MASK}", text)
    return text


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """``headers`` with the value of every credential header masked (for a repr or a log)."""
    return {k: (MASK if k.lower() in SECRET_HEADERS else v) for k, v in headers.items()}


def _mask_userinfo(match: re.Match[str]) -> str:
    # the same shape as redact_url's, so that scrubbing a redacted URL changes nothing
    masked = f"{URL_MASK}:{URL_MASK}" if ":" in match.group(0)[len(match.group(1)) :] else URL_MASK
    return f"{match.group(1)}{masked}@"


def scrub_credentials(text: str) -> str:
    """``text`` with everything shaped like a credential masked: the user information of a URL,
    a ``Basic`` or ``Bearer`` token, and the value of a secret query parameter."""
    if "://" in text and "@" in text:
        text = _URL_USERINFO.sub(_mask_userinfo, text)
    text = _AUTH_TOKEN.sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}", text)
    if "=" in text:
        text = _SECRET_QUERY.sub(lambda m: f"{m.group(1)}{URL_MASK}", text)
    return text


class Redactor:
    """The secrets one model's requests carry, learned as they are sent, blanked in any text.

    ``learn`` is called with each request's headers and URL; ``scrub`` then masks every learned
    value (and its URL-quoted and Basic-encoded forms) and whatever ``scrub_credentials`` masks
    (for messages); ``scrub_exact`` masks the learned values only (for a model's answer, where
    prose like "basic 4-chamber view" must stay as written).
    """

    def __init__(self) -> None:
        self._secrets: set[str] = set()
        self._longest_first: tuple[str, ...] = ()
        self._seen_headers: tuple[str, ...] | None = None
        self._last_headers: dict[str, str] | None = None
        self._seen_urls: set[str] = set()

    def learn(self, headers: Mapping[str, str], url: str) -> None:
        if headers != self._last_headers:  # the common case: the same headers on every request
            self._last_headers = dict(headers)
            self._learn_headers(headers)
        if ("?" in url or "@" in url) and url not in self._seen_urls:
            if len(self._seen_urls) < 1024:
                self._seen_urls.add(url)
            self.learn_url(url)

    def _learn_headers(self, headers: Mapping[str, str]) -> None:
        values = tuple(v for k, v in headers.items() if k.lower() in SECRET_HEADERS)
        if values != self._seen_headers:
            self._seen_headers = values
            for value in values:
                self.add(value)
                scheme, _, token = value.partition(" ")
                if token and scheme.lower() in ("bearer", "basic", "token"):
                    self.add(token.strip())

    def learn_url(self, url: str) -> None:
        """The credentials a base URL carries: its user and password (and the Basic token a client
        derives from them) and the values of its secret query parameters."""
        creds = url_credentials(url)
        if creds is not None:
            user, password = creds
            self.add(password)
            self.add(user)
            self.add(f"{user}:{password}")
            self.add(basic_token(user, password))
            self.add(basic_token(user, password, "utf-8"))
        try:
            query = urlsplit(url).query
        except ValueError:
            return
        for name, value in parse_qsl(query):
            if name.lower() in SECRET_PARAMS:
                self.add(value)

    def add(self, secret: str) -> None:
        """Blank ``secret`` (and its URL-quoted form) from now on; too short a value is ignored."""
        if len(secret) >= _MIN_SECRET and secret not in self._secrets:
            self._secrets.add(secret)
            quoted = quote(secret, safe="")
            if quoted != secret:
                self._secrets.add(quoted)
            # longest first, so that a secret containing another is masked whole
            self._longest_first = tuple(sorted(self._secrets, key=len, reverse=True))

    def scrub_exact(self, text: str) -> str:
        for secret in self._longest_first:
            if secret in text:
                text = text.replace(secret, MASK)
        return text

    def scrub(self, text: str) -> str:
        return scrub_credentials(self.scrub_exact(text))
