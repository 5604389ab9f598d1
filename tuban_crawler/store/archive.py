"""The archive: one SQLite file, and every write to it (sqlite-utils, no Scrapy).

``ArchiveStore`` is the one object callers use. Its parts, by concern: ``migrations`` (the
schema, m001..m008), ``database`` (opening, transactions, prepared writes), ``stems`` (the
stemmed index's upkeep), ``bookkeeping`` (runs, requisites, failures, frontier, state) and
this module (articles, their versions and fetches). What each column is for is one table,
``normalize.columns``; what a fetch makes of an article is ``normalize.record.Article``.

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
- ``article_changes``: every new version, removal and return, in words with word counts
  (``store.changes``, ``store.diff``), written with the write that made it (issue 21).
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
- ``article_places``, ``article_offices``: the kecamatan, desa and offices an article's title
  and body mention, with the matched text and its position (``store.places``, issue 24),
  tagged again whenever the article's content changes.
- ``fixity_events``: the PREMIS event log (``store.fixity``): captures, repairs, refused
  replacements, fixity checks, migrations (issue 23). Each article and version cites the
  capture it was extracted from (``warc_record_id``, ``payload_sha256``).

URLs sharing one text are all archived and linked: ``articles.text_hash`` and
``articles.same_text_as`` (``sametext``, issue 18); one story on two sites, and a teaser and the
article it announces, by ``articles.reposted_from`` and ``articles.teaser_of`` (``reposts``, issue 22).

The database runs in WAL mode so that Datasette can read while a crawl writes. Every
write that belongs together happens in one transaction; a row is never replaced by a
worse copy (fewer of title, date, author, body, or worse by ``quality.judge``).
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Iterable
from typing import Any

from tuban_crawler.discover.sites import site_of
from tuban_crawler.normalize.columns import JSON_COLUMNS, QUALITY_FIELDS
from tuban_crawler.normalize.record import Article, calendar_columns
from tuban_crawler.normalize.reposts import story_hash
from tuban_crawler.store import fixity
from tuban_crawler.store.bookkeeping import ArchiveBookkeeping
from tuban_crawler.store.changes import record_removal, record_return, record_version
from tuban_crawler.store.places import replace_article_tags
from tuban_crawler.store.quality import Evidence, judge
from tuban_crawler.store.reposts import link_saved
from tuban_crawler.store.sametext import relink, shared_counts, text_hash
from tuban_crawler.store.stems import index_queued_stems

logger = logging.getLogger(__name__)


def _quality(row: dict[str, Any]) -> int:
    return sum(1 for name in QUALITY_FIELDS if row.get(name))


def _encode(record: dict[str, Any]) -> dict[str, Any]:
    return {
        key: json.dumps(value, ensure_ascii=False)
        if key in JSON_COLUMNS and value is not None
        else value
        for key, value in record.items()
    }


def _sha256(fetch: dict[str, Any]) -> str | None:
    digest = fetch.get("payload_sha256")
    return f"sha256:{digest}" if digest else None


def _cited(fetch: dict[str, Any]) -> dict[str, Any]:
    """Return the columns that cite the capture a version was extracted from (its record, its payload's sha256)."""
    return {
        "warc_record_id": fetch.get("warc_record_id"),
        "payload_sha256": fetch.get("payload_sha256"),
    }


class ArchiveStore(ArchiveBookkeeping):
    """The SQLite archive: opens the file, keeps its schema current, and does every write (articles here)."""

    #: Who the events this store logs name as their agent (``fixity.agent``; the crawl sets its operator).
    agent = fixity.agent()

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
        record: Article | dict[str, Any],
        fetch: dict[str, Any],
        run_id: str,
        mentioned: Iterable[dict[str, Any]] = (),
        evidence: Evidence = Evidence(),
    ) -> str:
        """Store one fetched article and return its outcome: new, updated, unchanged, kept or rejected.

        Parameters:
            record: the article (``normalize.record.Article``), or its columns as a dict
                (``url`` is the canonical URL; JSON columns as Python values; ``content_hash``
                computed over CONTENT_FIELDS; ``published_date`` is derived from ``published_at``).
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
        if isinstance(record, Article):
            record = record.as_row()
        else:  # written by hand (a tool, a test): its calendar day as normalise derives it
            day = calendar_columns(record.get("published_at"))["published_date"]
            record = {**record, "published_date": day}
        # The text's fingerprint, and no link yet: relink sets it once the row is written.
        record = {**record, "text_hash": text_hash(record.get("body_text")), "same_text_as": None}
        record["story_hash"] = story_hash(record.get("body_text"))  # re-posts across sites (m016)
        url = record["url"]
        seen_at = fetch["fetched_at"]
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
                    **_cited(fetch),
                    "version": 1,
                    "site": site_of(url),
                    "first_seen_at": seen_at,
                    "last_seen_at": seen_at,
                    "last_changed_at": seen_at,
                    "gone_at": None,
                    "gone_status": None,
                }
                self._insert("articles", _encode(row))
                self._replace_mentions(url, mentioned)
                replace_article_tags(self.db, url, record.get("title"), record.get("body_text"))
            elif record["content_hash"] != old["content_hash"]:
                outcome = "updated"
                self._keep_version(old, seen_at, run_id)
                row = {
                    **record,
                    **_cited(fetch),
                    "version": old["version"] + 1,
                    "last_seen_at": seen_at,
                    "last_changed_at": seen_at,
                    "gone_at": None,
                    "gone_status": None,
                }
                self._update("articles", "url", url, _encode(row))
                self._replace_mentions(url, mentioned)
                if old["gone_at"]:
                    record_return(self.db, old, seen_at, run_id)
                record_version(self.db, old, {**row, "url": url}, seen_at, run_id)
                replace_article_tags(self.db, url, record.get("title"), record.get("body_text"))
            else:
                outcome = "unchanged"
                self._touch(url, record, seen_at)
                if old["gone_at"]:
                    record_return(self.db, old, seen_at, run_id)
            if outcome in ("new", "updated"):
                relink(self.db, (record["text_hash"], old.get("text_hash") if old else None))
                link_saved(self.db, url)  # re-posts and teasers (store.reposts, issue 22)
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
            if outcome in ("new", "updated"):
                self._event(url, fixity.CAPTURE, fetch, run_id, outcome, old)
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
        # Both look-ups go through an index (text_hash, m010; title, m008): a save never scans the archive.
        title, url = record.get("title"), record["url"]
        same_text, same_page = shared_counts(self.db, record)
        evidence = dataclasses.replace(evidence, same_body_urls=same_text, same_page_urls=same_page)
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
        old = self.get_article(url)
        verdict = "kept the archived one" if old else "not archived"
        self._event(url, fixity.REPLACEMENT_REFUSED, fetch, run_id, f"{reason}; {verdict}", old)
        self._record_failure(
            url, f"worse copy ({reason}); {verdict}", fetch.get("status"), run_id, seen_at
        )

    def _event(
        self,
        url: str,
        event_type: str,
        fetch: dict[str, Any],
        run_id: str,
        detail: str,
        old: dict[str, Any] | None,
    ) -> None:
        """Log the PREMIS event of an article's version in the write's own transaction (no extra commit)."""
        version = (old["version"] if old else 0) + (event_type == fixity.CAPTURE)
        record_id = fetch.get("warc_record_id")
        where = f"{fetch.get('warc_filename')} at {fetch.get('warc_offset')}" if record_id else None
        fixity.record(
            self.db.conn,
            [
                fixity.FixityEvent(
                    "article",
                    url,
                    event_type,
                    fetch["fetched_at"],
                    fixity.SUCCESS if event_type == fixity.CAPTURE else fixity.FAILURE,
                    f"{detail}: WARC record {record_id} ({where})" if record_id else detail,
                    self.agent,
                    digest=_sha256(fetch),
                    version=version or None,
                    run_id=run_id,
                )
            ],
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
            # A page marked gone that answers again is back (its version and title for the row).
            for old in self.db.query(
                "select url, version, title from articles where url = ? and gone_at is not null",
                [url],
            ):
                record_return(self.db, old, fetch["fetched_at"], run_id)
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
            old = self.get_article(url)
            if old is None:
                return False
            if not old["gone_at"]:
                record_removal(self.db, old, fetch.get("status"), fetch["fetched_at"], run_id)
            self.db.execute(
                "update articles set gone_at = coalesce(gone_at, ?), gone_status = ? where url = ?",
                [fetch["fetched_at"], fetch.get("status"), url],
            )
            self.db.table("frontier").delete_where("url = ?", [url])
            self._log_fetch(url, fetch, run_id, "gone")
        return True
