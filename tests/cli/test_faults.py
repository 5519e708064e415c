"""Failures a real provider or proxy produces, through the real CLI, classified and journalled.

Every request of the run meets the same fault; with ``--max-attempts 2`` a retried class shows two
tries per request at the server and a final class shows one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_support import cli_env, eval_argv, run_cli
from scripted import Action, Hit, ScriptedServer, first_try_differs, gemini_ok, openai_ok

from u2fast.exit_codes import ExitCode
from u2fast.runner import iter_journal

KEY = "sk-fault-test-7f3a9c2e5d1b"
GEMINI_KEY = "AIzaFaultTest0123456789abcdef"


def assert_no_key(run_dir: Path, *outputs: str, key: str = KEY) -> None:
    for output in outputs:
        assert key not in output
    for path in run_dir.rglob("*"):
        if path.is_file():
            assert key.encode() not in path.read_bytes(), path


def kinds(run_dir: Path) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in iter_journal(run_dir / "journal.jsonl"):
        kind = r.error.kind if r.error else "ok"
        out[kind] = out.get(kind, 0) + 1
    return out


HTML_502 = (
    b"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>"
)

FAULTS: dict[str, tuple[Callable[[Hit], Action], str, int]] = {
    # name: (script, error class, tries per request with --max-attempts 2)
    "proxy-html-502": (lambda h: Action(502, HTML_502, content_type="text/html"), "server", 2),
    "401-echoing-key": (
        lambda h: Action.json(
            401, {"error": {"message": f"Incorrect API key provided: {KEY}.", "code": "invalid_api_key"}}
        ),
        "auth",
        1,
    ),
    "403": (lambda h: Action.json(403, {"error": {"message": "Project does not have access"}}), "auth", 1),
    "400-context-length": (
        lambda h: Action.json(
            400,
            {
                "error": {
                    "message": "maximum context length is 8192 tokens",
                    "type": "invalid_request_error",
                    "code": "context_length_exceeded",
                }
            },
        ),
        "bad_request",
        1,
    ),
    "400-echoing-key": (
        lambda h: Action.json(400, {"error": {"message": f"bad request from key {KEY}"}}),
        "bad_request",
        1,
    ),
    "529": (
        lambda h: Action.json(529, {"error": {"type": "overloaded_error", "message": "Overloaded"}}),
        "overloaded",
        2,
    ),
    "truncated-json": (lambda h: Action(body=openai_ok().body[:40]), "malformed_response", 2),
    "not-json-200": (lambda h: Action(body=b"upstream said: ok", content_type="text/plain"), "malformed_response", 2),
    "empty-choices": (lambda h: Action.json(200, {"choices": [], "usage": {}}), "malformed_response", 2),
    "reset-mid-body": (lambda h: Action(body=openai_ok().body, reset_after=25), "connection", 2),
    "reset-before-headers": (lambda h: Action(reset_after=-1), "connection", 2),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_fault_is_classified_and_retried_as_its_class(runs: Path, fault: str) -> None:
    script, kind, tries = FAULTS[fault]
    with ScriptedServer(script) as server:
        argv = eval_argv(runs, "f", "openai:gpt-4.1", base_url=server.url + "/v1", extra=["--max-attempts", "2"])
        proc = run_cli(argv, cli_env(OPENAI_API_KEY=KEY))
    # a rejected key fails the command (exit 5); with every request failing, nothing was answered (8)
    assert proc.returncode == (ExitCode.PROVIDER if kind == "auth" else ExitCode.NOTHING_ANSWERED), proc.stderr
    assert "Traceback" not in proc.stderr
    run_dir = runs / "f"
    assert set(kinds(run_dir)) == {kind}
    per_request = [len(h) for h in server.by_identity().values()]
    if kind == "auth":  # the model stops; only what was already in flight went out
        assert "stopped early" in proc.stderr and "auth" in proc.stderr
        assert max(per_request) == 1
    else:
        assert per_request and set(per_request) == {tries}
    assert_no_key(run_dir, proc.stdout, proc.stderr)
    assert json.loads((run_dir / "scores.json").read_text())


def _hang(action: Action) -> None:
    action.delay = 3.0  # no byte until past the read timeout


def _stall(action: Action) -> None:
    action.stall_after, action.delay = len(action.body) // 2, 3.0  # headers and half the JSON, then silence


@pytest.mark.parametrize("fault", [_hang, _stall], ids=["hang-before-first-byte", "stall-mid-body"])
def test_a_silent_first_try_is_a_timeout_then_recovers(
    runs: Path, tmp_path: Path, fault: Callable[[Action], None]
) -> None:
    config = tmp_path / "eval.toml"
    config.write_text("[defaults]\nfirst_byte_timeout = 0.4\n")

    def first(hit: Hit) -> Action:
        action = openai_ok("B")
        fault(action)
        return action

    with ScriptedServer(first_try_differs(first, lambda hit: openai_ok("B"))) as server:
        argv = eval_argv(runs, "silent", "openai:gpt-4.1", base_url=server.url + "/v1", extra=["--config", str(config)])
        proc = run_cli(argv, cli_env(OPENAI_API_KEY=KEY))
    assert proc.returncode == 0, proc.stderr
    requests = len(server.by_identity())
    assert kinds(runs / "silent") == {"timeout": requests, "ok": requests}
    assert all(len(h) == 2 for h in server.by_identity().values())


def test_ten_megabyte_body_is_read_and_answer_kept(runs: Path) -> None:
    pad = "x" * (10 * 1024 * 1024)
    big = openai_ok("C")
    doc = json.loads(big.body)
    doc["padding"] = pad  # a proxy's debug field, as big as a runaway log
    big.body = json.dumps(doc).encode()
    with ScriptedServer(lambda h: big) as server:
        argv = eval_argv(runs, "big", "openai:gpt-4.1", base_url=server.url + "/v1", extra=["--limit", "1"])
        proc = run_cli(argv, cli_env(OPENAI_API_KEY=KEY))
    assert proc.returncode == 0, proc.stderr
    records = list(iter_journal(runs / "big" / "journal.jsonl"))
    assert records and all(r.ok and r.text == "C" for r in records)
    assert len(records) == len(server.by_identity())
    # the padding never reaches the journal
    assert (runs / "big" / "journal.jsonl").stat().st_size < 100_000


def test_daily_quota_stops_one_model_while_the_other_finishes(runs: Path) -> None:
    quota = {"error": {"message": "You exceeded your current quota, please check your plan and billing details.",
                       "type": "insufficient_quota", "code": "insufficient_quota"}}  # fmt: skip

    next_day = False  # the quota resets; the server (and so the endpoint, part of each request's key) stays

    def script(hit: Hit) -> Action:
        if hit.model == "gpt-4.1" and not next_day:
            return Action.json(429, quota)
        return openai_ok("A", model=hit.model)

    with ScriptedServer(script) as server:
        argv = eval_argv(runs, "q", "openai:gpt-4.1", "openai:gpt-4o", base_url=server.url + "/v1",
                         extra=["--concurrency", "1"])  # fmt: skip
        proc = run_cli(argv, cli_env(OPENAI_API_KEY=KEY))
        assert proc.returncode == ExitCode.NOTHING_ANSWERED, proc.stderr  # gpt-4.1 got no answer
        assert "openai:gpt-4.1 stopped early: quota" in proc.stderr
        records = list(iter_journal(runs / "q" / "journal.jsonl"))
        n_cases = len((runs / "q" / "cases.jsonl").read_text().splitlines())
        stopped = [r for r in records if r.model == "openai:gpt-4.1"]
        finished = [r for r in records if r.model == "openai:gpt-4o"]
        # one request found out; nothing more was sent to that model
        assert len(stopped) == 1 and stopped[0].error.kind == "quota_exhausted"
        assert sum(1 for h in server.hits if h.model == "gpt-4.1") == 1
        assert len(finished) == n_cases and all(r.ok for r in finished)
        manifest = json.loads((runs / "q" / "manifest.json").read_text())
        assert manifest["status"] == "stopped"

        # next day: the same command sends only what the stopped model still owes
        next_day = True
        start = len(server.hits)
        argv = eval_argv(runs, "q", "openai:gpt-4.1", "openai:gpt-4o", base_url=server.url + "/v1")
        again = run_cli(argv, cli_env(OPENAI_API_KEY=KEY))
        later = server.hits[start:]
    assert again.returncode == 0, again.stderr
    assert {h.model for h in later} == {"gpt-4.1"} and len(later) == n_cases
    assert json.loads((runs / "q" / "manifest.json").read_text())["status"] == "finished"


def test_gemini_daily_quota_stops_that_model_only(runs: Path) -> None:
    per_day = {
        "error": {
            "code": 429,
            "message": "Quota exceeded for metric: generate_content_free_tier_requests, limit: 250",
            "status": "RESOURCE_EXHAUSTED",
            "details": [
                {"@type": "type.googleapis.com/google.rpc.QuotaFailure",
                 "violations": [{"quotaId": "GenerateRequestsPerDayPerProjectPerModel-FreeTier"}]},
                {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "20s"},
            ],
        }
    }  # fmt: skip

    def script(hit: Hit) -> Action:
        return Action.json(429, per_day) if hit.model == "gemini-2.5-pro" else gemini_ok("A")

    with ScriptedServer(script) as server:
        argv = eval_argv(runs, "gq", "gemini:gemini-2.5-pro", "gemini:gemini-2.5-flash", base_url=server.url,
                         extra=["--concurrency", "1"])  # fmt: skip
        proc = run_cli(argv, cli_env(GEMINI_API_KEY=GEMINI_KEY))
    assert proc.returncode == ExitCode.NOTHING_ANSWERED, proc.stderr
    assert "gemini:gemini-2.5-pro stopped early: quota" in proc.stderr
    records = list(iter_journal(runs / "gq" / "journal.jsonl"))
    pro = [r for r in records if r.model == "gemini:gemini-2.5-pro"]
    flash = [r for r in records if r.model == "gemini:gemini-2.5-flash"]
    assert len(pro) == 1 and pro[0].error.kind == "quota_exhausted"
    assert flash and all(r.ok for r in flash)
    assert_no_key(runs / "gq", proc.stdout, proc.stderr, key=GEMINI_KEY)


def test_keys_never_leak_when_every_wire_echoes_them(runs: Path, tmp_path: Path) -> None:
    """Error bodies, answer texts and an HTML page that repeat the key; the key inline in the config too."""
    inline = "sk-ant-inline-config-key-42"
    config = tmp_path / "eval.toml"
    config.write_text(f'[providers.anthropic]\napi_key = "{inline}"\n')

    def script(hit: Hit) -> Action:
        key = hit.headers.get("x-goog-api-key") or hit.headers.get("authorization", "").removeprefix("Bearer ")
        if hit.index % 3 == 0:
            return Action(502, f"<html>bad gateway for {key}</html>".encode(), content_type="text/html")
        if "generateContent" in hit.path:
            return Action.json(400, {"error": {"code": 400, "message": f"API key not valid: {key}",
                                               "status": "INVALID_ARGUMENT"}})  # fmt: skip
        if hit.path.endswith("/messages"):
            return Action.json(400, {"type": "error", "error": {"type": "invalid_request_error",
                                                                "message": f"bad key {key}"}})  # fmt: skip
        return openai_ok(f"A (you sent {key})")

    env = cli_env(OPENAI_API_KEY=KEY, GEMINI_API_KEY=GEMINI_KEY)
    with ScriptedServer(script) as server:
        argv = eval_argv(
            runs, "keys", "openai:gpt-4.1", "gemini:gemini-2.5-flash", "anthropic:claude-sonnet-4-5",
            base_url=server.url, extra=["--config", str(config), "--max-attempts", "2"],
        )  # fmt: skip
        # the openai wire needs /v1 in its base URL: give it per model in the config
        config.write_text(
            f'[providers.anthropic]\napi_key = "{inline}"\n[models."openai:gpt-4.1"]\nbase_url = "{server.url}/v1"\n'
        )
        proc = run_cli(argv, env)
        assert {h.path.split("/")[-1].split(":")[-1] for h in server.hits} >= {
            "completions",
            "generateContent",
            "messages",
        }
    assert proc.returncode == ExitCode.NOTHING_ANSWERED, proc.stderr
    for key in (KEY, GEMINI_KEY, inline):
        assert_no_key(runs / "keys", proc.stdout, proc.stderr, key=key)


def test_gemini_safety_stop_is_content_filtered_and_final(runs: Path) -> None:
    blocked = {
        "candidates": [{"finishReason": "SAFETY", "safetyRatings": []}],
        "usageMetadata": {"promptTokenCount": 10},
    }
    with ScriptedServer(lambda hit: Action.json(200, blocked)) as server:
        argv = eval_argv(runs, "safe", "gemini:gemini-2.5-flash", base_url=server.url, extra=["--quiet"])
        proc = run_cli(argv, cli_env(GEMINI_API_KEY=GEMINI_KEY))
    assert proc.returncode == ExitCode.NOTHING_ANSWERED, proc.stderr
    assert kinds(runs / "safe") == {"content_filtered": 13}
    assert all(len(h) == 1 for h in server.by_identity().values())  # never retried


