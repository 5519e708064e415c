"""u2fast.adapters.key_redaction: an adapter's key never stays in the error it returns."""

from __future__ import annotations

from u2fast.adapters.key_redaction import redact_key
from u2fast.types import ApiError


def test_redact_key_hides_every_copy_of_the_key_and_keeps_the_rest() -> None:
    error = ApiError(kind="auth", message="bad key sk-secret (sk-secret)", status=401, retry_after=2.0)
    redacted = redact_key(error, "sk-secret")
    assert redacted.message == "bad key [redacted] ([redacted])"
    assert (redacted.kind, redacted.status, redacted.retry_after) == ("auth", 401, 2.0)
    assert error.message == "bad key sk-secret (sk-secret)"  # the original is not changed


def test_redact_key_returns_the_same_error_when_there_is_nothing_to_hide() -> None:
    error = ApiError(kind="server", message="HTTP 500", status=500)
    assert redact_key(error, "sk-secret") is error
    assert redact_key(error, None) is error
    assert redact_key(error, "") is error
