"""u2fast.runner's surface (runner/__init__.py): the names the evaluation and the batch path import."""

from __future__ import annotations

import inspect

from public_surface import assert_public_surface

from u2fast import runner


def test_runner_surface_is_locked() -> None:
    assert_public_surface(
        runner,
        [
            "Limits",
            "ModelRun",
            "RunOutcome",
            "ModelStats",
            "run_models",
            "run",
            "read_journal",
            "iter_journal",
            "request_key",
            "Progress",
            "Clock",
            "SystemClock",
            "SessionFactory",
            "default_session",
            "cost_of",
            "price_for",
            "estimate_run",
            "ModelEstimate",
            "load_config",
            "EvalConfig",
            "ModelConfig",
            "endpoint_group",
        ],
    )


def test_run_models_keywords_the_eval_command_uses() -> None:
    params = inspect.signature(runner.run_models).parameters
    assert list(params)[:2] == ["models", "run_dir"]
    for keyword in ("session_factory", "clock", "progress", "max_cost", "max_side", "seed"):
        assert params[keyword].kind is inspect.Parameter.KEYWORD_ONLY
