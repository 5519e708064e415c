"""The OpenAI batch wire beyond the conformance suite's batch checks (line envelope, results): each
request against what the official SDK sends for the same batch call (driven against the fake batch
server)."""

from __future__ import annotations

import json
from typing import Any

import pytest
import u2fast_openai
from u2fast_openai.batch import OpenAIBatchWire

from u2fast.adapters.base import AdapterSettings, EncodedImage
from u2fast.batch.wire import BatchStatus
from u2fast.testing.batches import FakeBatchProvider, multipart_parts, send_request
from u2fast.testing.conformance import batch_wire

KEY = "sk-batch-sdk-0001"


def _wire(url: str, model: str = "gpt-4o", **options: Any) -> OpenAIBatchWire:
    settings = AdapterSettings(model=model, api_key=KEY, base_url=f"{url}/v1", options=options)
    return batch_wire(u2fast_openai.create, settings, OpenAIBatchWire)


def test_every_step_is_the_request_the_sdk_sends(make_request: Any, capture_png: EncodedImage) -> None:
    openai = pytest.importorskip("openai", reason="the openai SDK (test-only) is not installed")
    with FakeBatchProvider(processing_s=0.0) as fake:
        wire = _wire(fake.url, detail="high")
        data = wire.line("item-0001", make_request("Which option?"), (capture_png,)) + b"\n"
        # ours: upload, create, retrieve, results, delete
        file_id = wire.parse_upload(*send_request(wire.upload(data, "u2f-tag")), data)
        assert isinstance(file_id, str)
        status = wire.parse_batch(*send_request(wire.create(file_id, "u2f-tag")))
        assert isinstance(status, BatchStatus) and status.tag == "u2f-tag"
        done = wire.parse_batch(*send_request(wire.retrieve(status.batch_id)))
        assert isinstance(done, BatchStatus) and done.outcome == "completed" and done.results
        results = dict(wire.parse_results(send_request(wire.fetch(done.results[0]))[2]))
        assert results["item-0001"].text == "A"
        send_request(wire.delete_file(file_id))
        ours = list(fake.batch_calls)
        fake.batch_calls.clear()
        # the SDK's same calls
        client = openai.OpenAI(api_key=KEY, base_url=f"{fake.url}/v1", max_retries=0)
        uploaded = client.files.create(file=("u2f-tag.jsonl", data, "application/jsonl"), purpose="batch")
        batch = client.batches.create(input_file_id=uploaded.id, endpoint="/v1/chat/completions",
                                      completion_window="24h", metadata={"u2fast_shard": "u2f-tag"})
        got = client.batches.retrieve(batch.id)
        assert got.output_file_id is not None
        client.files.content(got.output_file_id)
        client.files.delete(uploaded.id)
        sdk = list(fake.batch_calls)
    assert [(c.method, c.path_qs.split("/")[2]) for c in ours] == [(c.method, c.path_qs.split("/")[2]) for c in sdk]
    for mine, theirs in zip(ours, sdk):
        assert mine.headers["authorization"] == theirs.headers["authorization"]
        assert mine.headers.get("accept") == theirs.headers.get("accept")
    assert multipart_parts(ours[0].body, ours[0].headers["content-type"]) == multipart_parts(sdk[0].body, sdk[0].headers["content-type"])
    assert "filename=\"u2f-tag.jsonl\"" in ours[0].body.decode(errors="replace")
    mine_create, sdk_create = json.loads(ours[1].body), json.loads(sdk[1].body)
    assert list(mine_create) == list(sdk_create)  # key order included
    assert {**mine_create, "input_file_id": None} == {**sdk_create, "input_file_id": None}
