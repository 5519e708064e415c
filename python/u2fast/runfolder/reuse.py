"""Which evals may write into an existing run folder, and which settings ``--resume`` may change.

A run folder holds one data set and one prompt setup. Into it may go:

- more models (each asked with its own endpoint and options);
- other task or data-set filters (``--tasks``, ``--datasets``, ``--limit``): the folder keeps the
  union of the cases, each with the keys of the models that were asked it;
- the same eval again (only what is missing or failed is sent).

Anything that changes what a model is sent (generation parameters, seed, prompts, the LL/OD/KD
answer format and coordinate convention, image preprocessing, a model's endpoint or adapter
options) or the data itself is refused, naming the difference. ``--resume`` may change only
``RESUME_MAY_CHANGE`` (limits, budget, scoring, output).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import msgspec

from ..errors import RunError
from ..types import RunManifest, RunSetup
from .cases import CaseRecord
from .manifest import require_current

__all__ = ["RESUME_MAY_CHANGE", "check_reuse"]

#: ``u2fast eval`` options that ``--resume`` accepts: none of them changes a request. ``base_url`` is
#: accepted only when it names the recorded endpoint (a password is never recorded, so it is given again).
RESUME_MAY_CHANGE = frozenset({
    "concurrency", "rpm", "tpm", "max_attempts", "max_cost", "request_deadline", "max_response_mb", "config", "base_url",
    "mode", "parser", "bootstrap", "quiet", "json", "dry_run", "repair_journal", "resume",
    "batch", "poll", "no_wait", "prepare_only", "batch_fallback",
})

#: Setup fields that shape the requests, with the option that sets each.
_REQUEST_FIELDS = {
    "seed": "--seed",
    "prompt_variant": "--prompt-variant",
    "prompts_hash": "--prompts (the prompt files)",
    "max_side": "--max-side",
    "coords": "--coords",
}
_PARAM_FLAGS = {"temperature": "--temperature", "max_tokens": "--max-tokens", "top_p": "--top-p", "seed": "--seed"}


def _refuse(run_dir: Path, what: str, old: Any, new: Any) -> RunError:
    return RunError(
        f"{run_dir} holds a run made with {what} = {old!r}; this eval asks for {new!r}. A run folder keeps one "
        f"setup, so answers to other requests never mix (docs/runs.md): give another --name, or repeat the "
        f"recorded setting (u2fast eval --resume {run_dir} continues it as recorded)"
    )


def _check_setup(run_dir: Path, old: RunSetup, new: RunSetup) -> None:
    old_params, new_params = msgspec.to_builtins(old.params), msgspec.to_builtins(new.params)
    for name, flag in _PARAM_FLAGS.items():
        if old_params.get(name) != new_params.get(name):
            raise _refuse(run_dir, flag, old_params.get(name), new_params.get(name))
    for name, flag in _REQUEST_FIELDS.items():
        if name == "coords" and old.coords is None:
            continue  # none given, or a folder made before it was recorded: each model's convention is checked below
        if getattr(old, name) != getattr(new, name):
            raise _refuse(run_dir, flag, getattr(old, name), getattr(new, name))
    for model in sorted(set(old.models) & set(new.models)):
        was, now = old.models[model], new.models[model]
        if was.endpoint != now.endpoint:
            raise _refuse(run_dir, f"the endpoint of {model} (--base-url or the config's base_url)",
                          was.endpoint, now.endpoint)
        if was.coords is not None and was.coords != now.coords:  # None: a folder made before it was recorded
            raise _refuse(run_dir, f"the coordinate convention of {model} (--coords or the config's coords)",
                          was.coords, now.coords)
        if was.options != now.options:
            changed = sorted(k for k in set(was.options) | set(now.options) if was.options.get(k) != now.options.get(k))
            raise _refuse(run_dir, f"adapter option(s) {', '.join(changed)} of {model} (the config's options)",
                          {k: was.options.get(k) for k in changed}, {k: now.options.get(k) for k in changed})


def _identity(record: CaseRecord) -> bytes:
    case = record.case
    return msgspec.json.encode((case.task, case.dataset_id, case.target, case.image.sha256))


def _check_cases(run_dir: Path, old: RunManifest, old_records: Sequence[CaseRecord], new_data: str,
                 new_records: Sequence[CaseRecord], new_fingerprint: str) -> None:
    if new_fingerprint == old.dataset_fingerprint:
        return
    by_id = {r.case.case_id: r for r in old_records}
    shared = 0
    for rec in new_records:
        prior = by_id.get(rec.case.case_id)
        if prior is None:
            continue
        shared += 1
        if _identity(prior) != _identity(rec):
            raise RunError(
                f"{run_dir} holds another version of the data: case {rec.case.case_id!r} has another label, "
                f"task or image in {new_data!r} than when the run was made from {old.data!r} (the data changed "
                f"since, or this is another data set); give another --name"
            )
    if not shared and new_data != old.data:
        raise RunError(
            f"{run_dir} holds data set {old.data!r} (fingerprint {old.dataset_fingerprint[:12]}); "
            f"{new_data!r} shares no case with it; give another --name"
        )


def check_reuse(run_dir: Path, old: RunManifest, old_records: Sequence[CaseRecord], new: RunSetup,
                new_records: Sequence[CaseRecord], new_fingerprint: str) -> None:
    """Raise RunError naming the first difference that forbids writing ``new`` into this folder."""
    require_current(run_dir, old)
    assert old.setup is not None  # require_current checked it
    if old.answer_format != new.answer_format:
        # folders made before the setup recorded it: the manifest's answer format is the folder's
        raise _refuse(run_dir, "--answer-format", old.answer_format, new.answer_format)
    _check_setup(run_dir, old.setup, new)
    _check_cases(run_dir, old, old_records, new.data, new_records, new_fingerprint)
