"""u2fast.testing.server is public: its wire formats, rate limit, faults and record are what plugin tests rely on."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
import pytest
from public_surface import assert_public_surface

from u2fast import testing
from u2fast.testing import FailFirst, FakeProvider, FaultMix, RateLimit

B64 = "iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAAAAADhZOFXAAAAEElEQVR4nGNsYIAAJgaKGAAmCACQXTClHgAAAABJRU5ErkJggg=="
OPENAI = {
    "model": "gpt-4o",
    "messages": [
        {
            "role": "user",
            "content": [
                {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{B64}", "detail": "high"}},
                {"type": "text", "text": "Which option?"},
            ],
        }
    ],
    "max_tokens": 64,
}
GEMINI = {
    "contents": [
        {
            "role": "user",
            "parts": [{"inlineData": {"data": B64, "mime_type": "image/png"}}, {"text": "Which option?"}],
        }
    ],
    "generationConfig": {"temperature": 0.0, "maxOutputTokens": 64},
}
ANTHROPIC = {
    "model": "claude-x",
    "max_tokens": 64,
    "messages": [
        {
            "role": "user",
            "content": [
                {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": B64}},
                {"type": "text", "text": "Which option?"},
            ],
        }
    ],
}


async def post(url: str, body: Any, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], Any]:
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json=body, headers=headers or {}) as response,
    ):
        raw = await response.read()
        try:
            doc = json.loads(raw)
        except ValueError:
            doc = raw
        return response.status, dict(response.headers), doc


def test_three_wires_are_answered_in_their_own_shapes() -> None:
    async def go() -> None:
        async with FakeProvider(answer=lambda r: f"{r.wire}:{r.prompt}", keep_bodies=True) as fake:
            status, _, doc = await post(
                f"{fake.url}/v1/chat/completions", OPENAI, {"authorization": "Bearer sk-t"}
            )
            assert status == 200 and doc["choices"][0]["message"]["content"] == "openai:Which option?"
            assert doc["usage"]["prompt_tokens"] > 0
            status, _, doc = await post(f"{fake.url}/v1beta/models/gemini-2.5-pro:generateContent", GEMINI)
            assert doc["candidates"][0]["content"]["parts"][0]["text"] == "gemini:Which option?"
            status, _, doc = await post(f"{fake.url}/v1/messages", ANTHROPIC)
            assert doc["content"][0]["text"] == "anthropic:Which option?" and doc["stop_reason"] == "end_turn"
            seen = fake.received()
            assert [r.wire for r in seen] == ["openai", "gemini", "anthropic"]
            assert [r.model for r in seen] == ["gpt-4o", "gemini-2.5-pro", "claude-x"]
            assert all(r.images == [("image/png", B64)] for r in seen)
            assert seen[0].headers["authorization"] == "Bearer sk-t" and seen[0].body == OPENAI

    asyncio.run(go())


def test_rate_limit_answers_429_with_retry_after_in_the_wire_format() -> None:
    async def go() -> None:
        async with FakeProvider(rate_limit=RateLimit(rps=1, burst=2)) as fake:
            statuses = [await post(f"{fake.url}/v1/messages", ANTHROPIC) for _ in range(4)]
            assert [s for s, _, _ in statuses] == [200, 200, 429, 429]
            _, headers, doc = statuses[2]
            assert float(headers["Retry-After"]) >= 1 and doc["error"]["type"] == "rate_limit_error"
            assert fake.counts["limited"] == 2

    asyncio.run(go())


@pytest.mark.parametrize(
    "fault", ["quota", "server_error", "unavailable", "overloaded", "auth", "bad_request"]
)
def test_error_faults_carry_provider_statuses(fault: str) -> None:
    expected = {
        "quota": 429,
        "server_error": 500,
        "unavailable": 503,
        "overloaded": 529,
        "auth": 401,
        "bad_request": 400,
    }[fault]

    async def go() -> None:
        async with FakeProvider(faults=FailFirst(fault)) as fake:
            status, _, doc = await post(f"{fake.url}/v1/models/g:generateContent", GEMINI)
            assert status == expected and doc["error"]["code"] == expected
            status, _, _ = await post(f"{fake.url}/v1/models/g:generateContent", GEMINI)
            assert status == 200  # FailFirst: only the first sighting fails

    asyncio.run(go())


def test_body_faults() -> None:
    async def go() -> None:
        async with FakeProvider(faults=FailFirst("malformed")) as fake:
            _, _, doc = await post(f"{fake.url}/chat/completions", OPENAI)
            assert isinstance(doc, bytes)
        async with FakeProvider(faults=FailFirst("empty")) as fake:
            _, _, doc = await post(f"{fake.url}/chat/completions", OPENAI)
            assert doc["choices"] == []
        async with FakeProvider(faults=FailFirst("huge")) as fake:
            _, _, doc = await post(f"{fake.url}/chat/completions", OPENAI)
            assert len(doc["x_padding"]) >= 10 << 20 and doc["choices"][0]["message"]["content"] == "A"
        async with FakeProvider(faults=FailFirst("reset")) as fake:
            with pytest.raises(aiohttp.ClientError):
                await post(f"{fake.url}/chat/completions", OPENAI)

    asyncio.run(go())


def test_runs_from_synchronous_code_in_a_thread() -> None:
    import urllib.request

    with FakeProvider(answer=lambda r: "sync") as fake:
        request = urllib.request.Request(
            f"{fake.url}/v1/chat/completions",
            data=json.dumps(OPENAI).encode(),
            headers={"content-type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert json.loads(response.read())["choices"][0]["message"]["content"] == "sync"
        assert fake.counts["answered"] == 1


def test_unreadable_requests_get_a_400() -> None:
    async def go() -> None:
        async with FakeProvider() as fake:
            status, _, _ = await post(f"{fake.url}/v1/messages", {"model": "x", "messages": []})
            assert status == 400 and fake.counts["unreadable"] == 1

    asyncio.run(go())


def test_fault_mix_rejects_bad_rates_and_names() -> None:
    with pytest.raises(ValueError, match="unknown fault"):
        FaultMix({"gremlins": 0.1})
    with pytest.raises(ValueError, match="add up"):
        FaultMix({"hang": 0.7, "reset": 0.7})


def test_public_surface() -> None:
    assert_public_surface(
        testing,
        [
            "FakeProvider",
            "FakeBatchProvider",
            "ReceivedRequest",
            "RateLimit",
            "Answer",
            "FAULTS",
            "Fault",
            "FaultPlan",
            "FaultMix",
            "FailFirst",
            "Latency",
            "constant",
            "uniform",
            "lognormal",
            "ChatCompletionsAdapter",
            "encoded_image",
            "single_request",
        ],
    )


def test_request_helpers_build_what_the_runner_passes() -> None:
    import base64
    import hashlib

    raw = b"\x89PNG\r\n\x1a\nfake"
    image = testing.encoded_image(raw, "image/png", 8, 8)
    assert base64.b64decode(image.base64) == raw and image.sha256 == hashlib.sha256(raw).hexdigest()
    assert image.data_url.startswith("data:image/png;base64,")
    request = testing.single_request("Which option?", model="openai:gpt-4o", n_images=2)
    assert request.prompt.text == "Which option?" and len(request.images) == 2 and request.model == "openai:gpt-4o"
