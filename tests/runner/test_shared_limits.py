"""Models of one provider endpoint share its in-flight limit and rate buckets (issue 4: per provider),
counted at the fake provider."""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path

from u2fast.runner import Limits, ModelRun, endpoint_group, run_models
from u2fast.testing import ChatCompletionsAdapter, FakeProvider

from .runner_support import make_requests


def _runs(url: str, keys: tuple[str | None, str | None], per_model: Limits, shared: Limits | None, n: int) -> list[ModelRun]:
    runs = []
    for name, key in zip(("fakeopenai:m1", "fakeopenai:m2"), keys):
        adapter = ChatCompletionsAdapter(url, model=name.split(":")[1])
        runs.append(
            ModelRun(name, adapter, make_requests(n, name), per_model, endpoint_group=key, provider_limits=shared)
        )
    return runs


async def _serve(tmp: Path, keys: tuple[str | None, str | None], per_model: Limits, shared: Limits | None,
                 n: int = 12, latency: float = 0.15) -> FakeProvider:
    async with FakeProvider(latency=latency) as fake:
        outcome = await run_models(_runs(fake.url, keys, per_model, shared, n), tmp)
    assert sum(s.ok for s in outcome.stats.values()) == 2 * n
    return fake


def test_two_models_on_one_key_never_exceed_the_shared_concurrency(tmp_path: Path) -> None:
    key = endpoint_group("fakeopenai", "http://127.0.0.1/v1", "sk-one")
    fake = asyncio.run(_serve(tmp_path, (key, key), Limits(concurrency=4), Limits(concurrency=4)))
    assert fake.peak_in_flight == 4  # 8 workers, 4 slots


def test_without_provider_limits_the_group_shares_its_models_own_concurrency(tmp_path: Path) -> None:
    key = endpoint_group("fakeopenai", "http://127.0.0.1/v1", "sk-one")
    fake = asyncio.run(_serve(tmp_path, (key, key), Limits(concurrency=3), None))
    assert fake.peak_in_flight == 3


def test_a_model_may_be_held_tighter_than_its_endpoint(tmp_path: Path) -> None:
    key = endpoint_group("fakeopenai", "http://127.0.0.1/v1", "sk-one")
    runs_per_model = [Limits(concurrency=1), Limits(concurrency=6)]

    async def go() -> FakeProvider:
        async with FakeProvider(latency=0.15) as fake:
            runs = _runs(fake.url, (key, key), Limits(), Limits(concurrency=4), 12)
            for run_, limits in zip(runs, runs_per_model):
                run_.limits = limits
            await run_models(runs, tmp_path)
        return fake

    fake = asyncio.run(go())
    assert fake.peak_in_flight == 4
    # the first model never had more than one request in flight: its arrivals never overlap by much
    first = sorted(r.at for r in fake.received(fault=None) if r.model == "m1")
    assert len(first) == 12 and all(b - a >= 0.1 for a, b in itertools.pairwise(first))


def test_separate_keys_do_not_share(tmp_path: Path) -> None:
    keys = (
        endpoint_group("fakeopenai", "http://127.0.0.1/v1", "sk-one"),
        endpoint_group("fakeopenai", "http://127.0.0.1/v1", "sk-two"),
    )
    fake = asyncio.run(_serve(tmp_path, keys, Limits(concurrency=4), Limits(concurrency=4)))
    assert fake.peak_in_flight > 4


def test_models_without_a_key_are_groups_of_their_own(tmp_path: Path) -> None:
    fake = asyncio.run(_serve(tmp_path, (None, None), Limits(concurrency=4), None))
    assert fake.peak_in_flight > 4


def test_two_models_on_one_key_share_the_request_rate(tmp_path: Path) -> None:
    key = endpoint_group("fakeopenai", "http://127.0.0.1/v1", "sk-one")
    shared = Limits(concurrency=30, rpm=600.0)  # 10 per second, a burst of 10
    fake = asyncio.run(_serve(tmp_path, (key, key), Limits(concurrency=30), shared, n=15, latency=0.0))
    arrivals = sorted(r.at for r in fake.received())
    # 30 requests at 10/s after a burst of 10: never faster than the shared rate (each model alone
    # would have been allowed all of its 15 within 0.5 s)
    assert arrivals[-1] - arrivals[0] >= 0.9 * (30 - 10) / 10


def test_the_key_hides_the_api_key_and_tells_endpoints_apart() -> None:
    a = endpoint_group("openai", "https://api.openai.com/v1", "sk-secret-123")
    assert "sk-secret-123" not in a and a.startswith("openai:")
    assert a == endpoint_group("openai", "https://api.openai.com/v1", "sk-secret-123")
    assert a != endpoint_group("openai", "https://proxy.example/v1", "sk-secret-123")
    assert a != endpoint_group("openai", "https://api.openai.com/v1", "sk-other")
    assert a != endpoint_group("gemini", "https://api.openai.com/v1", "sk-secret-123")
