"""Sending one lifecycle request: retried on transport failures and provider hiccups, never on a
clear refusal, and raised as BatchStepError (with the provider's message) when it cannot be done."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from typing import TypeVar

import aiohttp
import msgspec

from ..adapters.retry_after import parse_retry_after
from ..credentials import Redactor
from ..errors import ProviderError, RunError
from ..runner.retry import RETRYABLE, classify_exception, retry_delay
from ..types import ApiError, HttpRequest

__all__ = ["BatchStepError", "Response", "Transport"]

T = TypeVar("T")
Response = tuple[int, dict[str, str], bytes]


class BatchStepError(RunError):
    """A lifecycle step that failed for good; the ledger still holds every step done before it, so
    running the same command again resumes there. ``error`` is the provider's classified answer,
    when there was one (a refused key or quota exits like any provider failure)."""

    def __init__(self, message: str, error: ApiError | None = None) -> None:
        super().__init__(message)
        self.error = error
        if error is not None and error.kind in ("auth", "quota_exhausted"):
            self.exit_code = ProviderError.exit_code


class Transport:
    def __init__(self, session: aiohttp.ClientSession, rng: random.Random, *, attempts: int = 6,
                 redactor: Redactor | None = None) -> None:
        self.session = session
        #: learns the credentials of every request sent; its messages and the journal are scrubbed with it
        self.redactor = redactor or Redactor()
        self.rng = rng
        self.attempts = attempts
        self.timeout = aiohttp.ClientTimeout(total=600.0, sock_connect=30.0)

    async def send(self, request: HttpRequest) -> Response | ApiError:
        self.redactor.learn(request.headers, request.url)
        try:
            async with self.session.request(request.method, request.url, headers=request.headers,
                                            data=request.body or None, timeout=self.timeout) as resp:
                body = await resp.read()
                return resp.status, {k.lower(): v for k, v in resp.headers.items()}, body
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            return classify_exception(exc)

    async def call(self, what: str, request: HttpRequest, parse: Callable[[int, dict[str, str], bytes], T | ApiError]) -> T:
        """``parse`` of the answer to ``request``; retryable failures are tried again after a wait."""
        error: ApiError | None = None
        for attempt in range(1, self.attempts + 1):
            sent = await self.send(request)
            result = sent if isinstance(sent, ApiError) else parse(*sent)
            if not isinstance(result, ApiError):
                return result
            error = result
            if error.kind not in RETRYABLE or attempt == self.attempts:
                break
            if error.retry_after is None and not isinstance(sent, ApiError):
                # the provider's wait headers, read as the runner reads them (adapters never see the clock)
                wait = parse_retry_after(sent[1], time.time())
                if wait is not None:
                    error = msgspec.structs.replace(error, retry_after=wait)
            await asyncio.sleep(min(retry_delay(error, attempt, self.rng), 120.0))
        assert error is not None
        error = msgspec.structs.replace(error, message=self.redactor.scrub(error.message))
        raise BatchStepError(f"{what}: {error.kind}: {error.message}", error)
