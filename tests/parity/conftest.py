"""One generated release, two replayed official-kit outputs, one u2fast run: shared by the e2e tests.

``gpt`` answers in every messy form (stray whitespace, case, "1.", API failure strings, JSON null,
missing rows); ``mute`` answers "null" to everything (nothing parses as a number or an option).
"""

from __future__ import annotations

import contextlib
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from u2fast.cli import main

from .release_kit import Release, Truth, write_kit_outputs, write_release


def run_cli_err(*argv: str) -> tuple[int, str, str]:
    """``u2fast ARGV`` in this process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def run_cli(*argv: str) -> tuple[int, str]:
    """``u2fast ARGV`` in this process: (exit code, stdout)."""
    code, out, _ = run_cli_err(*argv)
    return code, out


def eval_replay(
    data: Path,
    runs: Path,
    name: str,
    *outputs: Path,
    mode: str = "compat",
    extra: tuple[str, ...] = ("--max-attempts", "1"),
    expect: int = 0,
) -> Path:
    """``u2fast eval --data DATA --model replay:OUT ...``; returns the run folder."""
    models = [a for out in outputs for a in ("--model", f"replay:{out}")]
    code, _ = run_cli(
        "eval",
        "--data",
        str(data),
        *models,
        "--mode",
        mode,
        "--bootstrap",
        "0",
        "--quiet",
        "--runs-dir",
        str(runs),
        "--name",
        name,
        *extra,
    )
    assert code == expect
    return runs / name


def score_json(run: Path, mode: str) -> dict[str, Any]:
    code, out = run_cli("score", str(run), "--mode", mode, "--json", "--bootstrap", "0")
    assert code == 0
    scores: dict[str, Any] = json.loads(out)
    assert scores["mode"] == mode
    return scores


@dataclass(frozen=True)
class KitModel:
    """One replayed model: its name in the run (``replay:<folder>``) and the kit's own rows for it."""

    spec: str
    rows: dict[str, Any]


@dataclass
class KitRun:
    release: Release
    run: Path
    gpt: KitModel
    mute: KitModel
    #: ``u2fast score --json`` of the run, by scoring mode.
    scores: dict[str, dict[str, Any]]

    def truth(self, case_id: str) -> Truth:
        return next(t for t in self.release.truths if t.case_id == case_id)


@pytest.fixture(scope="session")
def kit(tmp_path_factory: pytest.TempPathFactory) -> KitRun:
    root = tmp_path_factory.mktemp("kit")
    release = write_release(root / "release")
    gpt = KitModel(f"replay:{root / 'gpt'}", write_kit_outputs(release, root / "gpt"))
    mute = KitModel(
        f"replay:{root / 'mute'}",
        write_kit_outputs(release, root / "mute", model="mute", drop_every=0, answer=lambda t, k: "null"),
    )
    run = eval_replay(release.root, root / "runs", "kit", root / "gpt", root / "mute")
    return KitRun(release, run, gpt, mute, {mode: score_json(run, mode) for mode in ("compat", "robust")})
