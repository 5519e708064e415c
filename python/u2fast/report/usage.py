"""What a model's run cost: requests, tokens, money and time, read from the run folder alone.

Tokens and latencies come from the journal's completions; the price is the one the manifest
recorded when the run was made (``prices``), so a report needs no runner code and no current price
list. A model run without a recorded price has no cost (null), never 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import msgspec
import numpy as np

from ..types import Completion, RunManifest

__all__ = ["LATENCY_NOT_MEASURED", "PARSE_RATE_WARNING", "UsageEntry", "latency_cell", "usage_of"]

#: Parse rate under which a report warns that a model's answers mostly failed to parse (its scores
#: then measure the parser as much as the model).
PARSE_RATE_WARNING = 0.9

#: What a report shows for a model none of whose answers had a measured latency (a batch run).
LATENCY_NOT_MEASURED = "n/a"


class UsageEntry(msgspec.Struct):
    """One model of one run."""

    #: completions recorded (answers and final errors), one per case asked
    requests: int
    input_tokens: int
    output_tokens: int
    #: USD at the prices recorded in the manifest (standard rates); null without a recorded price
    cost_usd: float | None
    #: over answered requests whose latency was measured (sync ones), seconds; null when none was
    latency_median_s: float | None
    latency_p95_s: float | None
    #: counted cases per task
    cases_per_task: dict[str, int]


def usage_of(
    manifest: RunManifest, model: str, completions: Mapping[str, Completion], cases_per_task: Mapping[str, int]
) -> UsageEntry:
    done: Sequence[Completion] = list(completions.values())
    tokens_in = sum(c.usage.input_tokens for c in done)
    tokens_out = sum(c.usage.output_tokens for c in done)
    price = manifest.prices.get(model)
    cost = None
    if price is not None and "input" in price and "output" in price:
        cost = (tokens_in * price["input"] + tokens_out * price["output"]) / 1e6
    latencies = np.array([x for c in done if c.ok and (x := c.measured_latency) is not None])
    median = float(np.median(latencies)) if latencies.size else None
    p95 = float(np.quantile(latencies, 0.95)) if latencies.size else None
    return UsageEntry(
        requests=len(done), input_tokens=tokens_in, output_tokens=tokens_out, cost_usd=cost,
        latency_median_s=median, latency_p95_s=p95, cases_per_task=dict(cases_per_task),
    )


def latency_cell(usage: UsageEntry, digits: int) -> str:
    """``median / p95`` seconds for a report table, or ``n/a`` when no latency was measured."""
    median, p95 = usage.latency_median_s, usage.latency_p95_s
    if median is None or p95 is None:
        return LATENCY_NOT_MEASURED
    return " / ".join(f"{x:.{digits}g}" if x < 1e-3 else f"{x:.{digits}f}" for x in (median, p95))
