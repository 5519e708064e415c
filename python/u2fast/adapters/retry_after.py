"""How long a provider asked us to wait: the one reading of its wait headers.

The runner calls ``parse_retry_after`` on every failed answer whose adapter did not name a wait
itself, with the clock it owns (``now``: seconds since the epoch), so that an HTTP date or an epoch
reset turns into seconds without any adapter reading the wall clock. Plugins keep only what their
provider says in the body (Gemini's ``RetryInfo``, OpenAI's "try again in 20ms"), and read those
durations with ``parse_duration``.
"""

from __future__ import annotations

import email.utils
import re
from collections.abc import Mapping
from datetime import datetime

__all__ = ["parse_duration", "parse_retry_after"]

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration(value: str) -> float | None:
    """Seconds in ``"1.5"``, ``"20ms"``, ``"32s"``, ``"6m0s"`` or ``"1h2m3.5s"`` (bare numbers are
    seconds; Go and protobuf durations alike); None when ``value`` is none of these."""
    text = value.strip()
    if not text:
        return None
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    pos, total = 0, 0.0
    for match in _DURATION_PART.finditer(text):
        if match.start() != pos:
            return None
        total += float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
        pos = match.end()
    return total if pos == len(text) and pos > 0 else None


def _parse_date(value: str, now: float) -> float | None:
    """Seconds from ``now`` until an HTTP date or an RFC 3339 time (0 when it has passed)."""
    text = value.strip()
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is None:
        try:  # RFC 3339, as Anthropic's ratelimit reset headers use
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    if parsed.tzinfo is None:
        return None
    return max(0.0, parsed.timestamp() - now)


def parse_retry_after(headers: Mapping[str, str], now: float) -> float | None:
    """Seconds the provider asked us to wait, None when its headers do not say.

    From the most precise source present: ``retry-after-ms``; ``Retry-After`` (seconds or an HTTP
    date); else the ``x-ratelimit-reset-*`` (durations, or epoch seconds from some servers) and
    ``anthropic-ratelimit-*-reset`` (RFC 3339) headers: the longest reset of the limits that are used
    up, else the longest announced. ``now`` is the caller's clock, in seconds since the epoch.
    """
    lower = {k.lower(): v for k, v in headers.items()}
    if "retry-after-ms" in lower:
        try:
            return max(0.0, float(lower["retry-after-ms"]) / 1000.0)
        except ValueError:
            pass
    if "retry-after" in lower:
        raw = lower["retry-after"]
        seconds = parse_duration(raw) if raw.strip().replace(".", "", 1).isdigit() else None
        if seconds is None:
            seconds = _parse_date(raw, now)
        if seconds is not None:
            return seconds
    waits: list[tuple[bool, float]] = []
    for name, raw in lower.items():
        if name.startswith("x-ratelimit-reset"):
            seconds = parse_duration(raw)
            if seconds is not None and seconds > 1e9:  # an epoch timestamp, not a duration
                seconds = max(0.0, seconds - now)
            suffix = name[len("x-ratelimit-reset") :]
            exhausted = lower.get("x-ratelimit-remaining" + suffix, "").strip() == "0"
        elif name.startswith("anthropic-ratelimit-") and name.endswith("-reset"):
            seconds = _parse_date(raw, now)
            exhausted = lower.get(name[: -len("-reset")] + "-remaining", "").strip() == "0"
        else:
            continue
        if seconds is not None:
            waits.append((exhausted, seconds))
    if not waits:
        return None
    used_up = [s for exhausted, s in waits if exhausted]
    return max(used_up) if used_up else max(s for _, s in waits)
