"""The public surface is locked: adding or removing a name must be a deliberate change here."""

from __future__ import annotations

import subprocess
import sys

from public_surface import assert_public_surface

import u2fast


def test_all_is_sorted_and_exact() -> None:
    assert u2fast.__all__ == sorted(u2fast.__all__)
    assert_public_surface(u2fast, [
        "__version__", "ApiError", "Case", "CaseScore", "Completion", "ConfigError", "DataError", "EvalResult",
        "GenerationParams", "PluginError", "Prediction", "Prompt", "ProviderError", "Request", "RowError",
        "RunError", "RunManifest", "SECTOR_LABELS", "TASKS", "U2fastError", "Usage", "evaluate",
    ])


def test_exception_tree() -> None:
    for cls in (u2fast.ConfigError, u2fast.DataError, u2fast.PluginError, u2fast.ProviderError, u2fast.RunError):
        assert issubclass(cls, u2fast.U2fastError)
    assert issubclass(u2fast.RowError, u2fast.DataError)
    err = u2fast.RowError("data/x.tsv", 7, "img_data", "bad base64")
    assert str(err) == "data/x.tsv: row 7: field 'img_data': bad base64"
    codes = {c.exit_code for c in (u2fast.ConfigError, u2fast.DataError, u2fast.PluginError, u2fast.ProviderError,
                                   u2fast.RunError)}
    assert len(codes) == 5 and 0 not in codes


def test_import_is_light() -> None:
    code = "import sys, u2fast; bad = [m for m in ('aiohttp', 'pluggy', 'datasets', 'rich') if m in sys.modules]; print(bad)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"
