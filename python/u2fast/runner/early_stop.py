"""Stopping a model whose opening attempts all fail the same lasting way.

A refused port, a wrong model name (400) or a rejected key fails every request alike; sending the
rest of the benchmark only repeats the failure (and, for a refused port, waits through every
retry's backoff). Before a model's first answer, ``OPENING_FAILURES`` attempts in a row failing
with the same lasting class stop that model with the provider's message. Failures that can pass
(a reset connection, a 500, a 429) never count: a flaky server recovers, a closed port does not.
One answer ends the watch: later failures are the retry policy's business.
"""

from __future__ import annotations

from ..types import ApiError

__all__ = ["OPENING_FAILURES", "OpeningWatch", "is_lasting"]

#: Attempts in a row, before any answer, that stop a model.
OPENING_FAILURES = 5

#: The exceptions of a connection that could not be made at all (refused, no such host), by the
#: class name ``classify_exception`` records in ``ApiError.exception``.
_CANNOT_CONNECT = frozenset({"ClientConnectorError", "ClientConnectorDNSError", "ConnectionRefusedError", "gaierror"})


def is_lasting(error: ApiError) -> bool:
    """Whether the same request would fail the same way a minute later."""
    if error.kind in ("auth", "bad_request"):
        return True
    return error.kind == "connection" and error.exception in _CANNOT_CONNECT


class OpeningWatch:
    """Counts one model's failed attempts until its first answer."""

    def __init__(self, limit: int = OPENING_FAILURES) -> None:
        self.limit = limit
        self.answered = False
        self.streak = 0
        self.kind: str | None = None

    def observe(self, error: ApiError | None) -> ApiError | None:
        """Record one attempt; returns the error to stop the model with, else None."""
        if self.answered:
            return None
        if error is None:
            self.answered = True
            return None
        if not is_lasting(error):
            self.streak, self.kind = 0, None
            return None
        if error.kind != self.kind:
            self.streak, self.kind = 0, error.kind
        self.streak += 1
        return error if self.streak >= self.limit else None
