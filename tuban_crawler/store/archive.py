"""The archive: one SQLite file, its schema, and every write to it (sqlite-utils, no Scrapy).

Tables (the README's "Querying the archive" describes every column):

- ``articles``: one row per article or evergreen page, keyed by canonical URL; the
  latest version. Full-text search over ``title`` and ``body_text``: exact words in
  ``articles_fts`` (FTS5, kept in sync by triggers), word roots in ``articles_stem_fts``
  (``tuban_crawler.search``; the stemmer is Python, so triggers queue changed rows in
  ``articles_stem_queue`` and every write of the store indexes what is queued). Both are
  external-content indexes over ``articles``: reading their columns gives the articles'
  text, not the roots; never ``rebuild`` ``articles_stem_fts`` with FTS5's own command
  (it would index the text itself): ``index_queued_stems`` does it when the stemmer changes.
- ``article_versions``: earlier versions of articles whose content changed.
- ``mentioned_dates``: the dates an article's body mentions.
- ``view_counts``: the view counter seen at each fetch.
- ``fetches``: every fetch of an entry page, linked to its WARC record.
- ``failures``: pages that failed (after retries) or could not be read, with the reason;
  ``gave_up_at`` once they failed ``TUBAN_MAX_ATTEMPTS`` times (or can never succeed).
- ``rejected_copies``: fetched copies judged worse than the archived row (``quality``), kept in
  the WARC files only.
- ``crawl_runs``: one row per run, with its counts and report.
- ``frontier``: entry URLs discovered but not yet archived (what a killed run left).
- ``crawl_state``: small key/value facts about the archive (e.g. a finished backfill).
- ``article_categories``: one row per (category, article), derived from ``articles.categories``
  by triggers, for the Datasette category facet and filter (issue 10).

The database runs in WAL mode so that Datasette can read while a crawl writes. Every
write that belongs together happens in one transaction; a row is never replaced by a
worse copy (fewer of title, date, author, body, or worse by ``quality.judge``).
"""

from __future__ import annotations

import dataclasses
import functools
import importlib.metadata
import json
import logging
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from tuban_crawler.search import WORD, stem_text
from tuban_crawler.store.quality import ERROR_PAGE_MAX_CHARS, Evidence, judge

logger = logging.getLogger(__name__)

#: Columns whose change makes a new version (the view counter and fetch times do not).
CONTENT_FIELDS = (
    "kind",
    "title",
    "published_at",
    "author",
    "categories",
    "body_text",
    "dateline",
    "credit",
    "images",
    "photo_caption",
)
#: Fields whose presence makes a copy better; a copy with fewer is never stored over one with more.
QUALITY_FIELDS = ("title", "published_at", "author", "body_text")
#: Failures of one URL after which the next runs stop asking for it (``TUBAN_MAX_ATTEMPTS``).
DEFAULT_MAX_ATTEMPTS = 3
JSON_COLUMNS = ("categories", "images", "field_sources", "date_warnings")
#: What an ISO date starts with (GLOB pattern).
DAY_GLOB = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*"

migrations = Migrations("tuban_crawler")


@migrations()
def m001_initial(db: Database) -> None:
    """Create the first schema."""
    db.table("articles").create(
        {
            "url": str,
            "kind": str,
            "title": str,
            "published_at": str,
            "published_year": int,
            "published_month": str,
            "published_raw": str,
            "published_precision": str,
            "date_reason": str,
            "date_warnings": str,
            "author": str,
            "categories": str,
            "views": int,
            "body_text": str,
            "body_html": str,
            "dateline": str,
            "credit": str,
            "images": str,
            "photo_caption": str,
            "layout": str,
            "field_sources": str,
            "content_hash": str,
            "version": int,
            "first_seen_at": str,
            "last_seen_at": str,
            "last_changed_at": str,
            "gone_at": str,
            "gone_status": int,
            "etag": str,
            "last_modified": str,
            "fetched_url": str,
        },
        pk="url",
    )
    db.table("articles").create_index(["published_at"])
    db.table("articles").create_index(["author"])
    db.table("articles").enable_fts(["title", "body_text"], create_triggers=True)
    db.table("article_versions").create(
        {
            "id": int,
            "url": str,
            "version": int,
            "content_hash": str,
            "title": str,
            "published_at": str,
            "author": str,
            "categories": str,
            "body_text": str,
            "body_html": str,
            "dateline": str,
            "credit": str,
            "images": str,
            "photo_caption": str,
            "kind": str,
            "first_seen_at": str,
            "replaced_at": str,
            "replaced_by_run": str,
        },
        pk="id",
        foreign_keys=[("url", "articles", "url")],
    )
    db.table("article_versions").create_index(["url", "version"], unique=True)
    db.table("mentioned_dates").create(
        {"url": str, "mentioned_date": str, "expression": str, "position": int},
        pk=("url", "position"),
        foreign_keys=[("url", "articles", "url")],
    )
    db.table("mentioned_dates").create_index(["mentioned_date"])
    db.table("view_counts").create(
        {"url": str, "seen_at": str, "views": int, "run_id": str},
        pk=("url", "seen_at"),
        foreign_keys=[("url", "articles", "url")],
    )
    db.table("fetches").create(
        {
            "id": int,
            "run_id": str,
            "url": str,
            "fetched_url": str,
            "fetched_at": str,
            "status": int,
            "outcome": str,
            "warc_filename": str,
            "warc_record_id": str,
            "warc_offset": int,
            "warc_length": int,
            "payload_digest": str,
        },
        pk="id",
    )
    db.table("fetches").create_index(["url"])
    db.table("failures").create(
        {
            "url": str,
            "reason": str,
            "status": int,
            "attempts": int,
            "run_id": str,
            "first_seen_at": str,
            "last_seen_at": str,
        },
        pk="url",
    )
    db.table("crawl_runs").create(
        {
            "run_id": str,
            "started_at": str,
            "finished_at": str,
            "status": str,
            "mode": str,
            "base_url": str,
            "requests": int,
            "new": int,
            "updated": int,
            "unchanged": int,
            "failed": int,
            "gone": int,
            "coverage_title": float,
            "coverage_published": float,
            "coverage_author": float,
            "coverage_body": float,
            "report": str,
        },
        pk="run_id",
    )
    db.table("frontier").create(
        {"url": str, "discovered_at": str, "run_id": str, "hint_published": str},
        pk="url",
    )
    db.table("crawl_state").create({"key": str, "value": str}, pk="key")


@migrations()
def m002_published_date(db: Database) -> None:
    """Add ``published_date``, the WIB calendar day of ``published_at`` (SQLite's date() would give UTC's)."""
    db.table("articles").add_column("published_date", str)
    db.execute(
        "update articles set published_date = substr(published_at, 1, 10) where published_at glob ?",
        [DAY_GLOB],
    )
    db.table("articles").create_index(["published_date"])


@migrations()
def m003_stemmed_search(db: Database) -> None:
    """Add the stemmed search index ``articles_stem_fts``, its queue and triggers; index every article."""
    # External content (the text stays in articles, the index holds the roots): as small as
    # the exact index. content='articles' in single quotes, so that sqlite-utils and
    # Datasette, which look for content="articles" or content=[articles], keep finding
    # articles_fts as the table's own index.
    db.execute(
        "create virtual table articles_stem_fts using fts5 (title, body_text, content='articles')"
    )
    db.execute(
        "create table articles_stem_queue (article_rowid integer primary key, indexed integer, old_title text, old_body_text text)"
    )
    # Pure-SQL triggers, so that any writer (sqlite3, sqlite-utils) keeps working: they queue
    # the row with the text it was indexed with (FTS5 deletes an entry by its tokens); the
    # store stems what is queued in the same transaction (index_queued_stems). A row queued
    # already keeps its first entry: that is what the index holds.
    queue = (
        "insert or ignore into articles_stem_queue values (old.rowid, 1, old.title, old.body_text)"
    )
    for trigger in (
        "articles_stem_ai after insert on articles begin"
        " insert or ignore into articles_stem_queue values (new.rowid, 0, null, null); end",
        f"articles_stem_au after update of title, body_text on articles begin {queue}; end",
        f"articles_stem_ad after delete on articles begin {queue}; end",
    ):
        db.execute(f"create trigger {trigger}")
    db.execute("insert into articles_stem_queue select rowid, 0, null, null from articles")
    index_queued_stems(db)


@functools.cache
def _stemmer_version() -> str:
    # Read once: importlib.metadata scans the installed distributions (1.5 ms a save, issue 10).
    return f"PySastrawi {importlib.metadata.version('PySastrawi')}, words {WORD.pattern}"


def index_queued_stems(db: Database) -> int:
    """Return how many queued articles were (re)indexed in ``articles_stem_fts``, emptying the queue.

    When the stemmer changed since the index was built (a new PySastrawi), every article is
    indexed again: removing an entry needs the very roots it was indexed with.
    """
    state = db.execute("select value from crawl_state where key = 'stemmer'").fetchone()
    if state is None or state[0] != _stemmer_version():
        db.execute("insert into articles_stem_fts (articles_stem_fts) values ('delete-all')")
        db.execute("delete from articles_stem_queue")
        db.execute("insert into articles_stem_queue select rowid, 0, null, null from articles")
        db.execute(
            "insert or replace into crawl_state (key, value) values ('stemmer', ?)",
            [_stemmer_version()],
        )
    queued = db.execute(
        "select article_rowid, indexed, old_title, old_body_text from articles_stem_queue"
    ).fetchall()
    db.conn.executemany(
        "insert into articles_stem_fts (articles_stem_fts, rowid, title, body_text) values ('delete', ?, ?, ?)",
        [
            (rowid, stem_text(title), stem_text(body))
            for rowid, indexed, title, body in queued
            if indexed
        ],
    )
    db.conn.executemany(
        "insert into articles_stem_fts (rowid, title, body_text) values (?, ?, ?)",
        [
            (rowid, stem_text(title), stem_text(body))
            for rowid, title, body in db.execute(
                "select rowid, title, body_text from articles where rowid in (select article_rowid from articles_stem_queue)"
            )
        ],
    )
    db.execute("delete from articles_stem_queue")
    return len(queued)


def local_date(published_at: str | None) -> str | None:
    """Return the calendar day of an ISO PUBLISHED_AT as written (its own zone, WIB), or None.

    >>> local_date("2017-07-26T00:30:00+07:00"), local_date("2017-07-26"), local_date(None)
    ('2017-07-26', '2017-07-26', None)
    """
    if published_at and re.match(r"\d{4}-\d{2}-\d{2}", published_at):
        return published_at[:10]
    return None


@migrations()
def m004_failures_end_and_rejected_copies(db: Database) -> None:
    """Let failures give up, and record copies judged worse than the archived row (issue 9)."""
    db.table("failures").add_column("gave_up_at", str)
    db.table("rejected_copies").create(
        {
            "id": int,
            "url": str,
            "run_id": str,
            "fetched_at": str,
            "status": int,
            "reason": str,
            "title": str,
            "body_chars": int,
            "warc_filename": str,
            "warc_record_id": str,
            "warc_offset": int,
        },
        pk="id",
    )
    db.table("rejected_copies").create_index(["url"])


@migrations()
def m005_requisites(db: Database) -> None:
    """Add the page requisites (issue 11) and each article image beside its captured copy."""
    db.table("requisites").create(
        {
            "url": str,
            "kind": str,
            "status": int,
            "content_type": str,
            "length": int,
            "first_captured_at": str,
            "captured_at": str,
            "run_id": str,
            "warc_filename": str,
            "warc_record_id": str,
            "warc_offset": int,
            "warc_length": int,
            "payload_digest": str,
            "record_type": str,
        },
        pk="url",
    )
    db.create_view(
        "article_images",
        """select articles.url as article_url, json_extract(image.value, '$.src') as src,
       json_extract(image.value, '$.caption') as caption, requisites.captured_at,
       requisites.warc_filename, requisites.warc_record_id, requisites.payload_digest
from articles join json_each(articles.images) as image
left join requisites on requisites.url = json_extract(image.value, '$.src')""",
    )


@migrations()
def m006_facet_indexes(db: Database) -> None:
    """Index the columns the Datasette page faceted on without one (issue 10: 0.7 s at 20,000 articles)."""
    # (categories, url) covers the category facet, which counts distinct urls per value.
    db.table("articles").create_index(["categories", "url"], if_not_exists=True)
    db.table("articles").create_index(["published_month"], if_not_exists=True)
    db.table("articles").create_index(["published_year"], if_not_exists=True)


#: The categories of an article as SQL rows (json_each), for the triggers that keep ``article_categories``:
#: a value that is not a JSON array gives none (never an error that would fail the write).
_CATEGORY_ROWS = (
    "select j.value, {row}.url, {row}.rowid from {source}json_each(case when json_valid({row}.categories) then"
    " case when json_type({row}.categories) = 'array' then {row}.categories end end) j where j.value is not null"
)


@migrations()
def m007_article_categories(db: Database) -> None:
    """Add ``article_categories``, one narrow row per (category, article), kept by triggers (issue 10).

    The category facet and filter of the Datasette articles page read it instead of parsing
    the JSON array of every (wide) article row: 0.1 s a statement at 20,000 articles.
    """
    # Without rowid, keyed by (category, url): a category's articles are one range of the key.
    # article_rowid is the article's rowid, as in the two search indexes, so that a page
    # filtered on a category can test rows straight from an index of articles.
    db.execute(
        "create table article_categories (category not null, article_url text not null,"
        " article_rowid integer not null, primary key (category, article_url)) without rowid"
    )
    db.execute("create index article_categories_article on article_categories (article_url)")
    # Pure-SQL triggers, so that any writer keeps it exact; a row is rewritten whole, which
    # also repairs what an INSERT OR REPLACE of another writer left (its delete fires no trigger).
    rows = _CATEGORY_ROWS.format(row="new", source="")
    forget = "delete from article_categories where article_url = {row}.url"
    for trigger in (
        f"article_categories_ai after insert on articles begin {forget.format(row='new')};"
        f" insert or ignore into article_categories {rows}; end",
        f"article_categories_au after update of url, categories on articles begin {forget.format(row='old')};"
        f" {forget.format(row='new')}; insert or ignore into article_categories {rows}; end",
        f"article_categories_ad after delete on articles begin {forget.format(row='old')}; end",
    ):
        db.execute(f"create trigger {trigger}")
    db.execute(
        f"insert or ignore into article_categories {_CATEGORY_ROWS.format(row='articles', source='articles, ')}"
    )


#: Bodies this short are compared with every other archived body (a login form or a notice
#: served for many URLs, ``quality``); longer ones never are.
SHARED_BODY_MAX_CHARS = 2 * ERROR_PAGE_MAX_CHARS


@migrations()
def m008_shared_text_indexes(db: Database) -> None:
    """Index what each save compares with the whole archive: short bodies and titles (issue 10).

    Without them every save scanned every row (a backfill's cost grew with the square of
    the archive: 3.4 of 9.2 s for 1,500 articles).
    """
    db.execute(
        f"create index if not exists articles_short_body on articles (body_text)"
        f" where length(body_text) <= {SHARED_BODY_MAX_CHARS}"
    )
    db.table("articles").create_index(["title"], if_not_exists=True)


def utc_now() -> str:
    """Return the current UTC time as ISO 8601 with seconds, the archive's timestamp format."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _quality(row: dict[str, Any]) -> int:
    return sum(1 for name in QUALITY_FIELDS if row.get(name))


def _encode(record: dict[str, Any]) -> dict[str, Any]:
    return {
        key: json.dumps(value, ensure_ascii=False)
        if key in JSON_COLUMNS and value is not None
        else value
        for key, value in record.items()
    }


class ArchiveStore:
    """The SQLite archive: opens the file, keeps its schema current, and does every write."""

    def __init__(self, path: str | Path, max_attempts: int = DEFAULT_MAX_ATTEMPTS) -> None:
        self.path = Path(path)
        self.max_attempts = max_attempts
        self._db: Database | None = None
        self._batched = False  # inside batch(): stems are indexed once, at its end
        self._schema: dict[str, frozenset[str]] = {}  # table → its columns, read once

    # -- lifecycle ----------------------------------------------------------------------
    def open(self) -> ArchiveStore:
        """Return self, connected to the file, in WAL mode, with every migration applied."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = Database(self.path)
        db.execute("PRAGMA busy_timeout = 30000")
        db.enable_wal()
        db.execute("PRAGMA foreign_keys = ON")
        migrations.apply(db)
        self._db = db
        return self

    def open_read_only(self) -> ArchiveStore:
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

    def __enter__(self) -> ArchiveStore:
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
        """Yield the database inside one transaction (rolled back if the block raises)."""
        with self.db.atomic() as db:
            yield db

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
    def batch(self) -> Iterator[ArchiveStore]:
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

    # -- runs -------------------------------------------------------------------------
    def start_run(
        self, run_id: str, mode: str, base_url: str, started_at: str | None = None
    ) -> None:
        """Record that run RUN_ID started (status ``running`` until ``finish_run``).

        Runs still ``running`` were killed (the archive's lock keeps a second crawl out): they
        are marked ``interrupted``.
        """
        with self.atomic():
            self.db.execute(
                "update crawl_runs set status = 'interrupted' where status = 'running' and run_id != ?",
                [run_id],
            )
            self.db.table("crawl_runs").upsert(
                {
                    "run_id": run_id,
                    "started_at": started_at or utc_now(),
                    "status": "running",
                    "mode": mode,
                    "base_url": base_url,
                },
                pk="run_id",
            )

    def finish_run(
        self, run_id: str, status: str, counts: dict[str, Any], report: dict[str, Any]
    ) -> None:
        """Record the end of run RUN_ID with its STATUS, COUNTS (columns) and REPORT (JSON)."""
        with self.atomic():
            self.db.table("crawl_runs").update(
                run_id,
                {
                    **counts,
                    "finished_at": utc_now(),
                    "status": status,
                    "report": json.dumps(report, ensure_ascii=False),
                },
            )

    # -- articles ---------------------------------------------------------------------
    def get_article(self, url: str) -> dict[str, Any] | None:
        """Return the archived row of URL (JSON columns decoded), or None."""
        rows = list(self.db.query("select * from articles where url = ?", [url]))
        if not rows:
            return None
        row = rows[0]
        for column in JSON_COLUMNS:
            if row.get(column) is not None:
                row[column] = json.loads(row[column])
        return row

    def save_article(
        self,
        record: dict[str, Any],
        fetch: dict[str, Any],
        run_id: str,
        mentioned: Iterable[dict[str, Any]] = (),
        evidence: Evidence = Evidence(),
    ) -> str:
        """Store one fetched article and return its outcome: new, updated, unchanged, kept or rejected.

        Parameters:
            record: the article's columns (``url`` is the canonical URL; JSON columns as
                Python values; ``content_hash`` computed over CONTENT_FIELDS).
            fetch: what the fetch was (``fetched_url``, ``fetched_at``, ``status`` and the
                WARC reference ``warc_filename``/``warc_record_id``/``warc_offset``/...).
            run_id: the run that fetched it.
            mentioned: the dates the body mentions (``mentioned_date``, ``expression``).
            evidence: what the fetch knows beyond the columns (declared and received length...).

        ``kept`` means the new copy was worse than the archived one (fewer of title, date,
        author, body, or worse by ``quality.judge``): the archived row stays, the copy is
        listed in ``rejected_copies`` and the URL in ``failures`` (retried next run).
        ``rejected``: an entry not archived yet whose copy is an error page; nothing is stored
        but the failure. A new copy cut short is stored (better than nothing) and listed in
        ``failures`` too, so that the next run fetches it again.
        """
        url = record["url"]
        seen_at = fetch["fetched_at"]
        record = {**record, "published_date": local_date(record.get("published_at"))}
        with self.atomic():
            old = self.get_article(url)
            evidence = self._with_shared_text(record, old, evidence)
            problem = None
            if old is None or record["content_hash"] != old["content_hash"]:
                problem = judge(record, old, evidence)
            if not problem and old is not None and _quality(record) < _quality(old):
                missing = [f for f in QUALITY_FIELDS if old.get(f) and not record.get(f)]
                problem = f"missing {', '.join(missing)}"
            if problem and old is not None:
                outcome = "kept"
                self._reject(record, fetch, run_id, problem)
            elif problem and old is None and not problem.startswith("cut short"):
                outcome = "rejected"
                self._reject(record, fetch, run_id, problem)
            elif old is None:
                outcome = "new"
                row = {
                    **record,
                    "version": 1,
                    "first_seen_at": seen_at,
                    "last_seen_at": seen_at,
                    "last_changed_at": seen_at,
                    "gone_at": None,
                    "gone_status": None,
                }
                self._insert("articles", _encode(row))
                self._replace_mentions(url, mentioned)
            elif record["content_hash"] != old["content_hash"]:
                outcome = "updated"
                self._keep_version(old, seen_at, run_id)
                row = {
                    **record,
                    "version": old["version"] + 1,
                    "last_seen_at": seen_at,
                    "last_changed_at": seen_at,
                    "gone_at": None,
                    "gone_status": None,
                }
                self._update("articles", "url", url, _encode(row))
                self._replace_mentions(url, mentioned)
            else:
                outcome = "unchanged"
                self._touch(url, record, seen_at)
            if outcome == "new" and problem:
                self._record_failure(
                    url,
                    f"archived a copy {problem}; fetching it again",
                    fetch.get("status"),
                    run_id,
                    seen_at,
                )
            elif outcome not in ("kept", "rejected"):
                self.db.execute("delete from failures where url = ?", [url])
            if record.get("views") is not None and outcome not in ("kept", "rejected"):
                self.db.execute(
                    """insert into view_counts (url, seen_at, views, run_id) values (?, ?, ?, ?)
                       on conflict (url, seen_at) do update set views = excluded.views, run_id = excluded.run_id""",
                    [url, seen_at, record["views"], run_id],
                )
            self._log_fetch(url, fetch, run_id, outcome)
            # An alias merged by its rel=canonical leaves the frontier with the row it joined.
            self.db.execute(
                "delete from frontier where url in (?, ?)", [url, fetch.get("requested_as") or url]
            )
            if not self._batched:
                index_queued_stems(self.db)
        return outcome

    def _with_shared_text(
        self, record: dict[str, Any], old: dict[str, Any] | None, evidence: Evidence
    ) -> Evidence:
        # Generic pages (a login form, a notice) are short, and a changed title is rare: a full
        # scan for every long body or unchanged title would cost each save a pass over the archive.
        body, title, url = record.get("body_text"), record.get("title"), record["url"]
        if body and len(body) <= SHARED_BODY_MAX_CHARS:
            # The length term lets SQLite use the partial index articles_short_body (m008).
            same = self.db.execute(
                f"select count(*) from articles where body_text = ? and length(body_text) <= {SHARED_BODY_MAX_CHARS}"
                " and url != ?",
                [body, url],
            ).fetchone()[0]
            evidence = dataclasses.replace(evidence, same_body_urls=same)
        if old is not None and title and title != old.get("title"):
            same = self.db.execute(
                "select count(*) from articles where title = ? and url != ?", [title, url]
            ).fetchone()[0]
            evidence = dataclasses.replace(evidence, same_title_urls=same)
        return evidence

    def _reject(
        self, record: dict[str, Any], fetch: dict[str, Any], run_id: str, reason: str
    ) -> None:
        url, seen_at = record["url"], fetch["fetched_at"]
        logger.warning("%s: not archived, the copy is worse: %s", url, reason)
        self.db.table("rejected_copies").insert(
            {
                "url": url,
                "run_id": run_id,
                "fetched_at": seen_at,
                "status": fetch.get("status"),
                "reason": reason,
                "title": record.get("title"),
                "body_chars": len(record.get("body_text") or ""),
                "warc_filename": fetch.get("warc_filename"),
                "warc_record_id": fetch.get("warc_record_id"),
                "warc_offset": fetch.get("warc_offset"),
            }
        )
        verdict = "kept the archived one" if self.get_article(url) else "not archived"
        self._record_failure(
            url, f"worse copy ({reason}); {verdict}", fetch.get("status"), run_id, seen_at
        )

    def _touch(self, url: str, record: dict[str, Any], seen_at: str) -> None:
        changes = {"last_seen_at": seen_at, "gone_at": None, "gone_status": None}
        for column in ("views", "etag", "last_modified", "fetched_url"):
            if record.get(column) is not None:
                changes[column] = record[column]
        self._update("articles", "url", url, changes)

    def _keep_version(self, old: dict[str, Any], replaced_at: str, run_id: str) -> None:
        columns = self._columns("article_versions")
        version = {key: old.get(key) for key in columns if key in old and key != "id"}
        version.update(
            {
                "first_seen_at": old["last_changed_at"] or old["first_seen_at"],
                "replaced_at": replaced_at,
                "replaced_by_run": run_id,
            }
        )
        self._insert("article_versions", _encode(version))

    def _replace_mentions(self, url: str, mentioned: Iterable[dict[str, Any]]) -> None:
        self.db.execute("delete from mentioned_dates where url = ?", [url])
        self.db.conn.executemany(
            "insert into mentioned_dates (url, position, mentioned_date, expression) values (?, ?, ?, ?)",
            [(url, i, m["mentioned_date"], m.get("expression")) for i, m in enumerate(mentioned)],
        )

    def _log_fetch(self, url: str, fetch: dict[str, Any], run_id: str, outcome: str) -> None:
        columns = self._columns("fetches")
        row = {key: value for key, value in fetch.items() if key in columns}
        self._insert("fetches", {**row, "url": url, "run_id": run_id, "outcome": outcome})

    def mark_not_modified(self, url: str, fetch: dict[str, Any], run_id: str) -> str:
        """Record a ``304 Not Modified`` answer for an archived URL; return ``unchanged``."""
        with self.atomic():
            self.db.table("articles").update(
                url, {"last_seen_at": fetch["fetched_at"], "gone_at": None, "gone_status": None}
            )
            self.db.table("failures").delete_where("url = ?", [url])
            self.db.table("frontier").delete_where("url = ?", [url])
            self._log_fetch(url, fetch, run_id, "not-modified")
        return "unchanged"

    def mark_gone(self, url: str, fetch: dict[str, Any], run_id: str) -> bool:
        """Mark an archived URL as gone (404/410/redirect home) and return True; never delete it.

        Return False when URL is not archived (nothing to mark).
        """
        with self.atomic():
            if self.get_article(url) is None:
                return False
            self.db.execute(
                "update articles set gone_at = coalesce(gone_at, ?), gone_status = ? where url = ?",
                [fetch["fetched_at"], fetch.get("status"), url],
            )
            self.db.table("frontier").delete_where("url = ?", [url])
            self._log_fetch(url, fetch, run_id, "gone")
        return True

    # -- page requisites ----------------------------------------------------------------
    def save_requisite(
        self,
        url: str,
        kind: str,
        status: int,
        content_type: str | None,
        length: int,
        capture: dict[str, Any],
        run_id: str,
    ) -> None:
        """Record the latest capture of the page requisite at URL (a photo, stylesheet, ...).

        capture: its WARC reference (``filename``, ``record_id``, ``offset``, ``length``,
        ``payload_digest``, ``record_type``), as the capture middleware leaves it.
        """
        now = utc_now()
        row = {
            "url": url,
            "kind": kind,
            "status": status,
            "content_type": content_type,
            "length": length,
            "captured_at": now,
            "run_id": run_id,
            "warc_filename": capture.get("filename"),
            "warc_record_id": capture.get("record_id"),
            "warc_offset": capture.get("offset"),
            "warc_length": capture.get("length"),
            "payload_digest": capture.get("payload_digest"),
            "record_type": capture.get("record_type"),
        }
        with self.atomic():
            self.db.execute(
                f"""insert into requisites ({", ".join(row)}, first_captured_at)
                    values ({", ".join("?" * len(row))}, ?)
                    on conflict(url) do update set {", ".join(f"{name} = excluded.{name}" for name in row)}""",
                [*row.values(), now],
            )

    def requisite_urls(self, kind: str) -> set[str]:
        """Return the URLs of the captured requisites of KIND (``image``, ``stylesheet``...)."""
        return {
            row["url"] for row in self.db.query("select url from requisites where kind = ?", [kind])
        }

    # -- failures ---------------------------------------------------------------------
    def record_failure(
        self,
        url: str,
        reason: str,
        status: int | None,
        run_id: str,
        seen_at: str | None = None,
        final: bool = False,
    ) -> None:
        """Record that URL failed for REASON (attempts counted across runs); it leaves the frontier.

        The URL is retried first by the next runs until it has failed ``max_attempts`` times,
        or at once when FINAL (no retry can help: it redirects off the site);
        then it stays listed with ``gave_up_at`` and is no longer asked for.
        """
        with self.atomic():
            self._record_failure(url, reason, status, run_id, seen_at or utc_now(), final)

    def _record_failure(
        self,
        url: str,
        reason: str,
        status: int | None,
        run_id: str,
        seen_at: str,
        final: bool = False,
    ) -> None:
        self.db.execute(
            """insert into failures (url, reason, status, attempts, run_id, first_seen_at, last_seen_at)
               values (?, ?, ?, 1, ?, ?, ?)
               on conflict(url) do update set reason = excluded.reason, status = excluded.status,
                 attempts = attempts + 1, run_id = excluded.run_id, last_seen_at = excluded.last_seen_at""",
            [url, reason, status, run_id, seen_at, seen_at],
        )
        self.db.execute(
            "update failures set gave_up_at = coalesce(gave_up_at, ?) where url = ? and (? or attempts >= ?)",
            [seen_at, url, final, self.max_attempts],
        )
        # Listed in failures, it is accounted for: a backfill can end with it (issue 9).
        self.db.table("frontier").delete_where("url = ?", [url])

    def clear_failure(self, url: str) -> None:
        """Forget the failure of URL (a page that failed before and now succeeded)."""
        with self.atomic():
            self.db.table("failures").delete_where("url = ?", [url])

    def failed_urls(self) -> list[str]:
        """Return the URLs to retry: failed and not given up, oldest failure first (retried first next run)."""
        return [
            row["url"]
            for row in self.db.query(
                "select url from failures where gave_up_at is null order by first_seen_at, url"
            )
        ]

    def given_up_urls(self) -> set[str]:
        """Return the URLs no longer asked for: failed ``max_attempts`` times, or never fetchable."""
        return {
            row["url"]
            for row in self.db.query("select url from failures where gave_up_at is not null")
        }

    # -- discovery state --------------------------------------------------------------
    def known_urls(self) -> set[str]:
        """Return the canonical URLs already archived."""
        return {row["url"] for row in self.db.query("select url from articles")}

    def urls_published_since(self, since_iso: str) -> list[str]:
        """Return archived article URLs published at or after SINCE_ISO, newest first."""
        return [
            row["url"]
            for row in self.db.query(
                "select url from articles where published_at >= ? and gone_at is null order by published_at desc",
                [since_iso],
            )
        ]

    def validators(self) -> dict[str, tuple[str | None, str | None]]:
        """Return {url: (etag, last_modified)} for archived pages that sent validators."""
        return {
            row["url"]: (row["etag"], row["last_modified"])
            for row in self.db.query(
                "select url, etag, last_modified from articles where etag is not null or last_modified is not null"
            )
        }

    def add_to_frontier(self, entries: dict[str, str | None], run_id: str) -> None:
        """Remember ENTRIES (URL → date written beside its link) discovered but not yet archived."""
        now = utc_now()
        with self.atomic():
            # An entry archived meanwhile (items and responses interleave) is done already.
            self.db.conn.executemany(
                """insert or ignore into frontier (url, discovered_at, run_id, hint_published)
                   select ?, ?, ?, ? where not exists (select 1 from articles where url = ?)""",
                [(url, now, run_id, hint, url) for url, hint in entries.items()],
            )

    def drop_from_frontier(self, url: str) -> None:
        """Forget URL as an entry to archive (it turned out to be a listing)."""
        with self.atomic():
            self.db.table("frontier").delete_where("url = ?", [url])

    def field_coverage(self) -> dict[str, float | None]:
        """Return the share of live articles holding each field (the archive's history, for the run report)."""
        row = next(
            iter(
                self.db.query("""
            select count(*) as articles,
              sum(published_at is not null) as published, sum(author is not null) as author,
              sum(categories is not null and categories not in ('', '[]')) as categories,
              sum(views is not null) as views, sum(title is not null) as title
            from articles where kind = 'article' and gone_at is null
        """)
            )
        )
        total = row.pop("articles") or 0
        return {
            "articles": total,
            **{name: (count or 0) / total if total else None for name, count in row.items()},
        }

    def frontier(self) -> dict[str, str | None]:
        """Return {URL: date hint} of entries discovered by earlier runs and not yet archived."""
        return {
            row["url"]: row["hint_published"]
            for row in self.db.query("select * from frontier order by discovered_at, url")
        }

    def get_state(self, key: str, default: str | None = None) -> str | None:
        """Return the value stored under KEY in ``crawl_state``, or DEFAULT."""
        rows = list(self.db.query("select value from crawl_state where key = ?", [key]))
        return rows[0]["value"] if rows else default

    def set_state(self, key: str, value: str) -> None:
        """Store VALUE under KEY in ``crawl_state``."""
        with self.atomic():
            self.db.table("crawl_state").upsert({"key": key, "value": value}, pk="key")

    def discovery_sources(self) -> dict[str, dict[str, Any]]:
        """Return {URL: what it answered last} of the feeds, sitemaps and start pages asked for by earlier runs.

        Each value holds ``checked_at`` (UTC ISO), ``status`` and the ``etag`` / ``last_modified``
        validators of its last 200, for the next incremental run to ask conditionally or not at all.
        """
        return json.loads(self.get_state("discovery_sources") or "{}")

    def save_discovery_sources(self, sources: dict[str, dict[str, Any]]) -> None:
        """Store what the discovery sources answered this run (merged over what earlier runs recorded)."""
        merged = {**self.discovery_sources(), **sources}
        self.set_state("discovery_sources", json.dumps(merged, sort_keys=True))

    # -- reading ----------------------------------------------------------------------
    def summary(self) -> dict[str, Any]:
        """Return counts of what the archive holds (what ``tuban-crawler stats`` prints)."""
        counts = next(
            iter(
                self.db.query("""
            select
              (select count(*) from articles where kind = 'article') as articles,
              (select count(*) from articles where kind = 'page') as pages,
              (select count(*) from articles where gone_at is not null) as gone,
              (select count(*) from article_versions) as versions,
              (select count(*) from failures) as failures,
              (select count(*) from failures where gave_up_at is not null) as given_up,
              (select count(*) from rejected_copies) as rejected_copies,
              (select count(*) from crawl_runs) as runs,
              (select min(published_at) from articles) as first_published,
              (select max(published_at) from articles) as last_published
        """)
            )
        )
        return {**counts, "last_run": self.last_run()}

    def last_run(self) -> dict[str, Any] | None:
        """Return the latest ``crawl_runs`` row (its report decoded), or None before any run."""
        run = next(
            iter(
                self.db.query(
                    "select * from crawl_runs order by started_at desc, rowid desc limit 1"
                )
            ),
            None,
        )
        if run and run.get("report"):
            run["report"] = json.loads(run["report"])
        return run
