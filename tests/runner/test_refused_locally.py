"""Requests the HTTP client refuses before sending anything: one final error each, never a crash."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp
import pytest
from runner_support import MODEL, FakeClock, make_requests

from u2fast.credentials import Redactor
from u2fast.runner import Limits, ModelRun, iter_journal, run_models
from u2fast.runner.retry import classify_exception
from u2fast.testing import ChatCompletionsAdapter


@pytest.mark.parametrize("url", ["http://[broken-ipv6/v1", "http://127.0.0.1:99999/v1"])
def test_an_adapter_url_the_client_cannot_parse_is_a_final_bad_request(tmp_path: Path, url: str) -> None:
    adapter = ChatCompletionsAdapter(url)
    outcome = asyncio.run(
        run_models([ModelRun(MODEL, adapter, make_requests(3), Limits(concurrency=2))], tmp_path, clock=FakeClock())
    )
    records = list(iter_journal(tmp_path / "journal.jsonl"))
    assert len(records) == 3  # one attempt each: retrying cannot help
    assert all(r.error is not None and r.error.kind == "bad_request" for r in records)
    assert outcome.stats[MODEL].failed == 3


def test_local_refusals_are_final_and_transport_failures_stay_retryable() -> None:
    assert classify_exception(ValueError("Cannot combine AUTHORIZATION header")).kind == "bad_request"
    assert classify_exception(aiohttp.InvalidURL("x")).kind == "bad_request"
    assert classify_exception(aiohttp.ClientPayloadError("cut")).kind == "connection"
    assert classify_exception(ConnectionResetError()).kind == "connection"
    assert classify_exception(TimeoutError()).kind == "timeout"


def test_a_password_in_the_url_is_redacted_like_a_key() -> None:
    redactor = Redactor()
    redactor.learn({"authorization": "Bearer sk-abcdef123"}, "http://user:hunter2-secret@proxy:8080/v1/chat")
    text = redactor.scrub("failed for http://user:hunter2-secret@proxy:8080 with sk-abcdef123")
    assert "hunter2-secret" not in text and "sk-abcdef123" not in text
