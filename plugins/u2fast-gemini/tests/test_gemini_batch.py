"""The Gemini batch wire beyond the conformance suite's batch checks (line envelope, results): the
batch operation read, and each request against what the official SDK sends for the same batch call
(against the fake batch server)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
import u2fast_gemini
from u2fast_gemini.batch import GeminiBatchWire

from u2fast.adapters.base import AdapterSettings, EncodedImage
from u2fast.batch.wire import BatchStatus
from u2fast.testing.batches import FakeBatchProvider, send_request
from u2fast.testing.conformance import batch_wire, capture_path
from u2fast.types import HttpRequest

KEY = "g-batch-sdk-0001"
CAPTURE = capture_path(Path(__file__).parent, "gemini-batch.json")


def _wire(url: str, model: str = "gemini-2.5-pro") -> GeminiBatchWire:
    return batch_wire(u2fast_gemini.create, AdapterSettings(model=model, api_key=KEY, base_url=url), GeminiBatchWire)


def test_the_captured_batch_operation_is_read() -> None:
    capture = json.loads(CAPTURE.read_text())
    done = next(r["response"]["body"] for r in capture["requests"] if r["path"].endswith("ym") and r["method"] == "GET")
    status = _wire("http://127.0.0.1:1").parse_batch(200, {}, json.dumps(done).encode())
    assert isinstance(status, BatchStatus) and status.outcome == "completed"
    assert status.results == ("files/batch-t0dnxuhvbyk2oi5ujgvvbkmw7ts3pbpfd4ym",) and status.tag == "wire-capture-file"


def test_every_step_is_the_request_the_sdk_sends(make_request: Any, capture_png: EncodedImage) -> None:
    genai = pytest.importorskip("google.genai", reason="the google-genai SDK (test-only) is not installed")
    with FakeBatchProvider() as fake:
        wire = _wire(fake.url)
        data = wire.line("item-0001", make_request("Which option?"), (capture_png,)) + b"\n"
        step = wire.parse_upload(*send_request(wire.upload(data, "u2f-tag")), data)
        assert isinstance(step, HttpRequest) and "x-goog-api-key" not in step.headers
        file_name = wire.parse_upload(*send_request(step), data)
        assert isinstance(file_name, str) and file_name.startswith("files/")
        created = wire.parse_batch(*send_request(wire.create(file_name, "u2f-tag")))
        assert isinstance(created, BatchStatus) and created.tag == "u2f-tag"
        done = wire.parse_batch(*send_request(wire.retrieve(created.batch_id)))
        assert isinstance(done, BatchStatus) and done.outcome == "completed"
        assert dict(wire.parse_results(send_request(wire.fetch(done.results[0]))[2]))["item-0001"].text == "A"
        ours = list(fake.batch_calls)
        fake.batch_calls.clear()
        client = genai.Client(api_key=KEY, http_options=genai.types.HttpOptions(base_url=fake.url))
        uploaded = client.files.upload(file=io.BytesIO(data), config={"display_name": "u2f-tag", "mime_type": "jsonl"})
        job = client.batches.create(model="gemini-2.5-pro", src=uploaded.name, config={"display_name": "u2f-tag"})
        got = client.batches.get(name=job.name)
        client.files.download(file=got.dest.file_name)
        sdk = list(fake.batch_calls)

    def shape(calls: list[Any], ids: list[str]) -> list[tuple[str, str]]:
        out = []
        for c in calls:
            path = c.path_qs.split("?upload_id=")[0]
            for n, name in enumerate(ids):
                path = path.replace(name.split("/")[-1], f"ID{n}")
            out.append((c.method, path))
        return out

    assert shape(ours, [created.batch_id, done.results[0]]) == shape(sdk, [str(job.name), str(got.dest.file_name)])
    start_mine, start_sdk = ours[0], sdk[0]
    for header in ("x-goog-api-key", "x-goog-upload-protocol", "x-goog-upload-command",
                   "x-goog-upload-header-content-length", "x-goog-upload-header-content-type"):
        assert start_mine.headers.get(header) == start_sdk.headers.get(header), header
    assert json.loads(start_mine.body) == json.loads(start_sdk.body)
    for header in ("x-goog-upload-command", "x-goog-upload-offset", "x-goog-api-key"):
        assert ours[1].headers.get(header) == sdk[1].headers.get(header), header
    assert ours[1].body == sdk[1].body == data
    mine_create, sdk_create = json.loads(ours[2].body), json.loads(sdk[2].body)
    assert mine_create["batch"]["displayName"] == sdk_create["batch"]["displayName"] == "u2f-tag"
    assert set(mine_create["batch"]["inputConfig"]) == set(sdk_create["batch"]["inputConfig"]) == {"fileName"}
