"""The batch ledger: steps fold into one state per shard, survive a torn last line, and are
fsynced one by one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from u2fast.batch.ledger import LEDGER_NAME, Ledger
from u2fast.errors import RunError


def _plan(ledger: Ledger, tag: str = "u2f-a") -> None:
    ledger.record("planned", tag, model="openai:gpt-4.1", provider="openai", path=f"batches/{tag}.jsonl",
                  keys=["k1", "k2"], bytes=10, max_cost=0.5)


def test_steps_fold_into_the_shard_state_and_read_back(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path)
    _plan(ledger)
    ledger.record("uploaded", "u2f-a", file_id="file-1")
    ledger.record("create_sent", "u2f-a")
    ledger.record("created", "u2f-a", batch_id="batch_1", expires_at=123.0, state="validating")
    ledger.record("polled", "u2f-a", state="in_progress", counts={"total": 2})
    ledger.close()
    (shard,) = Ledger(tmp_path).open_shards()
    assert (shard.step, shard.file_id, shard.batch_id, shard.state) == ("polled", "file-1", "batch_1", "in_progress")
    assert shard.counts == {"total": 2} and shard.keys == ["k1", "k2"] and shard.created_at is not None
    lines = (tmp_path / LEDGER_NAME).read_text().splitlines()
    assert shard.planned_at == json.loads(lines[0])["at"] and shard.at == json.loads(lines[-1])["at"]
    again = Ledger(tmp_path)
    again.record("collected", "u2f-a", outcome="expired", results=["file-2"])
    again.record("ingested", "u2f-a", ok=1, errors=1, cost=0.1)
    assert not again.open_shards() and again.shards["u2f-a"].outcome == "expired"


def test_a_torn_last_line_is_a_step_that_did_not_happen(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path)
    _plan(ledger)
    ledger.close()
    with open(tmp_path / LEDGER_NAME, "ab") as f:
        f.write(b'{"step":"uploaded","shard":"u2f-a","at":1,"file_')  # killed mid-write
    reread = Ledger(tmp_path)
    assert reread.shards["u2f-a"].step == "planned"
    reread.record("uploaded", "u2f-a", file_id="file-9")  # starts on a line of its own
    assert Ledger(tmp_path).shards["u2f-a"].file_id == "file-9"


def test_a_bad_line_elsewhere_names_the_file_and_line(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path)
    _plan(ledger)
    ledger.close()
    with open(tmp_path / LEDGER_NAME, "ab") as f:
        f.write(b"not json\n")
    with pytest.raises(RunError, match=r"batches\.jsonl: line 2"):
        Ledger(tmp_path)


def test_a_step_of_an_unplanned_shard_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RunError, match="never planned"):
        Ledger(tmp_path).record("uploaded", "u2f-x", file_id="f")
