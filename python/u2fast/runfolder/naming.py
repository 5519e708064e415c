"""Run folder names: ``--name`` is a name, never a path; default names cannot collide."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from ..errors import ConfigError

__all__ = ["check_name", "default_name"]

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def check_name(name: str) -> str:
    """``name`` when it names a folder inside the runs folder; a ConfigError otherwise."""
    if not name or not name.strip():
        raise ConfigError("--name is empty; give a run folder name such as gpt41-dd")
    if "/" in name or "\\" in name or Path(name).is_absolute():
        raise ConfigError(f"--name {name!r} is a path; give a plain folder name (the folder goes into --runs-dir)")
    if name in (".", "..") or name.startswith(".."):
        raise ConfigError(f"--name {name!r} would leave the runs folder; give a plain folder name")
    if "\0" in name:
        raise ConfigError("--name holds a NUL character")
    return name


def default_name(models: Sequence[str], data: str, fingerprint: str, prompt_variant: str = "default") -> str:
    """``<models>-<data>[-<variant>]-<8 hex of the data set's fingerprint>``.

    The fingerprint part keeps two data sets with the same folder name (``a/small``, ``b/small``)
    apart, while the same data asked again lands in the same folder (and resumes there).
    """
    parts = ["-".join(m.replace(":", "_") for m in models), Path(data).name or data]
    if prompt_variant != "default":
        parts.append(prompt_variant)
    slug = _UNSAFE.sub("_", "-".join(parts))[:110].strip(".") or "run"
    return f"{slug}-{fingerprint[:8]}"
