"""Plugin loading: built-ins through the same hooks, broken plugins skipped, clashes rejected."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import pytest

from u2fast import plugins
from u2fast.adapters.base import AdapterInfo
from u2fast.errors import PluginError
from u2fast.hookspecs import hookimpl


def _entry_points(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, modules: dict[str, str]) -> None:
    for name, source in modules.items():
        (tmp_path / f"{name}.py").write_text(source, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    eps = [importlib.metadata.EntryPoint(name=n, value=n, group="u2fast") for n in modules]

    def fake(group: str | None = None, **_: object) -> list[importlib.metadata.EntryPoint]:
        return eps if group == "u2fast" else []

    monkeypatch.setattr(plugins.importlib.metadata, "entry_points", fake)


GOOD = '''
from u2fast.hookspecs import hookimpl
from u2fast.adapters.base import AdapterInfo
from u2fast.adapters.random_baseline import RandomAdapter

@hookimpl
def u2fast_register_adapters(register):
    register(AdapterInfo(name="echo", create=lambda s: RandomAdapter(s.model), default_model="e1", models=("e1",)))
'''


def test_builtins_register_through_hooks() -> None:
    reg = plugins.build_registry()
    assert {"random", "replay"} <= set(reg.adapters)
    assert set(reg.tasks) == {"DD", "VRA", "LL", "OD", "KD", "CVE", "RG", "CG"}
    assert reg.dataset("sample") is not None
    assert reg.adapter_owner["random"] == "u2fast.adapters.random_baseline"


def test_broken_plugin_is_reported_and_skipped(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _entry_points(monkeypatch, tmp_path, {
        "goodplug": GOOD,
        "brokenplug": "raise RuntimeError('boom at import')\n",
        "halfplug": GOOD.replace('"echo"', '"random"'),  # clashes with the built-in name
    })
    reg = plugins.build_registry()
    assert "echo" in reg.adapters and "random" in reg.adapters
    assert reg.adapter_owner["random"] == "u2fast.adapters.random_baseline"
    failed = {f.name: f.error for f in reg.failures}
    assert "boom at import" in failed["brokenplug"]
    assert "already registered" in failed["halfplug"]
    with pytest.raises(PluginError, match="brokenplug"):
        reg.adapter("nonexistent")


def test_disable_plugins_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _entry_points(monkeypatch, tmp_path, {"goodplug2": GOOD.replace('"echo"', '"echo2"')})
    monkeypatch.setenv("U2FAST_DISABLE_PLUGINS", "1")
    assert "echo2" not in plugins.build_registry().adapters
    monkeypatch.setenv("U2FAST_DISABLE_PLUGINS", "goodplug2")
    assert "echo2" not in plugins.build_registry().adapters
    monkeypatch.setenv("U2FAST_DISABLE_PLUGINS", "")
    assert "echo2" in plugins.build_registry().adapters


class _Dup:
    @hookimpl
    def u2fast_register_adapters(self, register):  # type: ignore[no-untyped-def]
        register(AdapterInfo(name="replay", create=lambda s: None, default_model=""))  # type: ignore[arg-type,return-value]


def test_duplicate_name_from_code_is_loud(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("U2FAST_DISABLE_PLUGINS", "1")
    with pytest.raises(PluginError, match="already registered"):
        plugins.build_registry(extra_plugins=(_Dup(),))
