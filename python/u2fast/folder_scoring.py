"""Score a run folder: judge every completion, then aggregate per model (``u2fast score``)."""

from __future__ import annotations

import gc
import hashlib
import os
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import msgspec

from .errors import ConfigError, RunError
from .folder_clinical import clinical_summary
from .plugins import Registry, get_registry
from .prompt_ids import answer_kind
from .runfolder import (
    CASES,
    JOURNAL,
    MANIFEST,
    SCORES,
    SCORES_CACHE,
    CaseRecord,
    completions_for,
    read_cases,
    read_journal,
    read_manifest,
    records_of,
    write_json_atomic,
)
from .scorer_build import scorer_fingerprint
from .scoring import bleu_stats
from .scoring.scores import SCORES_SCHEMA, ModelScores, RunScores, score_model
from .served_model import is_same_model
from .tasks.base import Parse
from .tasks.coords import coordinate_parser, spatial_inputs
from .types import Case, CaseScore, Completion, Prediction, RunManifest
from .u2bench.scenarios import SCENARIOS
from .u2bench.tasks import SECTOR_TASKS, TEXT_TASKS

__all__ = [
    "LoadedRun", "ScoringOptions", "calibrate_run", "folder_digest", "judge_records", "load_run", "paused_gc",
    "run_scores", "score_records", "score_run", "scoring_basis", "stored_scores",
]


class ScoringOptions(msgspec.Struct, frozen=True):
    mode: str = "robust"
    n_resamples: int = 1000
    confidence: float = 0.95
    seed: int = 0
    method: str = "bca"
    #: task -> parser name (registered through u2fast_register_parsers) overriding the mode's default
    parsers: dict[str, str] = {}
    #: scenario key (``CVE/27``) -> clinical tolerance in native units, overriding the published one
    tolerances: dict[str, float] = {}
    #: Score answers whose response names another model than the one asked (robust mode leaves them
    #: out by default; compat, like the official kit, never looks).
    accept_other_models: bool = False
    #: From the run's manifest (``for_run``): LL/OD/KD answer format, model -> coordinate convention,
    #: and the --max-side images were sent at.
    answer_format: str = "sector"
    coords: dict[str, str] = {}
    max_side: int | None = None

    def for_run(self, manifest: RunManifest) -> ScoringOptions:
        """These options with the answer format and conventions the run recorded."""
        return msgspec.structs.replace(
            self, answer_format=manifest.answer_format, coords=dict(manifest.coords), max_side=manifest.max_side
        )


_IN_U2 = {s.key: s.in_u2 for s in SCENARIOS}


def _coordinate_parsers(model: str, options: ScoringOptions) -> dict[str, Parse]:
    """box/point parsers of one model's coordinate answers; empty for sector answers."""
    if options.answer_format == "sector":
        return {}
    if options.mode == "compat":
        raise ConfigError(f"compat scores sector answers only; this run asked for {options.answer_format} answers")
    convention = options.coords.get(model)
    if convention is None:
        raise RunError(f"no coordinate convention is recorded for {model}; re-run eval with --coords")
    return {kind: coordinate_parser(kind, convention, options.max_side) for kind in ("box", "point")}


def judge_records(
    model: str,
    records: Sequence[CaseRecord],
    completions: Mapping[str, Completion],
    options: ScoringOptions,
    registry: Registry | None = None,
) -> tuple[list[tuple[Prediction, CaseScore]], Counter[str]]:
    """Judge one model's completions (text tasks with their BLEU statistics); also returns how many
    answers each other model gave (answers whose response named another model)."""
    from .tasks.judge import judge

    registry = registry or get_registry()
    compat = options.mode == "compat"
    coordinate = _coordinate_parsers(model, options)
    judged: list[tuple[Prediction, CaseScore]] = []
    exclude_others = not compat and not options.accept_other_models
    other_models: Counter[str] = Counter()
    for rec in records:
        case = rec.case
        parser_name = options.parsers.get(case.task)
        parse = registry.parser(case.task, parser_name).parse if parser_name else None
        if coordinate and case.task in SECTOR_TASKS:
            parse = coordinate[answer_kind(case.task, options.answer_format)]
        completion = completions.get(case.case_id)
        if completion is not None and completion.ok and not is_same_model(completion.model, completion.response_model):
            served = str(completion.response_model)
            other_models[served] += 1
            if exclude_others:
                judged.append(_answered_by_another(case, model, served))
                continue
        judged.append(judge(case, completion, options.mode, parse))

    # Text tasks: BLEU statistics for all hypotheses in one batch call into the core.
    text_rows = [i for i, rec in enumerate(records) if rec.case.task in TEXT_TASKS and judged[i][1].counted]
    if text_rows:
        hyps = [str(judged[i][0].value or "") for i in text_rows]
        refs = [records[i].case.target.text for i in text_rows]  # type: ignore[union-attr]
        stats = bleu_stats(hyps, refs, flavor="coco")
        for row, i in enumerate(text_rows):
            pred, cs = judged[i]
            judged[i] = (pred, msgspec.structs.replace(cs, bleu=tuple(int(x) for x in stats[row])))
    return judged, other_models


def score_records(
    model: str,
    records: Sequence[CaseRecord],
    completions: Mapping[str, Completion],
    options: ScoringOptions,
    registry: Registry | None = None,
) -> tuple[ModelScores, list[tuple[Prediction, CaseScore]]]:
    """Judge and aggregate one model's completions; also returns the per-case judgements."""
    judged, other_models = judge_records(model, records, completions, options, registry)
    compat = options.mode == "compat"
    exclude_others = not compat and not options.accept_other_models
    coordinate = _coordinate_parsers(model, options)
    spatial = None
    if coordinate:
        spatial = spatial_inputs([rec.case for rec in records], [cs for _, cs in judged], options.answer_format)
    scores = score_model(
        model, [cs for _, cs in judged], in_u2=_IN_U2, compat=compat,
        n_resamples=options.n_resamples, confidence=options.confidence, seed=options.seed, method=options.method,
        spatial=spatial,
    )
    kinds: Counter[str] = Counter(c.error.kind for c in completions.values() if c.error is not None)
    if other_models:
        if exclude_others:
            kinds["other_model"] += sum(other_models.values())
        scores.other_models = dict(other_models.most_common())
    scores.errors_by_kind = dict(sorted(kinds.items()))
    scores.clinical = clinical_summary(records, judged, scores, compat=compat, tolerances=options.tolerances,
                                       confidence=options.confidence)
    return scores, judged


def _answered_by_another(case: Case, model: str, served: str) -> tuple[Prediction, CaseScore]:
    """An answer whose response names another model: an API error, kept out of every metric."""
    reason = f"answered by {served}, not {model}"
    return (Prediction(case.case_id, None, parsed=False, reason=reason),
            CaseScore(case_id=case.case_id, dataset_id=case.dataset_id, task=case.task, counted=False, parsed=False,
                      api_error=True))


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a run is read, judged and scored (also as a
    decorator). A run makes a few objects per case and no cycles to free, yet each of the
    collector's passes walks them all: they took ~20% of ``u2fast report`` over ten runs."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass
class LoadedRun:
    """What scoring reads from a run folder, read once."""

    path: Path
    manifest: RunManifest
    records: list[CaseRecord]
    journal: dict[str, Completion]
    #: :func:`folder_digest` of the files as read (empty: never reuse stored scores)
    digest: str = ""

    def answers(self, model: str) -> tuple[list[CaseRecord], dict[str, Completion]]:
        """The cases ``model`` was asked and its completion of each (by request key)."""
        asked = records_of(self.records, model)
        return asked, completions_for(asked, model, self.journal)


@paused_gc()
def load_run(path: Path) -> LoadedRun:
    digest = folder_digest(path)  # before the manifest, cases and journal are read (see folder_digest)
    manifest = read_manifest(path)
    return LoadedRun(path, manifest, read_cases(path), read_journal(path / JOURNAL), digest)


class _StoredScores(msgspec.Struct):
    basis: str
    scores: RunScores


def folder_digest(run_dir: Path) -> str:
    """sha256 of what scoring reads from a run folder: its manifest, cases and journal.

    Take it before reading them: scores stored under a digest of newer files would pass for theirs.
    """
    h = hashlib.sha256()
    for name in (MANIFEST, CASES, JOURNAL):
        path = run_dir / name
        h.update(f"{name}\0{path.stat().st_size if path.is_file() else -1}\0".encode())
        if path.is_file():
            h.update(path.read_bytes())
    return h.hexdigest()


def scoring_basis(digest: str, options: ScoringOptions) -> str | None:
    """What scores depend on: the folder's files, the options and the scorer's build (``scorer_build``:
    version, core and sources); None when a plugin parser is asked for (its code is not part of the
    basis, so such scores are never reused) or the build could not be fingerprinted."""
    build = scorer_fingerprint()
    if options.parsers or build is None:
        return None
    h = hashlib.sha256(f"{SCORES_SCHEMA}\0{build}\0{digest}\0".encode())
    h.update(msgspec.msgpack.encode(options))
    return h.hexdigest()


def stored_scores(run_dir: Path, basis: str | None) -> RunScores | None:
    """The scores ``u2fast score`` stored for exactly this ``basis``, else None (they are recomputed).

    ``scores.cache`` holds them in msgpack, whose floats come back bit for bit (NaN included, which
    JSON writes as null); a missing, older or unreadable cache is simply not used.
    """
    path = run_dir / SCORES_CACHE
    if basis is None or not path.is_file():
        return None
    try:
        stored = msgspec.msgpack.decode(path.read_bytes(), type=_StoredScores)
    except (OSError, msgspec.DecodeError):
        return None
    return stored.scores if stored.basis == basis else None


def _store_scores(run_dir: Path, basis: str | None, scores: RunScores) -> None:
    if basis is None:
        (run_dir / SCORES_CACHE).unlink(missing_ok=True)  # stale: it would not match anyway
        return
    tmp = run_dir / (SCORES_CACHE + ".tmp")
    tmp.write_bytes(msgspec.msgpack.encode(_StoredScores(basis, scores)))
    os.replace(tmp, run_dir / SCORES_CACHE)


def run_scores(options: ScoringOptions, models: dict[str, ModelScores]) -> RunScores:
    """``models`` under the settings they were scored with: the header of ``scores.json`` and of the
    leaderboard ``u2fast report`` prints."""
    return RunScores(
        schema=SCORES_SCHEMA, mode=options.mode, confidence=options.confidence, n_resamples=options.n_resamples,
        seed=options.seed, models=models, interval_method=options.method,
        interval_design="stratified" if options.n_resamples else "",
    )


@paused_gc()
def score_run(run_dir: Path, options: ScoringOptions, *, write: bool = True) -> RunScores:
    """Score every model of a run folder; writes ``scores.json`` (and ``scores.cache``, which
    ``u2fast report`` reuses) unless ``write`` is False."""
    run = load_run(run_dir)
    options = options.for_run(run.manifest)
    registry = get_registry()
    for task, name in options.parsers.items():
        registry.parser(task, name)  # an unknown parser is a PluginError before any scoring
    models = {}
    for model in run.manifest.models:
        models[model], _ = score_records(model, *run.answers(model), options, registry)
    result = run_scores(options, models)
    if write:
        write_json_atomic(run_dir / SCORES, result)
        _store_scores(run_dir, scoring_basis(run.digest, options), result)
    return result


def calibrate_run(run_dir: Path, manifest: RunManifest) -> dict[str, str]:
    """``--coords auto``: pick each such model's convention once from its first answers and record it.

    The manifest is rewritten with the choices (a model that gave nothing to calibrate on keeps its
    adapter's default, and a warning says so); returns model -> chosen layout.
    """
    import sys

    from .plugins import get_registry
    from .runfolder import write_manifest
    from .runner import read_journal
    from .tasks.coords import choose_convention

    records = read_cases(run_dir)
    journal = read_journal(run_dir / JOURNAL)
    registry = get_registry()
    chosen: dict[str, str] = {}
    for model, convention in manifest.coords.items():
        if convention != "auto":
            continue
        completions = completions_for(records, model, journal)
        samples = [
            (rec.case, completions[rec.case.case_id].text or "")
            for rec in records
            if rec.case.task in SECTOR_TASKS and rec.case.case_id in completions
            and completions[rec.case.case_id].ok
        ]
        layout, used = choose_convention(samples, lambda c: answer_kind(c.task, manifest.answer_format))
        if layout is None:
            adapter, _, name = model.partition(":")
            layout = registry.adapter(adapter).coords_for(name)
            sys.stderr.write(
                f"u2fast: --coords auto: {model} gave no coordinates to calibrate on; using its adapter's {layout}\n"
            )
        else:
            sys.stderr.write(f"u2fast: --coords auto: {model} answers in {layout} (chosen on {used} cases)\n")
        chosen[model] = layout
    manifest.coords = {**manifest.coords, **chosen}
    write_manifest(run_dir, manifest)
    return chosen
