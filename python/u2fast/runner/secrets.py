"""Keeping API keys out of everything the runner writes.

A provider may echo the key it was sent in an error message ("Incorrect API key provided: ...").
The runner learns the secret values from the headers and URL it sends and blanks them in every
message and text before they reach the journal.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qsl, urlsplit

__all__ = ["SECRET_HEADERS", "Redactor"]

SECRET_HEADERS = frozenset({"authorization", "x-api-key", "api-key", "x-goog-api-key", "proxy-authorization"})
_SECRET_PARAMS = frozenset({"key", "api_key", "apikey", "access_token"})
_MASK = "[redacted]"


class Redactor:
    def __init__(self) -> None:
        self._secrets: set[str] = set()
        self._seen_headers: tuple[str, ...] | None = None

    def learn(self, headers: Mapping[str, str], url: str) -> None:
        values = tuple(v for k, v in headers.items() if k.lower() in SECRET_HEADERS)
        if values == self._seen_headers and "?" not in url and "@" not in url:
            return  # the common case: same key on every request
        self._seen_headers = values
        for value in values:
            self.add(value)
            scheme, _, token = value.partition(" ")
            if token and scheme.lower() in ("bearer", "basic", "token"):
                self.add(token)
        if "?" in url or "@" in url:
            parts = urlsplit(url)
            if parts.password:  # https://user:secret@proxy/v1
                self.add(parts.password)
            for name, value in parse_qsl(parts.query):
                if name.lower() in _SECRET_PARAMS:
                    self.add(value)

    def add(self, secret: str) -> None:
        if len(secret) >= 6:  # shorter strings would blank ordinary words
            self._secrets.add(secret)

    def scrub(self, text: str) -> str:
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, _MASK)
        return text
