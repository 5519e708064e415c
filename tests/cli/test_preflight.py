"""Mistakes caught before anything is sent (issue 9 item 8): each message names the bad value and
the valid ones, the server sees no request and no run folder is written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import cli_env, run_cli

from u2fast.exit_codes import ExitCode
from u2fast.testing import FakeProvider

KEY = "sk-preflight-test-0001"


def _eval(runs: Path, url: str, *extra: str) -> list[str]:
    return [sys.executable, "-m", "u2fast.cli", "eval", "--model", "openai:gpt-4.1", "--base-url", url,
            "--limit", "1", "--runs-dir", str(runs), "--name", "pre", "--bootstrap", "0", "--quiet", *extra]


@pytest.mark.parametrize(
    ("flags", "code", "says"),
    [
        (["--parser", "DD=foo"], ExitCode.PLUGIN, ["--parser DD=foo", "'foo'", "intern-options"]),
        (["--parser", "DX=robust"], ExitCode.CONFIG, ["'DX'", "DD, VRA, LL"]),
        (["--tasks", "DX"], ExitCode.CONFIG, ["--tasks", "'DX'", "DD, VRA, LL, OD, KD, CVE, RG, CG"]),
        (["--datasets", "99"], ExitCode.CONFIG, ["--datasets", "'99'", "04, 09", "DD/21"]),
        (["--tasks", "DD", "--datasets", "09"], ExitCode.CONFIG, ["OD/09", "outside --tasks DD"]),
    ],
)
def test_a_bad_choice_is_refused_before_sending(runs: Path, flags: list[str], code: int, says: list[str]) -> None:
    with FakeProvider() as fake:
        proc = run_cli(_eval(runs, fake.url + "/v1", *flags), cli_env(OPENAI_API_KEY=KEY))
        sent = len(fake.received())
    assert proc.returncode == code, proc.stderr
    assert all(s in proc.stderr for s in says), proc.stderr
    assert sent == 0 and not (runs / "pre").exists()


def test_a_valid_data_set_the_data_do_not_hold_is_named(runs: Path, tmp_path: Path) -> None:
    sample = tmp_path / "small"
    assert run_cli([sys.executable, "-m", "u2fast.cli", "data", "sample", "--cases", "8", "--out", str(sample)],
                   cli_env()).returncode == 0
    with FakeProvider() as fake:
        proc = run_cli(_eval(runs, fake.url + "/v1", "--data", str(sample), "--datasets", "21,75"),
                       cli_env(OPENAI_API_KEY=KEY))
        sent = len(fake.received())
    assert proc.returncode == ExitCode.CONFIG, proc.stderr
    assert "holds no case of" in proc.stderr and sent == 0


def test_a_model_name_without_its_adapter_gets_a_suggestion(runs: Path) -> None:
    argv = [sys.executable, "-m", "u2fast.cli", "eval", "--model", "gpt-4.1", "--runs-dir", str(runs)]
    proc = run_cli(argv, cli_env(OPENAI_API_KEY=KEY))
    assert proc.returncode == ExitCode.PLUGIN
    assert "did you mean openai:gpt-4.1?" in proc.stderr


def test_a_mistyped_data_folder_is_a_data_error_not_a_hub_id(runs: Path, tmp_path: Path) -> None:
    (tmp_path / "mydata" / "u2-bench").mkdir(parents=True)
    argv = [sys.executable, "-m", "u2fast.cli", "eval", "--data", "mydata/u2bench", "--runs-dir", str(runs)]
    proc = subprocess.run(argv, env=cli_env(HF_HUB_OFFLINE="1"), cwd=tmp_path, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == ExitCode.DATA, proc.stderr
    assert "no such file or folder" in proc.stderr and "u2-bench/" in proc.stderr
    assert "hub" not in proc.stderr.lower()
