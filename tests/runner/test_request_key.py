from __future__ import annotations

import pytest

from u2fast.runner import request_key
from u2fast.types import GenerationParams, Prompt

P = Prompt(role="You are a sonographer.", instruction="Which view?", output_format="One word.")


def test_key_is_stable_and_ignores_the_adapter_prefix_of_the_model() -> None:
    a = request_key("openai", "gpt-4.1", GenerationParams(), P, ["ab" * 32])
    assert a == request_key("openai", "openai:gpt-4.1", GenerationParams(), P, ["ab" * 32])
    assert len(a) == 32 and int(a, 16) >= 0


def test_key_changes_with_everything_that_decides_the_answer() -> None:
    base = request_key("openai", "gpt-4.1", GenerationParams(), P, ["ab" * 32])
    variants = [
        request_key("gemini", "gpt-4.1", GenerationParams(), P, ["ab" * 32]),
        request_key("openai", "gpt-4o", GenerationParams(), P, ["ab" * 32]),
        request_key("openai", "gpt-4.1", GenerationParams(temperature=0.7), P, ["ab" * 32]),
        request_key("openai", "gpt-4.1", GenerationParams(seed=1), P, ["ab" * 32]),
        request_key(
            "openai",
            "gpt-4.1",
            GenerationParams(),
            Prompt(role="", instruction="Which view?", output_format="One word."),
            ["ab" * 32],
        ),
        request_key("openai", "gpt-4.1", GenerationParams(), P, ["cd" * 32]),
        request_key("openai", "gpt-4.1", GenerationParams(), P, ["ab" * 32, "cd" * 32]),
        request_key("openai", "gpt-4.1", GenerationParams(), P.text, ["ab" * 32]),
    ]
    assert len({base, *variants}) == len(variants) + 1


def test_prompt_labels_do_not_change_the_key() -> None:
    labelled = Prompt(
        role=P.role, instruction=P.instruction, output_format=P.output_format, template="x:1", variant="other"
    )
    assert request_key("o", "m", GenerationParams(), P, []) == request_key(
        "o", "m", GenerationParams(), labelled, []
    )


def test_empty_adapter_is_rejected() -> None:
    with pytest.raises(ValueError):
        request_key("", "m", GenerationParams(), P, [])


def test_integer_and_float_settings_give_one_key() -> None:
    a = request_key("o", "m", GenerationParams(temperature=1, top_p=1), P, [])  # type: ignore[arg-type]
    b = request_key("o", "m", GenerationParams(temperature=1.0, top_p=1.0), P, [])
    assert a == b


def test_recipe_2_covers_options_endpoint_and_the_image_as_sent() -> None:
    from u2fast.runner.request_key import sent_image_id
    from u2fast.types import ImageRef

    base = request_key("openai", "gpt-4.1", GenerationParams(), P, ["ab" * 32])
    assert base != request_key("openai", "gpt-4.1", GenerationParams(), P, ["ab" * 32], options={"detail": "high"})
    at = request_key("openai", "gpt-4.1", GenerationParams(), P, ["ab" * 32], endpoint="http://127.0.0.1:8000/v1")
    assert at != base
    # credentials are not part of where a request goes
    assert at == request_key("openai", "gpt-4.1", GenerationParams(), P, ["ab" * 32],
                             endpoint="http://user:pw@127.0.0.1:8000/v1/?key=secret")
    small = ImageRef(sha256="cd" * 32, mime="image/png", width=100, height=80)
    assert sent_image_id(small, None) == sent_image_id(small, 128) == small.sha256  # sent as stored
    assert sent_image_id(small, 32) != small.sha256  # shrunk: another image goes out
    assert sent_image_id(small, 32) != sent_image_id(small, 64)
