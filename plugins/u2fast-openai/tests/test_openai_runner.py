"""End to end: the adapter driven by u2fast's runner against the fake OpenAI server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import hashlib
import io
from pathlib import Path
from typing import Any

import msgspec
import u2fast_openai
from PIL import Image

from u2fast.adapters.base import AdapterSettings
from u2fast.runner import Limits, ModelRun, RunOutcome, read_journal, request_key, run_models
from u2fast.testing import FailFirst, FakeProvider, FaultPlan, ReceivedRequest
from u2fast.types import Completion, GenerationParams, ImageRef, Prompt, Request

KEY = "sk-e2e-secret-key-0001"
MODEL = "gpt-4.1"



def _lower(headers: dict[str, str]) -> dict[str, str]:
    """Header names are case-insensitive; the transport decides how they travel."""
    return {k.lower(): v for k, v in headers.items()}

def _png(shade: int) -> ImageRef:
    buffer = io.BytesIO()
    Image.new("L", (16, 12), shade).save(buffer, format="PNG")
    raw = buffer.getvalue()
    return ImageRef(sha256=hashlib.sha256(raw).hexdigest(), mime="image/png", data=raw, width=16, height=12)


def _requests(n: int) -> list[Request]:
    params = GenerationParams(temperature=0.0, max_tokens=32, seed=1)
    out = []
    for i in range(n):
        prompt = Prompt(role="", instruction=f"Case {i}: benign or malignant?", output_format="")
        image = _png(10 * i)
        key = request_key("openai", MODEL, params, prompt, [image.sha256])
        out.append(Request(key, f"case-{i}", "BUSI", "DD", f"openai:{MODEL}", prompt, (image,), params))
    return out


def _answer(request: ReceivedRequest) -> str:
    return "malignant" if request.prompt.startswith("Case 1:") else "benign"


def _run(tmp_path: Path, requests: list[Request], faults: FaultPlan | None = None) -> tuple[RunOutcome, list[ReceivedRequest]]:
    async def go() -> tuple[RunOutcome, list[ReceivedRequest]]:
        async with FakeProvider(answer=_answer, faults=faults, retry_after=0.01) as fake:
            adapter = u2fast_openai.create(AdapterSettings(model=MODEL, api_key=KEY, base_url=f"{fake.url}/v1"))
            run = ModelRun(f"openai:{MODEL}", adapter, requests, Limits(concurrency=4, max_attempts=3))
            outcome = await run_models([run], tmp_path, seed=0)
            return outcome, fake.received()

    return asyncio.run(go())


def _journal_lines(tmp_path: Path) -> list[Completion]:
    raw = (tmp_path / "journal.jsonl").read_bytes()
    return [msgspec.json.decode(line, type=Completion) for line in raw.splitlines() if line.strip()]


def test_every_request_answered_after_a_rate_limit_and_journalled(tmp_path: Path) -> None:
    requests = _requests(5)
    outcome, received = _run(tmp_path, requests, faults=FailFirst("rate_limited", 1, only="Case 1:"))

    assert not outcome.stopped
    journal = read_journal(tmp_path / "journal.jsonl")
    assert set(journal) == {r.key for r in requests}
    by_case = {c.case_id: c for c in journal.values()}
    assert all(c.ok for c in by_case.values())
    assert by_case["case-1"].text == "malignant" and by_case["case-0"].text == "benign"
    assert by_case["case-1"].attempt == 2 and by_case["case-0"].attempt == 1
    assert all(c.response_model == MODEL and c.fingerprint == "fp_fake" for c in by_case.values())
    assert all(c.usage.input_tokens > 0 and c.usage.output_tokens > 0 for c in by_case.values())

    # Case 1 was first turned away (429), journalled as rate_limited, then answered.
    records = _journal_lines(tmp_path)
    assert [(r.case_id, r.error.kind) for r in records if r.error is not None] == [("case-1", "rate_limited")]
    assert len(received) == 6
    answered = [r for r in received if r.fault is None]
    assert all(_lower(r.headers)["authorization"] == f"Bearer {KEY}" for r in answered)
    assert all(r.images[0][0] == "image/png" and r.path == "/v1/chat/completions" for r in answered)
    assert KEY.encode() not in (tmp_path / "journal.jsonl").read_bytes()


def test_spent_quota_stops_the_model_without_retrying(tmp_path: Path) -> None:
    def always_quota(request: ReceivedRequest, rng: Any) -> str:
        return "quota"

    requests = _requests(6)
    outcome, received = _run(tmp_path, requests, faults=always_quota)

    assert f"openai:{MODEL}" in outcome.stopped
    records = _journal_lines(tmp_path)
    assert records and all(r.error is not None and r.error.kind == "quota_exhausted" for r in records)
    assert len(received) < 6 * 3  # not every request retried to the attempt limit


def test_a_key_echoed_by_the_server_never_reaches_the_journal(tmp_path: Path) -> None:
    outcome, _ = _run(tmp_path, _requests(2), faults=lambda request, rng: "echo_key")

    assert f"openai:{MODEL}" in outcome.stopped  # a rejected key stops the model

    records = _journal_lines(tmp_path)
    assert records and all(r.error is not None and r.error.kind == "auth" for r in records)
    assert "Incorrect API key" in records[0].error.message  # type: ignore[union-attr]
    assert KEY.encode() not in (tmp_path / "journal.jsonl").read_bytes()
