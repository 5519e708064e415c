"""The Anthropic batch wire: the sync body as each request's params, results joined by id, and
each request against what the official SDK sends for the same batch call (against the fake)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import u2fast_anthropic
from u2fast_anthropic.batch import AnthropicBatchWire

from u2fast.adapters.base import AdapterSettings, EncodedImage
from u2fast.batch.wire import BatchStatus
from u2fast.testing.batches import FakeBatchProvider, captured_results, send_request
from u2fast.testing.conformance import batch_wire, capture_path

KEY = "sk-ant-batch-sdk-01"
CAPTURE = capture_path(Path(__file__).parent, "anthropic-batch.json")


def _wire(url: str, model: str = "claude-3-7-sonnet-20250219") -> AnthropicBatchWire:
    return batch_wire(u2fast_anthropic.create, AdapterSettings(model=model, api_key=KEY, base_url=url), AnthropicBatchWire)


def test_params_are_the_sync_body_byte_for_byte(make_request: Any, capture_png: EncodedImage) -> None:
    wire = _wire("http://127.0.0.1:1")
    request = make_request("Which option?")
    body = wire.adapter.build_request(request, (capture_png,)).body
    line = wire.line("item-0001", request, (capture_png,))
    assert line == b'{"custom_id":"item-0001","params":' + body + b"}"
    create = wire.create(line + b"\n" + line + b"\n", "tag")
    assert create.body == b'{"requests":[' + line + b"," + line + b"]}"


def test_results_of_the_capture_are_joined_by_id_and_classified() -> None:
    capture = json.loads(CAPTURE.read_text())
    replies = dict(_wire("http://127.0.0.1:1").parse_results(captured_results(capture, reverse=True)))
    assert replies["item-0001"].text == "B"
    kinds = {k: r.error.kind for k, r in replies.items() if r.error is not None}
    assert kinds == {"item-0002": "bad_request", "item-0003": "cancelled", "item-0004": "batch_expired"}


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
