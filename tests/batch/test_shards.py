"""Shard planning: limits by count and bytes, files on disk as they are built, stable tags."""

from __future__ import annotations

from pathlib import Path

import pytest
import u2fast_openai

from u2fast.adapters.base import AdapterSettings, Price
from u2fast.batch.shards import plan_shards
from u2fast.batch.wire import BatchLimits
from u2fast.runner.images import ImageEncoder
from u2fast.types import GenerationParams, ImageRef, Prompt, Request


def _requests(n: int) -> list[Request]:
    image = ImageRef(sha256="ab" * 32, mime="image/png", data=b"\x89PNG fake bytes")
    return [Request(key=f"{i:032x}", case_id=f"c{i}", dataset_id="BUSI", task="DD", model="openai:gpt-4.1",
                    prompt=Prompt(role="", instruction=f"question {i}", output_format=""), images=(image,),
                    params=GenerationParams(max_tokens=10)) for i in range(n)]


def _plan(tmp: Path | None, n: int, limits: BatchLimits, salt: str = "") -> list:  # type: ignore[type-arg]
    wire = u2fast_openai.create(AdapterSettings(model="gpt-4.1", api_key="sk-x")).batch_wire()  # type: ignore[attr-defined]
    requests = _requests(n)
    encoder = ImageEncoder()
    for r in requests:
        encoder.plan(r.images)
    return list(plan_shards("openai:gpt-4.1", wire, requests, encoder, tmp, price=Price(2.0, 8.0), limits=limits,
                            salt=salt))


def test_shards_respect_count_and_byte_limits_and_land_on_disk(tmp_path: Path) -> None:
    by_count = _plan(tmp_path, 10, BatchLimits(max_requests=4, max_bytes=10**9))
    assert [len(s.keys) for s in by_count] == [4, 4, 2]
    line = (tmp_path / by_count[0].path).read_bytes().splitlines()[0]
    by_bytes = _plan(tmp_path / "b", 10, BatchLimits(max_requests=100, max_bytes=3 * (len(line) + 1) + 5))
    assert [len(s.keys) for s in by_bytes] == [3, 3, 3, 1]
    for shard in by_bytes:
        data = (tmp_path / "b" / shard.path).read_bytes()
        assert len(data) == shard.bytes and data.count(b"\n") == len(shard.keys)
    assert not list((tmp_path / "b").glob("*.part"))
    assert by_count[0].max_cost == pytest.approx((by_count[0].input_tokens * 2.0 + 40 * 8.0) / 1e6)


def test_the_same_requests_give_the_same_tags_and_a_salt_new_ones(tmp_path: Path) -> None:
    limits = BatchLimits(max_requests=4, max_bytes=10**9)
    first = [s.tag for s in _plan(tmp_path / "a", 6, limits)]
    assert first == [s.tag for s in _plan(None, 6, limits)]  # a dry run writes nothing, same tags
    assert not set(first) & {s.tag for s in _plan(None, 6, limits, salt="round 2")}


def test_a_request_over_the_byte_limit_is_an_error_naming_its_case(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="case c0"):
        _plan(tmp_path, 1, BatchLimits(max_requests=10, max_bytes=50))
