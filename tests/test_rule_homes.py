"""Provider plumbing has one home per rule: the runner and every plugin import it from there.

Retry-After parsing (``u2fast.adapters.retry_after``, the clock injected), status -> error class
(``u2fast.adapters.status``), environment lookup (``u2fast.environment``), the key rule and the
rest of a model's settings (``u2fast.model_settings``). A plugin keeps only its provider's rules.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = ROOT / "python" / "u2fast"
PLUGIN_SOURCES = sorted((ROOT / "plugins").glob("*/src/*/*.py"))

HOMES = {
    "parse_retry_after": "adapters/retry_after.py",
    "parse_duration": "adapters/retry_after.py",
    "kind_for_status": "adapters/status.py",
    "first_env": "environment.py",
    "env_value": "environment.py",
    "is_local_url": "adapters/base_url.py",
    "check_key": "model_settings.py",
    "resolve_model": "model_settings.py",
}


@pytest.mark.parametrize("name", sorted(HOMES))
def test_each_rule_is_defined_once(name: str) -> None:
    pattern = re.compile(rf"^\s*def {name}\(", re.M)
    where = [p for p in [*CORE.rglob("*.py"), *PLUGIN_SOURCES] if pattern.search(p.read_text(encoding="utf-8"))]
    assert [p.relative_to(CORE).as_posix() for p in where if p.is_relative_to(CORE)] == [HOMES[name]]
    assert all(p.is_relative_to(CORE) for p in where), where


@pytest.mark.parametrize("path", PLUGIN_SOURCES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_plugins_read_neither_the_clock_nor_the_environment_nor_wait_headers(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for banned in ("import time", "email.utils", "datetime", "os.environ", "os.getenv", "retry-after",
                   "x-ratelimit", "def kind_for_status", "== 402"):
        assert banned not in text.lower(), f"{path.name}: {banned!r} belongs to u2fast's own rule modules"


def test_the_runner_reads_waits_with_the_shared_rule() -> None:
    from u2fast.adapters.retry_after import parse_retry_after
    from u2fast.runner import attempt

    assert attempt.parse_retry_after is parse_retry_after
