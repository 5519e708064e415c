"""``u2fast eval``: data -> prompts -> requests -> runner -> journal -> scores, in one run folder."""

from __future__ import annotations

import datetime as _dt
import hashlib
import platform
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from . import __version__
from .adapters.base import Adapter, HttpAdapter
from .errors import ConfigError
from .model_settings import ModelChoice, SettingsSources, resolve_model
from .plugins import Registry, get_registry
from .preflight import check_choices, check_filters_met
from .runner.config import EvalConfig
from .runs import CaseRecord, write_cases, write_manifest
from .tasks.base import PROMPT_VARIANTS, PromptOptions
from .types import Case, GenerationParams, Prompt, Request, RunManifest

__all__ = ["EvalOptions", "ModelChoice", "resolve_models", "plan_requests", "prepare_run"]

@dataclass
class EvalOptions:
    data: str = "sample"
    models: list[str] = field(default_factory=list)
    plugins: list[str] = field(default_factory=list)
    name: str | None = None
    runs_dir: Path = Path("runs")
    params: GenerationParams = field(default_factory=GenerationParams)
    seed: int = 0
    mode: str = "robust"
    prompt_variant: str = "default"
    prompts_dir: Path | None = None
    strict: bool = False
    bbox_format: str = "auto"
    limit: int | None = None
    tasks: tuple[str, ...] = ()
    datasets: tuple[str, ...] = ()
    base_url: str | None = None
    #: The ``--config`` TOML file (per-provider and per-model settings), if any.
    config: EvalConfig | None = None
    #: LL/OD/KD answer format; ``coords`` (--coords) overrides every model's convention, "auto"
    #: picks one per model after the run (``tasks.coords.calibrate``); ``max_side`` is --max-side.
    answer_format: str = "sector"
    coords: str | None = None
    max_side: int | None = None
    adapter_options: Mapping[str, Any] = field(default_factory=dict)
    #: the limit flags given on the command line (``concurrency``, ``rpm``, ``tpm``, ``max_attempts``)
    limits: Mapping[str, float | int] = field(default_factory=dict)
    command: list[str] = field(default_factory=list)
    #: ``--parser TASK=NAME`` choices: checked before anything is sent, used when scoring.
    parsers: tuple[tuple[str, str], ...] = ()


def split_model_spec(spec: str) -> tuple[str, str]:
    """``ADAPTER:MODEL`` or ``ADAPTER/MODEL`` (the spelling other harnesses use) -> (adapter, model).

    The first ``:`` or ``/`` separates the adapter, so model names keep theirs
    (``vllm/Qwen/Qwen2.5-VL-7B``, ``replay:/tmp/answers.jsonl``).
    """
    m = re.match(r"([^:/]*)[:/](.*)", spec, re.S)
    return (m.group(1), m.group(2)) if m else (spec, "")


def resolve_models(options: EvalOptions, registry: Registry) -> list[ModelChoice]:
    """Turn ``--model``/``--plugins`` into models with every setting resolved (``u2fast.model_settings``).

    A missing key is a ConfigError here, before any request is sent.
    """
    names: list[str] = []
    for plugin in options.plugins:
        info = registry.adapter(plugin)
        names.append(f"{info.name}:{info.default_model}")
    for spec in options.models:
        adapter, model = split_model_spec(spec)
        info = registry.adapter(adapter)
        names.append(f"{info.name}:{model or info.default_model}")
    if not names:
        names = ["random:uniform"]
    sources = SettingsSources(base_url=options.base_url, config=options.config, adapter_options=options.adapter_options,
                              seed=options.seed, limits=options.limits)
    # de-duplicated, in order; each model's settings come from model_settings alone
    return [resolve_model(name, registry.adapter(name.partition(":")[0]), sources) for name in dict.fromkeys(names)]


def _run_name(options: EvalOptions, models: Sequence[ModelChoice]) -> str:
    if options.name:
        return options.name
    parts = ["-".join(m.name.replace(":", "_") for m in models), Path(options.data).name or options.data]
    if options.prompt_variant != "default":
        parts.append(options.prompt_variant)
    slug = "-".join(parts)
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", slug)[:120]


def resolve_conventions(options: EvalOptions, models: Sequence[ModelChoice]) -> dict[str, str]:
    """Each model's coordinate convention: --coords, else the config's ``coords``, else the adapter's
    default for the model's family; empty for sector answers. "auto" is recorded as asked."""
    if options.answer_format == "sector":
        return {}
    out = {}
    for m in models:
        configured = options.config.coords_for(m.name) if options.config else None
        out[m.name] = options.coords or configured or m.info.coords_for(m.settings.model)
    return out


def build_prompts(
    cases: Sequence[Case], options: EvalOptions, registry: Registry, convention: str | None = None
) -> list[Prompt]:
    if options.prompt_variant not in PROMPT_VARIANTS:
        raise ConfigError(f"unknown prompt variant {options.prompt_variant!r}; choose from {', '.join(PROMPT_VARIANTS)}")
    official = None
    if options.prompts_dir is not None:
        from .tasks.official import validate_official_prompts
        from .tasks.prompts import load_official_prompts

        official = load_official_prompts(options.prompts_dir)
        validate_official_prompts(official, [(c.task, c.dataset_id) for c in cases])
    popts = PromptOptions(variant=options.prompt_variant, official=official, answer_format=options.answer_format,
                          coords=None if convention == "auto" else convention, max_side=options.max_side)
    return [registry.task(c.task).build_prompt(c, popts) for c in cases]


def plan_requests(
    cases: Sequence[Case],
    prompts: Sequence[Prompt],
    models: Sequence[ModelChoice],
    adapters: Sequence[Adapter],
    params: GenerationParams,
    prompts_for: Mapping[str, Sequence[Prompt]] | None = None,
) -> dict[str, list[Request]]:
    """One Request per (model, case), keyed by a hash of everything that shapes the answer."""
    from .runner.keys import request_key

    plan: dict[str, list[Request]] = {}
    for m, adapter in zip(models, adapters):
        adapter_name, _, model_name = m.name.partition(":")
        # A model behind HTTP answers the question, so two cases asking the same question with the
        # same image share one call. A local adapter (replay, random) answers the *case*: its key must
        # carry the case id, or cases sharing an image would share one replayed answer.
        per_case = not isinstance(adapter, HttpAdapter)
        reqs = []
        for case, prompt in zip(cases, prompts_for[m.name] if prompts_for else prompts):
            shas = (case.image.sha256, f"case:{case.case_id}") if per_case else (case.image.sha256,)
            key = request_key(adapter_name, model_name, params, prompt, shas)
            reqs.append(
                Request(key=key, case_id=case.case_id, dataset_id=case.dataset_id, task=case.task, model=m.name,
                        prompt=prompt, images=(case.image,), params=params)
            )
        plan[m.name] = reqs
    return plan


def _prompt_hashes(cases: Sequence[Case], prompts: Sequence[Prompt]) -> dict[str, str]:
    texts: dict[str, set[str]] = defaultdict(set)
    for case, prompt in zip(cases, prompts):
        texts[case.scenario].add(prompt.text)
    return {k: hashlib.sha256("\x00".join(sorted(v)).encode()).hexdigest()[:16] for k, v in sorted(texts.items())}


@dataclass
class PreparedRun:
    run_dir: Path
    manifest: RunManifest
    models: list[ModelChoice]
    adapters: dict[str, Adapter]
    plan: dict[str, list[Request]]
    records: list[CaseRecord]
    #: What was wrong with the data (rows skipped per file, first reasons, scenarios left empty),
    #: for the screen before anything is sent.
    data_notes: list[str] = field(default_factory=list)


def prepare_run(options: EvalOptions, registry: Registry | None = None, *, write: bool = True) -> PreparedRun:
    """Everything up to the first request: models, data, prompts, run folder, manifest, cases.

    With ``write=False`` (a dry run) nothing is written to disk.
    """
    from .data import load
    from .data.registry import LoadOptions

    registry = registry or get_registry()
    check_choices(tasks=options.tasks, datasets=options.datasets, parsers=options.parsers, registry=registry)
    models = resolve_models(options, registry)
    adapters = {m.name: m.info.create(m.settings) for m in models}
    loaded = load(
        options.data,
        LoadOptions(strict=options.strict, bbox_format=options.bbox_format, tasks=options.tasks,
                    datasets=options.datasets, limit=options.limit),
    )
    if not loaded.cases:
        raise ConfigError(f"no cases to evaluate in {options.data!r} (after filters)")
    check_filters_met(options.data, options.tasks, options.datasets, loaded.cases)
    conventions = resolve_conventions(options, models)
    prompts = build_prompts(loaded.cases, options, registry)
    prompts_for = None
    if conventions:  # coordinate answers: each model's prompt states its own convention
        by_convention = {c: build_prompts(loaded.cases, options, registry, c) for c in set(conventions.values())}
        prompts_for = {name: by_convention[c] for name, c in conventions.items()}
        prompts = [p for name in conventions for p in prompts_for[name]]
    plan = plan_requests(
        loaded.cases, prompts, models, [adapters[m.name] for m in models], options.params, prompts_for
    )
    run_dir = options.runs_dir / _run_name(options, models)
    records = [
        CaseRecord(case, {m: plan[m][i].key for m in plan}) for i, case in enumerate(loaded.cases)
    ]
    manifest = RunManifest(
        name=run_dir.name,
        created_at=_dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        u2fast_version=__version__,
        command=list(options.command),
        data=options.data,
        dataset_fingerprint=loaded.fingerprint,
        n_cases=len(loaded.cases),
        models=[m.name for m in models],
        params=options.params,
        seed=options.seed,
        prompt_variant=options.prompt_variant,
        prompt_source="official" if options.prompts_dir else "u2fast",
        prompt_hashes=_prompt_hashes(list(loaded.cases) * max(1, len(conventions)), prompts),
        bbox_format=",".join(f"{k}={v}" for k, v in sorted(loaded.bbox_format.items())) or options.bbox_format,
        skipped_rows=len(loaded.skipped),
        skipped=[e.as_record() for e in loaded.skipped[:200]],
        scenarios=dict(sorted(Counter(c.scenario for c in loaded.cases).items())),
        python=sys.version.split()[0],
        platform=platform.platform(),
        prices={m.name: {k: v for k, v in msgspec.structs.asdict(m.price).items() if v is not None}
                for m in models if m.price is not None},
        answer_format=options.answer_format,
        coords=conventions,
        max_side=options.max_side,
    )
    if write:
        run_dir.mkdir(parents=True, exist_ok=True)
        write_manifest(run_dir, manifest)
        write_cases(run_dir, records)
    from .data.summary import bad_data_lines

    return PreparedRun(run_dir, manifest, models, adapters, plan, records,
                       data_notes=bad_data_lines(loaded.skipped, loaded.warnings))
