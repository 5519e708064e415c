"""What a run is made of (one ModelRun per model), the HTTP session each provider gets, and what a run
gives back (RunOutcome)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

import aiohttp

from ..adapters.base import HttpAdapter, LocalAdapter, Price
from ..types import Completion, Request
from .cost import ModelStats
from .limits import Limits

__all__ = ["ModelRun", "RunOutcome", "SessionFactory", "default_session", "endpoint_group"]

#: ``(provider, connection_limit) -> ClientSession``; tests inject their own.
SessionFactory = Callable[[str, int], aiohttp.ClientSession]


@dataclass
class ModelRun:
    """One model's share of a run."""

    name: str  # "adapter:model"
    adapter: HttpAdapter | LocalAdapter
    requests: list[Request]
    limits: Limits = field(default_factory=Limits)
    price: Price | None = None
    #: False for adapters that never look at images (replay): nothing is read or encoded.
    needs_images: bool = True
    #: Models in the same group (``endpoint_group(adapter, base_url, api_key)``) share one in-flight
    #: limit, one pair of rate buckets and one AIMD state; None: the model is a group of its own.
    endpoint_group: str | None = None
    #: The limits shared by the group (concurrency, rpm, tpm); ``limits`` then still bounds this
    #: model alone. None: the group takes the loosest of its models' own limits.
    provider_limits: Limits | None = None


def endpoint_group(adapter: str, base_url: str | None, api_key: str | None) -> str:
    """The group of a provider endpoint (adapter, base URL, credential): models in one group share its
    limits. The API key enters only as a hash."""
    digest = hashlib.sha256()
    for part in (adapter, base_url or "", api_key or ""):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return f"{adapter}:{digest.hexdigest()[:16]}"


@dataclass
class RunOutcome:
    #: The best record per request key of the models run (this run's or the journal's): ok wins.
    completions: dict[str, Completion]
    #: model -> why it stopped early: "quota", "auth", "budget".
    stopped: dict[str, str]
    stats: dict[str, ModelStats]
    cost: float

    @property
    def errors(self) -> dict[str, dict[str, int]]:
        """model -> error class -> failed attempts."""
        return {name: {str(kind): n for kind, n in s.errors.items()} for name, s in self.stats.items()}


def default_session(provider: str, connection_limit: int) -> aiohttp.ClientSession:
    connector = aiohttp.TCPConnector(
        limit=connection_limit, limit_per_host=0, ttl_dns_cache=300, keepalive_timeout=30.0
    )
    # Per-request timeouts come from each model's Limits; this one only guards stray calls.
    return aiohttp.ClientSession(
        connector=connector,
        cookie_jar=aiohttp.DummyCookieJar(),  # model APIs set no cookies worth keeping
        timeout=aiohttp.ClientTimeout(total=600.0),
        raise_for_status=False,
        headers={"user-agent": "u2fast"},
    )
