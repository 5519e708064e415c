from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from u2fast.adapters.replay import ReplayAdapter, load_replay
from u2fast.errors import ConfigError, DataError
from u2fast.types import GenerationParams, ImageRef, Prompt, Request


def _request(case_id: str) -> Request:
    task, ds, _ = case_id.split("/")
    return Request(key="k", case_id=case_id, dataset_id=ds, task=task, model="replay:x",  # type: ignore[arg-type]
                   prompt=Prompt("", "", ""), images=(ImageRef(sha256="x", mime="image/png"),), params=GenerationParams())


def _write(path: Path, rows: list[object]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_u2fast_rows_joined_by_case_id(tmp_path: Path) -> None:
    f = _write(tmp_path / "a.jsonl", [{"case_id": "DD/21/1", "text": "malignant"}, {"case_id": "DD/21/0", "text": "benign"},
                                      {"case_id": "DD/21/2", "error": "HTTP 500"}])
    adapter = ReplayAdapter(str(f))
    assert asyncio.run(adapter.generate(_request("DD/21/0"), ())).text == "benign"
    assert asyncio.run(adapter.generate(_request("DD/21/1"), ())).text == "malignant"
    failed = asyncio.run(adapter.generate(_request("DD/21/2"), ()))
    assert failed.text is None and failed.error is not None and failed.error.kind == "replayed_error"
    missing = asyncio.run(adapter.generate(_request("DD/21/9"), ()))
    assert missing.error is not None and missing.error.kind == "missing_answer"


def test_official_output_folder_joined_by_id_not_position(tmp_path: Path) -> None:
    # rows out of order and one dropped: a positional join would shift every label
    _write(tmp_path / "cla" / "21" / "gpt-4o" / "multimodal_test_results_1.jsonl",
           [{"id": "2", "response": "malignant"}, {"id": "0", "response": "benign"}])
    _write(tmp_path / "seg" / "18" / "gpt-4o" / "r.jsonl", [{"id": "0", "response": "upper left"}])
    _write(tmp_path / "measurement" / "18" / "gpt-4o" / "r.jsonl", [{"id": "0", "response": "55"}])
    _write(tmp_path / "report" / "10" / "gpt-4o" / "r.jsonl", [{"id": "0", "response": "API调用失败: 500"}])
    table = load_replay(tmp_path)
    assert table["DD/21/0"].text == "benign"
    assert table["DD/21/2"].text == "malignant"
    assert "DD/21/1" not in table
    assert table["OD/18/0"].text == "upper left"  # dataset 18 in seg is organ detection
    assert table["CVE/18/0"].text == "55"
    assert table["CG/10/0"].error is not None and table["CG/10/0"].text is None
    assert table["CG/10/0"].error.message == "API调用失败: 500"  # kept verbatim for compat scoring


def test_official_rows_in_one_file_need_task_and_dataset(tmp_path: Path) -> None:
    good = _write(tmp_path / "g.jsonl", [{"id": 3, "task": "VRA", "dataset": "3", "response": "other"}])
    assert load_replay(good)["VRA/03/3"].text == "other"
    bad = _write(tmp_path / "b.jsonl", [{"id": 3, "response": "other"}])
    with pytest.raises(DataError, match="b.jsonl:1"):
        load_replay(bad)


def test_bad_input_names_file_and_line(tmp_path: Path) -> None:
    f = tmp_path / "x.jsonl"
    f.write_text('{"case_id": "DD/21/0", "text": "benign"}\n{not json\n', encoding="utf-8")
    with pytest.raises(DataError, match=r"x.jsonl: line 2"):
        load_replay(f)
    f.write_text('{"case_id": "DD/21/0", "text": "benign"}\n\n["DD/21/1", "malignant"]\n', encoding="utf-8")
    with pytest.raises(DataError, match=r"x.jsonl: line 3: not a JSON object"):
        load_replay(f)
    f.write_bytes(b'{"case_id": "DD/21/0", "text": "b\xe9nin"}\n')  # not UTF-8
    with pytest.raises(DataError, match=r"x.jsonl: line 1"):
        load_replay(f)
    conflict = _write(tmp_path / "c.jsonl", [{"case_id": "DD/21/0", "text": "benign"}, {"case_id": "DD/21/0", "text": "malignant"}])
    with pytest.raises(DataError, match="appears twice"):
        load_replay(conflict)
    with pytest.raises(ConfigError):
        load_replay(tmp_path / "nope.jsonl")
    with pytest.raises(DataError, match="no U2-Bench scenario"):
        _write(tmp_path / "d" / "cla" / "99" / "m" / "r.jsonl", [{"id": "0", "response": "x"}])
        load_replay(tmp_path / "d")


def test_multi_model_folder_needs_a_selector(tmp_path: Path) -> None:
    for model, answer in (("gpt-4o", "benign"), ("claude", "malignant")):
        _write(tmp_path / "cla" / "21" / model / "multimodal_test_results_1.jsonl", [{"id": "0", "response": answer}])
    with pytest.raises(ConfigError, match=r"claude, gpt-4o.*#MODEL"):
        load_replay(tmp_path)
    assert load_replay(tmp_path, "claude")["DD/21/0"].text == "malignant"
    assert asyncio.run(ReplayAdapter(f"{tmp_path}#gpt-4o").generate(_request("DD/21/0"), ())).text == "benign"
    with pytest.raises(ConfigError, match="no model folder 'gemini'"):
        load_replay(tmp_path, "gemini")
