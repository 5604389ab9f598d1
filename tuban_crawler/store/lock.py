"""One crawl at a time per archive: an exclusive lock on ``<archive>.lock``.

``flock`` locks die with their process, so a crawl killed with SIGKILL leaves no stale
lock behind for the next night.
"""

from __future__ import annotations

import fcntl
import logging
import os
from pathlib import Path

logger = logging.getLogger(__name__)


class ArchiveBusy(RuntimeError):
    """Another crawl is writing to this archive."""


class ArchiveLock:
    """An exclusive, non-blocking lock on an archive file (no I/O until ``acquire``)."""

    def __init__(self, db_path: str | Path) -> None:
        self.path = Path(f"{db_path}.lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock, or raise ``ArchiveBusy`` naming the holder's pid."""
        if self._fd is not None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise ArchiveBusy(
                f"another crawl (pid {holder}) is writing to {str(self.path)[: -len('.lock')]}; not starting"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
        self._fd = fd

    def release(self) -> None:
        """Release the lock (idempotent)."""
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def check(self) -> None:
        """Raise ``ArchiveBusy`` when another process holds the lock right now."""
        self.acquire()
        self.release()
