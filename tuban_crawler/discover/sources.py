"""What the feeds, sitemaps and start pages answered: at the last runs, and in this one.

An incremental run asks for a source read less than ``TUBAN_SOURCES_RECHECK_DAYS`` ago only if
its listings do not catch up, skips one that answered 404 then, and asks the others with the
validators of their last answer (``crawl.spiders.discovery``). What this run heard is handed
to the run recorder at close (``discover.walk.Discovery``) and stored for the next runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any


def _now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class SourceAnswers:
    """The sources' answers: ``before`` (kept by earlier runs) and ``seen`` (this run's, kept at close)."""

    before: dict[str, dict[str, Any]] = field(default_factory=dict)
    seen: dict[str, dict[str, Any]] = field(default_factory=dict)

    def last(self, url: str) -> dict[str, Any] | None:
        """Return what the source at URL answered when an earlier run last read it, or None."""
        return self.before.get(url)

    def due(self, url: str, days: float, now: datetime | None = None) -> bool:
        """Return True when the source at URL was never read, or not for DAYS days before NOW.

        >>> answers = SourceAnswers({"https://a/feed": {"checked_at": "2026-12-01T00:00:00+00:00"}})
        >>> now = datetime(2026, 12, 8, tzinfo=timezone.utc)
        >>> answers.due("https://a/feed", 7, now), answers.due("https://a/feed", 8, now)
        (True, False)
        >>> answers.due("https://a/rss", 8, now)
        True
        """
        last = self.before.get(url)
        if not last:
            return True
        return (now or _now()) - datetime.fromisoformat(last["checked_at"]) >= timedelta(days=days)

    def note(
        self,
        url: str,
        status: int,
        validators: tuple[str | None, str | None] | None = None,
        now: datetime | None = None,
    ) -> dict[str, Any]:
        """Return the record of what the source at URL answered, kept for the next runs.

        Parameters:
            url: the feed, sitemap or start page.
            status: its HTTP status (a ``304`` is recorded as the ``200`` it confirms, with
                the validators of the last answer).
            validators: the ``ETag`` and ``Last-Modified`` of a response that came with a body.
            now: when it answered (default: now).

        >>> answers = SourceAnswers({"https://a/feed": {"etag": '"1"', "last_modified": None}})
        >>> when = datetime(2026, 12, 8, tzinfo=timezone.utc)
        >>> answers.note("https://a/feed", 304, now=when)
        {'checked_at': '2026-12-08T00:00:00+00:00', 'status': 200, 'etag': '"1"', 'last_modified': None}
        >>> answers.note("https://a/map", 404, now=when)
        {'checked_at': '2026-12-08T00:00:00+00:00', 'status': 404}
        """
        record: dict[str, Any] = {
            "checked_at": (now or _now()).isoformat(timespec="seconds"),
            "status": 200 if status == 304 else status,
        }
        if status == 304:
            last = self.before.get(url) or {}
            record.update(etag=last.get("etag"), last_modified=last.get("last_modified"))
        elif validators is not None:
            record.update(etag=validators[0], last_modified=validators[1])
        self.seen[url] = record
        return record
