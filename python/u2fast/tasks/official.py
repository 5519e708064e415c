"""The official kit's prompt files, loaded with ``--prompts DIR`` for exact reproduction.

Required files (the kit's own, used verbatim):

- ``cla_prompt.json``: ``{dataset_id: prompt text}`` for DD and VRA (keys such as ``"21"``,
  ``"28_class"``, ``"anatomy"``);
- ``mea_prompt.json``: ``{dataset_id: prompt text}`` for CVE.

Optional files (a u2fast format; the kit builds these prompts in code, so there is nothing to copy):

- ``seg_prompt.json`` (LL, OD, KD) and ``report_prompt.json`` (RG, CG): ``{key: template}`` where the
  key is ``"TASK/dataset_id"`` (e.g. ``"OD/37"``) or ``"TASK"`` (e.g. ``"LL"``), the more specific one
  winning. Templates are ``str.format`` strings with the fields ``{anatomy}``, ``{structure}``,
  ``{hint}`` and ``{options}`` (the ten locations joined by ", "); write ``{{`` and ``}}`` for literal
  braces. The whole filled template becomes the prompt text.

A dataset id is looked up as given, then without leading zeros (``"03"`` then ``"3"``).
"""

from __future__ import annotations

import json
import string
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..errors import ConfigError

__all__ = [
    "OfficialPrompts",
    "load_official_prompts",
    "official_text",
    "official_template",
    "validate_official_prompts",
    "REQUIRED_FILES",
    "OPTIONAL_FILES",
    "TEMPLATE_FIELDS",
]

REQUIRED_FILES = ("cla_prompt", "mea_prompt")
OPTIONAL_FILES = ("seg_prompt", "report_prompt")
#: Fields a ``seg_prompt.json`` / ``report_prompt.json`` template may use.
TEMPLATE_FIELDS = frozenset({"anatomy", "structure", "hint", "options"})


class OfficialPrompts(dict[str, dict[str, str]]):
    """File stem -> key -> text, remembering the folder for error messages."""

    def __init__(self, directory: Path, files: Mapping[str, dict[str, str]]) -> None:
        super().__init__(files)
        self.directory = directory

    def path_of(self, stem: str) -> Path:
        return self.directory / f"{stem}.json"


def _read_json_table(path: Path, templates: bool) -> dict[str, str]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text ({exc})") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"{path}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    if not isinstance(raw, dict):
        raise ConfigError(
            f"{path}: expected a JSON object of dataset id -> prompt text, got {type(raw).__name__}"
        )
    table: dict[str, str] = {}
    for key, value in raw.items():
        if not isinstance(value, str):
            raise ConfigError(f"{path}: key {key!r}: expected a string, got {type(value).__name__}")
        if templates:
            _check_template(path, key, value)
        table[key] = value
    return table


def _check_template(path: Path, key: str, template: str) -> None:
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(template) if f is not None]
    except ValueError as exc:
        raise ConfigError(
            f"{path}: key {key!r}: bad template ({exc}); write {{{{ and }}}} for literal braces"
        ) from None
    for name in fields:
        if name not in TEMPLATE_FIELDS:
            raise ConfigError(
                f"{path}: key {key!r}: unknown template field {{{name}}}; allowed: "
                + ", ".join(f"{{{f}}}" for f in sorted(TEMPLATE_FIELDS))
            )


def load_official_prompts(directory: str | Path) -> OfficialPrompts:
    """Read the kit's ``cla_prompt.json`` and ``mea_prompt.json`` (and optional u2fast templates)."""
    folder = Path(directory)
    if not folder.is_dir():
        raise ConfigError(
            f"--prompts {folder}: not a folder (expected one holding cla_prompt.json and mea_prompt.json)"
        )
    files: dict[str, dict[str, str]] = {}
    for stem in REQUIRED_FILES:
        path = folder / f"{stem}.json"
        if not path.is_file():
            raise ConfigError(f"{path}: missing; --prompts needs {stem}.json from the official kit")
        files[stem] = _read_json_table(path, templates=False)
    for stem in OPTIONAL_FILES:
        path = folder / f"{stem}.json"
        if path.is_file():
            files[stem] = _read_json_table(path, templates=True)
    return OfficialPrompts(folder, files)


def _where(official: Mapping[str, Mapping[str, str]], stem: str) -> str:
    if isinstance(official, OfficialPrompts):
        return str(official.path_of(stem))
    return f"{stem}.json"


def official_text(official: Mapping[str, Mapping[str, str]], stem: str, dataset_id: str) -> tuple[str, str]:
    """``(key, text)`` of a dataset in a required file; ConfigError naming the file and key if absent."""
    table = official.get(stem)
    if table is None:
        raise ConfigError(f"{_where(official, stem)}: not loaded; --prompts needs it")
    for key in (dataset_id, dataset_id.lstrip("0") or dataset_id):
        if key in table:
            return key, table[key]
    raise ConfigError(
        f"{_where(official, stem)}: no prompt for dataset {dataset_id!r} (key {dataset_id!r} is missing)"
    )


def official_template(
    official: Mapping[str, Mapping[str, str]], stem: str, task: str, dataset_id: str
) -> tuple[str, str] | None:
    """``(key, template)`` from an optional file, or None when the file or a matching key is absent."""
    table = official.get(stem)
    if not table:
        return None
    for key in (f"{task}/{dataset_id}", f"{task}/{dataset_id.lstrip('0') or dataset_id}", task):
        if key in table:
            return key, table[key]
    return None


def validate_official_prompts(
    official: Mapping[str, Mapping[str, str]], scenarios: Iterable[tuple[str, str]]
) -> None:
    """Fail before any request when a (task, dataset id) in use has no official prompt text."""
    missing: list[str] = []
    for task, dataset_id in sorted(set(scenarios)):
        stem = "cla_prompt" if task in ("DD", "VRA") else "mea_prompt" if task == "CVE" else None
        if stem is None:
            continue
        try:
            official_text(official, stem, dataset_id)
        except ConfigError:
            missing.append(f"{_where(official, stem)}: key {dataset_id!r} ({task})")
    if missing:
        raise ConfigError("official prompts missing for: " + "; ".join(missing))
