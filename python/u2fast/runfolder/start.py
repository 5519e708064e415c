"""Starting (or continuing) a run in its folder: the only place that writes manifest and cases before a run."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import msgspec

from ..types import ModelSetup, RunManifest
from .cases import CaseRecord, merge_records, read_cases, write_cases
from .layout import MANIFEST
from .manifest import read_manifest, write_manifest
from .reuse import check_reuse

__all__ = ["start_run"]


def start_run(run_dir: Path, manifest: RunManifest, records: list[CaseRecord]) -> tuple[RunManifest, list[CaseRecord]]:
    """Write the manifest and cases of a run about to send requests; the caller holds the folder's ``RunLock``.

    A folder that already holds a run must admit this one (``check_reuse``): the folder then keeps
    the union of both runs' models and cases, its creation time, and this eval's setup (with the
    earlier models' endpoints and options kept).
    """
    assert manifest.setup is not None
    if (run_dir / MANIFEST).exists():
        old = read_manifest(run_dir)
        old_records = read_cases(run_dir)
        check_reuse(run_dir, old, old_records, manifest.setup, records, manifest.dataset_fingerprint)
        assert old.setup is not None
        records = merge_records(old_records, records)
        models = list(dict.fromkeys([*old.models, *manifest.models]))
        model_setups: dict[str, ModelSetup] = {**old.setup.models, **manifest.setup.models}
        if len(records) != len(old_records):
            from ..data import fingerprint  # late: the data package is only needed when cases were added

            data_fingerprint = fingerprint([r.case for r in records])
        else:
            data_fingerprint = old.dataset_fingerprint
        manifest = msgspec.structs.replace(
            manifest,
            created_at=old.created_at,
            models=models,
            n_cases=len(records),
            dataset_fingerprint=data_fingerprint,
            scenarios=dict(sorted(Counter(r.case.scenario for r in records).items())),
            prompt_hashes={**old.prompt_hashes, **manifest.prompt_hashes},
            coords={**old.coords, **manifest.coords},  # the earlier models' conventions read their answers
            setup=msgspec.structs.replace(manifest.setup, models=model_setups),
        )
    manifest.status = "running"
    manifest.finished_at = None
    write_cases(run_dir, records)
    write_manifest(run_dir, manifest)
    return manifest, records
