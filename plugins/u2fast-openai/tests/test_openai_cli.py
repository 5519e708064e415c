"""End to end through the command line: ``u2fast eval --model openai:... --base-url`` against the fake server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from u2fast.cli import main
from u2fast.errors import ConfigError
from u2fast.runner import read_journal
from u2fast.testing import FakeProvider

KEY = "sk-cli-e2e-secret-0001"



def _lower(headers: dict[str, str]) -> dict[str, str]:
    """Header names are case-insensitive; the transport decides how they travel."""
    return {k.lower(): v for k, v in headers.items()}

def test_eval_writes_a_full_run_folder_and_scores(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.delenv("U2FAST_DISABLE_PLUGINS", raising=False)
    with FakeProvider(answer=lambda request: "A") as fake:
        code = main(
            [
                "eval", "--model", "openai:gpt-4.1", "--base-url", f"{fake.url}/v1", "--limit", "1",
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
    assert all(c.ok and c.text == "A" and c.response_model == "gpt-4.1" for c in journal.values())
    assert len(received) == n_cases
    assert all(r.path == "/v1/chat/completions" and _lower(r.headers)["authorization"] == f"Bearer {KEY}" for r in received)
    assert all(r.images and r.images[0][0].startswith("image/") for r in received)
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["models"] == ["openai:gpt-4.1"]
    assert json.loads((run_dir / "scores.json").read_text())
    for path in run_dir.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path


def test_missing_key_fails_before_any_request(tmp_path: Path, monkeypatch: Any, capsys: Any) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    code = main(["eval", "--model", "openai:gpt-4.1", "--runs-dir", str(tmp_path), "--name", "nokey", "--quiet"])
    assert code == ConfigError.exit_code
    assert "OPENAI_API_KEY" in capsys.readouterr().err
    assert not (tmp_path / "nokey" / "journal.jsonl").exists()


def test_local_server_runs_without_a_key_and_gets_none(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with FakeProvider(answer=lambda request: "B") as fake:
        code = main(
            [
                "eval", "--model", "openai:Qwen2.5-VL-7B-Instruct", "--base-url", f"{fake.url}/v1", "--limit", "1",
                "--tasks", "DD", "--runs-dir", str(tmp_path), "--name", "local", "--quiet", "--bootstrap", "0",
            ]
        )  # fmt: skip
        received = fake.received()
    assert code == 0 and received
    assert all("authorization" not in _lower(r.headers) for r in received)
    journal = read_journal(tmp_path / "local" / "journal.jsonl")
    assert journal and all(c.ok and c.text == "B" for c in journal.values())


def test_max_cost_refuses_a_model_without_price(tmp_path: Path, monkeypatch: Any, capsys: Any) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.delenv("U2FAST_DISABLE_PLUGINS", raising=False)
    with FakeProvider(answer=lambda request: "A") as fake:
        code = main(["eval", "--model", "openai:my-local-finetune", "--base-url", f"{fake.url}/v1", "--limit", "1",
                     "--runs-dir", str(tmp_path), "--name", "cost", "--quiet", "--max-cost", "1"])
        received = fake.received()
    assert code == ConfigError.exit_code
    assert "no price is known" in capsys.readouterr().err
    assert received == []


def test_max_cost_stops_spending(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.delenv("U2FAST_DISABLE_PLUGINS", raising=False)
    with FakeProvider(answer=lambda request: "A" * 400) as fake:
        code = main(["eval", "--model", "openai:gpt-4.1", "--base-url", f"{fake.url}/v1", "--concurrency", "1",
                     "--runs-dir", str(tmp_path), "--name", "budget", "--quiet", "--bootstrap", "0",
                     "--max-cost", "0.004", "--max-tokens", "16"])
        received = fake.received()
    assert code == 0
    manifest = json.loads((tmp_path / "budget" / "manifest.json").read_text())
    assert manifest["status"] == "stopped"
    n_cases = len((tmp_path / "budget" / "cases.jsonl").read_text().splitlines())
    assert 0 < len(received) < n_cases
