"""One writer per run folder, taken before anything is written into it.

A second ``u2fast eval`` on a folder in use must change nothing there: not the manifest, not the
cases, not the journal. ``RunLock`` holds an advisory lock on ``<run>/.lock`` for the whole eval;
the kernel drops it when the process ends, kill -9 included.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType

from ..errors import RunError
from .layout import LOCK

__all__ = ["RunLock", "is_being_written", "lock_fd"]


def lock_fd(fd: int, path: Path) -> None:
    """Take an exclusive lock on an open file, or raise RunError when another process holds it."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; running one eval per folder is up to the user
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise RunError(
            f"{path}: another u2fast process is writing this run; wait for it to finish, or pick another --name"
        ) from None
    except OSError:  # a file system without locks (some network mounts): run unguarded, as before
        return


def is_being_written(path: str | os.PathLike[str]) -> bool:
    """Whether a live process holds the writer's lock on this journal (``lock_fd``, taken by the runner's
    journal writer): how score and report tell a running eval from one that died (``outcome.run_status``)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: cannot tell
        return False
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        os.close(fd)  # closing drops the probe's own lock
    return False


class RunLock:
    """``with RunLock(run_dir):`` creates the folder if needed and holds its lock (RunError when busy)."""

    def __init__(self, run_dir: Path) -> None:
        self.run_dir = run_dir
        self._fd: int | None = None

    def acquire(self) -> None:
        try:
            self.run_dir.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.run_dir / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise RunError(f"{self.run_dir}: cannot create the run folder: {exc}") from exc
        try:
            lock_fd(fd, self.run_dir)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the lock
            self._fd = None

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.release()
