"""``python -m u2fast.testing``: serve a fake provider until interrupted (benchmarks, manual tests).

Prints ``listening http://127.0.0.1:PORT`` once ready; ``GET /_fake/counts`` returns what it has
seen and injected, as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys

from .faults import FAULTS, FaultMix, constant, lognormal, uniform
from .server import FakeProvider, RateLimit


def _faults(text: str) -> FaultMix | None:
    if not text:
        return None
    rates = {}
    for item in text.split(","):
        name, _, value = item.partition("=")
        if name.strip() not in FAULTS:
            raise SystemExit(f"--faults: unknown fault {name.strip()!r}; known: {', '.join(FAULTS)}")
        rates[name.strip()] = float(value)
    return FaultMix(rates)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m u2fast.testing", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds (the median for lognormal)")
    parser.add_argument("--latency-dist", choices=["constant", "uniform", "lognormal"], default="constant")
    parser.add_argument("--rps", type=float, default=None, help="rate limit, requests per second")
    parser.add_argument("--faults", default="", help="e.g. rate_limited=0.1,server_error=0.05,hang=0.02")
    parser.add_argument("--retry-after", type=float, default=1.0)
    parser.add_argument("--hang", type=float, default=3600.0, help="seconds a hanging request waits")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--oversize-mb", type=float, default=50.0, help="body size of the oversize fault")
    parser.add_argument("--record", action="store_true", help="keep every request in memory")
    args = parser.parse_args(argv)
    latency = {
        "constant": constant(args.latency),
        "uniform": uniform(0.0, 2 * args.latency),
        "lognormal": lognormal(args.latency) if args.latency > 0 else constant(0.0),
    }[args.latency_dist]
    fake = FakeProvider(
        latency=latency,
        faults=_faults(args.faults),
        rate_limit=RateLimit(args.rps) if args.rps else None,
        retry_after=args.retry_after,
        hang_s=args.hang,
        seed=args.seed,
        record=args.record,
        port=args.port,
        oversize_bytes=int(args.oversize_mb * 2**20),
    )

    async def serve() -> None:
        await fake.start()
        print(f"listening {fake.url}", flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()
        await fake.close()

    from ..runner.engine import (
        loop_factory,  # uvloop when installed: less CPU taken from a client on the same box
    )

    with asyncio.Runner(loop_factory=loop_factory()) as runner:
        runner.run(serve())
    sys.exit(0)


if __name__ == "__main__":
    main()
