"""The runner's CPU per request inside the request window, on release-layout TSVs (issue 15's goal).

Imported by ``bench_runner.py`` (``--window``); each client runs in its own process. A run writes
``cases`` phantom cases with ~64 KB PNGs (``write_sample(size=304)``) in the release layout once,
then per round:

- ``u2fast``: the eval path itself (``prepare_run`` loads the TSVs and plans the requests with their
  keys; ``build_model_runs``; ``runner.run`` with the real OpenAI plugin, a plain progress line
  and the journal), C workers;
- ``bare aiohttp``: the floor we compare with: request bodies of the same shape (the same image
  text, read from the same TSVs, and a prompt) built before the window, posted with ``aiohttp``
  (one session, C tasks), each answer read and its JSON decoded.

Both measure whole-process CPU (every thread) and wall time from the first request sent to the
last answer received. ``frac`` is the ideal window (cases x latency / C) over the measured one.
"""

from __future__ import annotations

import asyncio
import os
import resource
import tempfile
import time
from pathlib import Path
from typing import Any


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


class Window:
    """First request built to last answer parsed: wall clock and process CPU at both ends.

    The CPU is read once at each end (``getrusage`` sums every thread, which costs more than the
    rest of an answer's bookkeeping): at the ``expected``-th answer, else when the client is done.
    """

    def __init__(self, expected: int) -> None:
        self.expected = expected
        self.first: tuple[float, float] | None = None
        self.last: tuple[float, float] = (0.0, 0.0)
        self.answers = 0

    def opened(self) -> None:
        if self.first is None:
            self.first = (time.perf_counter(), _cpu())

    def answered(self) -> None:
        self.answers += 1
        if self.answers == self.expected:
            self.last = (time.perf_counter(), _cpu())

    def close(self) -> None:
        if self.answers < self.expected:  # some requests failed: the window ends when the client does
            self.last = (time.perf_counter(), _cpu())

    def result(self) -> dict[str, float]:
        assert self.first is not None
        return {"wall": self.last[0] - self.first[0], "cpu": self.last[1] - self.first[1], "answers": self.answers}


def _windowed(adapter: Any, window: Window) -> None:
    """Note the window's ends on the adapter instance (build = about to send, parse = answered)."""
    build, parse = adapter.build_request, adapter.parse_response

    def build_request(request: Any, images: Any) -> Any:
        window.opened()
        return build(request, images)

    def parse_response(status: int, headers: Any, body: bytes) -> Any:
        reply = parse(status, headers, body)
        window.answered()
        return reply

    adapter.build_request = build_request
    adapter.parse_response = parse_response


def client_u2fast(url: str, root: Path, concurrency: int, max_side: int | None = None) -> dict[str, Any]:
    import io

    from u2fast.evaluation import build_model_runs
    from u2fast.preparation import EvalOptions, prepare_run
    from u2fast.runner import Progress, run

    os.environ["OPENAI_API_KEY"] = "sk-bench-window-key"
    with tempfile.TemporaryDirectory() as tmp:
        options = EvalOptions(models=["openai:gpt-4.1"], data=str(root), base_url=f"{url}/v1",
                              concurrency=concurrency, runs_dir=Path(tmp), max_side=max_side)
        prepared = prepare_run(options)
        model_runs = build_model_runs(prepared)
        window = Window(sum(len(m.requests) for m in model_runs))
        for model_run in model_runs:
            _windowed(model_run.adapter, window)
        outcome = run(model_runs, Path(tmp) / "run", progress=Progress("plain", stream=io.StringIO()),
                      max_side=max_side)
        window.close()
    stats = next(iter(outcome.stats.values()))
    return {**window.result(), "n": stats.total, "ok": stats.ok, "failed": stats.failed}


async def _bare(url: str, bodies: list[bytes], concurrency: int, window: Window) -> int:
    import aiohttp
    import msgspec

    pending = iter(bodies)
    ok = 0
    headers = {"authorization": "Bearer sk-bench", "content-type": "application/json"}

    async def worker(session: aiohttp.ClientSession) -> None:
        nonlocal ok
        for body in pending:
            window.opened()
            async with session.post(f"{url}/v1/chat/completions", data=body, headers=headers) as response:
                answer = msgspec.json.decode(await response.read())
            window.answered()
            ok += bool(answer["choices"][0]["message"]["content"])

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
    return ok


def client_aiohttp(url: str, root: Path, concurrency: int) -> dict[str, Any]:
    import msgspec

    from u2fast.data import LoadOptions, load
    from u2fast.runner.engine import loop_factory

    bodies = []
    for case in load(str(root), LoadOptions()).cases:
        ref = case.image
        assert ref.path is not None and ref.base64
        with open(ref.path, "rb") as fh:  # the image's base64 text as the TSV holds it
            fh.seek(ref.offset)
            image = fh.read(ref.length).decode("ascii")
        bodies.append(msgspec.json.encode({
            "model": "gpt-4.1", "max_tokens": 1024, "temperature": 0.0,
            "messages": [{"role": "user", "content": [
                {"type": "image_url", "image_url": {"url": f"data:{case.image.mime};base64,{image}"}},
                {"type": "text", "text": f"{case.task} case {case.case_id}: which option? Answer with a letter."},
            ]}],
        }))
    window = Window(len(bodies))
    with asyncio.Runner(loop_factory=loop_factory()) as runner:
        ok = runner.run(_bare(url, bodies, concurrency, window))
    window.close()
    return {**window.result(), "n": len(bodies), "ok": ok, "failed": len(bodies) - ok}


def write_cases(root: Path, cases: int) -> float:
    """The release layout with ~64 KB PNGs; returns the mean image size in KB."""
    from u2fast.data import write_sample

    write_sample(root, cases, seed=0, size=304, include_pydicom_data=False)
    sizes = []
    from u2fast.data import LoadOptions, load

    for case in load(str(root), LoadOptions()).cases:
        sizes.append(case.image.length * 3 / 4)
    return sum(sizes) / len(sizes) / 1024
