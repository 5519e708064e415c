"""The packages whose names load on first use: every listed name resolves, unknown names fail loudly."""

from __future__ import annotations

import pytest

import u2fast.data
import u2fast.runner


@pytest.mark.parametrize("package", [u2fast.data, u2fast.runner])
def test_every_public_name_resolves_and_is_cached(package: object) -> None:
    for name in package.__all__:  # type: ignore[attr-defined]
        value = getattr(package, name)
        assert vars(package)[name] is value


@pytest.mark.parametrize("package", [u2fast.data, u2fast.runner])
def test_unknown_name_is_an_attribute_error_naming_it(package: object) -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        package.no_such_name  # type: ignore[attr-defined]  # noqa: B018
    assert not hasattr(package, "no_such_name")
