"""u2fast.batch.transport: what a lifecycle step raises carries no credential the step sent."""

from __future__ import annotations

import asyncio
import random

import aiohttp
import pytest

from u2fast.batch.transport import BatchStepError, Transport
from u2fast.credentials import basic_token
from u2fast.testing import FakeProvider, FaultMix
from u2fast.types import ApiError, HttpRequest


def as_error(status: int, headers: dict[str, str], body: bytes) -> ApiError:
    """A parser that keeps the whole body as the message, as a careless wire might."""
    return ApiError(kind="auth", message=body.decode(), status=status)


def test_a_step_error_echoing_the_url_credentials_is_scrubbed() -> None:
    async def go() -> BatchStepError:
        async with FakeProvider(faults=FaultMix({"echo_key": 1.0})) as fake:
            url = fake.url.replace("http://", "http://batchuser:Batch-Pw-991@") + "/v1/chat/completions"
            body = b'{"model": "m", "messages": [{"role": "user", "content": "hi"}]}'
            request = HttpRequest("POST", url, {"content-type": "application/json"}, body)
            async with aiohttp.ClientSession() as session:
                with pytest.raises(BatchStepError) as raised:
                    await Transport(session, random.Random(0)).call("create", request, as_error)
                return raised.value

    error = asyncio.run(go())
    text = str(error) + (error.error.message if error.error else "")
    assert "Incorrect API key provided" in text
    assert basic_token("batchuser", "Batch-Pw-991") not in text and "Batch-Pw-991" not in text
