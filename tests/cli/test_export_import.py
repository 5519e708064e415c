"""``u2fast export`` / ``u2fast import``: the OpenAI batch JSONL of vllm run-batch and Ray Data.

A fake ``run-batch`` answers the exported file the way vLLM writes its output (one
``{id, custom_id, response: {status_code, request_id, body}, error}`` line per request, in its own
order); importing it must score exactly as a sync run of the same model on the same answers.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from batch_support import KEYS, answer, scores
from cli_support import cli_env, run_cli

from u2fast.errors import ConfigError, DataError
from u2fast.testing import FakeProvider, ReceivedRequest
from u2fast.testing.wire import answer_body, parse_request

ENV = cli_env(**KEYS)
CLI = [sys.executable, "-m", "u2fast.cli"]
COMMON = ["--tasks", "DD,VRA,CVE", "--limit", "2", "--bootstrap", "0"]


def fake_run_batch(inp: Path, out: Path) -> int:
    """What ``vllm run-batch -i inp -o out`` writes, with the deterministic fake model."""
    lines = []
    for raw in inp.read_text().splitlines():
        item = json.loads(raw)
        assert item["method"] == "POST" and item["url"] == "/v1/chat/completions"
        model, prompt, images = parse_request("openai", item["body"], None)
        received = ReceivedRequest(wire="openai", method="POST", path=item["url"], headers={},  # type: ignore[arg-type]
                                   model=model, prompt=prompt, images=images, body=None, body_size=0)
        body = json.loads(answer_body("openai", model, answer(received), prompt, len(images)))
        lines.append({"id": f"vllm-{len(lines)}", "custom_id": item["custom_id"],
                      "response": {"status_code": 200, "request_id": f"vllm-batch-{len(lines)}", "body": body},
                      "error": None})
    random.Random(0).shuffle(lines)  # joined by custom_id, never by position
    out.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return len(lines)


def test_export_run_batch_import_scores_as_the_sync_run(runs: Path, tmp_path: Path) -> None:
    model = ["--model", "openai:my-vlm"]
    with FakeProvider(answer=answer) as fake:
        url = ["--base-url", f"{fake.url}/v1"]
        sync = run_cli([*CLI, "eval", *model, *url, *COMMON, "--runs-dir", str(runs), "--name", "sync", "--json"], ENV)
        assert sync.returncode == 0, sync.stderr
        sent = fake.counts["requests"]
        prep = run_cli([*CLI, "eval", *model, *url, *COMMON, "--runs-dir", str(runs), "--name", "vllm",
                        "--prepare-only"], ENV)
        assert prep.returncode == 0, prep.stderr
        assert fake.counts["requests"] == sent  # prepared, nothing sent
    exported = run_cli([*CLI, "export", str(runs / "vllm"), "--format", "openai-batch", str(tmp_path / "out")], ENV)
    assert exported.returncode == 0, exported.stderr
    (inp,) = sorted((tmp_path / "out").glob("*.jsonl"))
    assert fake_run_batch(inp, tmp_path / "results.jsonl") == sent
    imported = run_cli([*CLI, "import", str(runs / "vllm"), str(tmp_path / "results.jsonl")], ENV)
    assert imported.returncode == 0, imported.stderr
    assert f"imported {sent} answers" in imported.stdout
    scored = run_cli([*CLI, "score", str(runs / "vllm"), "--bootstrap", "0", "--json"], ENV)
    assert scored.returncode == 0, scored.stderr
    assert json.loads(scored.stdout)["models"] == scores(sync.stdout)
    # answered: a second export has nothing left to write
    again = run_cli([*CLI, "export", str(runs / "vllm"), str(tmp_path / "again")], ENV)
    assert "nothing to export" in again.stdout


def test_import_names_the_file_and_line_of_an_unknown_custom_id(runs: Path, tmp_path: Path) -> None:
    prep = run_cli([*CLI, "eval", "--model", "openai:my-vlm", "--base-url", "http://127.0.0.1:9/v1", *COMMON,
                    "--runs-dir", str(runs), "--name", "x", "--prepare-only"], ENV)
    assert prep.returncode == 0, prep.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text('\n{"id": "1", "custom_id": "not-a-key", "response": null, "error": {"code": "x", "message": "y"}}\n')
    proc = run_cli([*CLI, "import", str(runs / "x"), str(bad)], ENV)
    assert proc.returncode == DataError.exit_code
    assert f"{bad}: line 2" in proc.stderr and "not-a-key" in proc.stderr
    assert not (runs / "x" / "journal.jsonl").exists() or not (runs / "x" / "journal.jsonl").read_text()


def test_export_refuses_a_model_outside_the_openai_format(runs: Path, tmp_path: Path) -> None:
    prep = run_cli([*CLI, "eval", "--model", "anthropic:claude-haiku-4-5", "--base-url", "http://127.0.0.1:9",
                    *COMMON, "--runs-dir", str(runs), "--name", "a", "--prepare-only"], ENV)
    assert prep.returncode == 0, prep.stderr
    proc = run_cli([*CLI, "export", str(runs / "a"), str(tmp_path / "out")], ENV)
    assert proc.returncode == ConfigError.exit_code
    assert "anthropic:claude-haiku-4-5" in proc.stderr and "openai adapter" in proc.stderr
