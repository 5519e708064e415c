"""The one check that locks a package's public names (importable as a plain module, like ``text_pairs``)."""

from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType


def assert_public_surface(package: ModuleType, names: Iterable[str]) -> None:
    """``package.__all__`` is exactly ``names`` (adding or removing a public name is a deliberate change to the
    test that lists them) and every listed name resolves."""
    listed: list[str] = list(package.__all__)
    expected = list(names)
    assert sorted(listed) == sorted(expected), (
        f"{package.__name__}.__all__: not listed in the test {sorted(set(listed) - set(expected))}, "
        f"listed but gone {sorted(set(expected) - set(listed))}")
    unresolved = [name for name in listed if not hasattr(package, name)]
    assert unresolved == [], unresolved
