"""Engine behaviour beyond error classes: local adapters, images, budget, resume, dedupe, progress."""

from __future__ import annotations

import asyncio
import base64
import io
from collections.abc import Sequence
from pathlib import Path

import msgspec
import pytest
from PIL import Image
from runner_support import MODEL, FakeClock, image_ref, make_requests, png

from u2fast.adapters.base import EncodedImage, Price, Reply
from u2fast.runner import Limits, ModelRun, Progress, estimate_run, iter_journal, run_models
from u2fast.runner.progress import ProgressMode
from u2fast.testing import ChatCompletionsAdapter, FakeProvider
from u2fast.types import ApiError, GenerationParams, Request, Usage


class EchoLocal:
    """A local adapter that records the images it was given and answers with the image's MIME type."""

    name = "echo"

    def __init__(self, model: str = "echo", fail_on: str | None = None) -> None:
        self.model = model
        self.fail_on = fail_on
        self.seen: list[tuple[str, tuple[EncodedImage, ...]]] = []

    async def generate(self, request: Request, images: Sequence[EncodedImage]) -> Reply:
        self.seen.append((request.case_id, tuple(images)))
        if self.fail_on is not None and request.case_id == self.fail_on:
            return Reply(error=ApiError(kind="content_filtered", message="no"), text="should not be kept")
        return Reply(
            text=images[0].mime if images else "none", usage=Usage(input_tokens=100, output_tokens=10)
        )


def run(models: list[ModelRun], run_dir: Path, **kw: object) -> object:
    return asyncio.run(run_models(models, run_dir, clock=FakeClock(), **kw))  # type: ignore[arg-type]


def test_local_adapter_gets_original_bytes_once_encoded_and_shared_across_models(tmp_path: Path) -> None:
    jpeg = io.BytesIO()
    Image.new("RGB", (40, 20), (10, 20, 30)).save(jpeg, "JPEG")
    refs = [image_ref(jpeg.getvalue(), "image/jpeg"), image_ref(png(1))]
    a, b = EchoLocal("a"), EchoLocal("b")
    runs = [
        ModelRun("echo:a", a, make_requests(6, "echo:a", images=refs), Limits(concurrency=2)),
        ModelRun("echo:b", b, make_requests(6, "echo:b", images=refs), Limits(concurrency=2)),
    ]
    outcome = run(runs, tmp_path)
    images = {img.sha256: img for _, imgs in a.seen + b.seen for img in imgs}
    assert base64.b64decode(images[refs[0].sha256].base64) == jpeg.getvalue()
    assert images[refs[0].sha256].mime == "image/jpeg" and images[refs[0].sha256].width == 40
    assert sorted(c.text for c in outcome.completions.values()) == ["image/jpeg"] * 6 + ["image/png"] * 6  # type: ignore[attr-defined]
    # Two distinct images, twelve requests: each image encoded only as often as the cache let go of it.
    ids = {id(img) for _, imgs in a.seen + b.seen for img in imgs}
    assert len(ids) < 12


def test_max_side_shrinks_large_images_only(tmp_path: Path) -> None:
    big = io.BytesIO()
    Image.new("RGB", (400, 200), (1, 2, 3)).save(big, "PNG")
    adapter = EchoLocal()
    refs = [image_ref(big.getvalue()), image_ref(png(2))]
    run([ModelRun("echo:echo", adapter, make_requests(2, "echo:echo", images=refs))], tmp_path, max_side=100)
    sizes = {
        case: Image.open(io.BytesIO(base64.b64decode(imgs[0].base64))).size for case, imgs in adapter.seen
    }
    assert sizes == {"c0000": (100, 50), "c0001": (8, 8)}


def test_replay_style_adapter_gets_no_images(tmp_path: Path) -> None:
    adapter = EchoLocal()
    broken = image_ref(b"")  # never read
    broken = msgspec.structs.replace(broken, data=None, path=str(tmp_path / "missing.png"))
    run(
        [ModelRun("echo:echo", adapter, make_requests(2, "echo:echo", images=[broken]), needs_images=False)],
        tmp_path,
    )
    assert all(imgs == () for _, imgs in adapter.seen)


def test_unreadable_image_is_a_final_error_not_a_crash(tmp_path: Path) -> None:
    ref = msgspec.structs.replace(image_ref(b""), data=None, path=str(tmp_path / "missing.png"))
    outcome = run([ModelRun("echo:echo", EchoLocal(), make_requests(2, "echo:echo", images=[ref]))], tmp_path)
    errors = [c.error for c in outcome.completions.values()]  # type: ignore[attr-defined]
    assert all(e is not None and e.kind == "bad_request" and "missing.png" in e.message for e in errors)


def test_an_error_reply_is_never_stored_as_text(tmp_path: Path) -> None:
    outcome = run(
        [ModelRun("echo:echo", EchoLocal(fail_on="c0001"), make_requests(3, "echo:echo"))], tmp_path
    )
    bad = [c for c in outcome.completions.values() if c.case_id == "c0001"]  # type: ignore[attr-defined]
    assert bad[0].text is None and bad[0].error.kind == "content_filtered"


def test_resume_sends_only_what_is_missing_or_failed(tmp_path: Path) -> None:
    requests = make_requests(5, "echo:echo")
    first = EchoLocal(fail_on="c0002")
    run([ModelRun("echo:echo", first, requests)], tmp_path)
    second = EchoLocal()
    outcome = run([ModelRun("echo:echo", second, requests)], tmp_path)
    assert [case for case, _ in second.seen] == ["c0002"]
    assert all(c.ok for c in outcome.completions.values())  # type: ignore[attr-defined]
    assert outcome.stats["echo:echo"].already_done == 4  # type: ignore[attr-defined]
    attempts = [r.attempt for r in iter_journal(tmp_path / "journal.jsonl") if r.case_id == "c0002"]
    assert attempts == [1, 2]  # attempt numbers carry on across runs


def test_duplicate_keys_are_sent_once(tmp_path: Path) -> None:
    requests = make_requests(3, "echo:echo")
    adapter = EchoLocal()
    run([ModelRun("echo:echo", adapter, requests + requests)], tmp_path)
    assert len(adapter.seen) == 3


def test_max_cost_stops_spending(tmp_path: Path) -> None:
    async def go() -> object:
        async with FakeProvider(answer=lambda r: "x" * 400) as fake:
            adapter = ChatCompletionsAdapter(fake.url)
            price = Price(input=200.0, output=200.0)  # about $0.04 per call here
            requests = make_requests(40, params=GenerationParams(max_tokens=50))
            run_ = ModelRun(MODEL, adapter, requests, Limits(concurrency=2), price=price)
            out = await run_models([run_], tmp_path, clock=FakeClock(), max_cost=1.0)
            return out, fake.counts["requests"]

    outcome, sent = asyncio.run(go())
    assert outcome.stopped == {MODEL: "budget"}  # type: ignore[attr-defined]
    assert outcome.cost <= 1.0  # type: ignore[attr-defined]
    assert 3 <= sent < 40


class CountingEstimates(ChatCompletionsAdapter):
    """Counts the token estimates the engine asks for."""

    estimates = 0

    def estimate_tokens(self, request: Request, images: Sequence[EncodedImage]) -> int:
        self.estimates += 1
        return int(super().estimate_tokens(request, images))


@pytest.mark.parametrize(("max_cost", "tpm", "expected"), [(None, None, 0), (100.0, None, 6), (None, 1e9, 6)])
def test_requests_are_estimated_only_for_a_budget_or_a_token_rate(
    tmp_path: Path, max_cost: float | None, tpm: float | None, expected: int
) -> None:
    async def go() -> CountingEstimates:
        async with FakeProvider() as fake:
            adapter = CountingEstimates(fake.url)
            run_ = ModelRun(MODEL, adapter, make_requests(6), Limits(concurrency=2, tpm=tpm),
                            price=Price(input=2.0, output=8.0))
            outcome = await run_models([run_], tmp_path, clock=FakeClock(), max_cost=max_cost)
            assert outcome.stats[MODEL].ok == 6
            estimated = outcome.stats[MODEL].estimated_input_tokens
            # not estimated is None, never a 0 that reads as "estimated at zero tokens"
            assert (estimated is not None and estimated > 0) if expected else estimated is None
        return adapter

    # a price alone (no --max-cost) holds nothing back: no estimate per request
    assert asyncio.run(go()).estimates == expected


def test_dry_run_counts_what_would_be_sent(tmp_path: Path) -> None:
    adapter = ChatCompletionsAdapter("http://127.0.0.1:9")
    requests = make_requests(4)
    model = ModelRun(MODEL, adapter, requests, price=Price(input=2.0, output=8.0))
    first = estimate_run([model], tmp_path)[0]
    assert first.requests == 4 and first.already_done == 0
    assert first.input_tokens == sum(adapter.estimate_tokens(r, [None]) for r in requests)  # type: ignore[list-item]
    assert first.max_output_tokens == 4 * 1024
    assert first.max_cost == (first.input_tokens * 2.0 + first.max_output_tokens * 8.0) / 1e6
    run([ModelRun(MODEL.replace("fakeopenai", "echo"), EchoLocal(), [])], tmp_path)  # nothing to do is fine


def progress_of_echo_run(run_dir: Path, mode: ProgressMode) -> str:
    """What ``Progress(mode)`` writes while three echo requests run."""
    stream = io.StringIO()
    run(
        [ModelRun("echo:echo", EchoLocal(), make_requests(3, "echo:echo"))],
        run_dir,
        progress=Progress(mode, stream=stream),
    )
    return stream.getvalue()


def test_plain_progress_reports_each_model(tmp_path: Path) -> None:
    text = progress_of_echo_run(tmp_path, "plain")
    assert "echo:echo: 3/3 done, 3 ok" in text and "tokens 300+30" in text
    assert progress_of_echo_run(tmp_path, "quiet") == ""


def test_rich_progress_renders_to_its_stream(tmp_path: Path) -> None:
    text = progress_of_echo_run(tmp_path, "rich")
    assert "echo:echo" in text and "3/3" in text


def test_image_cache_holds_only_images_still_wanted_and_stays_under_its_cap() -> None:
    from u2fast.runner.images import ImageEncoder

    refs = [image_ref(png(i, size=64)) for i in range(6)]
    encoder = ImageEncoder(max_bytes=2 * len(encode(refs[0])))
    encoder.plan(refs * 2)  # two models, each wants every image once
    for ref in refs:  # the first model goes through all of them
        encoder.acquire((ref,))
        encoder.release((ref,))
        assert encoder.cached_bytes <= encoder.max_bytes
    for ref in refs:  # the second one finds the most recent ones still encoded
        encoder.acquire((ref,))
        encoder.release((ref,))
    assert encoder.cached_bytes == 0  # nobody wants any of them any more
    assert 6 < encoder.encoded < 12


def encode(ref: object) -> str:
    from u2fast.runner.images import encode_image

    return encode_image(ref).base64  # type: ignore[arg-type]


class Flaky:
    name = "flaky"
    model = "flaky"

    def __init__(self) -> None:
        self.calls = 0

    async def generate(self, request: Request, images: Sequence[EncodedImage]) -> Reply:
        self.calls += 1
        if self.calls == 1:
            raise RuntimeError("adapter bug")
        return Reply(text="ok")


def test_an_adapter_exception_is_a_journalled_error_not_a_crash(tmp_path: Path) -> None:
    outcome = run(
        [ModelRun("flaky:flaky", Flaky(), make_requests(1, "flaky:flaky"), Limits(concurrency=1))], tmp_path
    )
    assert all(c.ok for c in outcome.completions.values())  # type: ignore[attr-defined]
    first = next(iter_journal(tmp_path / "journal.jsonl"))
    assert first.error is not None and "adapter bug" in first.error.message


@pytest.mark.timeout(60)
def test_a_stop_cuts_short_the_retry_waits_of_that_model(tmp_path: Path) -> None:
    class EndlessWaits(FakeClock):
        """Retry waits never end by themselves: the run can only finish if the stop ends them."""

        async def sleep(self, seconds: float) -> None:
            self.sleeps.append(seconds)
            await asyncio.Event().wait()

    async def go() -> object:
        # c0000 gets a 429 asking for 60 s; c0001 then finds the daily quota spent.
        def plan(request: object, rng: object) -> str | None:
            prompt = request.prompt  # type: ignore[attr-defined]
            return "rate_limited" if "c0000" in prompt else ("quota" if "c0001" in prompt else None)

        async with FakeProvider(faults=plan, retry_after=60, latency=0.2) as fake:
            adapter = ChatCompletionsAdapter(fake.url)
            return await run_models(
                [ModelRun(MODEL, adapter, make_requests(2), Limits(concurrency=2))],
                tmp_path,
                clock=EndlessWaits(),
            )

    outcome = asyncio.run(go())
    assert outcome.stopped == {MODEL: "quota"}  # type: ignore[attr-defined]


def test_fast_and_standard_base64_agree() -> None:
    from u2fast.runner import images

    data = png(5, size=32) * 7
    assert images._b64(data) == base64.b64encode(data)


def test_the_sync_run_never_formats_its_outcome(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """asyncio.Runner formats the main task's repr, result included, when it restores the SIGINT
    handler; the outcome (every Completion) must not be that result."""
    from u2fast.runner import run as run_sync
    from u2fast.runner.model_run import RunOutcome

    formatted: list[int] = []
    monkeypatch.setattr(RunOutcome, "__repr__", lambda self: formatted.append(1) or "RunOutcome(...)")
    outcome = run_sync([ModelRun("echo:echo", EchoLocal(), make_requests(3, "echo:echo"))], tmp_path)
    assert len(outcome.completions) == 3 and formatted == []
