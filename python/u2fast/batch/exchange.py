"""``u2fast export`` / ``u2fast import``: a run's requests as OpenAI batch JSONL and its answers back.

That format (``{custom_id, method, url, body}`` in, ``{id, custom_id, response, error}`` out) is
what ``vllm run-batch`` and Ray Data's LLM batch processors read and write, so a run can be
answered on a GPU cluster and scored here. The lines are the OpenAI adapter's batch lines (the
sync bodies, byte for byte); the custom id is the request key, and answers are joined by it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import msgspec

from ..errors import ConfigError, DataError
from ..runfolder.layout import JOURNAL
from ..runner.images import ImageEncoder
from ..runner.journal import JournalWriter, scan_journal
from ..runner.model_run import ModelRun
from ..types import Completion, Request
from .answers import completion_of
from .shards import plan_shards
from .wire import BatchWire, batch_wire_of

__all__ = ["export_run", "import_results"]

#: The endpoint path vllm run-batch and Ray expect on every line.
CHAT_ENDPOINT = "/v1/chat/completions"


def _openai_wire(model: ModelRun) -> BatchWire:
    wire = batch_wire_of(model.adapter)
    if wire is None or wire.name != "openai":
        raise ConfigError(
            f"{model.name}: the openai-batch format carries OpenAI chat-completions bodies; run the model through "
            "the openai adapter (e.g. --model openai:NAME --base-url http://HOST:8000/v1 for a vLLM server)")
    return wire


def export_run(run_dir: Path, models: list[ModelRun], out: Path) -> list[tuple[Path, int]]:
    """One JSONL file per model (more when it exceeds OpenAI's batch limits) of the requests without
    an answer in the journal; returns (file, requests) for each file written."""
    done = scan_journal(run_dir / JOURNAL).best
    written: list[tuple[Path, int]] = []
    out.mkdir(parents=True, exist_ok=True)
    for model in models:
        wire = _openai_wire(model)
        wire.endpoint = CHAT_ENDPOINT  # type: ignore[attr-defined]
        pending = [r for r in model.requests if not (r.key in done and done[r.key].ok)]
        encoder = ImageEncoder()
        for request in pending:
            encoder.plan(request.images)
        slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", model.name)
        shards = list(plan_shards(model.name, wire, pending, encoder, out, price=None, needs_images=model.needs_images))
        for n, shard in enumerate(shards, 1):
            name = f"{slug}.jsonl" if len(shards) == 1 else f"{slug}-{n:03d}.jsonl"
            (out / shard.path).replace(out / name)
            written.append((out / name, len(shard.keys)))
    return written


def import_results(run_dir: Path, models: list[ModelRun], files: list[Path]) -> dict[str, Any]:
    """Answers from OpenAI batch output files, joined by custom id, appended to the run's journal.

    Every line is read and checked before anything is written: a line that is not an output line,
    or whose custom id is no request of this run, is a DataError naming the file and line.
    """
    owner: dict[str, tuple[Request, BatchWire]] = {}
    for model in models:
        wire = _openai_wire(model)
        for request in model.requests:
            owner[request.key] = (request, wire)
    scan = scan_journal(run_dir / JOURNAL)
    completions: dict[str, Completion] = {}
    for path in files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise DataError(f"{path}: cannot read: {exc}") from exc
        for number, raw in enumerate(data.splitlines(), 1):
            if not raw.strip():
                continue
            try:
                custom_id = msgspec.json.decode(raw)["custom_id"]
                request, wire = owner[custom_id]
                ((_, reply),) = list(wire.parse_results(raw))
            except KeyError as exc:
                what = "no custom_id" if exc.args == ("custom_id",) else f"custom_id {exc.args[0]!r} is no request of this run"
                raise DataError(f"{path}: line {number}: {what}") from None
            except (msgspec.DecodeError, ValueError, TypeError) as exc:
                raise DataError(f"{path}: line {number}: not an OpenAI batch output line: {exc}") from None
            if custom_id in completions:
                raise DataError(f"{path}: line {number}: custom_id {custom_id} answered twice")
            completions[custom_id] = completion_of(request, reply, scan.attempts.get(request.key, 0) + 1)
    writer = JournalWriter(run_dir / JOURNAL)
    writer.open()
    try:
        for completion in completions.values():
            writer.append(completion)
    finally:
        writer.close()
    ok = sum(c.ok for c in completions.values())
    return {"ok": ok, "errors": len(completions) - ok}
