"""Run progress: a rich live table on a terminal, plain lines elsewhere, nothing when quiet.

The engine calls ``refresh()`` after every attempt; drawing is throttled so that a thousand
answers a second cost a handful of redraws.
"""

from __future__ import annotations

import sys
import time
from typing import Literal, TextIO

from ..controls import strip_controls
from .cost import ModelStats

__all__ = ["Progress", "ProgressMode", "format_model_line"]

ProgressMode = Literal["auto", "rich", "plain", "quiet"]


def _eta(stats: ModelStats, elapsed: float) -> str:
    if stats.done <= 0 or elapsed <= 0 or stats.remaining <= 0:
        return "-"
    seconds = stats.remaining / (stats.done / elapsed)
    if seconds >= 3600:
        return f"{seconds / 3600:.1f}h"
    return f"{int(seconds // 60)}m{int(seconds % 60):02d}s"


def _errors(stats: ModelStats) -> str:
    return ",".join(f"{kind}={n}" for kind, n in sorted(stats.errors.items())) or "0"


def format_model_line(name: str, stats: ModelStats, elapsed: float) -> str:
    """One plain line about one model."""
    finished = stats.already_done + stats.done
    rate = stats.done / elapsed if elapsed > 0 else 0.0
    # "ok" counts every answer the run holds: a resumed run whose cases were answered before would
    # otherwise read "N/N done, 0 ok", as if nothing had been answered
    ok = f"{stats.already_done + stats.ok} ok"
    if stats.already_done:
        ok += f" ({stats.already_done} answered before this run)"
    return (
        f"{strip_controls(name)}: {finished}/{stats.total} done, {ok}, {stats.failed} failed, {rate:.1f} req/s, "
        f"tokens {stats.input_tokens}+{stats.output_tokens}, ${stats.cost:.4f}, errors {_errors(stats)}, "
        f"eta {_eta(stats, elapsed)}"
    )


class Progress:
    def __init__(
        self, mode: ProgressMode = "auto", *, stream: TextIO | None = None, interval: float | None = None
    ) -> None:
        self.stream = stream or sys.stderr
        if mode == "auto":
            mode = "rich" if getattr(self.stream, "isatty", lambda: False)() else "plain"
        self.mode = mode
        self.interval = interval if interval is not None else (0.25 if mode == "rich" else 10.0)
        self._stats: dict[str, ModelStats] = {}
        self._started = 0.0
        self._last = 0.0
        self._live: object | None = None
        self._tasks: dict[str, object] = {}
        self._finished: dict[str, float] = {}

    def start(self, stats: dict[str, ModelStats]) -> None:
        self._stats = stats
        self._started = self._last = time.monotonic()
        if self.mode == "rich":
            from rich.console import Console
            from rich.markup import escape
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn
            from rich.progress import Progress as RichProgress

            bar = RichProgress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[line]}"),
                console=Console(file=self.stream),
                refresh_per_second=4,
                transient=False,
            )
            for name, s in stats.items():
                # a name is shown, not interpreted: no escape sequences, no console markup
                shown = escape(strip_controls(name))
                self._tasks[name] = bar.add_task(shown, total=s.total, completed=s.already_done, line="")
            bar.start()
            self._live = bar

    def refresh(self, force: bool = False) -> None:
        if self.mode == "quiet":
            return
        now = time.monotonic()
        if not force and now - self._last < self.interval:
            return
        self._last = now
        if self.mode == "rich" and self._live is not None:
            from rich.progress import Progress as RichProgress

            assert isinstance(self._live, RichProgress)
            for name, s in self._stats.items():
                elapsed = self._elapsed(name, s, now)
                rate = s.done / elapsed if elapsed > 0 else 0.0
                line = (
                    f"{rate:.1f} req/s  tok {s.input_tokens}+{s.output_tokens}  ${s.cost:.4f}  "
                    f"err {_errors(s)}  eta {_eta(s, elapsed)}"
                )
                self._live.update(self._tasks[name], completed=s.already_done + s.done, line=line)  # type: ignore[arg-type]
        else:
            for name, s in self._stats.items():
                print(format_model_line(name, s, self._elapsed(name, s, now)), file=self.stream, flush=True)

    def _elapsed(self, name: str, stats: ModelStats, now: float) -> float:
        # A model that has finished keeps the rate it finished at while the others go on.
        if stats.remaining <= 0:
            return self._finished.setdefault(name, now) - self._started
        return now - self._started

    def stop(self, stopped: dict[str, str | None] | None = None) -> None:
        if self.mode == "quiet":
            return
        self.refresh(force=True)
        if self._live is not None:
            from rich.progress import Progress as RichProgress

            assert isinstance(self._live, RichProgress)
            self._live.stop()
            self._live = None
        for name, reason in (stopped or {}).items():
            if reason:
                print(
                    f"{strip_controls(name)}: stopped early ({reason}); re-run the same command to finish it",
                    file=self.stream,
                )
