"""``u2fast.evaluate``: the eval as a library call, from plain code and from a running event loop; the observer
hooks ``u2fast_run_started``/``u2fast_run_finished`` it calls."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import u2fast
from u2fast import plugins
from u2fast.errors import ConfigError
from u2fast.hookspecs import hookimpl
from u2fast.scoring.scores import RunScores
from u2fast.types import RunManifest


def test_evaluate_writes_a_run_folder_and_returns_its_scores(tmp_path: Path) -> None:
    result = u2fast.evaluate("random:uniform", tasks=["DD"], runs_dir=tmp_path, name="api", limit=1, bootstrap=0)
    assert result.run_dir == tmp_path / "api"
    assert (result.run_dir / "journal.jsonl").is_file()
    assert result.manifest.status == "finished" and result.manifest.setup is not None
    assert result.manifest.setup.tasks == ("DD",) and result.manifest.setup.limit == 1
    scores = result.scores.models["random:uniform"]
    assert scores.n > 0
    assert not result.outcome.stopped



def test_evaluate_warns_when_a_model_got_no_answer(tmp_path: Path) -> None:
    import json
    import warnings

    from u2fast.evaluation import EvalProblemWarning

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a run where everything was answered warns of nothing
        answered = u2fast.evaluate(["random:uniform"], tasks=["DD"], runs_dir=tmp_path, name="ok", limit=1, bootstrap=0)
    ids = [json.loads(line)["case"]["case_id"] for line in (answered.run_dir / "cases.jsonl").read_text().splitlines()]
    failures = tmp_path / "failures.jsonl"
    failures.write_text("".join(json.dumps({"case_id": i, "error": "HTTP 503 upstream down"}) + "\n" for i in ids))
    # the CLI says it after the leaderboard and exits 8; the library call returned null scores silently
    with pytest.warns(EvalProblemWarning, match=f"0 of {len(ids)} answered") as caught:
        failed = u2fast.evaluate([f"replay:{failures}"], tasks=["DD"], runs_dir=tmp_path, name="failed", limit=1,
                                 bootstrap=0)
    assert failed.scores is not None and failed.scores.models[f"replay:{failures}"].answered == 0
    assert "upstream down" in str(caught[0].message)

def test_evaluate_works_inside_a_running_event_loop(tmp_path: Path) -> None:
    async def notebook_cell() -> u2fast.EvalResult:
        return u2fast.evaluate(["random:uniform"], tasks=["VRA"], runs_dir=tmp_path, limit=1, bootstrap=0)

    result = asyncio.run(notebook_cell())
    assert result.scores.models["random:uniform"].n > 0


def test_an_unknown_option_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="temprature"):
        u2fast.evaluate("random:uniform", runs_dir=tmp_path, temprature=0.5)


class _Observer:
    """A plugin that only observes: records what each hook was given (and what the folder held then)."""

    def __init__(self, fail_with: str | None = None) -> None:
        self.events: list[tuple[str, str, object]] = []
        self.fail_with = fail_with

    @hookimpl
    def u2fast_run_started(self, manifest: RunManifest) -> None:
        self.events.append(("started", manifest.status, manifest.name))
        if self.fail_with:
            raise RuntimeError(self.fail_with)

    @hookimpl
    def u2fast_run_finished(self, manifest: RunManifest, scores: RunScores) -> None:
        self.events.append(("finished", manifest.status, scores))


@pytest.fixture()
def observers() -> Iterator[tuple[_Observer, _Observer]]:
    broken, quiet = _Observer(fail_with="cannot reach https://user:hunter2@hooks.example/"), _Observer()
    plugins.reset_registry(plugins.build_registry(extra_plugins=(broken, quiet)))
    yield broken, quiet
    plugins.reset_registry()


def test_observers_hear_the_start_and_the_scored_end_of_an_eval(
    tmp_path: Path, observers: tuple[_Observer, _Observer], capsys: pytest.CaptureFixture[str]
) -> None:
    broken, quiet = observers
    result = u2fast.evaluate("random:uniform", tasks=["DD"], runs_dir=tmp_path, name="hooks", limit=1, bootstrap=0)
    assert quiet.events == [("started", "running", "hooks"), ("finished", "finished", result.scores)]
    # An observer that raises is named on screen (its credential masked); the others and the run go on.
    assert [e[0] for e in broken.events] == ["started", "finished"]
    err = capsys.readouterr().err
    assert "plugin extra-0 failed in u2fast_run_started: RuntimeError: cannot reach https://" in err
    assert "hunter2" not in err
    assert result.manifest.status == "finished"


def test_the_u2fast_command_calls_an_installed_plugins_observers(tmp_path: Path) -> None:
    """Through the real command, with the plugin installed as a distribution (its entry point in the
    ``u2fast`` group), as a user's observer plugin would be."""
    site = tmp_path / "site"
    (site / "hookwatch-0.1.dist-info").mkdir(parents=True)
    (site / "hookwatch-0.1.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: hookwatch\nVersion: 0.1\n")
    (site / "hookwatch-0.1.dist-info" / "entry_points.txt").write_text("[u2fast]\nhookwatch = hookwatch\n")
    (site / "hookwatch.py").write_text(
        "import os\nfrom u2fast.hookspecs import hookimpl\n\n"
        "def _log(line):\n    with open(os.environ['HOOKWATCH_LOG'], 'a') as f:\n        f.write(line + '\\n')\n\n"
        "@hookimpl\ndef u2fast_run_started(manifest):\n    _log(f'started {manifest.status} {manifest.name}')\n\n"
        "@hookimpl\ndef u2fast_run_finished(manifest, scores):\n"
        "    _log(f'finished {manifest.status} {scores.models[\"random:uniform\"].n}')\n"
    )
    log = tmp_path / "hooks.log"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]),
           "HOOKWATCH_LOG": str(log)}
    cmd = [sys.executable, "-m", "u2fast.cli", "eval", "--model", "random:uniform", "--tasks", "DD", "--limit", "1",
           "--bootstrap", "0", "--quiet", "--runs-dir", str(tmp_path / "runs"), "--name", "watched"]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    started, finished = log.read_text().splitlines()
    assert started == "started running watched"
    assert finished.startswith("finished finished ") and int(finished.split()[-1]) > 0
