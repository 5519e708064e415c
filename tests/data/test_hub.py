"""``--data owner/name``: clear errors without the optional library, offline or unauthorised (no hub calls)."""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

import pytest

from u2fast.data import LoadOptions, load
from u2fast.data.hub import is_hub_id
from u2fast.errors import DataError

from .conftest import b64, make_png, write_table


def _fake_hub(monkeypatch: pytest.MonkeyPatch, snapshot: Any) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []

    def snapshot_download(**kwargs: Any) -> str:
        calls.append(kwargs)
        return str(snapshot(**kwargs))

    monkeypatch.setitem(sys.modules, "datasets", types.ModuleType("datasets"))
    hub = types.ModuleType("huggingface_hub")
    hub.snapshot_download = snapshot_download  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "huggingface_hub", hub)
    return calls


def _raiser(name: str, message: str, base: type[Exception] = Exception) -> Any:
    cls = type(name, (base,), {})

    def snapshot(**kwargs: Any) -> str:
        raise cls(message)

    return snapshot


def test_hub_ids() -> None:
    assert is_hub_id("DolphinAI/u2-bench") and is_hub_id("hf://datasets/DolphinAI/u2-bench")
    assert not is_hub_id("sample") and not is_hub_id("a/b/c")


def test_missing_library_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "datasets", None)
    with pytest.raises(DataError, match=r"needs the 'datasets' library: install .*u2fast\[hub\]"):
        load("DolphinAI/u2-bench")


@pytest.mark.parametrize(
    ("error", "message", "base", "repo", "said"),
    [
        ("LocalEntryNotFoundError", "outgoing traffic has been disabled", Exception, "DolphinAI/u2-bench",
         "cannot reach the Hugging Face hub .*--data DIR"),
        ("ConnectionError", "Max retries exceeded", OSError, "DolphinAI/u2-bench", "cannot reach the Hugging Face hub"),
        ("GatedRepoError", "401 Client Error: access to this repo is restricted", Exception, "DolphinAI/u2-bench",
         "refused access \\(unauthorised\\).*HF_TOKEN"),
        ("RepositoryNotFoundError", "404", Exception, "someone/missing",
         "no such dataset on the hub, or this account is not authorised"),
    ],
    ids=["offline", "connection-refused", "gated-without-access", "not-found-or-not-authorised"],
)  # fmt: skip
def test_hub_failures_say_what_went_wrong(
    monkeypatch: pytest.MonkeyPatch, error: str, message: str, base: type[Exception], repo: str, said: str
) -> None:
    _fake_hub(monkeypatch, _raiser(error, message, base))
    with pytest.raises(DataError, match=said):
        load(repo)


def test_downloaded_release_is_read_by_the_release_loader(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    write_table(
        tmp_path / "disease_diagnosis" / "21.tsv", [{"img_data": b64(make_png()), "class_label": "benign"}]
    )
    calls = _fake_hub(monkeypatch, lambda **kwargs: tmp_path)
    result = load("hf://DolphinAI/u2-bench", LoadOptions(strict=True))
    assert [c.case_id for c in result.cases] == ["DD/21/0"]
    assert calls[0]["repo_id"] == "DolphinAI/u2-bench" and calls[0]["repo_type"] == "dataset"
    assert "DolphinAI/u2-bench" in result.description and result.fingerprint
