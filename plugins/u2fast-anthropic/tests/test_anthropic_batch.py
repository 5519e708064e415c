"""The Anthropic batch wire beyond the conformance suite's batch checks (line envelope, results):
the create body that carries the lines, and each request against what the official SDK sends for
the same batch call (against the fake)."""

from __future__ import annotations

import json
from typing import Any

import pytest
import u2fast_anthropic
from u2fast_anthropic.batch import AnthropicBatchWire

from u2fast.adapters.base import AdapterSettings, EncodedImage
from u2fast.batch.wire import BatchStatus
from u2fast.testing.batches import FakeBatchProvider, send_request
from u2fast.testing.conformance import batch_wire

KEY = "sk-ant-batch-sdk-01"


def _wire(url: str, model: str = "claude-3-7-sonnet-20250219") -> AnthropicBatchWire:
    return batch_wire(u2fast_anthropic.create, AdapterSettings(model=model, api_key=KEY, base_url=url), AnthropicBatchWire)


def test_the_create_body_carries_the_shards_lines(make_request: Any, capture_png: EncodedImage) -> None:
    # each line is the sync body in its envelope (the conformance suite's batch_line check)
    wire = _wire("http://127.0.0.1:1")
    line = wire.line("item-0001", make_request("Which option?"), (capture_png,))
    create = wire.create(line + b"\n" + line + b"\n", "tag")
    assert create.body == b'{"requests":[' + line + b"," + line + b"]}"


def test_every_step_is_the_request_the_sdk_sends(make_request: Any, capture_png: EncodedImage) -> None:
    anthropic = pytest.importorskip("anthropic", reason="the anthropic SDK (test-only) is not installed")
    with FakeBatchProvider() as fake:
        wire = _wire(fake.url)
        line = wire.line("item-0001", make_request("Which option?"), (capture_png,))
        created = wire.parse_batch(*send_request(wire.create(line + b"\n", "tag")))
        assert isinstance(created, BatchStatus) and created.batch_id.startswith("msgbatch_")
        done = wire.parse_batch(*send_request(wire.retrieve(created.batch_id)))
        assert isinstance(done, BatchStatus) and done.outcome == "completed"
        assert dict(wire.parse_results(send_request(wire.fetch(done.results[0]))[2]))["item-0001"].text == "A"
        ours = list(fake.batch_calls)
        fake.batch_calls.clear()
        client = anthropic.Anthropic(api_key=KEY, base_url=fake.url, max_retries=0)
        params = json.loads(wire.adapter.build_request(make_request("Which option?"), (capture_png,)).body)
        batch = client.messages.batches.create(requests=[{"custom_id": "item-0001", "params": params}])
        client.messages.batches.retrieve(batch.id)
        list(client.messages.batches.results(batch.id))
        sdk = list(fake.batch_calls)
    # the SDK's results() retrieves the batch again before it fetches results_url
    sdk = [sdk[0], sdk[1], sdk[3]]
    assert [(c.method, c.path_qs.replace(batch.id, "ID")) for c in sdk] == \
        [(c.method, c.path_qs.replace(created.batch_id, "ID")) for c in ours]
    for mine, theirs in zip(ours, sdk):
        for header in ("authorization", "anthropic-version", "accept"):
            assert mine.headers.get(header) == theirs.headers.get(header), header
    assert json.loads(ours[0].body) == json.loads(sdk[0].body)
