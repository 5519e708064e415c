"""Everything of an eval up to the first request, writing nothing: models, data, prompts, keys, setup.

``prepare_run`` resolves the options into adapters, cases, prompts, one Request per (model, case)
and the ``RunSetup`` the run folder records. ``u2fast.evaluation`` then takes the folder's lock and
writes; a dry run stops here.
"""

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
from typing import Any, Literal

import msgspec

from . import __version__
from .adapters.base import Adapter, HttpAdapter
from .credentials import redact_url
from .errors import ConfigError
from .model_settings import ModelChoice, SettingsSources, resolve_model
from .plugins import Registry, get_registry
from .preflight import check_choices, check_filters_met
from .runfolder import CURRENT_KEY_RECIPE, CaseRecord, check_name, default_name, recordable_options
from .runner.config import EvalConfig
from .tasks.base import PROMPT_VARIANTS, PromptOptions
from .types import Case, GenerationParams, ModelSetup, Prompt, Request, RunLimits, RunManifest, RunSetup

__all__ = ["EvalOptions", "ModelChoice", "PreparedRun", "plan_requests", "prepare_run", "resolve_models"]

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
    #: The ``--config`` TOML file (per-provider and per-model settings), if any, and its path.
    config: EvalConfig | None = None
    config_path: Path | None = None
    #: LL/OD/KD answer format; ``coords`` (--coords) overrides every model's convention, "auto"
    #: picks one per model after the run (``tasks.coords.calibrate``); ``max_side`` is --max-side.
    answer_format: str = "sector"
    coords: str | None = None
    max_side: int | None = None
    adapter_options: Mapping[str, Any] = field(default_factory=dict)
    command: list[str] = field(default_factory=list)
    #: ``--parser TASK=NAME`` choices: checked before anything is sent, used when scoring.
    parsers: tuple[tuple[str, str], ...] = ()
    # --- settings that do not change what is sent (they may change on --resume)
    concurrency: int | None = None
    rpm: float | None = None
    tpm: float | None = None
    max_attempts: int | None = None
    max_cost: float | None = None
    request_deadline: float | None = None
    max_response_bytes: int | None = None
    bootstrap: int = 1000
    #: ``--repair-journal``: move unreadable journal lines aside before resuming.
    repair_journal: bool = False
    # --- batch mode (docs/batch.md): how requests are sent, never what is sent
    batch: bool | None = None
    poll: float | None = None
    batch_wait: bool = True
    batch_fallback: Literal["sync", "rebatch", "none"] = "sync"
    quiet: bool = False
    #: score answers a server says came from another model (``--accept-other-models``)
    accept_other_models: bool = False

    def limit_flags(self) -> dict[str, float | int]:
        """The limits given (they beat the config file), as ``Limits`` fields."""
        given = {"concurrency": self.concurrency, "rpm": self.rpm, "tpm": self.tpm, "max_attempts": self.max_attempts,
                 "request_deadline": self.request_deadline, "max_response_bytes": self.max_response_bytes}
        return {k: v for k, v in given.items() if v is not None}

    def run_limits(self) -> RunLimits:
        return RunLimits(concurrency=self.concurrency, rpm=self.rpm, tpm=self.tpm, max_attempts=self.max_attempts,
                         max_cost=self.max_cost, request_deadline=self.request_deadline,
                         max_response_bytes=self.max_response_bytes, config=str(self.config_path) if self.config_path else None,
                         mode=self.mode, bootstrap=self.bootstrap, parsers=dict(self.parsers), batch=self.batch,
                         poll=self.poll, batch_fallback=self.batch_fallback)



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
                              seed=options.seed, limits=options.limit_flags())
    # de-duplicated, in order; each model's settings come from model_settings alone
    return [resolve_model(name, registry.adapter(name.partition(":")[0]), sources) for name in dict.fromkeys(names)]


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


def _official_prompts(options: EvalOptions, cases: Sequence[Case]) -> tuple[Any, str | None]:
    if options.prompts_dir is None:
        return None, None
    from .tasks.official import validate_official_prompts
    from .tasks.prompts import load_official_prompts

    official = load_official_prompts(options.prompts_dir)
    validate_official_prompts(official, [(c.task, c.dataset_id) for c in cases])
    digest = hashlib.sha256()
    for name in sorted(p.name for p in options.prompts_dir.iterdir() if p.suffix == ".json"):
        digest.update(name.encode() + b"\0" + (options.prompts_dir / name).read_bytes() + b"\0")
    return official, digest.hexdigest()[:16]


def build_prompts(
    cases: Sequence[Case], options: EvalOptions, registry: Registry, convention: str | None = None
) -> list[Prompt]:
    if options.prompt_variant not in PROMPT_VARIANTS:
        raise ConfigError(f"unknown prompt variant {options.prompt_variant!r}; choose from {', '.join(PROMPT_VARIANTS)}")
    official, _ = _official_prompts(options, cases)
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
    max_side: int | None = None,
) -> dict[str, list[Request]]:
    """One Request per (model, case), keyed by a hash of everything that changes what is sent."""
    from .runner.request_key import request_key, sent_image_id

    plan: dict[str, list[Request]] = {}
    for m, adapter in zip(models, adapters):
        adapter_name, _, model_name = m.name.partition(":")
        # A model behind HTTP answers the question, so two cases asking the same question with the
        # same image share one call. A local adapter (replay, random) answers the *case*: its key must
        # carry the case id, or cases sharing an image would share one replayed answer.
        per_case = not isinstance(adapter, HttpAdapter)
        options, endpoint = dict(m.settings.options), m.settings.base_url
        reqs = []
        for case, prompt in zip(cases, prompts_for[m.name] if prompts_for else prompts):
            image = sent_image_id(case.image, max_side)
            shas = (image, f"case:{case.case_id}") if per_case else (image,)
            key = request_key(adapter_name, model_name, params, prompt, shas, options=options, endpoint=endpoint)
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


def _setup(options: EvalOptions, models: Sequence[ModelChoice], prompts_hash: str | None,
           conventions: Mapping[str, str]) -> RunSetup:
    return RunSetup(
        data=options.data,
        params=options.params,
        models={m.name: ModelSetup(endpoint=redact_url(m.settings.base_url or ""),
                                   options=recordable_options(m.settings.options), coords=conventions.get(m.name))
                for m in models},
        tasks=tuple(options.tasks), datasets=tuple(options.datasets), limit=options.limit, strict=options.strict,
        bbox_format=options.bbox_format, seed=options.seed, prompt_variant=options.prompt_variant,
        prompts_dir=str(options.prompts_dir) if options.prompts_dir else None, prompts_hash=prompts_hash,
        max_side=options.max_side, base_url=redact_url(options.base_url) if options.base_url else None,
        answer_format=options.answer_format, coords=options.coords, limits=options.run_limits(),
    )


def prepare_run(options: EvalOptions, registry: Registry | None = None) -> PreparedRun:
    """Models, data, prompts, requests and the manifest a new folder would get. Nothing is written."""
    from .data import load
    from .data.load_types import LoadOptions

    if options.name is not None:
        check_name(options.name)
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
    _, prompts_hash = _official_prompts(options, loaded.cases)
    plan = plan_requests(
        loaded.cases, prompts, models, [adapters[m.name] for m in models], options.params, prompts_for,
        options.max_side,
    )
    name = options.name or default_name([m.name for m in models], options.data, loaded.fingerprint,
                                        options.prompt_variant)
    run_dir = options.runs_dir / name
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
        key_recipe=CURRENT_KEY_RECIPE,
        setup=_setup(options, models, prompts_hash, conventions),
    )
    from .data.summary import bad_data_lines

    return PreparedRun(run_dir, manifest, models, adapters, plan, records,
                       data_notes=bad_data_lines(loaded.skipped, loaded.warnings))
