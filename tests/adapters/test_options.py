"""u2fast.adapters.options: unknown option names are refused, not ignored."""

from __future__ import annotations

import pytest

from u2fast.adapters.options import check_known_options
from u2fast.errors import ConfigError


def test_check_known_options_lists_unknown_names_sorted_and_the_known_ones() -> None:
    check_known_options("acme", {"detail": "low"}, ("detail", "seed"))
    check_known_options("acme", {}, ())
    with pytest.raises(ConfigError) as info:
        check_known_options("acme", {"zeta": 1, "detail": "low", "alpha": 2}, ("detail", "seed"))
    assert str(info.value) == "acme: unknown option(s) alpha, zeta; known: detail, seed"


def test_check_known_options_accepts_a_one_shot_iterable() -> None:
    with pytest.raises(ConfigError, match="known: a, b$"):
        check_known_options("acme", {"c": 1}, iter(("a", "b")))
