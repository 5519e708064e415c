"""Run folders on disk: ``runs/<name>/{manifest.json, cases.jsonl, journal.jsonl, scores.json}``.

Everything ``u2fast score`` needs is in the folder: the manifest, each case's target and the request
key of each model, and the journal of completions. Nothing depends on the working directory.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import msgspec

from .errors import RunError
from .types import Case, Completion, RunManifest, TextTarget

__all__ = [
    "CaseRecord",
    "MANIFEST",
    "CASES",
    "JOURNAL",
    "SCORES",
    "write_manifest",
    "read_manifest",
    "write_cases",
    "read_cases",
    "write_json_atomic",
]

MANIFEST = "manifest.json"
CASES = "cases.jsonl"
JOURNAL = "journal.jsonl"
SCORES = "scores.json"


class CaseRecord(msgspec.Struct, frozen=True):
    """A case as stored in a run (image bytes never inlined) and its request key per model."""

    case: Case
    keys: dict[str, str]


_encoder = msgspec.json.Encoder()


def write_json_atomic(path: Path, obj: object) -> None:
    """Write JSON through a temporary file and rename, so a crash never leaves half a file."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("wb") as fh:
        fh.write(msgspec.json.format(_encoder.encode(obj), indent=2))
        fh.write(b"\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


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


def _storable(case: Case) -> Case:
    image = case.image
    if image.data is not None:  # keep the run folder small: the sha256 identifies the image
        image = msgspec.structs.replace(image, data=None)
    return msgspec.structs.replace(case, image=image)


def write_cases(run_dir: Path, records: Iterable[CaseRecord]) -> None:
    tmp = run_dir / (CASES + ".tmp")
    with tmp.open("wb") as fh:
        for rec in records:
            fh.write(_encoder.encode(CaseRecord(_storable(rec.case), rec.keys)))
            fh.write(b"\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, run_dir / CASES)


def read_cases(run_dir: Path) -> list[CaseRecord]:
    path = run_dir / CASES
    if not path.is_file():
        raise RunError(f"{run_dir}: {CASES} is missing")
    decoder = msgspec.json.Decoder(CaseRecord)
    out = []
    with path.open("rb") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                out.append(decoder.decode(line))
            except msgspec.DecodeError as exc:
                raise RunError(f"{path}: line {lineno}: {exc}") from None
    return out


def reference_texts(records: Sequence[CaseRecord]) -> dict[str, str]:
    return {r.case.case_id: r.case.target.text for r in records if isinstance(r.case.target, TextTarget)}


def completions_for(records: Sequence[CaseRecord], model: str, journal: dict[str, Completion]) -> dict[str, Completion]:
    """The completion of each case for ``model`` (by request key), if any."""
    out = {}
    for r in records:
        key = r.keys.get(model)
        if key is not None and key in journal:
            out[r.case.case_id] = journal[key]
    return out
