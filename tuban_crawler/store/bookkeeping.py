"""The archive's bookkeeping: runs, page requisites, failures, the frontier and small state, and summaries."""

from __future__ import annotations

import json
from typing import Any

from tuban_crawler.dates.results import DateText, carried_parse, dump_parsed, load_parsed
from tuban_crawler.discover.sites import Site
from tuban_crawler.store.database import ArchiveDatabase, utc_now
from tuban_crawler.store.sites import read_sites


class ArchiveBookkeeping(ArchiveDatabase):
    """Every write and read of the archive but its articles: runs, requisites, failures, discovery state."""

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
            # A hint read with its parse keeps it (``hint_parsed``): a later run need not parse it again.
            self.db.conn.executemany(
                """insert or ignore into frontier (url, discovered_at, run_id, hint_published, hint_parsed)
                   select ?, ?, ?, ?, ? where not exists (select 1 from articles where url = ?)""",
                [
                    (url, now, run_id, None if hint is None else str(hint), _dumped(hint), url)
                    for url, hint in entries.items()
                ],
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
            row["url"]: _loaded(row["hint_published"], row.get("hint_parsed"))
            for row in self.db.query("select * from frontier order by discovered_at, url")
        }

    def sites(self) -> list[Site]:
        """Return the archive's sites (``store.sites``), in the order they were added."""
        return read_sites(self.db)

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


def _dumped(hint: str | None) -> str | None:
    """Return the parse HINT carries as JSON (``frontier.hint_parsed``), or None when it carries none."""
    parsed = carried_parse(hint) if hint is not None else None
    return dump_parsed(parsed) if parsed is not None else None


def _loaded(hint: str | None, parsed: str | None) -> str | None:
    """Return the frontier's HINT carrying its stored parse; as text alone when a run before m009 stored it."""
    if hint is None or parsed is None:
        return hint
    return DateText(hint, load_parsed(parsed))
