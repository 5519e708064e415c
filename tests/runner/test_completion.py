"""``completion_of``: an attempt's journal record keeps every typed field of its error while scrubbing it."""

from __future__ import annotations

from u2fast.adapters.base import Reply
from u2fast.credentials import Redactor
from u2fast.runner.completion import completion_of
from u2fast.runner.limits import SystemClock
from u2fast.types import ApiError, Prompt, Request

SECRET = "sk-completion-test-0000000001"


def test_a_scrubbed_error_keeps_its_class_status_and_wait() -> None:
    request = Request(key="k", case_id="c", dataset_id="d", task="DD", model="openai:gpt-4.1",
                      prompt=Prompt(role="r", instruction="q", output_format="f"), images=())
    error = ApiError(kind="connection", message=f"ClientConnectorError: to https://u:{SECRET}@host", status=None,
                     retry_after=2.0, exception="ClientConnectorError")
    redactor = Redactor()
    redactor.add(SECRET)
    record = completion_of(request, Reply(error=error), 1, None, SystemClock(), redactor)
    assert record.error is not None and SECRET not in record.error.message
    assert (record.error.exception, record.error.retry_after, record.error.kind) == ("ClientConnectorError", 2.0,
                                                                                      "connection")
    assert record.latency_s is None  # not timed
