"""u2fast.testing.batches, the fake batch endpoints themselves: results out of order, counters, and a 429 on create."""

from __future__ import annotations

import u2fast_openai

from u2fast.adapters.base import AdapterSettings
from u2fast.testing import single_request
from u2fast.testing.batches import FakeBatchProvider, send_request


def test_results_come_out_of_order_and_creates_are_counted() -> None:
    with FakeBatchProvider(answer=lambda r: r.prompt[-2:], create_429=1) as fake:
        adapter = u2fast_openai.create(AdapterSettings(model="gpt-4.1", api_key="sk-x", base_url=f"{fake.url}/v1"))
        wire = adapter.batch_wire()  # type: ignore[attr-defined]
        ids = [f"id-{i:02d}" for i in range(20)]
        data = b"".join(wire.line(i, single_request(f"q {i[-2:]}", model="openai:gpt-4.1", n_images=0), ()) + b"\n"
                        for i in ids)
        file_id = wire.parse_upload(*send_request(wire.upload(data, "t")), data)
        refused = wire.parse_batch(*send_request(wire.create(file_id, "t")))
        assert getattr(refused, "kind", None) == "rate_limited"
        status = wire.parse_batch(*send_request(wire.create(file_id, "t")))
        done = wire.parse_batch(*send_request(wire.retrieve(status.batch_id)))  # type: ignore[union-attr]
        results = list(wire.parse_results(send_request(wire.fetch(done.results[0]))[2]))  # type: ignore[union-attr]
        assert fake.batch_counts["uploads"] == 1 and fake.batch_counts["creates"] == 1
        assert fake.batch_counts["creates_refused"] == 1
    assert [cid for cid, _ in results] != ids and sorted(cid for cid, _ in results) == ids
    assert all(reply.text == cid[-2:] for cid, reply in results)  # each answer under its own id
