"""Endpoints and adapter options as a run folder records them: never a credential, comparable apart from one.

Which names are secret is ``u2fast.credentials``'s to say; this module only applies it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..credentials import SECRET_HEADERS, SECRET_PARAMS, URL_MASK

__all__ = ["endpoint_of", "recordable_options", "same_endpoint"]

_SECRET_ENDINGS = ("key", "_token", "secret", "password")


def endpoint_of(url: str | None) -> str:
    """The endpoint a URL names, without any credential: what the request key holds.

    User name, password and secret query parameters are dropped; the rest (scheme, host, port,
    path, other query parameters) decides where requests go and stays.
    """
    if not url:
        return ""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return URL_MASK  # cannot tell what is secret in it: keep none of it
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    netloc = host + (f":{port}" if port is not None else "")
    pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() not in SECRET_PARAMS]
    return urlunsplit((parts.scheme.lower(), netloc.lower(), parts.path.rstrip("/"), urlencode(pairs), ""))


def same_endpoint(a: str | None, b: str | None) -> bool:
    """Whether two URLs name one endpoint, apart from credentials (a recorded one may be masked)."""
    return endpoint_of(a) == endpoint_of(b)


def _secret(name: str) -> bool:
    lowered = name.lower()
    return lowered in SECRET_HEADERS or lowered in SECRET_PARAMS or lowered.endswith(_SECRET_ENDINGS)


def recordable_options(options: Mapping[str, Any]) -> dict[str, Any]:
    """Adapter options as the manifest records them: a value under a secret-looking name becomes its hash."""
    out: dict[str, Any] = {}
    for name, value in options.items():
        if _secret(name):
            digest = hashlib.sha256(repr(value).encode("utf-8", "surrogatepass")).hexdigest()[:16]
            out[name] = f"sha256:{digest}"
        elif isinstance(value, Mapping):
            out[name] = recordable_options(value)
        else:
            out[name] = value
    return out
