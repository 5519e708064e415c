"""Run folders written before the typed setup (key recipe 1) still score and report; resuming one says how to upgrade."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from cli_support import cli_env, run_cli


def u2fast(*args: str) -> tuple[int, str, str]:
    proc = run_cli([sys.executable, "-m", "u2fast.cli", *args], cli_env(), timeout=180)
    return proc.returncode, proc.stdout, proc.stderr


def _as_written_before(run_dir: Path) -> None:
    """Rewrite a folder in the layout of 0.1.0 before issue 9: no setup, no key recipe, no stored image hashes."""
    manifest = json.loads((run_dir / "manifest.json").read_text())
    for field in ("setup", "key_recipe"):
        manifest.pop(field)
    (run_dir / "manifest.json").write_text(json.dumps(manifest))
    lines = []
    for line in (run_dir / "cases.jsonl").read_text().splitlines():
        record = json.loads(line)
        record["case"]["image"].pop("stored_sha256", None)
        record["case"]["image"].pop("stored_blake3", None)
        lines.append(json.dumps(record))
    (run_dir / "cases.jsonl").write_text("\n".join(lines) + "\n")


def test_an_old_folder_scores_and_reports_and_resume_names_the_upgrade(runs: Path, tmp_path: Path) -> None:
    rc, _, err = u2fast("eval", "--tasks", "DD,VRA", "--limit", "2", "--runs-dir", str(runs), "--name", "old",
                        "--bootstrap", "0", "--quiet")
    assert rc == 0, err
    new_scores = json.loads(u2fast("score", str(runs / "old"), "--bootstrap", "0", "--json")[1])
    _as_written_before(runs / "old")

    rc, out, err = u2fast("score", str(runs / "old"), "--bootstrap", "0", "--json")
    assert rc == 0, err
    assert json.loads(out)["models"] == new_scores["models"]
    rc, _, err = u2fast("report", str(runs / "old"), "--html", str(tmp_path / "r.html"))
    assert rc == 0, err
    assert "placeholders" not in err  # images are checked by their decoded hash when no stored one is recorded

    rc, _, err = u2fast("eval", "--resume", str(runs / "old"), "--quiet")
    assert rc == 6
    assert "key recipe 1" in err and "another --name" in err and "still read" in err
