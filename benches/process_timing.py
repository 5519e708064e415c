"""Timing a ``u2fast`` command as a user meets it: a fresh process each run, bytecode cached as an
installed package has it (PYTHONDONTWRITEBYTECODE would make every start compile ~100 modules again),
the wall time and the CPU of the process and its children (worker processes included), and the line
that reports them against a bench's target."""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

__all__ = ["cached_bytecode_env", "time_runs", "timing_line"]


def cached_bytecode_env(cache_dir: Path) -> dict[str, str]:
    """This environment with bytecode written to (and read from) ``cache_dir``."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(cache_dir)
    return env


def time_runs(
    cmd: list[str], repeat: int, env: dict[str, str] | None = None, before_each: Callable[[], None] | None = None
) -> tuple[list[float], list[float], subprocess.CompletedProcess[str]]:
    """Run ``cmd`` ``repeat`` times (``before_each`` first, untimed); wall and CPU seconds of each
    run, and the last run's output. A failing run raises CalledProcessError."""
    walls, cpus = [], []
    out: subprocess.CompletedProcess[str] | None = None
    for _ in range(repeat):
        if before_each is not None:
            before_each()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        out = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env)
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    assert out is not None, "repeat must be at least 1"
    return walls, cpus, out


def timing_line(what: str, walls: list[float], cpus: list[float], target_s: float, detail: str = "") -> str:
    """``what``: the median wall time of the runs against ``target_s`` (OK or MISSED), with the best
    run, the median CPU (``detail`` appended inside the brackets) and the load of the shared machine."""
    wall = statistics.median(walls)
    verdict = "OK" if wall <= target_s else "MISSED"
    return (f"{what}: median {wall:.2f} s wall (best {min(walls):.2f} s, {statistics.median(cpus):.2f} s CPU{detail}) "
            f"over {len(walls)} runs; target <= {target_s:g} s: {verdict}; load average {os.getloadavg()[0]:.1f} on "
            f"{os.cpu_count()} cores")
