"""What the conformance kit's end-to-end tests run: requests with real image bytes, the plugin driven
by u2fast's runner against ``FakeProvider``, the journal read back, and a clean environment for the
real ``u2fast`` command (the plugin's own variables removed, so that only what a test sets is seen)."""

from __future__ import annotations

import asyncio
import hashlib
import io
import os
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from ..adapters.base import AdapterInfo, AdapterSettings
from ..runfolder.layout import JOURNAL
from ..types import Completion, GenerationParams, ImageRef, Prompt, Request

if TYPE_CHECKING:
    from ..runner import RunOutcome
    from .conformance import PluginUnderTest
    from .faults import FaultPlan
    from .server import ReceivedRequest

__all__ = ["cli_env", "journal_records", "run_against_fake", "runner_requests"]


def _png(shade: int) -> ImageRef:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (16, 12), shade).save(buffer, format="PNG")
    raw = buffer.getvalue()
    return ImageRef(sha256=hashlib.sha256(raw).hexdigest(), mime="image/png", data=raw, width=16, height=12)


def runner_requests(adapter: str, model: str, n: int) -> list[Request]:
    """``n`` requests ("Case i: benign or malignant?"), each with its own small PNG, keyed as the runner keys them."""
    from ..runner import request_key

    params = GenerationParams(temperature=0.0, max_tokens=32, seed=1)
    out = []
    for i in range(n):
        prompt = Prompt(role="", instruction=f"Case {i}: benign or malignant?", output_format="")
        image = _png(10 * i)
        key = request_key(adapter, model, params, prompt, [image.sha256])
        out.append(Request(key, f"case-{i}", "BUSI", "DD", f"{adapter}:{model}", prompt, (image,), params))
    return out


def _answer(request: ReceivedRequest) -> str:
    return "malignant" if request.prompt.startswith("Case 1:") else "benign"


def run_against_fake(
    plugin: PluginUnderTest, key: str, requests: list[Request], run_dir: Path, faults: FaultPlan | None
) -> tuple[RunOutcome, list[ReceivedRequest]]:
    """The plugin's adapter driven by the runner against a fake provider that answers "malignant" to
    case 1 and "benign" to the others, with ``faults`` injected; the outcome and what the server saw."""
    from ..runner import Limits, ModelRun, run_models
    from .server import FakeProvider

    async def go() -> tuple[RunOutcome, list[ReceivedRequest]]:
        async with FakeProvider(answer=_answer, faults=faults, retry_after=0.01) as fake:
            settings = AdapterSettings(model=plugin.model, api_key=key, base_url=fake.url + plugin.base_path)
            adapter = plugin.info.create(settings)
            run = ModelRun(f"{plugin.name}:{plugin.model}", adapter, requests, Limits(concurrency=4, max_attempts=3))
            outcome = await run_models([run], run_dir, seed=0)
            return outcome, fake.received()

    return asyncio.run(go())


def journal_records(run_dir: Path) -> list[Completion]:
    """Every line of ``run_dir/journal.jsonl``, in order (each attempt, not only the best per key)."""
    raw = (run_dir / JOURNAL).read_bytes()
    return [msgspec.json.decode(line, type=Completion) for line in raw.splitlines() if line.strip()]


def cli_env(info: AdapterInfo, key: str | None) -> dict[str, str]:
    """This process's environment without the adapter's variables or U2FAST_DISABLE_PLUGINS, and
    with ``key`` in its first key variable when given."""
    dropped = {*info.key_env, *info.base_url_env, "U2FAST_DISABLE_PLUGINS"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env["PYTHONUNBUFFERED"] = "1"
    if key is not None:
        env[info.key_env[0]] = key
    return env
