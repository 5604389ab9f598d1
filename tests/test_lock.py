import subprocess
import sys

import pytest

from tuban_crawler.store.lock import ArchiveBusy, ArchiveLock

HOLD = "import sys, time; from tuban_crawler.store.lock import ArchiveLock; ArchiveLock(sys.argv[1]).acquire(); print('held', flush=True); time.sleep(60)"


def test_a_second_holder_is_refused_while_the_first_lives(tmp_path):
    db = tmp_path / "archive.db"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        lock = ArchiveLock(db)
        with pytest.raises(ArchiveBusy, match=f"pid {holder.pid}"):
            lock.check()
        with pytest.raises(ArchiveBusy, match=f"pid {holder.pid}"):
            lock.acquire()
    finally:
        holder.kill()  # SIGKILL: the lock must die with its holder
        holder.wait()
        holder.stdout.close()
    lock = ArchiveLock(db)
    lock.check()
    lock.acquire()
    lock.release()


def test_acquire_and_release_are_idempotent(tmp_path):
    lock = ArchiveLock(tmp_path / "a.db")
    lock.acquire()
    lock.acquire()
    lock.release()
    lock.release()
