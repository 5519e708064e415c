"""The canary: a sentinel secret in every form a credential takes, through eval, score, report and
compare, and every file and stream u2fast writes grepped for every form of it.

Forms: keys from the environment (sent as ``Bearer`` and ``x-goog-api-key``), a key from the config
file (sent as ``x-api-key``), ``user:password`` in a base URL (sent by aiohttp as ``Basic base64(user:password)``),
and each of them echoed back by the fake server, in error messages and inside answers.
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from cli_support import cli_env, run_cli

from u2fast.credentials import basic_token
from u2fast.testing import FakeProvider, ReceivedRequest

ENV_KEY = "sk-canary-ENV-7Q2X9w"
GEMINI_KEY = "AIza-canary-GEM-5T1R"
CONFIG_KEY = "sk-ant-canary-CFG-4K8M"
URL_USER = "canaryuser"
URL_PASSWORD = "canary-URLPW-3J6N!"
CLI = [sys.executable, "-m", "u2fast.cli"]
_SECRET_HEADERS = ("authorization", "x-api-key", "x-goog-api-key")


def forms() -> list[str]:
    """Every form of every sentinel that must appear nowhere."""
    out = [ENV_KEY, GEMINI_KEY, CONFIG_KEY, URL_PASSWORD, URL_USER, f"{URL_USER}:{URL_PASSWORD}", quote(URL_PASSWORD, safe="")]
    out += [basic_token(URL_USER, URL_PASSWORD, enc) for enc in ("latin1", "utf-8")]
    out += [f"Bearer {ENV_KEY}", basic_token("", ENV_KEY)]
    return out


def echo_credentials(request: ReceivedRequest) -> str:
    """An answer that repeats every credential header it was sent (a hostile or buggy server)."""
    sent = "; ".join(f"{h}: {request.headers[h]}" for h in _SECRET_HEADERS if h in request.headers)
    return f"B. I was called with {sent}"


def echo_key_for_gpt_4o(request: ReceivedRequest, rng: object) -> str | None:
    return "echo_key" if request.model == "gpt-4o" else None


@pytest.fixture
def written(tmp_path: Path) -> dict[str, str]:
    """Runs everything once; returns each stream and file u2fast wrote, by name."""
    runs, out = tmp_path / "runs", tmp_path / "out"
    out.mkdir()
    streams: dict[str, str] = {}

    def cli(name: str, *args: str, env: dict[str, str] | None = None) -> None:
        proc = run_cli([*CLI, *args], env or cli_env(), timeout=180)
        assert "Traceback" not in proc.stderr, proc.stderr
        streams[f"{name} stdout"], streams[f"{name} stderr"] = proc.stdout, proc.stderr

    common = ["--tasks", "DD,VRA", "--limit", "1", "--runs-dir", str(runs), "--bootstrap", "50"]
    with FakeProvider(answer=echo_credentials, faults=echo_key_for_gpt_4o) as fake:
        config = tmp_path / "eval.toml"
        config.write_text(
            f'[models."openai:gpt-4.1"]\nbase_url = "{fake.url}/v1"\n'
            f'[models."openai:gpt-4o"]\nbase_url = "{fake.url}/v1"\n'
            f'[models."anthropic:claude-sonnet-4-5"]\nbase_url = "{fake.url}"\napi_key = "{CONFIG_KEY}"\n'
            f'options = {{ auth = "x-api-key" }}\n'
            f'[models."gemini:gemini-2.5-flash"]\nbase_url = "{fake.url}"\n'
        )
        keyed = cli_env(OPENAI_API_KEY=ENV_KEY, GEMINI_API_KEY=GEMINI_KEY)
        models = ["--model", "openai:gpt-4.1", "--model", "openai:gpt-4o", "--model", "anthropic:claude-sonnet-4-5",
                  "--model", "gemini:gemini-2.5-flash"]
        cli("eval keys --dry-run", "eval", *models, "--config", str(config), "--name", "keys", *common, "--dry-run",
            env=keyed)
        cli("eval keys", "eval", *models, "--config", str(config), "--name", "keys", *common, env=keyed)
        cli("eval keys --json", "eval", *models, "--config", str(config), "--name", "keys", *common, "--json",
            env=keyed)
        creds_url = fake.url.replace("http://", f"http://{URL_USER}:{quote(URL_PASSWORD, safe='')}@") + "/v1"
        cli("eval url", "eval", "--model", "openai:gpt-4.1", "--base-url", creds_url, "--name", "url", *common)
        cli("eval url --resume", "eval", "--resume", str(runs / "url"), "--base-url", creds_url)
        # configuration errors that quote the URL
        for bad in (creds_url.replace("/v1", ":99999/v1").replace(f":{fake.port}", ""),
                    creds_url.replace("http://", "ftp://"), creds_url.replace("127.0.0.1", "127.0 .0.1")):
            cli(f"eval bad {bad[:4]}", "eval", "--model", "openai:gpt-4.1", "--base-url", bad, "--name", "bad", *common)
        cli("eval both", "eval", "--model", "openai:gpt-4.1", "--base-url", creds_url, "--name", "both", *common,
            env=keyed)
        cli("eval no key", "eval", "--model", "openai:gpt-4.1", "--name", "nokey", *common,
            "--base-url", creds_url.replace("127.0.0.1", "api.example.com"))
        sent = [r.headers.get(h, "") for r in fake.received() for h in _SECRET_HEADERS]
    # the server really was sent (and echoed) every form
    assert {f"Bearer {ENV_KEY}", CONFIG_KEY, GEMINI_KEY} <= set(sent), streams
    assert f"Basic {basic_token(URL_USER, URL_PASSWORD)}" in sent
    for run in ("keys", "url"):
        cli(f"score {run}", "score", str(runs / run), "--bootstrap", "50")
        cli(f"report {run}", "report", str(runs / run), "--html", str(out / f"{run}.html"), "--md",
            str(out / f"{run}.md"), "--csv", str(out / f"{run}.csv"), "--bootstrap", "50")
        cli(f"report {run} json", "report", str(runs / run), "--format", "json", "--bootstrap", "50")
    cli("compare", "compare", str(runs / "keys"), str(runs / "url"), "--model-a", "openai:gpt-4.1",
        "--model-b", "openai:gpt-4.1", "--bootstrap", "50")
    cli("compare json", "compare", str(runs / "keys"), str(runs / "url"), "--model-a", "openai:gpt-4.1",
        "--model-b", "openai:gpt-4.1", "--bootstrap", "50", "--json")
    files = {str(p): p.read_bytes().decode("utf-8", "replace") for p in tmp_path.rglob("*") if p.is_file()
             and p != config}
    assert any(p.endswith("journal.jsonl") for p in files) and any(p.endswith(".html") for p in files)
    return {**streams, **files}


def test_no_form_of_any_credential_is_written_anywhere(written: dict[str, str]) -> None:
    leaks = [(where, form) for where, text in written.items() for form in forms() if form in text]
    assert leaks == []
    # and the echoes did arrive, masked: the test sees what it should have caught
    journal = next(text for where, text in written.items() if where.endswith("keys/journal.jsonl"))
    assert "I was called with authorization: [redacted]" in journal
    assert "Incorrect API key provided: Bearer [redacted]" in journal
    assert "x-api-key: [redacted]" in journal and "x-goog-api-key: [redacted]" in journal
    url_journal = next(text for where, text in written.items() if where.endswith("url/journal.jsonl"))
    assert "authorization: Basic [redacted]" in url_journal
