"""The typed contract of the scorer: the stub equals the extension, the public names are exactly ``__all__``,
and the README names every package it loads (its import boundary: tests/test_boundaries.py)."""

from __future__ import annotations

import ast
import inspect
import subprocess
import sys
import types
from pathlib import Path

import u2fast
import u2fast.scoring
from u2fast import _core

STUB = Path(u2fast.__file__).parent / "_core.pyi"


def _stub_items() -> tuple[dict[str, ast.FunctionDef], set[str]]:
    """Module functions, and each class's ``__new__`` under the class name (it is what calling the class runs)."""
    tree = ast.parse(STUB.read_text())
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
        new = next(n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == "__new__")
        functions[cls.name] = new
    names = {n.target.id for n in tree.body if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)}
    return functions, names


def test_stub_lists_exactly_the_module() -> None:
    functions, names = _stub_items()
    module = {n for n in dir(_core) if not n.startswith("__") or n == "__version__"}
    assert set(functions) | names == module
    assert (Path(u2fast.__file__).parent / "py.typed").exists()


def test_stub_signatures_match_the_module() -> None:
    functions, _ = _stub_items()
    for name, node in functions.items():
        real = inspect.signature(getattr(_core, name))
        args = node.args
        stub_params = [(a.arg, "positional") for a in args.posonlyargs + args.args if a.arg != "cls"]
        stub_params += [(a.arg, "keyword") for a in args.kwonlyargs]
        real_params = [
            (p.name, "keyword" if p.kind is inspect.Parameter.KEYWORD_ONLY else "positional")
            for p in real.parameters.values()
        ]
        assert stub_params == real_params, name
        defaults = args.defaults
        positional = args.posonlyargs + args.args
        stub_defaults = {a.arg: ast.literal_eval(d) for a, d in zip(positional[len(positional) - len(defaults):], defaults)}
        stub_defaults |= {a.arg: ast.literal_eval(d) for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None}
        real_defaults = {p.name: p.default for p in real.parameters.values() if p.default is not inspect.Parameter.empty}
        assert stub_defaults == real_defaults, name


def test_public_names_are_exactly_all() -> None:
    public = {
        name
        for name, value in vars(u2fast.scoring).items()
        if not name.startswith("_") and name != "annotations" and not isinstance(value, types.ModuleType)
    }
    assert public == set(u2fast.scoring.__all__)
    assert len(u2fast.scoring.__all__) == len(set(u2fast.scoring.__all__))


def test_the_readme_names_every_package_the_scorer_loads() -> None:
    code = (
        "import sys\n"
        "before = {m.split('.')[0] for m in sys.modules}\n"
        "import u2fast.scoring\n"
        "new = {m.split('.')[0] for m in sys.modules} - before - set(sys.stdlib_module_names) - {'u2fast'}\n"
        "print(','.join(sorted(new)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = set(out.strip().split(","))
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    claim = readme[readme.index("`u2fast.scoring` loads") :].split("```", 1)[0]
    assert {"numpy", "msgspec"} <= loaded
    assert [name for name in sorted(loaded) if name not in claim] == []


def test_stub_passes_mypy_stubtest() -> None:
    out = subprocess.run([sys.executable, "-m", "mypy.stubtest", "u2fast._core"], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
