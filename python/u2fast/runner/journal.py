"""Writing the run journal: ``journal.jsonl``, one msgspec-encoded Completion per finished attempt.

It is the cache, the resume point and the log at once. Writes are handed to the kernel on the
next turn of the event loop (so ``kill -9`` loses only attempts that were still in flight) and
fsynced in batches (so a power cut loses at most about a second). A torn last line, left by a
kill during a write, is tolerated when reading and cut off before appending again. Reading it
back is ``u2fast.runfolder``'s (score and report read journals without the runner).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from pathlib import Path

import msgspec

from ..errors import RunError
from ..runfolder.journal import JournalScan, iter_journal, read_journal, scan_journal
from ..runfolder.lock import lock_fd
from ..types import Completion

__all__ = ["JournalScan", "JournalWriter", "iter_journal", "read_journal", "scan_journal"]

_encoder = msgspec.json.Encoder()


class JournalWriter:
    """Append-only writer. ``append`` never blocks on the disk."""

    def __init__(self, path: str | os.PathLike[str], *, fsync_interval: float = 1.0) -> None:
        self.path = Path(path)
        self.fsync_interval = fsync_interval
        self._buffer: list[bytes] = []
        self._fd: int | None = None
        self._flush_scheduled = False
        self._unsynced = False
        self._last_sync = time.monotonic()
        self._sync_task: asyncio.Future[None] | None = None
        self._failure: BaseException | None = None
        self.records_written = 0

    def open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            lock_fd(fd, self.path)
        except BaseException:
            os.close(fd)
            raise
        size = os.fstat(fd).st_size
        if size:
            # Cut a torn last line so that the next record starts on a line of its own.
            tail_len = min(size, 1 << 20)
            tail = os.pread(fd, tail_len, size - tail_len)
            if not tail.endswith(b"\n"):
                cut = tail.rfind(b"\n")
                if cut < 0 and tail_len < size:  # a torn line longer than the tail read: look at it all
                    tail_len, tail = size, os.pread(fd, size, 0)
                    cut = tail.rfind(b"\n")
                os.ftruncate(fd, size - tail_len + cut + 1)
        self._fd = fd

    def append(self, record: Completion) -> None:
        if self._failure is not None:  # never go on answering into a journal that cannot be written
            raise RunError(f"{self.path}: cannot write the journal: {self._failure}") from self._failure
        if self._fd is None:
            raise RunError(f"{self.path}: journal is not open")
        self._buffer.append(_encoder.encode(record) + b"\n")
        if not self._flush_scheduled:
            self._flush_scheduled = True
            try:
                asyncio.get_running_loop().call_soon(self._flush_soon)
            except RuntimeError:  # no loop: write now
                self.flush()

    def _flush_soon(self) -> None:
        try:
            self.flush()
        except OSError as exc:  # disk full, ...: the next append raises it in the engine
            self._failure = exc
            return
        due = self._unsynced and time.monotonic() - self._last_sync >= self.fsync_interval
        idle = self._sync_task is None or self._sync_task.done()
        if due and idle and self._fd is not None:
            self._unsynced = False
            self._last_sync = time.monotonic()
            self._sync_task = asyncio.get_running_loop().run_in_executor(None, os.fsync, self._fd)
            self._sync_task.add_done_callback(self._sync_done)

    def _sync_done(self, future: asyncio.Future[None]) -> None:
        if not future.cancelled() and future.exception() is not None and self._failure is None:
            self._failure = future.exception()

    def flush(self) -> None:
        """Hand buffered records to the kernel (they then survive kill -9)."""
        self._flush_scheduled = False
        if not self._buffer or self._fd is None:
            return
        data = b"".join(self._buffer)
        n = len(self._buffer)
        self._buffer.clear()
        view = memoryview(data)
        while view:
            written = os.write(self._fd, view)
            view = view[written:]
        self.records_written += n
        self._unsynced = True

    def sync(self) -> None:
        """Flush and fsync now: for a caller whose next step must not happen before these records
        are on disk (batch mode records a shard as ingested only after its answers are)."""
        self.flush()
        if self._fd is not None:
            os.fsync(self._fd)

    def close(self) -> None:
        """Flush, fsync and close (synchronous: safe in ``finally`` and on cancellation)."""
        fd = self._fd
        if fd is None:
            return
        try:
            self.flush()
            os.fsync(fd)
        finally:
            self._fd = None
            pending = self._sync_task
            if pending is not None and not pending.done():
                # A batched fsync is still running in a worker thread: close once it is done.
                pending.add_done_callback(lambda _: os.close(fd))
            else:
                os.close(fd)

    async def aclose(self) -> None:
        if self._sync_task is not None:
            with contextlib.suppress(OSError, asyncio.CancelledError):
                await asyncio.shield(self._sync_task)
        self.close()
