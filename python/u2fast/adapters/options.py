"""Adapter options (a model's ``options`` table in the config file): refusing names nobody reads."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import ConfigError

__all__ = ["check_known_options"]


def check_known_options(adapter: str, options: Mapping[str, Any], known: Iterable[str]) -> None:
    """ConfigError listing the unknown names (sorted) and the known ones, when ``options`` has any
    name outside ``known``; a misspelt option would otherwise be silently ignored."""
    known = tuple(known)
    unknown = sorted(set(options) - set(known))
    if unknown:
        raise ConfigError(f"{adapter}: unknown option(s) {', '.join(unknown)}; known: {', '.join(known)}")
