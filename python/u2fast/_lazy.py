"""Package attributes imported on first use (PEP 562 ``__getattr__``).

Packages whose public names pull in heavy modules (the runner's HTTP stack, the data loaders) list
where each name lives and resolve it here when it is first read, so importing the package stays cheap.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from importlib import import_module
from typing import Any


def load_attribute(package: str, homes: Mapping[str, str], name: str, namespace: MutableMapping[str, Any]) -> Any:
    """``name`` from the submodule ``homes`` names for it (relative to ``package``), cached in the
    package's ``namespace`` so the next read does not come back here."""
    home = homes.get(name)
    if home is None:
        raise AttributeError(f"module {package!r} has no attribute {name!r}")
    value = getattr(import_module(f"{package}.{home}"), name)
    namespace[name] = value
    return value
