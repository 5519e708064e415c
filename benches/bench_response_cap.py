"""Client memory when a server answers with 50 MB bodies: the response cap against reading them whole.

    python benches/bench_response_cap.py              # concurrency 16, 64 requests
    python benches/bench_response_cap.py --concurrency 64 --requests 256

A fake provider (its own process) answers every request with a valid answer padded to 50 MB,
streamed without a Content-Length. The runner (a child process per row, so that its peak RSS is
its own) sends the requests with one attempt each, under the default cap (``max_response_bytes``,
16 MiB), a 1 MiB cap, and a cap above the body (what u2fast did before it had one: every body read
whole). Printed per row: the client's peak RSS, its growth over the RSS before the run, and how the
requests ended.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

BODY_MB = 50


def client(url: str, cap: int, concurrency: int, n: int) -> None:
    import asyncio
    import resource
    from collections import Counter
    from pathlib import Path

    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "runner"))
    from runner_support import make_requests

    from u2fast.runner import Limits, ModelRun, run_models
    from u2fast.testing import ChatCompletionsAdapter

    requests = make_requests(n)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    limits = Limits(concurrency=concurrency, max_attempts=1, max_response_bytes=cap, total_timeout=600)
    with tempfile.TemporaryDirectory() as tmp:
        outcome = asyncio.run(
            run_models([ModelRun("fakeopenai:fake-model", ChatCompletionsAdapter(url), requests, limits)], Path(tmp))
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    ends = Counter("ok" if c.ok else (c.error.kind if c.error else "?") for c in outcome.completions.values())
    print(json.dumps({"before": before, "peak": peak, "ends": dict(ends)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--requests", type=int, default=64)
    parser.add_argument("--client", nargs=2, metavar=("URL", "CAP"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client:
        client(args.client[0], int(args.client[1]), args.concurrency, args.requests)
        return
    server = subprocess.Popen(
        [sys.executable, "-m", "u2fast.testing", "--faults", "oversize=1.0", "--oversize-mb", str(BODY_MB)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().split()[-1]
        print(f"{args.requests} requests, concurrency {args.concurrency}, every body {BODY_MB} MB")
        print(f"{'cap':>22} {'peak RSS':>10} {'growth':>10}  outcome")
        for label, cap in (("default (16 MiB)", 16 << 20), ("1 MiB", 1 << 20), ("none (read whole)", 1 << 40)):
            out = subprocess.run(
                [sys.executable, __file__, "--client", url, str(cap), "--concurrency", str(args.concurrency),
                 "--requests", str(args.requests)],
                capture_output=True, text=True, check=True,
            )
            row = json.loads(out.stdout.strip().splitlines()[-1])
            mib = 2**20
            print(f"{label:>22} {row['peak'] / mib:>8.0f} M {(row['peak'] - row['before']) / mib:>8.0f} M  {row['ends']}")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
