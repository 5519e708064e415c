from __future__ import annotations

import asyncio

from u2fast.adapters.random_baseline import RandomAdapter
from u2fast.types import GenerationParams, ImageRef, Prompt, Request
from u2fast.u2bench.scenarios import SCENARIOS


def _request(task: str, ds: str, case_id: str) -> Request:
    return Request(key=case_id, case_id=case_id, dataset_id=ds, task=task, model="random:uniform",  # type: ignore[arg-type]
                   prompt=Prompt("r", "i", "o"), images=(ImageRef(sha256="x", mime="image/png"),),
                   params=GenerationParams())


def test_answers_are_valid_for_every_scenario() -> None:
    adapter = RandomAdapter(seed=3)
    for sc in SCENARIOS:
        for i in range(20):
            reply = asyncio.run(adapter.generate(_request(sc.task, sc.dataset_id, f"{sc.key}/{i}"), ()))
            assert reply.error is None and reply.text
            if sc.task == "CVE":
                value = float(reply.text)
                assert sc.low <= value <= sc.high
                if sc.integer:
                    assert reply.text.isdigit()
            elif sc.task not in ("RG", "CG"):
                assert reply.text in sc.options


def test_seeded_and_order_independent() -> None:
    a, b, c = RandomAdapter(seed=1), RandomAdapter(seed=1), RandomAdapter(seed=2)
    ids = [f"DD/21/{i}" for i in range(50)]
    first = [a.answer(_request("DD", "21", i)) for i in ids]
    second = [b.answer(_request("DD", "21", i)) for i in reversed(ids)][::-1]
    other = [c.answer(_request("DD", "21", i)) for i in ids]
    assert first == second
    assert first != other
    assert set(first) == {"benign", "malignant"}  # uniform over both options, both occur in 50 draws
