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


REPO = Path(__file__).resolve().parents[1]


def test_provider_packages_agree_with_the_extras_and_the_plugins_folder() -> None:
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    folders = {p.name for p in (REPO / "plugins").iterdir() if (p / "pyproject.toml").is_file()}
    assert set(plugins.PROVIDER_PACKAGES.values()) == folders
    for adapter, package in plugins.PROVIDER_PACKAGES.items():
        assert extras[adapter] == [package]
        plugin = tomllib.loads((REPO / "plugins" / package / "pyproject.toml").read_text(encoding="utf-8"))["project"]
        assert plugin["name"] == package and adapter in plugin["entry-points"]["u2fast"]
    assert extras["all"] == [f"u2fast[{','.join(plugins.PROVIDER_PACKAGES)}]"]


def test_unknown_adapter_names_the_package_and_the_extra_to_install(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "U2FAST_DISABLE_PLUGINS": "openai"}
    cmd = [sys.executable, "-m", "u2fast.cli", "eval", "--plugins", "openai,gemini", "--runs-dir", str(tmp_path)]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode != 0
    assert "unknown model adapter 'openai'" in out.stderr
    assert "u2fast-openai" in out.stderr and "u2fast[openai]" in out.stderr
    assert "pip install -e plugins/u2fast-openai" in out.stderr
    with pytest.raises(PluginError, match="entry-point group 'u2fast'"):
        plugins.build_registry().adapter("no-such-provider")
