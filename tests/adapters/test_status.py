"""u2fast.adapters.status: the one HTTP status -> error class table."""

from __future__ import annotations

import pytest

from u2fast.adapters.status import kind_for_status


@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [
        (400, b"", "bad_request"),
        (401, b"", "auth"),
        (403, b"", "auth"),
        (402, b"", "quota_exhausted"),  # payment required: a spent prepaid balance
        (404, b"", "bad_request"),
        (408, b"", "timeout"),
        (413, b"", "bad_request"),
        (422, b"", "bad_request"),
        (429, b'{"error":{"code":"rate_limit_exceeded"}}', "rate_limited"),
        (429, b'{"error":{"message":"You exceeded your current quota"}}', "quota_exhausted"),
        (429, "Quota exceeded for requests PER DAY", "quota_exhausted"),
        (429, b'{"error":{"message":"Your credit balance is too low"}}', "quota_exhausted"),
        (500, b"", "server"),
        (502, b"", "server"),
        (503, b"", "overloaded"),
        (504, b"", "timeout"),
        (529, b"", "overloaded"),
    ],
)
def test_kind_for_status_classes_what_the_runner_does_next(status: int, body: bytes | str, kind: str) -> None:
    assert kind_for_status(status, body) == kind


def test_quota_words_count_only_on_a_429() -> None:
    assert kind_for_status(400, b"quota exceeded") == "bad_request"
    assert kind_for_status(500, b"per day") == "server"


def test_a_success_is_not_an_error() -> None:
    with pytest.raises(ValueError, match="HTTP 200"):
        kind_for_status(200)
