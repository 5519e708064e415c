"""Batch mode on a 7,241-case run with images: shards stream to disk; peak memory stays near one shard.

Usage: python benches/bench_batch.py [--cases 7241] [--shard-mb 16] [--data DIR]

Generates the sample (or reads --data), then runs the whole OpenAI batch lifecycle (plan, upload,
create, poll, download, ingest) in this process against the fake batch provider in a subprocess,
with the shard byte limit lowered to --shard-mb so that the run is cut into several shards.
Python's allocations are traced during the lifecycle (tracemalloc): the peak is compared with the
largest shard and with the total size of all shards, which is what a planner holding every line
in memory would need at least.

Measured here (2 shared cores, the 7,241-case generated sample, 121.5 MB of request lines):
16 MB shards: 8 shards, peak 61.4 MB (3.8 x a shard, 0.51 x all); 8 MB shards: 16 shards, peak
31.3 MB (3.9 x a shard, 0.26 x all). The peak follows the shard size, not the run size: the shard
read from disk, its upload body and the HTTP client's buffers. Before uploads were taken one shard
at a time, the 8 shards went up together and the peak was 344 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from u2fast.batch.lifecycle import BatchOptions, run_batches
from u2fast.batch.wire import BatchLimits
from u2fast.preparation import EvalOptions, prepare_run
from u2fast.runfolder import RunLock, start_run
from u2fast.runner import ModelRun

_SERVER = """
import sys, time
from u2fast.testing.batches import FakeBatchProvider
fake = FakeBatchProvider(port=int(sys.argv[1]), record=False).start_in_thread()
print(fake.url, flush=True)
time.sleep(3600)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=7241)
    parser.add_argument("--shard-mb", type=float, default=16.0)
    parser.add_argument("--data", type=Path, default=None, help="an existing sample folder (skips generating one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = args.data
        if data is None:
            data = Path(tmp) / "sample"
            subprocess.run([sys.executable, "-m", "u2fast.cli", "data", "sample", "--cases", str(args.cases),
                            "--out", str(data)], check=True, capture_output=True)
        server = subprocess.Popen([sys.executable, "-c", _SERVER, "0"], stdout=subprocess.PIPE, text=True)
        try:
            assert server.stdout is not None
            url = server.stdout.readline().strip()
            os.environ["OPENAI_API_KEY"] = "sk-bench"
            prepared = prepare_run(EvalOptions(data=str(data), models=["openai:gpt-4.1"], base_url=f"{url}/v1",
                                               runs_dir=Path(tmp) / "runs", name="bench"))
            with RunLock(prepared.run_dir):
                start_run(prepared.run_dir, prepared.manifest, prepared.records)
            name = prepared.models[0].name
            wire_type = type(prepared.adapters[name].batch_wire())  # type: ignore[union-attr]
            wire_type.limits = BatchLimits(max_requests=50_000, max_bytes=int(args.shard_mb * 1e6))
            model = ModelRun(name=name, adapter=prepared.adapters[name], requests=prepared.plan[name])
            tracemalloc.start()
            start = time.perf_counter()
            outcome = asyncio.run(run_batches([model], prepared.run_dir, BatchOptions(poll=0.2, quiet=True)))
            wall = time.perf_counter() - start
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        finally:
            server.terminate()
            server.wait()
        shards = sorted((prepared.run_dir / "batches").glob("*.jsonl"), key=lambda p: p.stat().st_size)
        sizes = [p.stat().st_size for p in shards]
        stats = outcome.stats[name]
        print(f"{len(model.requests)} requests ({stats.ok} answered) in {len(sizes)} shards, {sum(sizes) / 1e6:.1f} MB "
              f"in all, largest shard {max(sizes) / 1e6:.1f} MB; lifecycle {wall:.1f} s")
        print(f"peak traced memory {peak / 1e6:.1f} MB = {peak / max(sizes):.2f} x the largest shard, "
              f"{peak / sum(sizes):.2f} x all shards")


if __name__ == "__main__":
    main()
