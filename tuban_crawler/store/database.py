"""The archive's connection: opening the file with its schema current, transactions, prepared writes."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

from sqlite_utils import Database

from tuban_crawler import settings as defaults
from tuban_crawler.store.migrations import migrations
from tuban_crawler.store.places import places_stale, retag_if_stale
from tuban_crawler.store.stems import index_queued_stems

_Self = TypeVar("_Self", bound="ArchiveDatabase")


def utc_now() -> str:
    """Return the current UTC time as ISO 8601 with seconds, the archive's timestamp format."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class ArchiveDatabase:
    """The archive's SQLite file: opened, its schema kept current, written in transactions."""

    def __init__(self, path: str | Path, max_attempts: int = defaults.TUBAN_MAX_ATTEMPTS) -> None:
        self.path = Path(path)
        self.max_attempts = max_attempts
        self._db: Database | None = None
        self._batched = False  # inside batch(): stems are indexed once, at its end
        self._schema: dict[str, frozenset[str]] = {}  # table → its columns, read once

    # -- lifecycle ----------------------------------------------------------------------
    def open(self: _Self) -> _Self:
        """Return self, connected to the file, in WAL mode, with every migration applied."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = Database(self.path)
        db.execute("PRAGMA busy_timeout = 30000")
        db.enable_wal()
        db.execute("PRAGMA foreign_keys = ON")
        migrations.apply(db)
        self._db = db
        if places_stale(db):  # a read first: nearly every open finds the tags current
            with self.atomic():
                retag_if_stale(db)
        return self

    def open_read_only(self: _Self) -> _Self:
        """Return self, connected read-only to an existing archive (no migration, no WAL switch).

        Raises ``archivefile.ArchiveFileError`` when the file is missing or not an archive.
        """
        from tuban_crawler.store.archivefile import connect_read_only

        self._db = Database(connect_read_only(self.path))
        return self

    def close(self) -> None:
        """Close the connection (idempotent)."""
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self: _Self) -> _Self:
        # `with ArchiveStore(path).open_read_only() as store:` stays read-only.
        return self if self._db is not None else self.open()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def db(self) -> Database:
        """Return the open sqlite-utils Database."""
        if self._db is None:
            raise RuntimeError(f"archive {self.path} is not open: call open() first")
        return self._db

    @contextmanager
    def atomic(self) -> Iterator[Database]:
        """Yield the database inside one transaction (rolled back if the block raises).

        The outermost one takes the write lock first (``BEGIN IMMEDIATE``), waiting for it up to
        the busy timeout: a deferred transaction that reads before it writes (sqlite-utils'
        ``update`` does) fails at once with "database is locked" when another connection (the
        writer process, the run's recorder) committed since its read. Nested ones are savepoints.
        """
        db = self.db
        if db.conn.in_transaction:
            with db.atomic():
                yield db
            return
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            if db.conn.in_transaction:  # an error may have ended it already
                db.conn.rollback()
            raise
        db.conn.commit()

    # -- prepared writes ---------------------------------------------------------------
    # The store's hot path writes with plain parameterised SQL: sqlite-utils' insert/update/
    # delete_where look the schema up again on every call (26 sqlite_master look-ups and 7
    # PRAGMA table_info of the 70 statements an article took, issue 10). Column names come
    # from the schema itself (read once per connection), never from the data.
    def _columns(self, table: str) -> frozenset[str]:
        known = self._schema.get(table)
        if known is None:
            known = self._schema[table] = frozenset(
                row[1] for row in self.db.execute(f"pragma table_info([{table}])")
            )
        return known

    def _checked(self, table: str, names: Iterable[str]) -> list[str]:
        names = list(names)
        unknown = [name for name in names if name not in self._columns(table)]
        if unknown:
            raise ValueError(f"{table} has no column {', '.join(unknown)}")
        return names

    def _insert(self, table: str, row: dict[str, Any]) -> None:
        names = self._checked(table, row)
        self.db.execute(
            f"insert into [{table}] ({', '.join(f'[{n}]' for n in names)}) values ({', '.join('?' * len(names))})",
            list(row.values()),
        )

    def _update(self, table: str, key: str, value: Any, changes: dict[str, Any]) -> None:
        names = self._checked(table, changes)
        self.db.execute(
            f"update [{table}] set {', '.join(f'[{n}] = ?' for n in names)} where [{key}] = ?",
            [*changes.values(), value],
        )

    @contextmanager
    def batch(self: _Self) -> Iterator[_Self]:
        """Yield the store with every write of the block in one transaction, stemmed once at its end.

        The writer process's batches (``writer``): one commit, and one pass of the stemmer over
        what the block queued, instead of one of each per article.
        """
        with self.atomic():
            self._batched = True
            try:
                yield self
            finally:
                self._batched = False
            index_queued_stems(self.db)
