"""``cases.jsonl``: each case of the run as loaded (image bytes never inlined) and its request key per model.

Everything ``u2fast score`` needs besides the journal is here, so scoring never reloads the data.
A folder may grow: a later eval into it adds models or cases (``merge_records``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import msgspec

from ..errors import RunError
from ..jsonl import decode_lines
from ..types import Case, Completion
from .layout import CASES

__all__ = [
    "CaseRecord", "completions_for", "merge_records", "read_cases", "records_of", "write_cases",
]


class CaseRecord(msgspec.Struct, frozen=True):
    """A case as stored in a run (image bytes never inlined) and its request key per model."""

    case: Case
    keys: dict[str, str]


_encoder = msgspec.json.Encoder()


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


_case_decoder = msgspec.json.Decoder(CaseRecord)


def read_cases(run_dir: Path) -> list[CaseRecord]:
    path = run_dir / CASES
    if not path.is_file():
        raise RunError(f"{run_dir}: {CASES} is missing")
    return [record for _, record in decode_lines(path.read_bytes(), _case_decoder, path, "a case record", RunError)]


def records_of(records: Sequence[CaseRecord], model: str) -> list[CaseRecord]:
    """The cases ``model`` was asked: a folder holding several evals may have asked models different cases."""
    return [r for r in records if model in r.keys]


def completions_for(records: Sequence[CaseRecord], model: str, journal: dict[str, Completion]) -> dict[str, Completion]:
    """The completion of each case for ``model`` (by request key), if any."""
    out = {}
    for r in records:
        key = r.keys.get(model)
        if key is not None and key in journal:
            out[r.case.case_id] = journal[key]
    return out


def merge_records(old: Sequence[CaseRecord], new: Sequence[CaseRecord]) -> list[CaseRecord]:
    """The cases of both, in first-seen order; a case in both keeps its old keys and gains the new ones.

    The caller has checked that a case id in both is the same case (``reuse.check_cases``).
    """
    merged: dict[str, CaseRecord] = {r.case.case_id: r for r in old}
    for rec in new:
        prior = merged.get(rec.case.case_id)
        merged[rec.case.case_id] = rec if prior is None else CaseRecord(prior.case, {**prior.keys, **rec.keys})
    return list(merged.values())
