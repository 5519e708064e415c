"""``u2fast.data.load(spec, options)``: one entry point for every ``--data`` value, and ``describe``.

``spec`` is tried as, in order: a registered source name (``sample``, or one a plugin adds), an
existing file or folder, and a Hugging Face hub id (``owner/name``).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path
from typing import Any

import msgspec

from ..errors import DataError
from ..types import TASKS, Case
from ..u2bench.scenarios import SCENARIOS
from .bbox import check_format
from .hub import is_hub_id, load_hub
from .load_types import LoadOptions, LoadResult
from .sources import load_path

__all__ = ["describe", "fingerprint", "load"]


def fingerprint(cases: list[Case]) -> str:
    """A stable hash of ``(case id, target, image sha256)`` over the cases, in case-id order.

    It changes when any label, box-derived sector, value, reference text or image changes, and not
    when files are renamed, reordered or moved.
    """
    digest = hashlib.sha256()
    encoder = msgspec.json.Encoder(order="deterministic")
    for case in sorted(cases, key=lambda c: c.case_id):
        digest.update(encoder.encode((case.case_id, case.target, case.image.sha256)))
        digest.update(b"\n")
    return digest.hexdigest()


def _registered(spec: str) -> Any:
    from ..plugins import get_registry  # late: the registry imports this package's builtin module

    registry = get_registry()
    source = registry.dataset(spec)
    if source is None:
        source = next((s for s in registry.datasets.values() if spec in s.aliases), None)
    return source, sorted(registry.datasets)


def load(spec: str, options: LoadOptions | None = None) -> LoadResult:
    """Load the cases named by ``spec``; bad rows raise (``options.strict``) or are listed in ``skipped``."""
    options = options or LoadOptions()
    check_format(options.bbox_format)
    source, names = _registered(spec)
    if source is not None:
        result: LoadResult = source.load(options)
    else:
        from ..preflight import check_data_spec

        check_data_spec(spec, names)  # a mistyped folder is not a hub id
        path = Path(spec).expanduser()
        if path.exists():
            result = load_path(path, options)
        elif is_hub_id(spec) and not spec.startswith((".", "/", "~")):
            result = load_hub(spec, options)
        else:
            raise DataError(
                f"--data {spec!r}: not a registered dataset source ({', '.join(names) or 'none'}), "
                f"not an existing file or folder, and not a Hugging Face hub id (owner/name)"
            )
    if not result.fingerprint:
        result.fingerprint = fingerprint(result.cases)
    return result


def _reason_kind(reason: str) -> str:
    """The category of a bad-row reason: the text before the first colon (``corrupt base64``)."""
    head = reason.split(":", 1)[0].strip()
    return head if len(head) <= 40 else head[:40] + "..."


def describe(result: LoadResult) -> dict[str, Any]:
    """A JSON-ready summary for ``u2fast data info``: counts, skipped rows, box layouts, fingerprint."""
    scenarios = Counter(c.scenario for c in result.cases)
    tasks = Counter(c.task for c in result.cases)
    reasons = Counter(f"{e.field}: {_reason_kind(e.reason)}" for e in result.skipped)
    return {
        "description": result.description,
        "fingerprint": result.fingerprint or fingerprint(result.cases),
        "cases": len(result.cases),
        "tasks": {t: tasks[t] for t in TASKS if tasks[t]},
        "scenarios": {s.key: scenarios[s.key] for s in SCENARIOS if scenarios[s.key]},
        "missing_scenarios": [s.key for s in SCENARIOS if not scenarios[s.key]],
        "skipped": {
            "count": len(result.skipped),
            "by_reason": dict(reasons.most_common()),
            "rows": [e.as_record() for e in result.skipped],
        },
        "bbox_format": dict(result.bbox_format),
        "warnings": list(result.warnings),
    }
