"""u2fast.environment: one reading of environment variables for the command line and the plugins."""

from __future__ import annotations

import pytest

from u2fast.environment import env_value, first_env


def test_first_env_takes_the_first_variable_that_is_set_and_strips_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("U2T_FIRST", "   ")  # blank counts as unset
    monkeypatch.setenv("U2T_SECOND", " key-2\n")
    monkeypatch.setenv("U2T_THIRD", "key-3")
    assert first_env(("U2T_FIRST", "U2T_SECOND", "U2T_THIRD")) == "key-2"
    assert first_env(["U2T_THIRD", "U2T_SECOND"]) == "key-3"


def test_first_env_is_none_when_nothing_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("U2T_UNSET", raising=False)
    assert first_env(("U2T_UNSET",)) is None
    assert first_env(()) is None


def test_a_given_mapping_replaces_the_process_environment() -> None:
    env = {"A": "\tsk-a\r\n", "B": ""}
    assert env_value("A", env) == "sk-a"
    assert env_value("B", env) is None and env_value("C", env) is None
    assert first_env(("B", "A"), env) == "sk-a"
