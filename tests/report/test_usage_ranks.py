"""The report's per-model usage (requests, tokens, recorded cost, latency, parse warning) and the joint
rank intervals of the leaderboard, through the real ``u2fast report`` command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from u2fast.report.usage import usage_of
from u2fast.types import Completion, GenerationParams, RunManifest, Usage


def _manifest(prices: dict[str, dict[str, float]]) -> RunManifest:
    return RunManifest(name="r", created_at="", u2fast_version="", command=[], data="", dataset_fingerprint="f",
                       n_cases=2, models=["p:m"], params=GenerationParams(), seed=0, prices=prices)


def test_cost_uses_the_price_recorded_in_the_manifest() -> None:
    done = {
        "a": Completion(key="k1", case_id="a", model="p:m", text="x", usage=Usage(1000, 500), latency_s=1.0),
        "b": Completion(key="k2", case_id="b", model="p:m", text="y", usage=Usage(3000, 100), latency_s=3.0),
    }
    u = usage_of(_manifest({"p:m": {"input": 2.0, "output": 8.0}}), "p:m", done, {"DD": 2})
    assert (u.requests, u.input_tokens, u.output_tokens) == (2, 4000, 600)
    assert u.cost_usd == pytest.approx((4000 * 2.0 + 600 * 8.0) / 1e6)
    assert u.latency_median_s == 2.0 and u.latency_p95_s == pytest.approx(2.9)
    assert u.cases_per_task == {"DD": 2}
    unpriced = usage_of(_manifest({}), "p:m", done, {})
    assert unpriced.cost_usd is None  # unknown, not free
    assert usage_of(_manifest({}), "p:m", {}, {}).latency_median_s is None


def test_latency_is_over_measured_answers_only_and_null_when_none_was_measured() -> None:
    batch = {  # a batch answer has no latency; older journals hold 0 for it
        "a": Completion(key="k1", case_id="a", model="p:m", text="x", latency_s=None),
        "b": Completion(key="k2", case_id="b", model="p:m", text="y", latency_s=0.0),
    }
    u = usage_of(_manifest({}), "p:m", batch, {})
    assert u.requests == 2 and u.latency_median_s is None and u.latency_p95_s is None
    mixed = {**batch, "c": Completion(key="k3", case_id="c", model="p:m", text="z", latency_s=4.0)}
    assert usage_of(_manifest({}), "p:m", mixed, {}).latency_median_s == 4.0  # the sync fallback's answer alone


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "u2fast.cli", *args], capture_output=True, text=True, timeout=300)


def test_report_ranks_models_jointly_and_shows_usage(tmp_path: Path) -> None:
    config = tmp_path / "prices.toml"
    config.write_text('[models."random:a"]\nprice = { input = 2.0, output = 8.0 }\n')
    r = _cli("eval", "--quiet", "--runs-dir", str(tmp_path), "--name", "one", "--bootstrap", "0",
             "--model", "random:a", "--model", "random:b", "--config", str(config))
    assert r.returncode == 0, r.stderr
    assert json.loads((tmp_path / "one" / "manifest.json").read_text())["prices"] == {
        "random:a": {"input": 2.0, "output": 8.0}}
    r = _cli("eval", "--quiet", "--runs-dir", str(tmp_path), "--name", "two", "--bootstrap", "0",
             "--model", "random:c", "--seed", "5")
    assert r.returncode == 0, r.stderr
    out = _cli("report", str(tmp_path / "one"), str(tmp_path / "two"), "--bootstrap", "300", "--format", "json")
    assert out.returncode == 0, out.stderr
    models = {m["label"]: m for m in json.loads(out.stdout)["models"]}
    a, c = models["random:a"], models["random:c"]
    assert a["usage"]["cost_usd"] == 0.0 and c["usage"]["cost_usd"] is None  # priced (no tokens) vs unpriced
    assert a["usage"]["requests"] == 200 and sum(a["usage"]["cases_per_task"].values()) <= 200
    for m in models.values():
        rk = m["ranking"]
        assert rk["models"] == 3 and rk["cases"] == 200
        assert 1 <= rk["low"] <= rk["high"] <= 3 and 1 <= rk["rank"] <= 3
        assert 0 <= rk["p_first"] <= 1
        assert m["u2_two_stage"]["low"] <= m["u2"]["value"] <= m["u2_two_stage"]["high"]
    # random:a and random:b give the same answers (seeded per case): tied, so first together
    assert models["random:a"]["ranking"]["p_first"] == models["random:b"]["ranking"]["p_first"]
    assert sum({m["ranking"]["p_first"] for m in models.values()}) >= 0.999
    text = _cli("report", str(tmp_path / "one"), str(tmp_path / "two"), "--bootstrap", "100")
    assert text.returncode == 0, text.stderr
    assert "P(rank=1)" in text.stdout and "U2 two-stage CI" in text.stdout
    md = tmp_path / "r.md"
    assert _cli("report", str(tmp_path / "one"), "--bootstrap", "100", "--md", str(md)).returncode == 0
    assert "## Ranks, usage and cost" in md.read_text()


def test_a_model_that_answered_nothing_gets_no_rank(tmp_path: Path) -> None:
    common = ["--quiet", "--runs-dir", str(tmp_path), "--bootstrap", "0", "--tasks", "DD,CVE", "--limit", "1"]
    r = _cli("eval", "--name", "answered", "--model", "random:a", "--model", "random:b", *common)
    assert r.returncode == 0, r.stderr
    ids = [json.loads(line)["case"]["case_id"] for line in (tmp_path / "answered" / "cases.jsonl").read_text().splitlines()]
    failures = tmp_path / "failures.jsonl"
    failures.write_text("".join(json.dumps({"case_id": i, "error": "HTTP 500"}) + "\n" for i in ids))
    r = _cli("eval", "--name", "failed", "--model", f"replay:{failures}", *common)
    assert r.returncode == 8, r.stderr
    out = _cli("report", str(tmp_path / "answered"), str(tmp_path / "failed"), "--bootstrap", "200", "--format", "json")
    assert out.returncode == 0, out.stderr
    models = json.loads(out.stdout)["models"]
    (failed,) = [m for m in models if "replay:" in m["label"]]
    # its U2 is null, so no rank (it was "1 [1, 1]" with P(rank=1) = 1.00); the two others rank between them
    assert failed["u2"]["value"] is None and failed["ranking"] is None
    ranked = [m["ranking"] for m in models if m is not failed]
    assert len(ranked) == 2 and all(rk is not None and rk["models"] == 2 for rk in ranked)
