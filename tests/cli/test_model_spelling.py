"""``--model`` accepts ``ADAPTER/MODEL`` (the spelling other harnesses use) beside ``ADAPTER:MODEL``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from u2fast.preparation import split_model_spec


@pytest.mark.parametrize(
    ("spec", "parts"),
    [
        ("openai:gpt-4.1", ("openai", "gpt-4.1")),
        ("openai/gpt-4.1", ("openai", "gpt-4.1")),
        ("vllm/Qwen/Qwen2.5-VL-7B", ("vllm", "Qwen/Qwen2.5-VL-7B")),
        ("openai:meta-llama/llama-3", ("openai", "meta-llama/llama-3")),
        ("replay:/tmp/answers.jsonl", ("replay", "/tmp/answers.jsonl")),
        ("random", ("random", "")),
    ],
)
def test_the_first_colon_or_slash_separates_the_adapter(spec: str, parts: tuple[str, str]) -> None:
    assert split_model_spec(spec) == parts


def test_slash_spelling_names_the_same_model_on_the_command_line(tmp_path: Path) -> None:
    env = {**os.environ, "OPENAI_API_KEY": "sk-test-not-sent", "COLUMNS": "200"}
    out = []
    for spelling in ("openai:gpt-4.1", "openai/gpt-4.1"):
        proc = subprocess.run(
            [sys.executable, "-m", "u2fast.cli", "eval", "--model", spelling, "--model", "random/uniform",
             "--tasks", "DD", "--limit", "1", "--dry-run", "--runs-dir", str(tmp_path)],
            capture_output=True, text=True, check=False, env=env,
        )
        assert proc.returncode == 0, proc.stderr
        assert "openai:gpt-4.1" in proc.stdout and "random:uniform" in proc.stdout
        out.append(proc.stdout)
    assert out[0] == out[1]
