"""u2fast: fast, trustworthy evaluation of vision-language models on U2-Bench.

The public surface is small on purpose: the data model, the exception tree and the version.
Subpackages with their own public API: ``u2fast.scoring`` (the embeddable scorer),
``u2fast.testing`` (fake provider servers), ``u2fast.hookspecs`` (``hookimpl`` for plugins).
Importing ``u2fast`` loads neither the runner, the plugin machinery nor any HTTP library.
"""

from __future__ import annotations

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

__all__ = [
    "ApiError",
    "Case",
    "CaseScore",
    "Completion",
    "ConfigError",
    "DataError",
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
]
