"""The provider plugins through the runner against u2fast.testing: the fakes' wire formats and the
plugins' readings of them agree (answers, 429 retries, quota stops). Skipped where a plugin is absent."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from runner_support import FakeClock, make_requests

from u2fast.adapters.base import AdapterInfo, AdapterSettings
from u2fast.runner import Limits, ModelRun, RunOutcome, run_models
from u2fast.testing import FailFirst, FakeProvider

PLUGINS = [("u2fast_openai", "/v1"), ("u2fast_gemini", ""), ("u2fast_anthropic", "")]


def info_of(module: str) -> AdapterInfo:
    plugin = pytest.importorskip(module)
    return plugin.INFO  # type: ignore[no-any-return]


def run_plugin(
    module: str, suffix: str, tmp_path: Path, fault: str, times: int
) -> tuple[RunOutcome, FakeProvider]:
    info = info_of(module)
    name = f"{info.name}:{info.default_model}"

    async def go() -> tuple[RunOutcome, FakeProvider]:
        async with FakeProvider(
            answer=lambda r: f"{r.wire} says B", faults=FailFirst(fault, times), retry_after=2
        ) as fake:
            settings = AdapterSettings(
                model=info.default_model, api_key="k-test-0123456789", base_url=fake.url + suffix
            )
            adapter = info.create(settings)
            model = ModelRun(name, adapter, make_requests(4, name), Limits(concurrency=2))  # type: ignore[arg-type]
            return await run_models([model], tmp_path, clock=FakeClock()), fake

    return asyncio.run(go())


@pytest.mark.parametrize(("module", "suffix"), PLUGINS)
def test_plugin_answers_and_429_retries(module: str, suffix: str, tmp_path: Path) -> None:
    outcome, fake = run_plugin(module, suffix, tmp_path, "rate_limited", 1)
    assert fake.counts["unreadable"] == 0
    texts = {c.text for c in outcome.completions.values()}
    assert len(outcome.completions) == 4 and all(c.ok for c in outcome.completions.values())
    assert texts == {f"{fake.received()[0].wire} says B"}
    stats = next(iter(outcome.stats.values()))
    assert stats.errors == {"rate_limited": 4}
    assert all(r.images and r.images[0][0] == "image/png" for r in fake.received())


@pytest.mark.parametrize(("module", "suffix"), PLUGINS)
def test_plugin_quota_error_stops_the_model(module: str, suffix: str, tmp_path: Path) -> None:
    outcome, _ = run_plugin(module, suffix, tmp_path, "quota", 99)
    assert list(outcome.stopped.values()) == ["quota"]


def test_openai_plugin_retries_an_error_in_a_200_body_and_journals_its_message(tmp_path: Path) -> None:
    from u2fast.runner import iter_journal

    outcome, fake = run_plugin("u2fast_openai", "/v1", tmp_path, "error_in_200", 1)
    assert all(c.ok for c in outcome.completions.values()) and fake.counts["error_in_200"] == 4
    failed = [r for r in iter_journal(tmp_path / "journal.jsonl") if r.error is not None]
    assert len(failed) == 4
    assert all(r.error and r.error.kind == "overloaded" and "overloaded" in r.error.message for r in failed)
