"""Which opening failures stop a model (u2fast.runner.early_stop)."""

from __future__ import annotations

from u2fast.runner.early_stop import OpeningWatch, is_lasting
from u2fast.types import ApiError

REFUSED = ApiError(kind="connection", message="ClientConnectorError: Cannot connect to host 127.0.0.1:9",
                   exception="ClientConnectorError")
RESET = ApiError(kind="connection", message="ServerDisconnectedError: Server disconnected",
                 exception="ServerDisconnectedError")
BAD = ApiError(kind="bad_request", message="model not found", status=400)


def test_a_refused_connection_and_a_bad_request_last_a_reset_and_a_500_do_not() -> None:
    assert is_lasting(REFUSED) and is_lasting(BAD) and is_lasting(ApiError(kind="auth", message="no"))
    assert not is_lasting(RESET)
    assert not is_lasting(ApiError(kind="server", message="500"))


def test_the_exception_class_decides_not_the_message_text() -> None:
    import aiohttp

    from u2fast.runner.retry import classify_exception

    key = aiohttp.client_reqrep.ConnectionKey("127.0.0.1", 9, False, False, None, None, None)
    refused = classify_exception(aiohttp.ClientConnectorError(key, ConnectionRefusedError(111, "refused")))
    assert refused.exception == "ClientConnectorError" and is_lasting(refused)
    assert is_lasting(classify_exception(ConnectionRefusedError(111, "refused")))
    assert not is_lasting(classify_exception(ConnectionResetError()))
    # a message that only reads like a refused connection (a proxy's text passed on by an adapter) is not one
    echoed = ApiError(kind="connection", message="ClientConnectorError: upstream said so")
    assert not is_lasting(echoed)


def test_five_alike_in_a_row_stop_but_a_mix_or_an_answer_does_not() -> None:
    watch = OpeningWatch(limit=5)
    assert [watch.observe(REFUSED) for _ in range(4)] == [None] * 4
    assert watch.observe(REFUSED) is REFUSED

    mixed = OpeningWatch(limit=3)
    assert [mixed.observe(e) for e in (BAD, BAD, REFUSED, BAD, RESET, BAD, BAD)] == [None] * 7

    answered = OpeningWatch(limit=2)
    answered.observe(BAD)
    answered.observe(None)
    assert answered.observe(BAD) is None and answered.observe(BAD) is None
