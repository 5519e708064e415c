"""``manifest.json``: read and written here only. Folders of every earlier layout still read."""

from __future__ import annotations

from pathlib import Path

import msgspec

from ..errors import RunError
from ..types import RunManifest
from .layout import MANIFEST, write_json_atomic

__all__ = ["CURRENT_KEY_RECIPE", "read_manifest", "require_current", "write_manifest"]

#: The request-key recipe new runs use (``u2fast.runner.request_key`` hashes it first); recorded in every
#: manifest and bumped when the recipe changes, so old journals are not mistaken for new ones.
CURRENT_KEY_RECIPE = 2


def write_manifest(run_dir: Path, manifest: RunManifest) -> None:
    write_json_atomic(run_dir / MANIFEST, manifest)


def read_manifest(run_dir: Path) -> RunManifest:
    path = run_dir / MANIFEST
    if not path.is_file():
        raise RunError(f"{run_dir} is not a u2fast run folder: {MANIFEST} is missing")
    try:
        return msgspec.json.decode(path.read_bytes(), type=RunManifest)
    except msgspec.DecodeError as exc:
        raise RunError(f"{path}: corrupt manifest: {exc}") from None


def require_current(run_dir: Path, manifest: RunManifest) -> None:
    """Refuse to add answers to a folder written with an older key recipe or without a recorded setup.

    Such a folder still scores and reports: its cases carry the keys they were asked with.
    """
    if manifest.setup is None or manifest.key_recipe != CURRENT_KEY_RECIPE:
        raise RunError(
            f"{run_dir}: written by u2fast {manifest.u2fast_version} (request key recipe {manifest.key_recipe}, "
            f"no recorded setup); `u2fast score` and `u2fast report` still read it, but it cannot take new "
            f"answers. To upgrade it, evaluate again into a new folder (another --name); answers are "
            f"not carried over because the request keys changed (see docs/runs.md)"
        )
