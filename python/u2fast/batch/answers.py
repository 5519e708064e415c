"""A batch's answers as journal records: one Completion per request, joined by custom id.

A reply with neither text nor an error becomes a ``malformed_response`` record; a request that a
collected batch holds no result for gets a classified error record (``batch_expired``,
``cancelled``, ``bad_request`` for a batch that failed validation, ``missing_answer``), so nothing
is silently lost. Both the batch engine (``lifecycle``) and ``u2fast import`` (``exchange``) build
their records here.
"""

from __future__ import annotations

import time
from pathlib import Path

from ..adapters.base import Reply
from ..credentials import Redactor
from ..runfolder.layout import JOURNAL
from ..runner.completion import completion_of as runner_completion
from ..runner.cost import ModelStats
from ..runner.journal import JournalWriter, scan_journal
from ..types import ApiError, Completion, ErrorKind, Request

__all__ = ["Answers", "completion_of", "missing_reply"]

_MISSING: dict[str, tuple[ErrorKind, str]] = {
    "expired": ("batch_expired", "the batch expired before this request ran"),
    "cancelled": ("cancelled", "the batch was cancelled before this request ran"),
    "failed": ("bad_request", "the batch failed as a whole"),
    "completed": ("missing_answer", "the batch ended without a result for this request"),
}


class _Collected:
    """The clock of a collected batch: its answers were made long before they are read, so no
    latency is measured (null, as for every batch record); the wall clock stamps them."""

    def now(self) -> float:
        raise RuntimeError("a collected batch's answers are not timed")

    def wall(self) -> float:
        return time.time()

    async def sleep(self, seconds: float) -> None:
        raise RuntimeError("a collected batch is never waited on")


def completion_of(request: Request, reply: Reply, attempt: int, redactor: Redactor | None = None) -> Completion:
    """The journal record of ``reply`` by the runner's one rule (``runner.completion``); ``redactor``
    scrubs what the requests carried out of it."""
    return runner_completion(request, reply, attempt, None, _Collected(), redactor or Redactor())


def missing_reply(outcome: str | None, message: str | None) -> Reply:
    """The error a request gets when its batch ended (``outcome``) without a result for it."""
    kind, text = _MISSING.get(outcome or "completed", _MISSING["completed"])
    if outcome == "failed" and message:
        text = f"{text}: {message}"
    return Reply(error=ApiError(kind=kind, message=text))


class Answers:
    """The run's journal as the batch engine keeps it: the best record and attempts per request key."""

    def __init__(self, run_dir: Path, requests: dict[str, Request], redactor: Redactor) -> None:
        scan = scan_journal(run_dir / JOURNAL)
        self.requests = requests
        self.redactor = redactor
        self.best, self.attempts = dict(scan.best), dict(scan.attempts)
        self.writer = JournalWriter(run_dir / JOURNAL)

    def answered(self, key: str) -> Completion | None:
        return self.best.get(key)

    def recorded_since(self, keys: set[str], since: float) -> set[str]:
        """Keys answered, or recorded at or after ``since`` (an ingestion cut short by a kill)."""
        return {k for k in keys if (b := self.best.get(k)) is not None and (b.ok or b.finished_at >= since)}

    def keep(self, key: str, reply: Reply, stats: ModelStats) -> Completion:
        """Append the record of ``reply`` to the journal and count it in ``stats``."""
        attempt = self.attempts.get(key, 0) + 1
        self.attempts[key] = attempt
        completion = completion_of(self.requests[key], reply, attempt, self.redactor)
        self.writer.append(completion)
        old = self.best.get(key)
        if old is None or completion.ok or not old.ok:
            self.best[key] = completion
        stats.attempts += 1
        stats.done += 1
        stats.ok += completion.ok
        stats.failed += not completion.ok
        stats.input_tokens += completion.usage.input_tokens
        stats.output_tokens += completion.usage.output_tokens
        if completion.error is not None:
            stats.errors[completion.error.kind] = stats.errors.get(completion.error.kind, 0) + 1
        return completion
