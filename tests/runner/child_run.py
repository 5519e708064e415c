"""A runner process for the kill -9 and Ctrl-C tests: ``python child_run.py URL RUN_DIR N CONCURRENCY``."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from runner_support import MODEL, make_requests

from u2fast.runner import Limits, ModelRun, Progress, run
from u2fast.testing import ChatCompletionsAdapter


def main() -> None:
    url, run_dir, n, concurrency = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    adapter = ChatCompletionsAdapter(url)
    limits = Limits(concurrency=concurrency, max_attempts=20)
    outcome = run(
        [ModelRun(MODEL, adapter, make_requests(n), limits)], run_dir, progress=Progress("quiet"), seed=None
    )
    ok = sum(1 for c in outcome.completions.values() if c.ok)
    print(f"ok={ok}")


if __name__ == "__main__":
    main()
