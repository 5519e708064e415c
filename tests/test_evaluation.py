"""``u2fast.evaluate``: the eval as a library call, from plain code and from a running event loop."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

import u2fast
from u2fast.errors import ConfigError


def test_evaluate_writes_a_run_folder_and_returns_its_scores(tmp_path: Path) -> None:
    result = u2fast.evaluate("random:uniform", tasks=["DD"], runs_dir=tmp_path, name="api", limit=1, bootstrap=0)
    assert result.run_dir == tmp_path / "api"
    assert (result.run_dir / "journal.jsonl").is_file()
    assert result.manifest.status == "finished" and result.manifest.setup is not None
    assert result.manifest.setup.tasks == ("DD",) and result.manifest.setup.limit == 1
    scores = result.scores.models["random:uniform"]
    assert scores.n > 0
    assert not result.outcome.stopped


def test_evaluate_works_inside_a_running_event_loop(tmp_path: Path) -> None:
    async def notebook_cell() -> u2fast.EvalResult:
        return u2fast.evaluate(["random:uniform"], tasks=["VRA"], runs_dir=tmp_path, limit=1, bootstrap=0)

    result = asyncio.run(notebook_cell())
    assert result.scores.models["random:uniform"].n > 0


def test_an_unknown_option_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="temprature"):
        u2fast.evaluate("random:uniform", runs_dir=tmp_path, temprature=0.5)
