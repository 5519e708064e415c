"""Fake model providers for tests: real HTTP on 127.0.0.1, no network, no keys.

Plugin authors test their adapters against these, and u2fast tests its runner with them.

::

    from u2fast.testing import FakeProvider, FaultMix, RateLimit, lognormal

    async with FakeProvider(answer=lambda req: "B", latency=lognormal(0.3),
                            faults=FaultMix({"rate_limited": 0.1, "server_error": 0.05}),
                            rate_limit=RateLimit(rps=50)) as fake:
        ...  # point the adapter at fake.url, e.g. f"{fake.url}/v1" for an OpenAI base URL
        assert fake.received()[0].headers["authorization"] == "Bearer sk-test"

    with FakeProvider() as fake:    # from synchronous code: served by a background thread
        ...

Routes (one server speaks all three wires): OpenAI chat completions ``POST /v1/chat/completions``
and ``/chat/completions``; Gemini ``POST /v1/models/{model}:generateContent`` and
``/v1beta/models/{model}:generateContent``; Anthropic messages ``POST /v1/messages``.

- ``answer``: a function ``ReceivedRequest -> str`` (the fake model); the default says "A".
- ``latency``: seconds, or a distribution (``constant``, ``uniform``, ``lognormal``, or any
  ``random.Random -> float``); refusals (429, quota, 401, 400) come back at once, like real ones.
- ``rate_limit``: ``RateLimit(rps, burst, retry_after)``; beyond it a 429 with Retry-After in the
  wire's error format (counted as ``counts["limited"]``).
- ``faults``: ``FaultMix({name: probability})``, ``FailFirst(name, times)`` or any callable
  ``(ReceivedRequest, random.Random) -> fault name | None``; the names are in ``FAULTS``
  (429, daily quota, 500/503/529, hang past the client's timeout, connection reset, malformed
  JSON, empty choices, a 10 MB body, 401, 400, content filter, an error echoing the key, a streamed
  50 MB body (``oversize_bytes``), an error object in a 200 response, an answer from another model).
- ``fake.received()`` lists every request as received (wire, path, headers, model, prompt text,
  images, and the decoded body with ``keep_bodies=True``); ``fake.counts`` counts them by outcome;
  ``fake.peak_in_flight`` is the most requests it was handling at once (``fake.in_flight`` now).

``python -m u2fast.testing --port 8000 --latency 0.5`` serves one from the command line.
``FakeBatchProvider`` adds the three providers' batch APIs (uploads, batches that take
``processing_s`` to run, out-of-order results, per-request faults, expiry, 429 on create, counters
of uploads and creates): see ``u2fast.testing.batches`` and docs/batch.md.
``ChatCompletionsAdapter`` is a minimal OpenAI-wire adapter for exercising the runner.
``encoded_image`` and ``single_request`` build the inputs of an adapter's ``build_request`` in a
unit test, without the runner.
"""

from __future__ import annotations

from .adapters import ChatCompletionsAdapter
from .batches import FakeBatchProvider
from .faults import FAULTS, FailFirst, Fault, FaultMix, FaultPlan, Latency, constant, lognormal, uniform
from .requests import encoded_image, single_request
from .server import Answer, FakeProvider, RateLimit, ReceivedRequest

__all__ = [
    "FAULTS",
    "Answer",
    "ChatCompletionsAdapter",
    "FailFirst",
    "FakeBatchProvider",
    "FakeProvider",
    "Fault",
    "FaultMix",
    "FaultPlan",
    "Latency",
    "RateLimit",
    "ReceivedRequest",
    "constant",
    "encoded_image",
    "lognormal",
    "single_request",
    "uniform",
]
