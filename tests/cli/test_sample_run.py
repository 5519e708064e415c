"""The command line end to end on the bundled sample with the random baseline (offline)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import msgspec
import pytest

from u2fast.cli import main
from u2fast.runfolder import read_cases, read_manifest
from u2fast.types import Completion


def _eval(tmp_path: Path, *extra: str) -> Path:
    rc = main(["eval", "--quiet", "--runs-dir", str(tmp_path), "--name", "r", "--bootstrap", "200", *extra])
    assert rc == 0
    return tmp_path / "r"


def _journal(run: Path) -> list[Completion]:
    lines = (run / "journal.jsonl").read_bytes().splitlines()
    return [msgspec.json.decode(line, type=Completion) for line in lines if line.strip()]


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _eval(tmp_path_factory.mktemp("runs"))


def test_default_eval_writes_a_complete_run_folder(sample_run: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifest = read_manifest(sample_run)
    assert manifest.models == ["random:uniform"]
    assert manifest.n_cases > 0 and manifest.dataset_fingerprint
    assert len(manifest.scenarios) == 50  # the sample covers every scenario
    records = read_cases(sample_run)
    assert len(records) == manifest.n_cases
    journal = _journal(sample_run)
    ok_ids = {c.case_id for c in journal if c.ok}
    assert ok_ids == {r.case.case_id for r in records}
    scores = json.loads((sample_run / "scores.json").read_text())
    model = scores["models"]["random:uniform"]
    assert set(model["tasks"]) == {"DD", "VRA", "LL", "OD", "KD", "CVE", "RG", "CG"}
    assert 0.0 <= model["u2"]["value"] <= 1.0
    assert model["u2"]["low"] <= model["u2"]["value"] <= model["u2"]["high"]
    assert model["error_rate"] == 0.0


def test_rerun_into_same_folder_sends_nothing_new(tmp_path: Path) -> None:
    run = _eval(tmp_path, "--tasks", "DD,CVE")
    before = len(_journal(run))
    _eval(tmp_path, "--tasks", "DD,CVE")
    assert len(_journal(run)) == before
    rc = main(["eval", "--quiet", "--resume", str(run)])
    assert rc == 0 and len(_journal(run)) == before


def test_score_json_is_parseable_and_modes_differ(sample_run: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["score", str(sample_run), "--mode", "compat", "--json", "--bootstrap", "0"]) == 0
    compat = json.loads(capsys.readouterr().out)
    assert compat["mode"] == "compat" and compat["schema"].startswith("u2fast.scores/")
    assert main(["score", str(sample_run), "--json", "--bootstrap", "0"]) == 0
    robust = json.loads(capsys.readouterr().out)
    assert robust["mode"] == "robust"
    assert set(compat["models"]) == set(robust["models"]) == {"random:uniform"}


def test_leaderboard_is_printed(sample_run: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["score", str(sample_run), "--bootstrap", "0"]) == 0
    out = capsys.readouterr().out
    assert "random:uniform" in out and "U2" in out and "CVE" in out


def test_run_folder_is_self_contained(sample_run: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    moved = tmp_path / "elsewhere"
    shutil.copytree(sample_run, moved)
    capsys.readouterr()
    assert main(["score", str(moved), "--json", "--bootstrap", "0"]) == 0
    assert "random:uniform" in json.loads(capsys.readouterr().out)["models"]


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["score", "/nonexistent/run"], 6, "manifest.json is missing"),
        (["eval", "--quiet", "--prompt-variant", "bogus"], 2, "unknown prompt variant"),
        (["eval", "--quiet", "--model", "nosuchadapter:x"], 4, "unknown model adapter"),
        (["eval", "--quiet", "--data", "/nonexistent/folder"], 3, "/nonexistent/folder"),
        (["eval", "--quiet", "--limit", "0"], 2, "--limit"),
    ],
)
def test_errors_have_clear_messages_and_exit_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], code: int, message: str
) -> None:
    rc = main([*argv, "--runs-dir", str(tmp_path)] if argv[0] == "eval" else argv)
    assert rc == code
    assert message in capsys.readouterr().err


def test_data_info_and_plugins_json(capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["data", "info", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info
    assert main(["plugins", "--json"]) == 0
    listing = json.loads(capsys.readouterr().out)
    names = {a["adapter"] for a in listing["adapters"]}
    assert {"random", "replay"} <= names


def test_replay_scores_a_perfect_model(sample_run: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # answers equal to the ground truth must score 1.0 accuracy on every classification task
    from u2fast.types import LabelTarget, SectorTarget, TextTarget, ValueTarget

    rows = []
    for rec in read_cases(sample_run):
        t = rec.case.target
        text = (t.label if isinstance(t, LabelTarget) else t.sector if isinstance(t, SectorTarget)
                else repr(t.value) if isinstance(t, ValueTarget) else t.text if isinstance(t, TextTarget) else "")
        rows.append(json.dumps({"case_id": rec.case.case_id, "text": text}))
    answers = tmp_path / "perfect.jsonl"
    answers.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert main(["eval", "--quiet", "--runs-dir", str(tmp_path), "--name", "p", "--model", f"replay:{answers}",
                 "--bootstrap", "0", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    model = next(iter(out["scores"]["models"].values()))
    for task in ("DD", "VRA", "LL", "OD", "KD"):
        assert model["tasks"][task]["value"]["value"] == pytest.approx(1.0), task
    assert model["tasks"]["CVE"]["value"]["value"] == pytest.approx(0.0, abs=1e-12)
    assert model["tasks"]["RG"]["value"]["value"] == pytest.approx(100.0)
    assert model["u2"]["value"] == pytest.approx(1.0)


def test_console_script_help() -> None:
    exe = shutil.which("u2fast")
    cmd = [exe] if exe else [sys.executable, "-m", "u2fast.cli"]
    out = subprocess.run([*cmd, "eval", "--help"], capture_output=True, text=True, check=True).stdout
    assert "--concurrency" in out and "--resume" in out


def test_official_prompts_missing_key_fails_before_any_request(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    prompts = tmp_path / "prompts"
    prompts.mkdir()
    (prompts / "cla_prompt.json").write_text(json.dumps({"21": "Classify this breast image. options: benign, malignant"}))
    (prompts / "mea_prompt.json").write_text(json.dumps({}))
    rc = main(["eval", "--quiet", "--runs-dir", str(tmp_path), "--name", "o", "--prompts", str(prompts)])
    assert rc == 2
    assert "mea_prompt" in capsys.readouterr().err
    assert not (tmp_path / "o" / "journal.jsonl").exists()


def test_official_prompts_are_used_verbatim(tmp_path: Path) -> None:
    prompts = tmp_path / "prompts"
    prompts.mkdir()
    text = "Classify this breast image. options: benign, malignant"
    (prompts / "cla_prompt.json").write_text(json.dumps({"21": text}))
    (prompts / "mea_prompt.json").write_text("{}")
    from u2fast.preparation import EvalOptions, prepare_run

    prepared = prepare_run(EvalOptions(runs_dir=tmp_path, name="v", prompts_dir=prompts, tasks=("DD",), datasets=("21",)))
    requests = prepared.plan["random:uniform"]
    assert requests and all(r.prompt.text == text for r in requests)
    manifest = prepared.manifest
    assert manifest.prompt_source == "official"
    assert list(manifest.scenarios) == ["DD/21"]


def test_bbox_choices_follow_the_loader() -> None:
    from u2fast.cli import _BBOX_FORMATS
    from u2fast.data import BBOX_FORMATS

    assert tuple(_BBOX_FORMATS) == tuple(BBOX_FORMATS)


def test_data_info_reports_bad_rows_and_strict_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "release" / "disease_diagnosis"
    folder.mkdir(parents=True)
    (folder / "21.tsv").write_text("index\tdataset_name\timg_data\tclass_label\n0\t21\tnot base64!!\tbenign\n")
    capsys.readouterr()
    assert main(["data", "info", "--data", str(tmp_path / "release"), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["cases"] == 0 and info["skipped"]["count"] == 1
    assert main(["data", "info", "--data", str(tmp_path / "release"), "--strict"]) == 3
    err = capsys.readouterr().err
    assert "21.tsv: row 0: field 'img_data'" in err


def test_data_sample_writes_release_layout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "s"
    assert main(["data", "sample", "--cases", "60", "--out", str(out), "--no-pydicom-data", "--json"]) == 0
    assert (out / "disease_diagnosis").is_dir() and (out / "caption_generation").is_dir()
    capsys.readouterr()
    assert main(["data", "info", "--data", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["cases"] == 60
    assert main(["data", "sample", "--cases", "5", "--out", str(out)]) == 2  # never overwrites a folder


def test_http_request_repr_hides_credentials() -> None:
    from u2fast.types import HttpRequest

    req = HttpRequest("POST", "https://api.example/v1", {"Authorization": "Bearer sk-secret", "x-goog-api-key": "g-secret"}, b"{}")
    assert "secret" not in repr(req) and "secret" not in str(req)


def test_dry_run_sends_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["eval", "--dry-run", "--json", "--runs-dir", str(tmp_path), "--name", "dry"]) == 0
    estimates = json.loads(capsys.readouterr().out)
    assert estimates[0]["model"] == "random:uniform" and estimates[0]["requests"] == 200
    assert not (tmp_path / "dry").exists()


def test_resume_asks_again_for_a_url_secret_it_did_not_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = "http://user:pw-not-stored-123@127.0.0.1:9/v1?key=k-not-stored-456"
    run = _eval(tmp_path, "--tasks", "DD", "--base-url", url)
    manifest_text = (run / "manifest.json").read_text()
    assert "pw-not-stored-123" not in manifest_text and "k-not-stored-456" not in manifest_text
    assert "REDACTED" in manifest_text
    capsys.readouterr()
    assert main(["eval", "--quiet", "--resume", str(run)]) == 2
    assert "give it again" in capsys.readouterr().err
    assert main(["eval", "--quiet", "--resume", str(run), "--base-url", url]) == 0


def test_alternative_parser_is_selectable(sample_run: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["plugins", "--json"]) == 0
    parsers = {(p["task"], p["name"]) for p in json.loads(capsys.readouterr().out)["parsers"]}
    assert ("DD", "intern-options") in parsers
    assert main(["score", str(sample_run), "--json", "--bootstrap", "0", "--parser", "DD=intern-options"]) == 0
    assert json.loads(capsys.readouterr().out)["models"]["random:uniform"]["tasks"]["DD"]["n"] > 0
    assert main(["score", str(sample_run), "--parser", "DD=nonexistent"]) == 4
    assert "unknown parser 'nonexistent' for task DD" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["score", str(sample_run), "--parser", "DD"])
