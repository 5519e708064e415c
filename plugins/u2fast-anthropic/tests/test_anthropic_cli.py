"""End to end through the command line: ``u2fast eval --model anthropic:... --base-url`` against the fake server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from u2fast.cli import main
from u2fast.errors import ConfigError
from u2fast.runner import read_journal
from u2fast.testing import FakeProvider

KEY = "sk-ant-cli-e2e-secret-0001"



def _lower(headers: dict[str, str]) -> dict[str, str]:
    """Header names are case-insensitive; the transport decides how they travel."""
    return {k.lower(): v for k, v in headers.items()}

def test_eval_writes_a_full_run_folder_and_scores(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    monkeypatch.delenv("ANTHROPIC_BASE_URL", raising=False)
    monkeypatch.delenv("U2FAST_DISABLE_PLUGINS", raising=False)
    with FakeProvider(answer=lambda request: "A") as fake:
        code = main(
            [
                "eval", "--model", "anthropic:claude-sonnet-5-5", "--base-url", fake.url, "--limit", "1",
                "--runs-dir", str(tmp_path), "--name", "e2e", "--quiet", "--bootstrap", "0",
            ]
        )  # fmt: skip
        received = fake.received()

    assert code == 0
    run_dir = tmp_path / "e2e"
    for name in ("manifest.json", "cases.jsonl", "journal.jsonl", "scores.json"):
        assert (run_dir / name).is_file(), name
    journal = read_journal(run_dir / "journal.jsonl")
    n_cases = len((run_dir / "cases.jsonl").read_text().splitlines())
    assert n_cases > 0 and len(journal) == n_cases
    assert all(c.ok and c.text == "A" and c.response_model == "claude-sonnet-5-5" for c in journal.values())
    assert len(received) == n_cases
    assert all(r.path == "/v1/messages" and _lower(r.headers)["authorization"] == f"Bearer {KEY}" for r in received)
    assert all(r.images and r.images[0][0].startswith("image/") for r in received)
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["models"] == ["anthropic:claude-sonnet-5-5"]
    assert json.loads((run_dir / "scores.json").read_text())
    for path in run_dir.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path


def test_missing_key_fails_before_any_request(tmp_path: Path, monkeypatch: Any, capsys: Any) -> None:
    for variable in ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN"):
        monkeypatch.delenv(variable, raising=False)
    code = main(["eval", "--model", "anthropic:claude-sonnet-5-5", "--runs-dir", str(tmp_path), "--name", "nokey", "--quiet"])
    assert code == ConfigError.exit_code
    assert "ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN" in capsys.readouterr().err
    assert not (tmp_path / "nokey" / "journal.jsonl").exists()
