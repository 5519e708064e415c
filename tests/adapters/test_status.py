"""u2fast.adapters.status: the one HTTP status -> error class table."""

from __future__ import annotations

import pytest

from u2fast.adapters.status import kind_for_status

#: class -> the statuses that decide it on their own (only a 429 is classed by its body, below).
_BY_STATUS_ALONE = {
    "bad_request": (400, 404, 413, 422),
    "auth": (401, 403),
    "quota_exhausted": (402,),  # payment required: a spent prepaid balance
    "timeout": (408, 504),
    "server": (500, 502),
    "overloaded": (503, 529),
}


@pytest.mark.parametrize(("status", "kind"), [(s, kind) for kind, statuses in _BY_STATUS_ALONE.items() for s in statuses])
def test_kind_for_status_classes_what_the_runner_does_next(status: int, kind: str) -> None:
    assert kind_for_status(status, b"") == kind


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (b'{"error":{"code":"rate_limit_exceeded"}}', "rate_limited"),
        (b'{"error":{"message":"You exceeded your current quota"}}', "quota_exhausted"),
        ("Quota exceeded for requests PER DAY", "quota_exhausted"),
        (b'{"error":{"message":"Your credit balance is too low"}}', "quota_exhausted"),
    ],
)
def test_a_429_is_classed_by_its_body(body: bytes | str, kind: str) -> None:
    assert kind_for_status(429, body) == kind


def test_quota_words_count_only_on_a_429() -> None:
    assert kind_for_status(400, b"quota exceeded") == "bad_request"
    assert kind_for_status(500, b"per day") == "server"


def test_a_success_is_not_an_error() -> None:
    with pytest.raises(ValueError, match="HTTP 200"):
        kind_for_status(200)
