"""``--data DolphinAI/u2-bench``: the release fetched from the Hugging Face hub.

The release is a set of TSV folders, not one table, so it is fetched as files (the hub client that
the optional ``datasets`` extra installs) into the local Hugging Face cache and then read by the same
release-layout loader as a local copy. Failures say which of the three usual causes applies:
the optional library is missing, the machine is offline, or the account may not read the gated repo.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

from ..errors import DataError
from .load_types import LoadOptions, LoadResult
from .sources import load_path

__all__ = ["HUB_ID", "is_hub_id", "load_hub"]

#: ``owner/name``, optionally written ``hf://owner/name`` or ``hf://datasets/owner/name``.
HUB_ID = re.compile(r"(?:hf://(?:datasets/)?)?([A-Za-z0-9][\w.-]*/[\w.-]+)")

_INSTALL_HINT = "install the optional hub support: pip install 'u2fast[hub]' (or: pip install datasets)"
_OFFLINE_NAMES = (
    "LocalEntryNotFoundError",
    "OfflineModeIsEnabled",
    "ConnectionError",
    "ConnectError",
    "Timeout",
    "TimeoutError",
    "MaxRetryError",
    "NameResolutionError",
)
_AUTH_NAMES = ("GatedRepoError", "RepositoryNotFoundError", "HfHubHTTPError", "HTTPError")


def is_hub_id(spec: str) -> bool:
    return HUB_ID.fullmatch(spec.strip()) is not None


def _error_names(exc: BaseException) -> set[str]:
    names: set[str] = set()
    seen: BaseException | None = exc
    while seen is not None and len(names) < 50:
        names.update(cls.__name__ for cls in type(seen).__mro__)
        seen = seen.__cause__ or seen.__context__
    return names


def _explain(repo_id: str, exc: BaseException) -> DataError:
    names = _error_names(exc)
    detail = f"{type(exc).__name__}: {exc}".strip()
    status = getattr(getattr(exc, "response", None), "status_code", None)
    if "GatedRepoError" in names or status in (401, 403):
        return DataError(
            f"{repo_id}: the Hugging Face hub refused access (unauthorised). The dataset is gated: accept its "
            f"terms on huggingface.co/datasets/{repo_id}, then log in (huggingface-cli login) or set HF_TOKEN. "
            f"({detail})"
        )
    if names & set(_OFFLINE_NAMES) or isinstance(exc, (ConnectionError, TimeoutError)):
        return DataError(
            f"{repo_id}: cannot reach the Hugging Face hub (offline, or HF_HUB_OFFLINE is set and the dataset "
            f"is not in the local cache). Connect once, or pass a local copy of the release: --data DIR. ({detail})"
        )
    if "RepositoryNotFoundError" in names:
        return DataError(
            f"{repo_id}: no such dataset on the hub, or this account is not authorised to see it "
            f"(log in with huggingface-cli login or set HF_TOKEN). ({detail})"
        )
    return DataError(f"{repo_id}: fetching from the Hugging Face hub failed: {detail}")


def _hub_client() -> Any:
    try:
        importlib.import_module("datasets")
        return importlib.import_module("huggingface_hub")
    except ImportError as exc:
        raise DataError(
            f"reading a Hugging Face hub dataset needs the 'datasets' library: {_INSTALL_HINT} ({exc})"
        ) from None


def load_hub(spec: str, options: LoadOptions) -> LoadResult:
    match = HUB_ID.fullmatch(spec.strip())
    if match is None:
        raise DataError(f"{spec!r} is not a Hugging Face hub id (owner/name)")
    repo_id = match.group(1)
    hub = _hub_client()
    try:
        folder = hub.snapshot_download(
            repo_id=repo_id,
            repo_type="dataset",
            allow_patterns=["*.tsv", "*.jsonl", "*.parquet", "**/*.tsv", "**/*.jsonl", "**/*.parquet"],
        )
    except Exception as exc:  # the hub client raises many unrelated types; each is explained
        raise _explain(repo_id, exc) from exc
    result = load_path(Path(folder), options)
    result.description = f"Hugging Face hub dataset {repo_id} (cached at {folder})"
    return result
