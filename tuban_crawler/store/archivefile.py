"""What file a ``--db`` path names, before any command touches it.

Every command that takes ``--db`` asks here first, so that a wrong path is one line saying
what is wrong and what to do, and a file that is not an archive is never modified (opening
it through ``ArchiveStore`` would add the archive's tables and switch it to WAL):

- read commands (``stats``, ``export``, ``serve``) need an existing archive, opened read-only;
- ``crawl`` needs a new or empty file, or an archive, that it may write (with its folder:
  SQLite's ``-wal``/``-shm`` files and the lock live beside it).
"""

from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path

logger = logging.getLogger(__name__)

#: Tables every archive has (``archive.m001_initial``); a database without them is someone else's.
ARCHIVE_TABLES = frozenset({"articles", "crawl_runs"})
SQLITE_MAGIC = b"SQLite format 3\x00"


class ArchiveFileError(Exception):
    """A ``--db`` path that the command can't use; the message says why and what to do."""


class ArchiveReadOnly(ArchiveFileError):
    """An archive (or its folder) that this user may not write: storage, not a wrong file (crawl exit 74)."""


def _header(path: Path) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(100)
    except PermissionError:
        raise ArchiveFileError(
            f"{path} is not readable by this user (check its permissions)"
        ) from None
    except IsADirectoryError:
        raise ArchiveFileError(
            f"{path} is a folder, not an archive file (give --db the archive's file)"
        ) from None


def connect_read_only(db_path: str | Path) -> sqlite3.Connection:
    """Return a read-only connection to the archive DB_PATH; raise ArchiveFileError when it isn't one."""
    path = Path(db_path)
    if not path.exists():
        raise ArchiveFileError(
            f"no archive at {path} (crawl first, or try: tuban-crawler demo --db {path})"
        )
    header = _header(path)
    if not header:
        raise ArchiveFileError(f"{path} is an empty file, not an archive yet (crawl into it first)")
    if not header.startswith(SQLITE_MAGIC):
        raise ArchiveFileError(
            f"{path} is not a SQLite database, so not an archive (is --db the right file?)"
        )
    connection = connect_read_only_any(path)
    if not ARCHIVE_TABLES <= _tables(connection):
        connection.close()
        raise ArchiveFileError(
            f"{path} is a SQLite database but not a tuban-crawler archive (it has no articles table)"
        )
    return connection


def _tables(connection: sqlite3.Connection) -> set[str]:
    return {
        row[0] for row in connection.execute("select name from sqlite_master where type = 'table'")
    }


def check_writable(db_path: str | Path) -> None:
    """Raise ArchiveFileError unless a crawl may write to DB_PATH (new, empty or an archive; writable)."""
    path = Path(db_path)
    folder = path.parent if str(path.parent) else Path(".")
    if not path.exists():
        existing = next((p for p in (folder, *folder.parents) if p.exists()), Path("."))
        if not os.access(existing, os.W_OK | os.X_OK):
            raise ArchiveReadOnly(
                f"can't create {path}: {existing} is not writable by this user (choose another --db)"
            )
        return
    header = _header(path)
    if header and not header.startswith(SQLITE_MAGIC):
        raise ArchiveFileError(
            f"{path} is not a SQLite database, so not an archive; not touching it (is --db the right file?)"
        )
    if header:
        connection = connect_read_only_any(path)
        try:
            tables = _tables(connection)
        finally:
            connection.close()
        if tables and not ARCHIVE_TABLES <= tables:
            raise ArchiveFileError(
                f"{path} is another SQLite database, not a tuban-crawler archive; not touching it "
                f"(give --db a new file or an archive)"
            )
    if not os.access(path, os.W_OK):
        raise ArchiveReadOnly(
            f"{path} is read-only for this user: a crawl can't write to it (check its permissions)"
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ArchiveReadOnly(
            f"the folder of {path} is read-only for this user: a crawl needs to write its journal and lock there"
        )


def connect_read_only_any(path: Path) -> sqlite3.Connection:
    """Return a read-only connection to the SQLite file PATH, archive or not; raise ArchiveFileError if unreadable.

    A WAL database that this user may not write (nor its folder) can't be opened ``mode=ro``
    (SQLite needs to create its ``-shm`` file): it is read as a snapshot (``immutable=1``).
    """
    return _connect(path)[0]


def needs_snapshot(path: str | Path) -> bool:
    """Return True when the SQLite file PATH can be read only as a snapshot (``immutable=1``), not ``mode=ro``."""
    connection, query = _connect(Path(path))
    connection.close()
    return query == "immutable=1"


def _connect(path: Path) -> tuple[sqlite3.Connection, str]:
    uri = path.resolve().as_uri()
    for query in ("mode=ro", "immutable=1"):
        try:
            connection = sqlite3.connect(f"{uri}?{query}", uri=True)
            _tables(connection)
            return connection, query
        except sqlite3.OperationalError:
            continue
        except sqlite3.DatabaseError as error:
            raise ArchiveFileError(f"{path} is not a readable SQLite database ({error})") from None
    raise ArchiveFileError(
        f"{path} can't be read (check the permissions of the file and its folder)"
    )
