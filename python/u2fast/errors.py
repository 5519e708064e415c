"""The u2fast exception tree.

::

    U2fastError
    ├── ConfigError        bad command-line option, config file or plugin set-up
    ├── DataError          a source that cannot be read, or a bad row (file, row and field named)
    │   └── RowError
    ├── PluginError        a plugin that fails to load or registers a clashing name
    ├── ProviderError      a model call that failed for good (carries the classified ApiError)
    └── RunError           a run folder that is missing, corrupt or belongs to another run

Every error says which file, row, case, model or request it concerns. A failed API call inside a
run is *not* raised: it becomes a Completion with an ApiError and is journalled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .exit_codes import ExitCode

if TYPE_CHECKING:
    from .types import ApiError

__all__ = [
    "U2fastError",
    "ConfigError",
    "DataError",
    "RowError",
    "PluginError",
    "ProviderError",
    "RunError",
]


class U2fastError(Exception):
    """Base class of every error u2fast raises on purpose."""

    #: Process exit code used by the CLI for this class of error (numbers: u2fast.exit_codes).
    exit_code: int = ExitCode.ERROR


class ConfigError(U2fastError):
    exit_code = ExitCode.CONFIG


class DataError(U2fastError):
    exit_code = ExitCode.DATA


class RowError(DataError):
    """One bad row of a source. ``str()`` reads ``file:row: field: reason``."""

    def __init__(self, source: str, row: int, field: str, reason: str) -> None:
        self.source = source
        self.row = row
        self.field = field
        self.reason = reason
        super().__init__(f"{source}: row {row}: field {field!r}: {reason}")

    def as_record(self) -> dict[str, str]:
        return {"file": self.source, "row": str(self.row), "field": self.field, "reason": self.reason}


class PluginError(U2fastError):
    exit_code = ExitCode.PLUGIN


class ProviderError(U2fastError):
    exit_code = ExitCode.PROVIDER

    def __init__(self, model: str, error: ApiError) -> None:
        self.model = model
        self.error = error
        super().__init__(f"{model}: {error.kind}: {error.message}")


class RunError(U2fastError):
    exit_code = ExitCode.RUN_FOLDER
