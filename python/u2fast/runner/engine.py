"""The engine: every model's requests through its limits, each attempt journalled as it finishes.

One asyncio loop. Per model, ``concurrency`` workers pull requests one at a time from a shared
iterator (so nothing is queued or encoded ahead of the work in flight) and own a request until it
is finished: sent, retried after the wait its error calls for, journalled on every attempt.
Models of one provider endpoint (``ModelRun.endpoint_group``) share its in-flight slots, rate
buckets and AIMD state (``limit_sharing``); one aiohttp session per provider (``sessions``). Each
model's progress is a ``model_state.ModelState``; an attempt's record is ``completion.completion_of``.
Images are prepared by ``images.ImageEncoder`` (large ones and resizes in worker threads).
"""

from __future__ import annotations

import asyncio
import random
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import aiohttp

from ..adapters.base import EncodedImage, HttpAdapter, LocalAdapter, Reply
from ..data.images import ImageChanged
from ..errors import DataError
from ..runfolder.layout import JOURNAL
from ..types import ApiError, Completion, Request
from .attempt import call_http, call_local
from .completion import completion_of, past_deadline
from .cost import Budget, ModelStats, cost_of
from .event_loop import fewer_gc_passes, loop_factory
from .images import ImageEncoder
from .journal import JournalWriter, scan_journal
from .limit_sharing import share_limits
from .limits import Clock, Limits, SystemClock
from .model_run import ModelRun, RunOutcome, SessionFactory, default_session
from .model_state import ModelState, wait_unless_stopped
from .retry import RETRYABLE, STOPS_MODEL, retry_delay
from .sessions import Sessions

if TYPE_CHECKING:
    from .progress import Progress

__all__ = ["ModelRun", "RunOutcome", "SessionFactory", "default_session", "loop_factory", "run", "run_models"]


#: Why a model stopped before its requests were all finished.
STOP_REASONS = {"quota_exhausted": "quota", "auth": "auth"}


class _Engine:
    def __init__(
        self,
        models: list[ModelRun],
        writer: JournalWriter,
        best: dict[str, Completion],
        prior_attempts: dict[str, int],
        clock: Clock,
        session_factory: SessionFactory,
        progress: Progress | None,
        max_cost: float | None,
        rng: random.Random,
        max_side: int | None = None,
    ) -> None:
        self.writer = writer
        self.best = best
        self.prior_attempts = prior_attempts
        self.clock = clock
        self.progress = progress
        self.budget = Budget(max_cost)
        self.rng = rng
        self.encoder = ImageEncoder(max_side=max_side)
        self.states: list[ModelState] = []
        claimed: set[str] = set()
        for run in models:
            stats = ModelStats()
            pending: list[Request] = []
            for request in run.requests:
                if request.key in claimed:
                    continue
                claimed.add(request.key)
                stats.total += 1
                prior = best.get(request.key)
                if prior is not None and prior.ok:
                    stats.already_done += 1
                    continue
                pending.append(request)
                if run.needs_images:
                    self.encoder.plan(request.images)
            self.states.append(ModelState(run, pending, stats, clock))
        share_limits(self.states, clock, budgeted=max_cost is not None)
        self.sessions = Sessions(self.states, session_factory)

    # ------------------------------------------------------------------ plumbing

    def _stop(self, state: ModelState, reason: str) -> None:
        if state.stopped is None:
            state.stopped = reason
            for task in list(state.sleepers):  # nothing left to retry for
                task.cancel()
            if state.run.needs_images:  # the images it will never send need no cache room
                for request in state.pending:
                    self.encoder.release(request.images)

    def _record(self, state: ModelState, completion: Completion, cost: float) -> None:
        self.writer.append(completion)
        stats = state.stats
        stats.attempts += 1
        stats.input_tokens += completion.usage.input_tokens
        stats.output_tokens += completion.usage.output_tokens
        stats.cost += cost
        if completion.error is not None:
            stats.errors[completion.error.kind] = stats.errors.get(completion.error.kind, 0) + 1
            stats.note_error(completion.error)
        old = self.best.get(completion.key)
        if old is None or completion.ok or not old.ok:
            self.best[completion.key] = completion
        if self.progress is not None:
            self.progress.refresh()

    def _image_failed(self, state: ModelState, request: Request, exc: DataError, attempt: int) -> None:
        """A request whose image cannot be read: recorded as a bad request, not sent, not retried."""
        completion = Completion(
            key=request.key,
            case_id=request.case_id,
            model=request.model,
            error=ApiError(kind="bad_request", message=f"image: {exc}"),
            attempt=self.prior_attempts.get(request.key, 0) + attempt,
            finished_at=self.clock.wall(),
        )
        self._record(state, completion, 0.0)
        state.stats.done += 1
        state.stats.failed += 1

    # ------------------------------------------------------------------ one attempt

    def _call(
        self, state: ModelState, request: Request, images: tuple[EncodedImage, ...], deadline: float | None
    ) -> Coroutine[Any, Any, Reply]:
        """The attempt's coroutine, returned rather than awaited here: one coroutine frame fewer for
        every resumption of the call (each read of an answer passes through every frame awaiting it)."""
        limits = state.run.limits
        # an attempt ends by the request's deadline too: the per-attempt limit is cut to what is left
        left = limits.request_deadline if deadline is None else max(0.001, deadline - self.clock.now())
        if not state.is_http:
            return call_local(
                cast(LocalAdapter, state.run.adapter), request, images, min(limits.total_timeout, left)
            )
        timeout = state.timeout
        if left < limits.total_timeout:
            timeout = aiohttp.ClientTimeout(total=left, connect=timeout.connect, sock_connect=timeout.sock_connect,
                                            sock_read=timeout.sock_read)
        # is_http was checked once per model: Protocol isinstance checks are slow
        return call_http(
            self.sessions.of(state),
            cast(HttpAdapter, state.run.adapter),
            request,
            images,
            timeout,
            state.redactor,
            state.urls,
            self.clock.wall,
            limits.max_response_bytes,
        )

    # ------------------------------------------------------------------ one request, all its attempts

    async def _finish_request(self, state: ModelState, request: Request) -> None:
        limits = state.run.limits
        needs_images = state.run.needs_images
        try:
            # an HTTP model's adapter splices the image into its body: a StoredImage is read then
            images = await self.encoder.acquire_async(request.images, stored=state.is_http) if needs_images else ()
            tokens, estimate = state.estimate(request, images)  # an adapter's estimate may read a StoredImage
        except ImageChanged:
            raise  # the case would be sent with another image: stop the run, loudly
        except DataError as exc:
            self._image_failed(state, request, exc, 1)
            if needs_images:
                self.encoder.release(request.images)
            return
        try:
            if state.needs_estimate:
                state.stats.estimated_input_tokens = (state.stats.estimated_input_tokens or 0) + tokens
            prior = self.prior_attempts.get(request.key, 0)
            deadline: float | None = None  # --request-deadline, counted from the first send
            for attempt in range(1, limits.max_attempts + 1):
                if state.stopped is not None:
                    return
                if not await self._reserve(state, estimate):
                    return
                try:
                    sent = await self._send(state, request, images, tokens, estimate, deadline)
                except ImageChanged:
                    raise
                except DataError as exc:  # a StoredImage, read as the body was built
                    self.budget.settle(estimate, 0.0)
                    self._image_failed(state, request, exc, attempt)
                    return
                if sent is None:
                    return
                reply, started = sent
                if deadline is None:
                    deadline = started + limits.request_deadline
                completion = completion_of(request, reply, prior + attempt, started, self.clock, state.redactor)
                delay = self._retry_delay(completion.error, attempt, limits)
                if delay is not None and self.clock.now() + delay >= deadline:
                    completion, delay = past_deadline(completion, limits.request_deadline), None
                cost = cost_of(completion.usage, state.run.price)
                self.budget.settle(estimate, cost)
                self._record(state, completion, cost)
                error = completion.error
                if error is None:
                    state.opening.observe(None)
                    state.stats.ok += 1
                    state.stats.done += 1
                    state.output.learn(request.task, completion.usage.output_tokens)
                    if completion.usage.input_tokens > 0 and tokens > 0:
                        state.counted_input += completion.usage.input_tokens
                        state.estimated_input += tokens
                    return
                if error.kind in STOPS_MODEL:
                    self._stop(state, STOP_REASONS[error.kind])
                    return
                if state.opening.observe(error) is not None:  # the first attempts all failed alike
                    self._stop(state, error.kind)
                    return
                if error.kind not in RETRYABLE or attempt == limits.max_attempts:
                    break
                if error.kind == "rate_limited":
                    assert state.provider is not None
                    state.provider.rates.on_rate_limited(error.retry_after)
                if error.retry_after is not None and error.retry_after > limits.max_retry_wait:
                    self._stop(state, "quota")
                    return
                if delay is None:  # the request deadline would pass during the wait
                    break
                if not await wait_unless_stopped(state, delay):
                    return
            state.stats.done += 1
            state.stats.failed += 1
        finally:
            if needs_images:
                self.encoder.release(request.images)

    def _retry_delay(self, error: ApiError | None, attempt: int, limits: Limits) -> float | None:
        """The wait before the next attempt after ``error``; None when there is to be none (no
        error, a final one, the last attempt, or a wait that stops the model for quota)."""
        if error is None or error.kind not in RETRYABLE or attempt >= limits.max_attempts:
            return None
        if error.retry_after is not None and error.retry_after > limits.max_retry_wait:
            return None
        return retry_delay(error, attempt, self.rng)

    async def _reserve(self, state: ModelState, estimate: float) -> bool:
        """Hold a request's expected cost; while calls in flight hold some of the budget, wait for
        them to settle rather than stop. False when the run stopped for the budget (or otherwise)."""
        while not self.budget.reserve(estimate):
            if self.budget.pending == 0:  # nothing left to settle: the budget is spent
                self._stop_all("budget")
                return False
            await self.budget.settled()
            if state.stopped is not None:
                return False
        return True

    async def _send(
        self, state: ModelState, request: Request, images: tuple[EncodedImage, ...], tokens: int, estimate: float,
        deadline: float | None = None,
    ) -> tuple[Reply, float] | None:
        """One call through the model's own buckets, then the endpoint's slot and buckets; None
        when the model was stopped while waiting (the budget reservation is then given back)."""
        provider = state.provider
        assert provider is not None
        token_cost = tokens + request.params.max_tokens if state.counts_tokens else 0
        sleep = state.sleep_unless_stopped
        if state.own_rates is not None:  # before taking a shared slot: this wait is ours alone
            await state.own_rates.acquire(token_cost, sleep=sleep)
        slots = provider.slots
        if slots is not None:
            await slots.acquire()
        try:
            if state.stopped is None:
                await provider.rates.acquire(token_cost, sleep=sleep)
            if state.stopped is not None:
                self.budget.settle(estimate, 0.0)
                return None
            started = self.clock.now()
            state.stats.in_flight += 1
            try:
                reply = await self._call(state, request, images, deadline)
            finally:
                state.stats.in_flight -= 1
        finally:
            if slots is not None:
                slots.release()
        return reply, started

    def _stop_all(self, reason: str) -> None:
        for state in self.states:
            if state.stats.remaining > 0:
                self._stop(state, reason)

    async def _worker(self, state: ModelState) -> None:
        while state.stopped is None:
            request = next(state.pending, None)
            if request is None:
                return
            await self._finish_request(state, request)

    async def run(self) -> None:
        workers: list[asyncio.Future[None]] = []
        for state in self.states:
            state.stats.started_at = self.clock.now()
            n = min(state.run.limits.concurrency, state.stats.total - state.stats.already_done)
            workers.extend(asyncio.ensure_future(self._worker(state)) for _ in range(n))
        try:
            if workers:
                await asyncio.gather(*workers)
        finally:
            for task in workers:
                task.cancel()
            for state in self.states:
                state.stats.finished_at = self.clock.now()


async def run_models(
    models: list[ModelRun],
    run_dir: Path,
    *,
    session_factory: SessionFactory | None = None,
    clock: Clock | None = None,
    progress: Progress | None = None,
    max_cost: float | None = None,
    max_side: int | None = None,
    seed: int | None = None,
) -> RunOutcome:
    """Run every model's requests, resuming from ``run_dir/journal.jsonl``.

    Requests whose key already has an ok record are not sent; error records are retried.
    Failed calls are never raised: they are journalled as Completions carrying an ApiError.
    """
    names = [m.name for m in models]
    if len(set(names)) != len(names):
        raise ValueError(f"a model is listed twice: {names}")
    run_dir = Path(run_dir)
    journal_path = run_dir / JOURNAL
    scan = scan_journal(journal_path)
    writer = JournalWriter(journal_path)
    writer.open()
    engine = _Engine(models, writer, dict(scan.best), scan.attempts, clock or SystemClock(),
                     session_factory or default_session, progress, max_cost, random.Random(seed), max_side)
    if progress is not None:
        progress.start({s.run.name: s.stats for s in engine.states})
    try:
        with fewer_gc_passes():
            await engine.run()
    finally:
        try:
            await engine.sessions.close()
        finally:
            engine.encoder.close()
            writer.close()
            if progress is not None:
                progress.stop({s.run.name: s.stopped for s in engine.states if s.stopped})
    completions: dict[str, Completion] = {}
    for state in engine.states:
        for request in state.run.requests:
            record = engine.best.get(request.key)
            if record is not None:
                completions[request.key] = record
    stopped = {s.run.name: s.stopped for s in engine.states if s.stopped is not None}
    stats = {s.run.name: s.stats for s in engine.states}
    return RunOutcome(completions=completions, stopped=stopped, stats=stats, cost=sum(s.cost for s in stats.values()))


def run(models: list[ModelRun], run_dir: Path, **kw: Any) -> RunOutcome:
    """``run_models`` from synchronous code. On Ctrl-C the journal is flushed, the way to resume is
    printed on stderr and KeyboardInterrupt is raised again."""
    outcome: list[RunOutcome] = []

    async def main() -> None:
        # Handed out through a list, not as the task's result: on the way out asyncio.Runner asks
        # signal.getsignal for its SIGINT handler, which formats that handler's repr, and with it the
        # main task's result - every Completion of the run (a tenth of a second per 2,000 answers).
        outcome.append(await run_models(models, run_dir, **kw))

    try:
        with asyncio.Runner(loop_factory=loop_factory()) as runner:
            runner.run(main())
        return outcome[0]
    except KeyboardInterrupt:
        journal = Path(run_dir) / JOURNAL
        print(
            f"\ninterrupted: every finished answer is saved in {journal}.\n"
            f"Run the same command again (or `u2fast eval --resume {run_dir}`) to send only what is missing.",
            file=sys.stderr,
        )
        raise
