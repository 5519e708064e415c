"""Running the real ``u2fast`` CLI in a subprocess, with a clean provider environment."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

__all__ = ["cli_env", "eval_argv", "run_cli", "run_on_terminal"]

PROVIDER_ENV = (
    "OPENAI_API_KEY", "OPENAI_BASE_URL", "GEMINI_API_KEY", "GOOGLE_API_KEY", "GEMINI_BASE_URL",
    "ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_BASE_URL", "GOOGLE_GEMINI_BASE_URL",
)  # fmt: skip


def cli_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in PROVIDER_ENV}
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def eval_argv(
    runs_dir: Path, name: str, *models: str, base_url: str | None = None, extra: Sequence[str] = ()
) -> list[str]:
    argv = [sys.executable, "-m", "u2fast.cli", "eval"]
    for model in models:
        argv += ["--model", model]
    if base_url:
        argv += ["--base-url", base_url]
    argv += ["--tasks", "DD", "--limit", "1", "--runs-dir", str(runs_dir), "--name", name, "--bootstrap", "0"]
    return argv + list(extra)


def run_cli(argv: Sequence[str], env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(argv), env=env, capture_output=True, text=True, timeout=timeout)


def run_on_terminal(argv: Sequence[str], env: dict[str, str], timeout: float = 60) -> tuple[int, str]:
    """Run the CLI with a pseudo-terminal as stdin, stdout and stderr; its exit code and all it drew."""
    leader, follower = pty.openpty()
    child = subprocess.Popen(list(argv), env=env, stdin=follower, stdout=follower, stderr=follower, close_fds=True)
    os.close(follower)
    output = bytearray()
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                output += chunk
            elif child.poll() is not None:
                break
        code = child.wait(10)
    finally:
        os.close(leader)
    return code, output.decode("utf-8", "replace")
