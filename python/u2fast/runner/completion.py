"""From a Reply to the journal's Completion: one attempt's record, credentials scrubbed."""

from __future__ import annotations

import msgspec

from ..adapters.base import Reply
from ..credentials import Redactor
from ..types import ApiError, Completion, Request
from .limits import Clock

__all__ = ["completion_of", "past_deadline"]


def completion_of(
    request: Request, reply: Reply, attempt: int, started: float | None, clock: Clock, redactor: Redactor
) -> Completion:
    """The journal record of one attempt: a reply with neither text nor error is malformed, error
    messages are scrubbed of credentials and cut to 2,000 characters, answers scrubbed of them.
    ``started`` is None when the attempt was not timed (a batch's answers): its latency is null."""
    error = reply.error
    text = reply.text
    if error is None and text is None:
        error = ApiError(
            kind="malformed_response", message="the adapter returned neither text nor an error"
        )
    if error is not None:
        text = None
        message = redactor.scrub(error.message)[:2000]
        if message != error.message:
            error = msgspec.structs.replace(error, message=message)
    elif text is not None:
        text = redactor.scrub_exact(text)
    return Completion(
        key=request.key,
        case_id=request.case_id,
        model=request.model,
        text=text,
        error=error,
        usage=reply.usage,
        latency_s=None if started is None else round(clock.now() - started, 6),
        attempt=attempt,
        finished_at=round(clock.wall(), 3),
        response_model=reply.response_model,
        fingerprint=reply.fingerprint,
        finish_reason=reply.finish_reason,
    )


def past_deadline(completion: Completion, seconds: float) -> Completion:
    """``completion`` (a retryable failure) marked as the request's last: another attempt would
    start after its deadline."""
    error = completion.error
    assert error is not None
    note = f"; not retried: the request deadline of {seconds:g} s (--request-deadline) would pass"
    return msgspec.structs.replace(completion, error=msgspec.structs.replace(error, message=error.message + note))
