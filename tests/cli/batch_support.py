"""Helpers of the batch CLI tests: one command line per provider, a deterministic fake model, and
reading a run folder back."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from u2fast.runner.journal import iter_journal
from u2fast.testing import ReceivedRequest

MODELS = {"openai": "openai:gpt-4.1", "anthropic": "anthropic:claude-haiku-4-5", "gemini": "gemini:gemini-2.5-flash"}
KEYS = {"OPENAI_API_KEY": "sk-batch-test-0001", "ANTHROPIC_API_KEY": "sk-ant-batch-0001", "GEMINI_API_KEY": "g-batch-0001"}


def answer(request: ReceivedRequest) -> str:
    """Varied, deterministic answers (a right one now and then), the same for a sync and a batch call."""
    digest = hashlib.sha256(request.prompt.encode()).digest()[0]
    return ["A", "B", "benign", "malignant", "0.5", "upper left"][digest % 6]


def base_url(url: str, provider: str) -> str:
    return f"{url}/v1" if provider == "openai" else url


def argv(runs: Path, name: str, provider: str, url: str, *extra: str) -> list[str]:
    return [sys.executable, "-m", "u2fast.cli", "eval", "--model", MODELS[provider], "--base-url",
            base_url(url, provider), "--tasks", "DD,VRA,CVE", "--limit", "2", "--runs-dir", str(runs),
            "--name", name, "--bootstrap", "0", "--json", *extra]


def scores(stdout: str) -> dict[str, Any]:
    doc = json.loads(stdout.strip().splitlines()[-1])
    return doc["scores"]["models"]  # type: ignore[no-any-return]


def records(run_dir: Path) -> list[Any]:
    return list(iter_journal(run_dir / "journal.jsonl"))


def ledger_steps(run_dir: Path) -> list[str]:
    path = run_dir / "batches.jsonl"
    return [json.loads(line)["step"] for line in path.read_text().splitlines() if line.strip()]
