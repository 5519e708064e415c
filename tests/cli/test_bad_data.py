"""Bad data on eval (issue 9 item 9): a summary before sending; an empty .tsv or an unterminated
quote skips that file or the damaged rows (named by row number) instead of aborting the load."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from cli_support import cli_env, run_cli

import u2fast.data
from u2fast.exit_codes import ExitCode

SAMPLE = Path(u2fast.data.__file__).parent / "sample_assets"


def _damaged_copy(tmp_path: Path) -> Path:
    data = tmp_path / "release"
    shutil.copytree(SAMPLE, data)
    dd = data / "disease_diagnosis"
    (dd / "23.tsv").write_bytes(b"")  # an empty file
    lines = (dd / "42.tsv").read_text().splitlines(keepends=True)
    cells = lines[3].split("\t")  # data row 2: a quote opened and never closed
    cells[3] = '"' + cells[3]
    lines[3] = "\t".join(cells)
    (dd / "42.tsv").write_text("".join(lines))
    lines = (dd / "66.tsv").read_text().splitlines(keepends=True)
    for i in range(1, len(lines)):  # every image of DD/66 broken: the scenario is left empty
        cells = lines[i].split("\t")
        cells[2] = "@@not-base64@@"
        lines[i] = "\t".join(cells)
    (dd / "66.tsv").write_text("".join(lines))
    return data


def test_eval_skips_damaged_files_and_rows_and_says_so_before_sending(tmp_path: Path) -> None:
    data = _damaged_copy(tmp_path)
    argv = [sys.executable, "-m", "u2fast.cli", "eval", "--data", str(data), "--tasks", "DD",
            "--runs-dir", str(tmp_path / "runs"), "--name", "bad", "--bootstrap", "0", "--quiet", "--dry-run"]
    proc = run_cli(argv, cli_env())
    assert proc.returncode == 0, proc.stderr
    err = proc.stderr
    assert "bad rows skipped" in err
    assert f"{data / 'disease_diagnosis' / '23.tsv'}: 1 skipped" in err
    assert "file skipped: empty file" in err
    assert f"{data / 'disease_diagnosis' / '42.tsv'}: 1 skipped" in err
    assert "row 2" in err and "unterminated quoted cell" in err and "byte" not in err
    assert "DD/66" in err and "no case of it is left" in err
    # rows 0 and 1 of the file with the open quote are still evaluated
    assert run_cli([*argv[:-1]], cli_env()).returncode == 0
    cases = (tmp_path / "runs" / "bad" / "cases.jsonl").read_text()
    assert '"DD/42/0"' in cases and '"DD/42/1"' in cases and '"DD/42/2"' not in cases


def test_strict_makes_a_damaged_file_fatal(tmp_path: Path) -> None:
    data = _damaged_copy(tmp_path)
    argv = [sys.executable, "-m", "u2fast.cli", "eval", "--data", str(data), "--tasks", "DD", "--strict",
            "--runs-dir", str(tmp_path / "runs"), "--dry-run"]
    proc = run_cli(argv, cli_env())
    assert proc.returncode == ExitCode.DATA
    assert "23.tsv" in proc.stderr
