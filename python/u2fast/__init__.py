"""u2fast: fast, trustworthy evaluation of vision-language models on U2-Bench.

The public surface is small on purpose: ``evaluate`` (one eval as a library call), the data model,
the exception tree and the version.
Subpackages with their own public API: ``u2fast.scoring`` (the embeddable scorer),
``u2fast.testing`` (fake provider servers), ``u2fast.hookspecs`` (``hookimpl`` for plugins).
Importing ``u2fast`` loads neither the runner, the plugin machinery nor any HTTP library.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import ConfigError, DataError, PluginError, ProviderError, RowError, RunError, U2fastError
from .types import (
    SECTOR_LABELS,
    TASKS,
    ApiError,
    Case,
    CaseScore,
    Completion,
    GenerationParams,
    Prediction,
    Prompt,
    Request,
    RunManifest,
    Usage,
)

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .evaluation import EvalResult, evaluate


def __getattr__(name: str) -> Any:
    # ``evaluate`` loads the runner and the plugins: only when asked for
    if name in ("evaluate", "EvalResult"):
        from . import evaluation

        return getattr(evaluation, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ApiError",
    "Case",
    "CaseScore",
    "Completion",
    "ConfigError",
    "DataError",
    "EvalResult",
    "GenerationParams",
    "PluginError",
    "Prediction",
    "Prompt",
    "ProviderError",
    "Request",
    "RowError",
    "RunError",
    "RunManifest",
    "SECTOR_LABELS",
    "TASKS",
    "U2fastError",
    "Usage",
    "__version__",
    "evaluate",
]
