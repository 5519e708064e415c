"""Prompt builders for the eight tasks: three parts (role, instruction, output format) per case.

The wording is u2fast's own (``wording.py``); option lists, sector labels and CVE ranges are the
benchmark's facts, written verbatim. Variants (``PROMPT_VARIANTS``) each change one part:

- ``no-anatomy`` removes the anatomy sentence from the role, nothing else (the paper's ablation);
- ``no-role`` removes the persona sentence (the anatomy sentence, if any, stays);
- ``no-format`` removes the output-format part;
- ``no-instruction-detail`` removes label definitions, rubrics and reading advice from the
  instruction, keeping the task sentence, the option list and the range.

With ``--prompts DIR`` (``PromptOptions.official``) DD, VRA and CVE use the official text verbatim, and
LL/OD/KD/RG/CG use the folder's optional templates when present (see ``official.py``).

A row's ``hint`` opens the instruction of LL/OD/KD, RG/CG (as in the official kit) and CVE (where it
usually carries the pixel spacing a size estimate needs); DD and VRA never show it.
"""

from __future__ import annotations

import hashlib
import re

from ..errors import ConfigError
from ..prompt_ids import answer_kind, template_id
from ..types import SECTOR_LABELS, Case, LabelTarget, Prompt, SectorTarget, ValueTarget
from ..u2bench.scenarios import Scenario, scenario
from .base import PROMPT_VARIANTS, PromptOptions
from .official import load_official_prompts, official_template, official_text, validate_official_prompts
from .wording import (
    CLA_WORDING,
    COORD_TASK,
    CVE_WORDING,
    GENERIC_CLA,
    GENERIC_CVE,
    REPORT_WORDING,
    ROLE,
    SECTOR_DETAIL,
    SECTOR_TASK,
    anatomy_sentence,
    coord_format,
)

__all__ = [
    "build_prompt",
    "prompt_hash",
    "resolve_anatomy",
    "resolve_structure",
    "load_official_prompts",
    "validate_official_prompts",
    "KD_FALLBACK_KEYPOINT",
]

#: Bumped whenever u2fast's own wording changes, so that journal keys and manifests tell versions apart.
#: What KD asks for when a case names no keypoint (the kit's fallback phrase, a fact).
KD_FALLBACK_KEYPOINT = "heart valve location"

_MISSING_WORDS = frozenset({"", "nan", "none", "null"})

_CLA_FORMAT = (
    "Answer with exactly one of the options, written exactly as listed, and nothing else: no explanation, "
    "punctuation, numbering or formatting."
)
_INTEGER_FORMAT = "Answer with the single integer of your chosen option and nothing else."
_SECTOR_FORMAT = (
    "Answer with exactly one of the locations, written exactly as listed, and nothing else: no explanation, "
    "punctuation or formatting."
)
_NUMBER_FORMAT = "Answer with the number only, without the unit or any other text."
_WHOLE_NUMBER_FORMAT = "Answer with a whole number only, without any other text."


def prompt_hash(prompt: Prompt | str) -> str:
    """sha256 (hex) of a prompt's text, for manifests and journal keys."""
    text = prompt if isinstance(prompt, str) else prompt.text
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _present(value: str | None) -> str | None:
    if value is None or value.strip().lower() in _MISSING_WORDS:
        return None
    return value.strip()


def resolve_anatomy(case: Case, sc: Scenario | None) -> str:
    """The case's anatomy when the row has one (``nan`` counts as none), else the scenario's.

    DD and VRA always use the scenario's word: in those datasets the row's anatomy column can carry
    the answer (the mixed-organ set names the organ, the carotid set the side), and the official
    classification prompts never include row text either.
    """
    if case.task in ("DD", "VRA") and sc is not None:
        return sc.anatomy
    return _present(case.anatomy) or (sc.anatomy if sc else "")


def resolve_structure(case: Case, sc: Scenario | None) -> str:
    """OD/KD target name: the case's structure or keypoint, else the scenario's (KD: the kit's fallback)."""
    target = case.target
    raw = target.structure if isinstance(target, SectorTarget) else None
    if raw is not None:
        # seg_channel_name arrives as a Python-list string such as "['cortex_R1']".
        raw = ", ".join(p.strip() for p in re.sub(r"[\[\]'\"]", "", raw).split(",") if p.strip())
    found = _present(raw)
    if found:
        return found
    if case.task == "KD":
        return KD_FALLBACK_KEYPOINT
    return (sc.subject if sc else "") or "the target structure"


def _role(anatomy: str, variant: str) -> str:
    parts = []
    if variant != "no-role":
        parts.append(ROLE)
    if anatomy and variant != "no-anatomy":
        parts.append(anatomy_sentence(anatomy))
    return " ".join(parts)


def _instruction(lead: str, task: str, detail: str, listing: str, variant: str) -> str:
    sentences = " ".join(s for s in (lead, task, "" if variant == "no-instruction-detail" else detail) if s)
    return f"{sentences}\n{listing}" if listing else sentences


def _hint(case: Case) -> str:
    hint = _present(case.hint)
    if not hint:
        return ""
    return hint if hint.endswith((".", "!", "?")) else hint + "."


def _fmt(v: float) -> str:
    return f"{v:g}"


def _range_sentence(low: float, high: float, unit: str) -> str:
    if unit == "%":
        return f"The value lies between {_fmt(low)}% and {_fmt(high)}%."
    if unit:
        return f"The value lies between {_fmt(low)} {unit} and {_fmt(high)} {unit}; give it in {unit}."
    return f"The value lies between {_fmt(low)} and {_fmt(high)}."


def _own_prompt(case: Case, sc: Scenario | None, popts: PromptOptions) -> Prompt:
    ds, task, variant = case.dataset_id, case.task, popts.variant
    anatomy = resolve_anatomy(case, sc)
    role = _role(anatomy, variant)
    if task in ("DD", "VRA"):
        options = sc.options if sc else (case.target.options if isinstance(case.target, LabelTarget) else ())
        wording = CLA_WORDING.get(ds, GENERIC_CLA) if sc else GENERIC_CLA
        instruction = _instruction(
            "", wording.task, wording.detail, "Options: " + ", ".join(options), variant
        )
        fmt = _INTEGER_FORMAT if sc is not None and sc.integer_labels else _CLA_FORMAT
    elif task in ("LL", "OD", "KD") and popts.answer_format != "sector":
        from .coords import sent_size

        kind = answer_kind(task, popts.answer_format)
        sentence = COORD_TASK[task].format(subject=resolve_structure(case, sc))
        instruction = _instruction(_hint(case), sentence, "", "", variant)
        fmt = coord_format(kind, popts.coords, sent_size(case, popts.max_side))
    elif task in ("LL", "OD", "KD"):
        sentence = SECTOR_TASK[task].format(subject=resolve_structure(case, sc))
        listing = "Locations: " + ", ".join(SECTOR_LABELS)
        instruction = _instruction(_hint(case), sentence, SECTOR_DETAIL, listing, variant)
        fmt = _SECTOR_FORMAT
    elif task == "CVE":
        target = case.target
        if sc is not None:
            low, high, unit, integer = sc.low, sc.high, sc.unit, sc.integer
        elif isinstance(target, ValueTarget):
            low, high, unit, integer = target.low, target.high, target.unit, False
        else:
            raise ConfigError(f"{case.source}: row {case.row}: CVE case {case.case_id} has no range to state")
        wording = CVE_WORDING.get(ds, GENERIC_CVE) if sc else GENERIC_CVE
        instruction = _instruction(
            _hint(case), wording.task, wording.detail, _range_sentence(low, high, unit), variant
        )
        fmt = _WHOLE_NUMBER_FORMAT if integer else _NUMBER_FORMAT
    else:  # RG, CG
        task_sentence, detail, fmt = REPORT_WORDING[task]
        instruction = _instruction(_hint(case), task_sentence, detail, "", variant)
    if variant == "no-format":
        fmt = ""
    return Prompt(
        role=role,
        instruction=instruction,
        output_format=fmt,
        template=template_id(task, ds, popts.answer_format, popts.coords),
        variant=variant,
    )


def _official_prompt(case: Case, sc: Scenario | None, options: PromptOptions) -> Prompt | None:
    official = options.official
    assert official is not None
    task, ds = case.task, case.dataset_id
    if task in ("DD", "VRA", "CVE"):
        stem, family = ("cla_prompt", "cla") if task != "CVE" else ("mea_prompt", "mea")
        key, text = official_text(official, stem, ds)
        if options.variant != "default":
            raise ConfigError(
                f"prompt variant {options.variant!r} cannot edit the official text "
                f"({stem}.json key {key!r}); use the default variant with --prompts, or drop --prompts"
            )
        return _official(text, family, key)
    stem, family = ("seg_prompt", "seg") if task in ("LL", "OD", "KD") else ("report_prompt", "report")
    found = official_template(official, stem, task, ds)
    if found is None:
        return None
    key, template = found
    if options.variant != "default":
        raise ConfigError(
            f"prompt variant {options.variant!r} cannot edit the template {stem}.json key {key!r}"
        )
    text = template.format(
        anatomy=resolve_anatomy(case, sc),
        structure=resolve_structure(case, sc) if task in ("OD", "KD") else "",
        hint=_present(case.hint) or "",
        options=", ".join(SECTOR_LABELS),
    )
    return _official(text, family, key)


def _official(text: str, family: str, key: str) -> Prompt:
    """The official kit's text as the whole prompt, named by its file family and key."""
    return Prompt(role="", instruction=text, output_format="", separator="", template=f"official:{family}/{key}",
                  variant="default")  # fmt: skip


def build_prompt(case: Case, options: PromptOptions | None = None) -> Prompt:
    """The prompt of one case under the run's prompt options."""
    options = options or PromptOptions()
    if options.variant not in PROMPT_VARIANTS:
        raise ConfigError(
            f"unknown prompt variant {options.variant!r}; choose from {', '.join(PROMPT_VARIANTS)}"
        )
    sc = scenario(case.task, case.dataset_id)
    if options.answer_format != "sector" and options.official is not None and case.task in ("LL", "OD", "KD"):
        raise ConfigError("--prompts (the official texts) ask for sectors; it cannot be combined with --answer-format")
    if options.official is not None:
        official = _official_prompt(case, sc, options)
        if official is not None:
            return official
    return _own_prompt(case, sc, options)
