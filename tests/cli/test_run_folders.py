"""Run folders through the real ``u2fast`` command (issue 9 items 1, 2, 3, 6, 10, 11)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from cli_support import cli_env, run_cli

from u2fast.data.images import text_digest
from u2fast.testing import FakeProvider, ReceivedRequest


def u2fast(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return run_cli([sys.executable, "-m", "u2fast.cli", *args], env or cli_env(), timeout=180)


def folder_bytes(run_dir: Path) -> dict[str, bytes]:
    """Every file of a run folder but its lock, by name."""
    return {p.name: p.read_bytes() for p in sorted(run_dir.iterdir()) if p.is_file() and p.name != ".lock"}


def manifest_of(run_dir: Path) -> dict[str, Any]:
    return json.loads((run_dir / "manifest.json").read_text())


# ---------------------------------------------------------------------- item 1: the lock comes first


def test_a_refused_second_eval_leaves_the_first_runs_files_byte_identical(runs: Path) -> None:
    arrived, release = threading.Event(), threading.Event()

    def held_answer(request: ReceivedRequest) -> str:
        arrived.set()  # the first eval holds its lock and has written its setup: it is sending
        release.wait(60)
        return "A"

    env = cli_env(OPENAI_API_KEY="sk-lock-test")
    with FakeProvider(answer=held_answer) as fake:
        common = ["--model", "openai:gpt-4.1", "--base-url", f"{fake.url}/v1", "--runs-dir", str(runs), "--name", "x",
                  "--limit", "1", "--concurrency", "1", "--bootstrap", "0", "--quiet"]
        first = subprocess.Popen([sys.executable, "-m", "u2fast.cli", "eval", *common, "--tasks", "DD,VRA"], env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            assert arrived.wait(120), "the first eval never sent a request"
            before = folder_bytes(runs / "x")
            second = u2fast("eval", *common, "--tasks", "LL", env=env)
            after = folder_bytes(runs / "x")
        finally:
            release.set()
        _, first_err = first.communicate(timeout=120)
    assert second.returncode == 6, second.stderr
    assert "another u2fast process is writing this run" in second.stderr
    assert after == before  # manifest, cases and journal exactly as the first eval left them
    assert first.returncode == 0, first_err
    assert '"LL"' not in (runs / "x" / "cases.jsonl").read_text()
    scored = u2fast("score", str(runs / "x"), "--bootstrap", "0", "--json")
    assert scored.returncode == 0, scored.stderr


# ---------------------------------------------------------------------- item 3: names


@pytest.mark.parametrize("name", ["../outside", "/tmp/abs", "a/b", "..", "."])
def test_a_path_given_as_name_is_refused(tmp_path: Path, name: str) -> None:
    runs = tmp_path / "runs"
    proc = u2fast("eval", "--runs-dir", str(runs), "--name", name, "--tasks", "DD", "--limit", "1", "--quiet")
    assert proc.returncode == 2, proc.stderr
    assert "--name" in proc.stderr
    assert not runs.exists() and not (tmp_path / "outside").exists()


def test_default_names_of_two_data_folders_with_one_name_differ(tmp_path: Path) -> None:
    for folder, seed in (("a", "1"), ("b", "2")):
        made = u2fast("data", "sample", "--out", str(tmp_path / folder / "small"), "--cases", "50", "--seed", seed,
                      "--no-pydicom-data")
        assert made.returncode == 0, made.stderr
    runs = tmp_path / "runs"
    for folder in ("a", "b"):
        proc = u2fast("eval", "--data", str(tmp_path / folder / "small"), "--runs-dir", str(runs), "--bootstrap", "0",
                      "--quiet")
        assert proc.returncode == 0, proc.stderr
    names = sorted(p.name for p in runs.iterdir())
    assert len(names) == 2 and all(n.startswith("random_uniform-small-") for n in names)


def _eval(runs: Path, name: str, *extra: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return u2fast("eval", "--runs-dir", str(runs), "--name", name, "--bootstrap", "0", "--quiet", *extra, env=env)


# ---------------------------------------------------------------------- item 3: one data set and one setup per folder


def test_a_folder_takes_more_models_and_cases_but_refuses_another_setup(runs: Path) -> None:
    first = _eval(runs, "n", "--tasks", "DD", "--limit", "2")
    assert first.returncode == 0, first.stderr
    added = _eval(runs, "n", "--tasks", "VRA", "--limit", "2", "--model", "random:second")
    assert added.returncode == 0, added.stderr
    cases = (runs / "n" / "cases.jsonl").read_text()
    assert '"task":"DD"' in cases and '"task":"VRA"' in cases  # the union: the DD answers are still scored
    scored = json.loads(u2fast("score", str(runs / "n"), "--bootstrap", "0", "--json").stdout)
    def asked(model: str) -> set[str]:
        return {t for t, v in scored["models"][model]["tasks"].items() if v["n"]}

    assert asked("random:uniform") == {"DD"} and asked("random:second") == {"VRA"}  # each on what it was asked

    before = folder_bytes(runs / "n")
    for flags, named in ((["--temperature", "0.5"], "--temperature"), (["--max-side", "32"], "--max-side"),
                         (["--seed", "3"], "--seed"), (["--prompt-variant", "no-role"], "--prompt-variant")):
        refused = _eval(runs, "n", "--tasks", "DD", "--limit", "2", *flags)
        assert refused.returncode == 6, (flags, refused.stderr)
        assert named in refused.stderr and "another --name" in refused.stderr
    assert folder_bytes(runs / "n") == before



def test_the_answer_format_and_coordinate_convention_stay_with_the_folder(runs: Path) -> None:
    env = cli_env(OPENAI_API_KEY="sk-format-test")
    with FakeProvider() as fake:
        common = ["--base-url", f"{fake.url}/v1", "--runs-dir", str(runs), "--name", "b", "--tasks", "LL",
                  "--limit", "1", "--bootstrap", "0", "--quiet"]
        box = ["--answer-format", "box", "--coords", "xyxy-px"]
        first = u2fast("eval", "--model", "openai:gpt-4.1", *common, *box, env=env)
        assert first.returncode == 0, first.stderr
        sent = fake.counts["requests"]
        before = folder_bytes(runs / "b")
        # both shape the LL/OD/KD prompts: another one was accepted, its answers mixed into the folder and
        # the earlier box answers scored as sectors
        for flags, named in (([], "--answer-format"), (["--answer-format", "point", "--coords", "xyxy-px"], "--answer-format"),
                             (["--answer-format", "box"], "--coords"),
                             (["--answer-format", "box", "--coords", "yxyx-norm1000"], "--coords")):
            refused = u2fast("eval", "--model", "openai:gpt-4.1", *common, *flags, env=env)
            assert refused.returncode == 6, (flags, refused.stderr)
            assert f"made with {named}" in refused.stderr
        assert folder_bytes(runs / "b") == before and fake.counts["requests"] == sent
        # --resume continues with the recorded format (it rebuilt sector prompts and sent them all again)
        resumed = u2fast("eval", "--resume", str(runs / "b"), "--quiet", env=env)
        assert resumed.returncode == 0, resumed.stderr
        assert fake.counts["requests"] == sent
        assert (runs / "b" / "cases.jsonl").read_bytes() == before["cases.jsonl"]
        # a model added later keeps the earlier model's convention beside its own
        added = u2fast("eval", "--model", "openai:gpt-4o", *common, *box, env=env)
        assert added.returncode == 0, added.stderr
        # a model's convention from the config file is the model's own: changing it is refused too
        plain = ["--model", "openai:gpt-4.1", *common[:5], "c", *common[6:], "--answer-format", "box"]
        assert u2fast("eval", *plain, env=env).returncode == 0
        config = runs / "coords.toml"
        config.write_text('[models."openai:gpt-4.1"]\ncoords = "yxyx-norm1000"\n')
        refused = u2fast("eval", *plain, "--config", str(config), env=env)
        assert refused.returncode == 6 and "coordinate convention of openai:gpt-4.1" in refused.stderr
    manifest = manifest_of(runs / "b")
    assert manifest["answer_format"] == "box"
    assert manifest["coords"] == {"openai:gpt-4.1": "xyxy-px", "openai:gpt-4o": "xyxy-px"}

def test_a_folder_refuses_another_data_set(runs: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    made = u2fast("data", "sample", "--out", str(other), "--cases", "50", "--seed", "5", "--no-pydicom-data")
    assert made.returncode == 0, made.stderr
    assert _eval(runs, "d", "--tasks", "DD", "--limit", "1").returncode == 0
    before = folder_bytes(runs / "d")
    refused = _eval(runs, "d", "--data", str(other), "--tasks", "DD", "--limit", "1")
    assert refused.returncode == 6, refused.stderr
    assert "another version of the data" in refused.stderr or "shares no case" in refused.stderr
    assert folder_bytes(runs / "d") == before


# ---------------------------------------------------------------------- item 2: the key covers what is sent


def test_adapter_options_and_endpoint_are_part_of_the_request(runs: Path, tmp_path: Path) -> None:
    env = cli_env(OPENAI_API_KEY="sk-key-test")
    with FakeProvider() as fake:
        config = tmp_path / "eval.toml"
        config.write_text('[models."openai:gpt-4.1"]\noptions = { reasoning_effort = "low" }\n')
        base = ["--model", "openai:gpt-4.1", "--base-url", f"{fake.url}/v1", "--tasks", "DD", "--limit", "1"]
        assert _eval(runs, "o", *base, env=env).returncode == 0
        sent = len(fake.received())
        refused = _eval(runs, "o", *base, "--config", str(config), env=env)
        assert refused.returncode == 6, refused.stderr
        assert "reasoning_effort" in refused.stderr
        # in a folder of its own the new option is sent, not answered from the cache
        fresh = _eval(runs, "o2", *base, "--config", str(config), env=env)
        assert fresh.returncode == 0, fresh.stderr
        assert len(fake.received()) > sent
    recorded = manifest_of(runs / "o2")
    assert recorded["key_recipe"] == 2
    assert recorded["setup"]["models"]["openai:gpt-4.1"]["options"] == {"reasoning_effort": "low"}


def test_resume_accepts_the_recorded_base_url_with_other_credentials_only(runs: Path) -> None:
    env = cli_env()  # the URL carries the credential
    with FakeProvider() as fake:
        url = fake.url.replace("http://", "http://user:first-secret-123@") + "/v1"
        assert _eval(runs, "u", "--model", "openai:gpt-4.1", "--base-url", url, "--tasks", "DD", "--limit", "1",
                     env=env).returncode == 0
        assert "first-secret-123" not in (runs / "u" / "manifest.json").read_text()
        missing = u2fast("eval", "--resume", str(runs / "u"), "--quiet", env=env)
        assert missing.returncode == 2 and "--base-url" in missing.stderr
        again = u2fast("eval", "--resume", str(runs / "u"), "--base-url",
                       fake.url.replace("http://", "http://user:other-secret-456@") + "/v1",
                       "--quiet", env=env)
        assert again.returncode == 0, again.stderr
        elsewhere = u2fast("eval", "--resume", str(runs / "u"), "--base-url", "http://127.0.0.1:9/v1", "--quiet",
                           env=env)
    assert elsewhere.returncode == 2 and "not the recorded endpoint" in elsewhere.stderr


# ---------------------------------------------------------------------- item 6: what --resume may change


def test_resume_honours_new_limits_and_refuses_request_flags(runs: Path) -> None:
    from u2fast.testing import FailFirst

    env = cli_env(OPENAI_API_KEY="sk-resume-test")
    with FakeProvider(faults=FailFirst("server_error", times=2)) as fake:
        first = _eval(runs, "r", "--model", "openai:gpt-4.1", "--base-url", f"{fake.url}/v1", "--tasks", "DD",
                      "--limit", "1", "--max-attempts", "1", env=env)
        assert first.returncode == 8, first.stderr  # nothing answered: every first attempt failed
        refused = u2fast("eval", "--resume", str(runs / "r"), "--temperature", "0.7", "--tasks", "VRA", env=env)
        assert refused.returncode == 2
        assert "--temperature" in refused.stderr and "--tasks" in refused.stderr
        again = u2fast("eval", "--resume", str(runs / "r"), "--max-attempts", "3", "--max-cost", "5", "--json",
                       env=env)
    assert again.returncode == 0, again.stderr
    model = json.loads(again.stdout)["scores"]["models"]["openai:gpt-4.1"]
    assert model["error_rate"] == 0.0  # the third attempt of each request was answered
    limits = manifest_of(runs / "r")["setup"]["limits"]
    assert limits["max_attempts"] == 3 and limits["max_cost"] == 5.0


# ---------------------------------------------------------------------- item 10: a damaged journal


def test_repair_journal_moves_unreadable_lines_aside(runs: Path) -> None:
    assert _eval(runs, "j", "--tasks", "DD", "--limit", "2").returncode == 0
    journal = runs / "j" / "journal.jsonl"
    lines = journal.read_bytes().splitlines(keepends=True)
    journal.write_bytes(lines[0] + b'{"key": "half a rec\n' + b"".join(lines[1:]))
    blocked = u2fast("score", str(runs / "j"))
    assert blocked.returncode == 6
    assert "line 2" in blocked.stderr and "--repair-journal" in blocked.stderr
    repaired = u2fast("eval", "--resume", str(runs / "j"), "--repair-journal", "--quiet")
    assert repaired.returncode == 0, repaired.stderr
    assert "moved 1 unreadable journal line" in repaired.stderr
    assert (runs / "j" / "journal.rejected.jsonl").read_bytes() == b'{"key": "half a rec\n'
    assert u2fast("score", str(runs / "j")).returncode == 0


# ---------------------------------------------------------------------- item 11: images checked when read again


def test_data_regenerated_in_place_shows_placeholders_and_is_refused_on_eval(runs: Path, tmp_path: Path) -> None:
    import shutil

    data = tmp_path / "data"
    sample = ("data", "sample", "--out", str(data), "--cases", "50", "--no-pydicom-data")
    assert u2fast(*sample, "--seed", "1").returncode == 0
    assert _eval(runs, "i", "--data", str(data)).returncode == 0
    shutil.rmtree(data)
    assert u2fast(*sample, "--seed", "2").returncode == 0  # same files and case ids, other images
    html = tmp_path / "r.html"
    report = u2fast("report", str(runs / "i"), "--html", str(html))
    assert report.returncode == 0, report.stderr
    changed = set()
    for line in (runs / "i" / "cases.jsonl").read_text().splitlines():
        image = json.loads(line)["case"]["image"]
        with open(image["path"], "rb") as fh:
            fh.seek(image["offset"])
            if text_digest(fh.read(image["length"])) != image["stored_blake3"]:
                changed.add(image["sha256"])
    assert changed  # the regenerated data holds other images at the recorded places
    assert f"{len(changed)} image(s) shown as placeholders" in report.stderr  # never another case's image
    again = u2fast("eval", "--resume", str(runs / "i"), "--quiet")
    assert again.returncode == 6 and "another version of the data" in again.stderr


def test_a_box_folder_from_before_the_setup_recorded_its_format_takes_the_same_eval(runs: Path) -> None:
    env = cli_env(OPENAI_API_KEY="sk-format-test")
    with FakeProvider() as fake:
        common = ["--model", "openai:gpt-4.1", "--base-url", f"{fake.url}/v1", "--runs-dir", str(runs), "--name", "o",
                  "--tasks", "LL", "--limit", "1", "--bootstrap", "0", "--quiet", "--answer-format", "box",
                  "--coords", "xyxy-px"]
        assert u2fast("eval", *common, env=env).returncode == 0
        sent = fake.counts["requests"]
        manifest = manifest_of(runs / "o")  # as the version before the setup's answer format and coords wrote it
        for field in ("answer_format", "coords"):
            manifest["setup"].pop(field, None)
        for model in manifest["setup"]["models"].values():
            model.pop("coords", None)
        (runs / "o" / "manifest.json").write_text(json.dumps(manifest))
        # the same eval again: it was refused, the missing setting read as another --coords
        again = u2fast("eval", *common, env=env)
        assert again.returncode == 0, again.stderr
        resumed = u2fast("eval", "--resume", str(runs / "o"), "--quiet", env=env)
        assert resumed.returncode == 0, resumed.stderr
        assert fake.counts["requests"] == sent
