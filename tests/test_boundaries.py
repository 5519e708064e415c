"""The layers' import boundaries (docs/architecture.md, "Contracts between layers"), locked.

Each rule is checked twice: in the source (every import a module of the layer makes, the lazy ones inside
functions included, type-only imports under ``if TYPE_CHECKING:`` left out) and at run time (importing
the whole layer in a fresh interpreter, then looking at ``sys.modules``), so a boundary crossed through
a third module is caught too.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "python" / "u2fast"

#: layer (a package or module of u2fast) -> the layers it must never import.
RULES: dict[str, tuple[str, ...]] = {
    "u2fast.u2bench": ("u2fast.data", "u2fast.tasks", "u2fast.adapters", "u2fast.runner", "u2fast.scoring",
                       "u2fast.report", "u2fast.plugins"),
    "u2fast.data": ("u2fast.tasks", "u2fast.runner", "u2fast.batch", "u2fast.report"),
    "u2fast.adapters": ("u2fast.tasks", "u2fast.runner", "u2fast.batch", "u2fast.report"),
    "u2fast.report": ("u2fast.runner", "u2fast.batch", "u2fast.cli_batch"),
    "u2fast.outcome": ("u2fast.runner", "u2fast.batch"),
    "u2fast.runfolder": ("u2fast.runner", "u2fast.batch", "u2fast.report", "u2fast.tasks", "u2fast.plugins"),
    "u2fast.scoring": ("u2fast.runner", "u2fast.batch", "u2fast.report", "u2fast.plugins", "u2fast.hookspecs",
                       "u2fast.adapters", "u2fast.tasks", "u2fast.data", "u2fast.runfolder"),
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(path: Path) -> set[str]:
    """The u2fast modules ``path`` imports at run time (absolute names)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{a.name}" for a in node.names)  # ``from . import x`` names a module
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return {m for m in found if m == "u2fast" or m.startswith("u2fast.")}


def _layer_files(layer: str) -> list[Path]:
    relative = Path(*layer.split(".")[1:])
    folder = PACKAGE / relative
    return sorted(folder.rglob("*.py")) if folder.is_dir() else [PACKAGE / relative.with_suffix(".py")]


def _crosses(imported: str, banned: str) -> bool:
    return imported == banned or imported.startswith(banned + ".")


@pytest.mark.parametrize("layer", sorted(RULES))
def test_no_module_of_a_layer_imports_what_it_must_not(layer: str) -> None:
    files = _layer_files(layer)
    assert files and all(f.is_file() for f in files), layer
    bad = sorted(
        f"{_module_name(f)} imports {m}"
        for f in files for m in _imports(f) if any(_crosses(m, b) for b in RULES[layer])
    )
    assert bad == [], bad


@pytest.mark.parametrize("layer", sorted(RULES))
def test_importing_a_layer_loads_nothing_it_must_not(layer: str) -> None:
    modules = [_module_name(f) for f in _layer_files(layer) if f.name != "__main__.py"]
    code = (
        "import importlib, json, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        f"banned = {list(RULES[layer])!r}\n"
        "print(json.dumps(sorted(m for m in sys.modules if any(m == b or m.startswith(b + '.') for b in banned))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == [], layer


def test_the_rules_read_type_only_imports_as_allowed() -> None:
    # outcome.py names the runner's RunOutcome for the type checker only; that is not an import at run time.
    assert "u2fast.runner.model_run" not in _imports(PACKAGE / "outcome.py")
    assert "u2fast.runfolder" in _imports(PACKAGE / "outcome.py")
    # a lazy import inside a function counts
    assert "u2fast.data" in _imports(PACKAGE / "runfolder" / "start.py")


def test_importing_the_scorer_loads_no_runner_plugins_or_http() -> None:
    code = (
        "import sys, u2fast.scoring\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('aiohttp', 'datasets', 'pluggy')"
        " or m.startswith(('u2fast.runner', 'u2fast.plugins', 'u2fast.hookspecs', 'u2fast.adapters')))\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
