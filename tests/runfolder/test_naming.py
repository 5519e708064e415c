"""Run folder names (the CLI side is tests/cli/test_run_folders.py)."""

from __future__ import annotations

import pytest

from u2fast.errors import ConfigError
from u2fast.runfolder import check_name, default_name


def test_check_name_accepts_plain_names_only() -> None:
    assert check_name("gpt41-dd_v2.1") == "gpt41-dd_v2.1"
    for bad in ("", "a/b", "..", "/abs", "a\\b"):
        with pytest.raises(ConfigError):
            check_name(bad)


def test_default_name_carries_the_fingerprint() -> None:
    assert default_name(["openai:gpt-4.1"], "data/small", "ab" * 32) == "openai_gpt-4.1-small-abababab"
    assert default_name(["random:uniform"], "x", "cd" * 32, "no-role") == "random_uniform-x-no-role-cdcdcdcd"
