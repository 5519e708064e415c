"""Session grouping: one aiohttp session per provider, shared by that provider's models.

A provider's session is made on its first request, with a connection limit of the sum of its
models' concurrency (so no model waits for a connection its limits allow); ``close`` closes them all.
"""

from __future__ import annotations

from collections.abc import Sequence

import aiohttp

from .model_run import SessionFactory
from .model_state import ModelState

__all__ = ["Sessions"]


class Sessions:
    def __init__(self, states: Sequence[ModelState], factory: SessionFactory) -> None:
        self.states = states
        self.factory = factory
        self.sessions: dict[str, aiohttp.ClientSession] = {}

    def of(self, state: ModelState) -> aiohttp.ClientSession:
        """The session of ``state``'s provider (made on first use)."""
        provider = state.run.adapter.name
        session = self.sessions.get(provider)
        if session is None:
            limit = sum(s.run.limits.concurrency for s in self.states if s.run.adapter.name == provider)
            session = self.factory(provider, limit)
            self.sessions[provider] = session
        return session

    async def close(self) -> None:
        for session in self.sessions.values():
            await session.close()
