"""u2fast.served_model.is_same_model: version suffixes are the same model, other names are not."""

from __future__ import annotations

import pytest

from u2fast.served_model import is_same_model


@pytest.mark.parametrize(
    ("requested", "returned"),
    [
        ("openai:gpt-4o", "gpt-4o-2024-08-06"),
        ("anthropic:claude-sonnet-4-5", "claude-sonnet-4-5-20250929"),
        ("gemini:gemini-2.5-flash", "models/gemini-2.5-flash-001"),
        ("gemini:gemini-2.5-flash", "gemini-2.5-flash-preview-05-20"),
        ("openai:gpt-4o-2024-08-06", "gpt-4o"),
        ("random:uniform", "random:uniform"),
        ("openai:Qwen/Qwen2.5-VL-7B", "Qwen/Qwen2.5-VL-7B"),
        ("openai:gpt-4.1", None),
    ],
)
def test_same_model(requested: str, returned: str | None) -> None:
    assert is_same_model(requested, returned)


@pytest.mark.parametrize(
    ("requested", "returned"),
    [("openai:gpt-4o", "gpt-4o-mini"), ("openai:gpt-4", "gpt-4o"), ("openai:gpt-4.1", "gpt-4.1-mini-2025-04-14"),
     ("openai:gpt-4.1", "some-other-model-7b")],
)
def test_another_model(requested: str, returned: str) -> None:
    assert not is_same_model(requested, returned)
