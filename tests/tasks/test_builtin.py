"""The built-in task module registers the eight tasks and their parsers through the plugin hooks."""

from __future__ import annotations

from collections.abc import Callable

import pluggy

from u2fast import hookspecs
from u2fast.tasks import builtin
from u2fast.tasks.base import ParserInfo, PromptOptions, TaskDefinition
from u2fast.tasks.judge import judge
from u2fast.types import TASKS, Case, Completion, SectorTarget


def _registered() -> tuple[list[TaskDefinition], list[ParserInfo]]:
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    pm.register(builtin, name="u2fast.tasks.builtin")
    tasks: list[TaskDefinition] = []
    parsers: list[ParserInfo] = []
    pm.hook.u2fast_register_tasks(register=tasks.append)
    pm.hook.u2fast_register_parsers(register=parsers.append)
    return tasks, parsers


def test_eight_tasks_with_both_modes() -> None:
    tasks, _ = _registered()
    assert [t.name for t in tasks] == list(TASKS)
    by_name = {t.name: t for t in tasks}
    assert {by_name[t].metric for t in ("DD", "VRA", "LL", "OD", "KD")} == {"accuracy"}
    assert (by_name["CVE"].metric, by_name["RG"].metric, by_name["CG"].metric) == ("rmse", "bleu4", "bleu4")
    assert (by_name["DD"].family, by_name["KD"].family, by_name["CVE"].family) == (
        "cla",
        "seg",
        "measurement",
    )
    for task in tasks:
        assert set(task.parsers) == {"compat", "robust"}
        assert task.title


def test_registered_prompt_builder_and_parsers_work(make_case: Callable[..., Case]) -> None:
    tasks, parsers = _registered()
    ll = next(t for t in tasks if t.name == "LL")
    case = make_case("LL", "04", target=SectorTarget("lower center", cx=0.5, cy=0.8))
    assert "lower center" in ll.build_prompt(case, PromptOptions()).text
    names = {(p.task, p.name) for p in parsers}
    assert {
        ("LL", "intern-keywords"),
        ("CVE", "intern-number"),
        ("VRA", "intern-options"),
        ("DD", "robust"),
        ("CG", "compat"),
    } <= names
    assert len(names) == len(parsers)  # no duplicates: the registry would reject them
    intern = next(p for p in parsers if (p.task, p.name) == ("LL", "intern-keywords"))
    completion = Completion(key="k", case_id=case.case_id, model="m:x", text="lower center")
    assert judge(case, completion, "robust")[1].correct is True
    assert judge(case, completion, "robust", intern.parse)[1].correct is False  # the intern kit's bug
