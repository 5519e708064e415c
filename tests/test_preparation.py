"""Each model's coordinate convention: --coords, else the config's ``coords``, else the adapter's
default for the model's family; recorded in the manifest."""

from __future__ import annotations

from pathlib import Path

import pytest

from u2fast.errors import ConfigError
from u2fast.plugins import get_registry
from u2fast.preparation import EvalOptions, prepare_run, resolve_models
from u2fast.runner.config import load_config


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "u2fast.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_conventions_resolve_in_order_and_are_recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("GEMINI_API_KEY", "g-test")
    config = load_config(_config(tmp_path, '[models."openai:gpt-4.1"]\ncoords = "cxcywh-norm1000"\n'))
    models = ["openai:gpt-4.1", "openai:Qwen/Qwen2.5-VL-7B-Instruct", "gemini:gemini-2.5-flash", "random:uniform"]
    options = EvalOptions(models=models, runs_dir=tmp_path, name="c", answer_format="box", config=config,
                          tasks=("LL",), limit=1)
    prepared = prepare_run(options)
    assert prepared.manifest.coords == {
        "openai:gpt-4.1": "cxcywh-norm1000",  # the config
        "openai:Qwen/Qwen2.5-VL-7B-Instruct": "xyxy-px",  # the openai adapter's Qwen2.5-VL family
        "gemini:gemini-2.5-flash": "yxyx-norm1000",  # the gemini adapter's default
        "random:uniform": "xyxy-norm",
    }
    forced = prepare_run(EvalOptions(models=models, runs_dir=tmp_path, name="d", answer_format="point",
                                     coords="xyxy-px", config=config, tasks=("KD",), limit=1))
    assert set(forced.manifest.coords.values()) == {"xyxy-px"} and forced.manifest.answer_format == "point"
    # each model's prompt states its own convention
    texts = {m: reqs[0].prompt.text for m, reqs in prepared.plan.items()}
    assert "0 to 1000" in texts["gemini:gemini-2.5-flash"] and "fractions" in texts["random:uniform"]
    assert len({r.key for reqs in prepared.plan.values() for r in reqs}) == sum(map(len, prepared.plan.values()))
    assert resolve_models(options, get_registry())  # sector runs need no conventions
    assert prepare_run(EvalOptions(runs_dir=tmp_path, name="e", tasks=("LL",), limit=1)).manifest.coords == {}


def test_a_bad_convention_in_the_config_names_the_table(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"coords: unknown coordinate convention 'gemini'"):
        load_config(_config(tmp_path, '[models."openai:x"]\ncoords = "gemini"\n'))
