"""A model's base URL: whether an HTTP client can use it, and whether it is on a local network.

Checked once, when the adapter is created, so that a typo fails at start-up and not as a thousand
failed requests. ``is_local_url`` decides the one key rule of every plugin: a server on this
machine or a private network may be reached without an API key (``u2fast.model_settings``).
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from ..credentials import redact_url
from ..errors import ConfigError

__all__ = ["check_base_url", "is_local_url"]


def check_base_url(adapter: str, base_url: str) -> str:
    """``base_url`` unchanged when an HTTP client can use it, else ConfigError naming ``adapter``.

    The scheme must be http or https, the URL must parse with a host and a port in range, and it
    must hold no whitespace, query or fragment.
    """
    shown = redact_url(base_url)  # the message must not carry a password the URL holds
    if not base_url.startswith(("http://", "https://")):
        raise ConfigError(f"{adapter}: base URL must start with http:// or https://, got {shown!r}")
    try:
        parts = urlsplit(base_url)
        parts.port  # noqa: B018 - raises on a port out of range
    except ValueError as exc:
        raise ConfigError(f"{adapter}: bad base URL {shown!r}: {redact_url(str(exc))}") from None
    if not parts.hostname or any(c.isspace() for c in base_url):
        raise ConfigError(f"{adapter}: bad base URL {shown!r}: no host, or a space in it")
    if parts.query or parts.fragment or base_url.rstrip("/").endswith(("?", "#")):
        # adapters append their API path (/chat/completions, /models/...) to the base URL; after a
        # query it would land inside the query and every request would go to the wrong path
        raise ConfigError(
            f"{adapter}: bad base URL {shown!r}: a query (?...) or fragment (#...) cannot be part of a base URL; "
            "give the key through the adapter's key variable or the config's api_key"
        )
    return base_url


def is_local_url(url: str) -> bool:
    """Whether ``url`` points at this machine or a private network (no key needed there); False for
    a URL that does not parse."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:  # malformed: not known to be local
        return False
    if not host:
        return False
    if host in ("localhost", "0.0.0.0") or host.endswith((".localhost", ".local", ".internal", ".lan")):
        return True
    try:
        addr = ipaddress.ip_address(host)
    except ValueError:
        # A dotless name ("vllm", "ollama") is a container or LAN host, never a public API.
        return "." not in host
    return addr.is_loopback or addr.is_private or addr.is_link_local or addr.is_unspecified
