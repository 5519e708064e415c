"""u2fast.adapters.answer: the one rule for an answer without text, and reported token counts."""

from __future__ import annotations

from typing import Any

import pytest

from u2fast.adapters.answer import answer_reply, reported_tokens
from u2fast.types import Usage

USAGE = Usage(input_tokens=12, output_tokens=3)


def _reply(text: str | None, finish: str | None) -> Any:
    return answer_reply(text, status=200, finish_reason=finish, cut_off={"length"}, finish_field="finish_reason",
                        usage=USAGE, response_model="m-1", fingerprint="fp")


def test_text_is_the_answer_with_what_the_provider_reported() -> None:
    reply = _reply("benign", "stop")
    assert (reply.text, reply.error, reply.usage, reply.response_model, reply.fingerprint, reply.finish_reason) == (
        "benign", None, USAGE, "m-1", "fp", "stop")


def test_an_answer_cut_off_before_any_text_is_empty_text_not_an_error() -> None:
    reply = _reply("", "length")
    assert reply.error is None and reply.text == "" and reply.finish_reason == "length" and reply.usage == USAGE


@pytest.mark.parametrize(("text", "finish"), [("", "stop"), (None, None)])
def test_any_other_empty_answer_is_malformed_naming_the_finish_reason(text: str | None, finish: str | None) -> None:
    reply = _reply(text, finish)
    assert reply.text is None and reply.error is not None
    assert (reply.error.kind, reply.error.status) == ("malformed_response", 200)
    assert reply.error.message == f"empty answer (finish_reason={finish})"
    assert reply.usage == USAGE and reply.response_model == "m-1"


@pytest.mark.parametrize(("value", "count"), [(7, 7), (0, 0), (None, 0), ("12", 0), (1.5, 0)])
def test_reported_tokens_are_the_providers_integer_or_zero(value: Any, count: int) -> None:
    assert reported_tokens(value) == count
