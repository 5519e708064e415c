"""Reading settings from environment variables: one rule for the command line and every plugin.

A value is stripped of surrounding whitespace (a key pasted with a trailing newline still works)
and a variable set to blanks counts as unset, so that ``OPENAI_API_KEY=" "`` falls through to the
next source instead of becoming an empty key.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

__all__ = ["env_value", "first_env"]


def env_value(name: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The stripped value of the variable ``name``; None when it is unset or blank."""
    value = (os.environ if environ is None else environ).get(name, "").strip()
    return value or None


def first_env(names: Iterable[str], environ: Mapping[str, str] | None = None) -> str | None:
    """The stripped value of the first of the variables ``names`` that is set to something besides
    blanks; None when none is. ``environ`` defaults to the process environment."""
    for name in names:
        value = env_value(name, environ)
        if value is not None:
            return value
    return None
