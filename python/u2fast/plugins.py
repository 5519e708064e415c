"""The plugin manager: built-ins first, then entry points (group ``u2fast``), each in isolation.

A plugin that fails to import or to register is reported and skipped, never fatal.
``U2FAST_DISABLE_PLUGINS=1`` (or a comma list of names) turns entry-point plugins off.
Registering a name twice is rejected loudly.
"""

from __future__ import annotations

import importlib.metadata
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pluggy

from . import hookspecs
from .credentials import scrub_credentials
from .errors import PluginError

if TYPE_CHECKING:
    from .adapters.base import AdapterInfo
    from .data.load_types import DatasetSource
    from .tasks.base import ParserInfo, TaskDefinition

__all__ = ["Registry", "get_registry", "reset_registry", "BUILTIN_MODULES", "PROVIDER_PACKAGES", "install_hint"]

#: Built-in modules that implement hooks, registered before any third-party plugin.
BUILTIN_MODULES = (
    "u2fast.tasks.builtin",
    "u2fast.adapters.random_baseline",
    "u2fast.adapters.replay",
    "u2fast.data.builtin",
)

#: The first-party provider adapters, the package (in ``plugins/``) that registers each, and the
#: extra of u2fast that installs it (``pyproject.toml``; a test keeps the three in step).
PROVIDER_PACKAGES = {"openai": "u2fast-openai", "gemini": "u2fast-gemini", "anthropic": "u2fast-anthropic"}


def install_hint(adapter: str) -> str:
    """How to get the adapter ``adapter`` when it is not installed, for the unknown-adapter error."""
    package = PROVIDER_PACKAGES.get(adapter)
    if package is None:
        return f"an adapter {adapter!r} comes from a package registering it in the entry-point group 'u2fast'"
    return (
        f"{adapter!r} comes with the package {package}: pip install -e plugins/{package} in a clone of u2fast, "
        f"or pip install 'u2fast[{adapter}]' from a folder of built wheels (pip install --no-index --find-links DIR)"
    )


@dataclass
class PluginFailure:
    name: str
    error: str


@dataclass
class Registry:
    """Everything the plugins registered, by name."""

    pm: pluggy.PluginManager
    adapters: dict[str, AdapterInfo] = field(default_factory=dict)
    tasks: dict[str, TaskDefinition] = field(default_factory=dict)
    parsers: dict[tuple[str, str], ParserInfo] = field(default_factory=dict)
    datasets: dict[str, DatasetSource] = field(default_factory=dict)
    failures: list[PluginFailure] = field(default_factory=list)
    #: plugin name -> distribution (package) name, for ``u2fast plugins``.
    distributions: dict[str, str] = field(default_factory=dict)
    #: which plugin registered each adapter
    adapter_owner: dict[str, str] = field(default_factory=dict)

    def adapter(self, name: str) -> AdapterInfo:
        try:
            return self.adapters[name]
        except KeyError:
            known = ", ".join(sorted(self.adapters)) or "none"
            hint = "" if not self.failures else f" (plugins that failed to load: {', '.join(f.name for f in self.failures)})"
            guess = self._model_guess(name)
            if guess:  # --model gpt-4.1: a model name given without its adapter
                raise PluginError(f"unknown model adapter {name!r}; did you mean {guess}? "
                                  "(--model takes ADAPTER:MODEL)") from None
            raise PluginError(
                f"unknown model adapter {name!r}; installed: {known}{hint}; {install_hint(name)}"
            ) from None

    def _model_guess(self, name: str) -> str:
        """``adapter:name`` for each adapter listing ``name`` as a model, or whose models share its
        family (the part before the first '-': gpt, gemini, claude)."""
        exact = [f"{a}:{name}" for a, info in sorted(self.adapters.items()) if name in info.models]
        if exact:
            return " or ".join(exact)
        family = name.split("-", 1)[0].lower()
        if not family or family == name.lower():
            return ""
        near = [a for a, info in sorted(self.adapters.items())
                if any(m.lower().split("-", 1)[0] == family for m in info.models)]
        return " or ".join(f"{a}:{name}" for a in near)

    def task(self, name: str) -> TaskDefinition:
        try:
            return self.tasks[name]
        except KeyError:
            raise PluginError(f"unknown task {name!r}; known: {', '.join(self.tasks)}") from None

    def parser(self, task: str, name: str) -> ParserInfo:
        try:
            return self.parsers[(task, name)]
        except KeyError:
            known = ", ".join(n for t, n in self.parsers if t == task) or "none"
            raise PluginError(f"unknown parser {name!r} for task {task}; known: {known}") from None

    def dataset(self, name: str) -> DatasetSource | None:
        return self.datasets.get(name)

    def notify(self, hook: str, report: Callable[[str], object], **kwargs: Any) -> None:
        """Call the observer ``hook`` (``u2fast_run_started``/``u2fast_run_finished``) of every plugin.

        Each plugin is called on its own: one that raises is reported through ``report`` (its name,
        the hook and the error, credentials masked) and the others still hear of the run, which goes on.
        """
        caller = getattr(self.pm.hook, hook)
        for impl in reversed(caller.get_hookimpls()):  # registration order
            try:
                impl.function(**kwargs)
            except Exception as exc:  # noqa: BLE001 - an observer never stops a run; it is reported
                report(f"u2fast: plugin {impl.plugin_name} failed in {hook}: "
                       f"{type(exc).__name__}: {scrub_credentials(str(exc))}")


def _disabled() -> tuple[bool, set[str]]:
    value = os.environ.get("U2FAST_DISABLE_PLUGINS", "").strip()
    if value.lower() in ("1", "true", "all", "yes"):
        return True, set()
    return False, {v.strip() for v in value.split(",") if v.strip()}


def _collect(registry: Registry, plugin_name: str) -> None:
    """Call the registration hooks of one plugin, storing what it registers."""
    pm = registry.pm
    plugin = pm.get_plugin(plugin_name)

    def only(hook_name: str) -> Any:
        others = [p for p in pm.get_plugins() if p is not plugin]
        return pm.subset_hook_caller(hook_name, others)

    def reg_adapter(info: AdapterInfo) -> None:
        if info.name in registry.adapters:
            raise PluginError(
                f"adapter {info.name!r} registered by {plugin_name} is already registered by "
                f"{registry.adapter_owner[info.name]}"
            )
        registry.adapters[info.name] = info
        registry.adapter_owner[info.name] = plugin_name

    def reg_task(task: TaskDefinition) -> None:
        if task.name in registry.tasks:
            raise PluginError(f"task {task.name!r} registered twice (second time by {plugin_name})")
        registry.tasks[task.name] = task

    def reg_parser(parser: ParserInfo) -> None:
        key = (parser.task, parser.name)
        if key in registry.parsers:
            raise PluginError(f"parser {parser.name!r} for {parser.task} registered twice (by {plugin_name})")
        registry.parsers[key] = parser

    def reg_dataset(source: DatasetSource) -> None:
        if source.name in registry.datasets:
            raise PluginError(f"dataset source {source.name!r} registered twice (by {plugin_name})")
        registry.datasets[source.name] = source

    only("u2fast_register_adapters")(register=reg_adapter)
    only("u2fast_register_tasks")(register=reg_task)
    only("u2fast_register_parsers")(register=reg_parser)
    only("u2fast_register_datasets")(register=reg_dataset)


def _snapshot(registry: Registry) -> tuple[dict[str, Any], ...]:
    return (dict(registry.adapters), dict(registry.tasks), dict(registry.parsers), dict(registry.datasets))


def _restore(registry: Registry, snap: tuple[dict[str, Any], ...]) -> None:
    registry.adapters, registry.tasks, registry.parsers, registry.datasets = (dict(s) for s in snap)  # type: ignore[assignment]


def build_registry(extra_plugins: tuple[object, ...] = ()) -> Registry:
    """Load built-ins, entry points and ``extra_plugins`` (used by tests) into a fresh registry."""
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    registry = Registry(pm=pm)

    # Pure-hook observers (run_started/finished) are called on the whole manager; registration hooks
    # are called plugin by plugin so that one broken plugin does not take the others down.
    for module_name in BUILTIN_MODULES:
        module = importlib.import_module(module_name)
        pm.register(module, name=module_name)
        _collect(registry, module_name)  # built-ins must not fail: let errors propagate

    all_off, off_names = _disabled()
    if not all_off:
        for ep in importlib.metadata.entry_points(group=hookspecs.PROJECT):
            if ep.name in off_names:
                continue
            snap = _snapshot(registry)
            try:
                plugin = ep.load()
                pm.register(plugin, name=ep.name)
                _collect(registry, ep.name)
                registry.distributions[ep.name] = ep.dist.name if ep.dist else "?"
            except Exception as exc:  # noqa: BLE001 - any failure of a plugin is reported, never fatal
                _restore(registry, snap)
                if pm.has_plugin(ep.name):
                    pm.unregister(name=ep.name)
                registry.failures.append(PluginFailure(ep.name, f"{type(exc).__name__}: {exc}"))

    for i, plugin in enumerate(extra_plugins):
        name = f"extra-{i}"
        pm.register(plugin, name=name)
        _collect(registry, name)

    pm.check_pending()
    return registry


_lock = threading.Lock()
_registry: Registry | None = None


def get_registry() -> Registry:
    """The process-wide registry, built on first use."""
    global _registry
    with _lock:
        if _registry is None:
            _registry = build_registry()
        return _registry


def reset_registry(registry: Registry | None = None) -> None:
    """Drop (or replace) the cached registry; tests use this to install mock plugins."""
    global _registry
    with _lock:
        _registry = registry
