"""``u2fast score`` stores its scores with what they were made from (``scores.cache``), and ``u2fast
report`` takes them instead of bootstrapping the run again only for those very files and options."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import msgspec
import pytest

from u2fast.folder_scoring import ScoringOptions, folder_digest, scoring_basis, stored_scores
from u2fast.runfolder import JOURNAL, SCORES_CACHE, read_manifest

MARK = 0.123456789


def _u2fast(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "u2fast.cli", *args], capture_output=True, text=True, check=True,
                          env=env)


def _report_u2(run: Path, *flags: str, env: dict[str, str] | None = None) -> float:
    out = json.loads(_u2fast("report", str(run), "--bootstrap", "0", "--format", "json", *flags, env=env).stdout)
    return float(out["models"][0]["u2"]["value"])


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("stored")
    _u2fast("eval", "--quiet", "--runs-dir", str(root), "--name", "r", "--tasks", "DD,CVE", "--bootstrap", "0")
    return root / "r"


def _mark_stored_u2(run: Path) -> None:
    """Overwrite the stored U2 (keeping the basis), so a report that shows MARK took the stored scores."""
    path = run / SCORES_CACHE
    stored = msgspec.msgpack.decode(path.read_bytes())
    for model in stored["scores"]["models"].values():
        model["u2"]["value"] = MARK
    path.write_bytes(msgspec.msgpack.encode(stored))


def test_score_stores_the_scores_under_the_basis_of_its_files_and_options(run: Path) -> None:
    _u2fast("score", str(run), "--bootstrap", "0", "--json")
    options = ScoringOptions(n_resamples=0).for_run(read_manifest(run))
    kept = stored_scores(run, scoring_basis(folder_digest(run), options))
    assert kept is not None and kept.n_resamples == 0
    assert stored_scores(run, scoring_basis(folder_digest(run), ScoringOptions(n_resamples=0, seed=1))) is None
    # a plugin parser's code is not in the basis: such scores are never stored for reuse
    assert scoring_basis(folder_digest(run), ScoringOptions(parsers={"DD": "other"})) is None


def test_report_reuses_stored_scores_only_for_the_same_files_and_options(run: Path) -> None:
    _u2fast("score", str(run), "--bootstrap", "0", "--json")
    real = _report_u2(run)
    _mark_stored_u2(run)
    assert _report_u2(run) == MARK  # same files, same options: the stored aggregate is used
    assert _report_u2(run, "--seed", "3") == real  # other options: scored again
    journal = run / JOURNAL
    lines = journal.read_text(encoding="utf-8").splitlines(keepends=True)
    journal.write_text("".join(reversed(lines)), encoding="utf-8")  # the same answers, other bytes
    assert _report_u2(run) == real


def test_stored_scores_are_reused_only_under_the_same_scorer_build(run: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import u2fast.folder_scoring as folder_scoring

    _u2fast("score", str(run), "--bootstrap", "0", "--json")
    options = ScoringOptions(n_resamples=0).for_run(read_manifest(run))
    assert stored_scores(run, scoring_basis(folder_digest(run), options)) is not None  # the build that stored them
    monkeypatch.setattr(folder_scoring, "scorer_fingerprint", lambda: "another build")
    assert stored_scores(run, scoring_basis(folder_digest(run), options)) is None
    monkeypatch.setattr(folder_scoring, "scorer_fingerprint", lambda: None)  # a build that could not be read
    assert scoring_basis(folder_digest(run), options) is None


def test_report_scores_again_after_the_scorer_changed_without_a_version_bump(run: Path, tmp_path: Path) -> None:
    """An editable checkout: the same package copied elsewhere reuses the stored scores (same build);
    once a scoring source is edited, the report scores again."""
    import u2fast

    checkout = tmp_path / "checkout"
    shutil.copytree(Path(u2fast.__file__).parent, checkout / "u2fast", ignore=shutil.ignore_patterns("__pycache__"))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(checkout), os.environ.get("PYTHONPATH", "")])}
    _u2fast("score", str(run), "--bootstrap", "0", "--json")
    real = _report_u2(run)
    _mark_stored_u2(run)
    assert _report_u2(run, env=env) == MARK  # byte-identical sources and core: the same build
    source = checkout / "u2fast" / "scoring" / "scores.py"
    source.write_text(source.read_text(encoding="utf-8") + "\n# edited in place, version unchanged\n", encoding="utf-8")
    assert _report_u2(run, env=env) == real


def test_an_unreadable_cache_is_not_used(run: Path) -> None:
    _u2fast("score", str(run), "--bootstrap", "0", "--json")
    real = _report_u2(run)
    (run / SCORES_CACHE).write_bytes(b"\x00 not msgpack")
    assert _report_u2(run) == real


def test_paused_gc_pauses_the_collector_and_restores_it_even_on_error() -> None:
    import gc

    from u2fast.folder_scoring import paused_gc

    seen: list[bool] = []

    @paused_gc()
    def work(fail: bool) -> None:
        seen.append(gc.isenabled())
        if fail:
            raise ValueError("boom")

    assert gc.isenabled()
    work(False)
    with pytest.raises(ValueError):
        work(True)
    assert seen == [False, False] and gc.isenabled()
    gc.disable()
    try:
        work(False)
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()
