"""The archive's fixity log: PREMIS events, one row each, in ``fixity_events`` (issue 23).

An event says what was done to one object, when, by whom and with what outcome, in the
terms archivists use (PREMIS 3, OAIS):

- ``object_type`` and ``object``: a WARC ``file`` (its name), a ``record`` (its WARC-Record-ID),
  a ``row`` of the archive (``fetches 12``), an ``article`` (its URL, with ``version``), the
  ``index`` (``index.cdxj``) or the ``database`` (the archive's file name);
- ``event_type``: one of :data:`EVENT_TYPES`;
- ``event_date`` (UTC, ISO 8601), ``outcome`` (``success`` or ``failure``), ``detail`` (plain
  words), ``digest`` (the object's digest at the event, e.g. ``sha256:...`` of a file: the
  baseline the next fixity check compares with), ``agent`` (:func:`agent`) and ``run_id``.

Who writes them: the writer process (a ``capture`` per new version of an article and a
``replacement refused`` per worse copy, in the transaction that stores the row), the WARC
capture (a ``capture`` per finished file, a ``repair`` per file a killed run left), the
migrations (a ``migration`` when the schema changes) and ``tuban-crawler verify`` (a
``fixity check`` per object checked).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlite_utils import Database

from tuban_crawler import __version__

FIXITY_CHECK = "fixity check"
CAPTURE = "capture"
REPAIR = "repair"
REPLACEMENT_REFUSED = "replacement refused"
MIGRATION = "migration"
#: The event types of the log (PREMIS 3's eventType, as the issue names them).
EVENT_TYPES = (FIXITY_CHECK, CAPTURE, REPAIR, REPLACEMENT_REFUSED, MIGRATION)
SUCCESS, FAILURE = "success", "failure"

_COLUMNS = (
    "object_type",
    "object",
    "version",
    "event_type",
    "event_date",
    "outcome",
    "detail",
    "digest",
    "agent",
    "run_id",
)
_INSERT = (
    f"insert into fixity_events ({', '.join(_COLUMNS)}) values ({', '.join('?' * len(_COLUMNS))})"
)


@dataclass(frozen=True)
class FixityEvent:
    """One PREMIS event about one object (see the module's docstring for each field)."""

    object_type: str
    object: str
    event_type: str
    event_date: str
    outcome: str
    detail: str
    agent: str
    digest: str | None = None
    version: int | None = None
    run_id: str | None = None


def agent(operator: str | None = None) -> str:
    """Return the agent of an event: the software and its version, and the operator when known.

    >>> agent("https://example.org/contact")
    'tuban-crawler 0.1.0; operator https://example.org/contact'
    """
    software = f"tuban-crawler {__version__}"
    return f"{software}; operator {operator}" if operator else software


def create_fixity_schema(db: Database) -> None:
    """Create ``fixity_events`` and the columns that cite each article's capture (migration m013)."""
    db.table("fixity_events").create(
        {
            "id": int,
            "object_type": str,
            "object": str,
            "version": int,
            "event_type": str,
            "event_date": str,
            "outcome": str,
            "detail": str,
            "digest": str,
            "agent": str,
            "run_id": str,
        },
        pk="id",
    )
    # The last check of each file (verify --since-days) and the facets of the Datasette page.
    db.table("fixity_events").create_index(["object", "event_type", "event_date"])
    db.table("fixity_events").create_index(["event_type", "outcome"])
    db.table("fetches").add_column("payload_sha256", str)
    for table in ("articles", "article_versions"):
        db.table(table).add_column("warc_record_id", str)
        db.table(table).add_column("payload_sha256", str)
    # Articles stored before: cite the fetch their current version came from, where it is known
    # (the last fetch that stored a new or updated copy). Their sha256 is left to the next change.
    db.execute(
        """update articles set warc_record_id = (
             select fetches.warc_record_id from fetches where fetches.url = articles.url
             and fetches.outcome in ('new', 'updated') and fetches.warc_record_id is not null
             order by fetches.id desc limit 1)"""
    )
    record(
        db.conn,
        [
            FixityEvent(
                "database",
                "archive",
                MIGRATION,
                _now(),
                SUCCESS,
                "m013: fixity_events added; articles and versions cite their WARC record and payload sha256",
                agent(),
            )
        ],
    )


def record(connection: sqlite3.Connection, events: Iterable[FixityEvent]) -> int:
    """Insert EVENTS in CONNECTION's current transaction (the caller commits); return how many."""
    rows = [tuple(getattr(event, name) for name in _COLUMNS) for event in events]
    connection.executemany(_INSERT, rows)
    return len(rows)


def record_now(db_path: str, events: Iterable[FixityEvent]) -> int:
    """Write EVENTS to the archive DB_PATH in one short transaction of their own; return how many.

    For writers that hold no connection (the WARC capture, ``verify``): the transaction waits
    for a crawl's write lock up to the busy timeout, and holds it for the inserts only.
    """
    events = list(events)
    if not events:
        return 0
    connection = sqlite3.connect(db_path, timeout=30, isolation_level=None)
    try:
        connection.execute("begin immediate")
        try:
            record(connection, events)
        except BaseException:
            connection.execute("rollback")
            raise
        connection.execute("commit")
    finally:
        connection.close()
    return len(events)


def last_checked(connection: sqlite3.Connection) -> dict[str, str]:
    """Return file name → the date of each WARC file's last passing fixity check (a failed one is checked again)."""
    return {
        name: date
        for name, date in connection.execute(
            """select object, max(event_date) from fixity_events
               where object_type = 'file' and event_type = ? and outcome = ? group by object""",
            [FIXITY_CHECK, SUCCESS],
        )
    }


def last_operator(connection: sqlite3.Connection) -> str | None:
    """Return the operator the archive's last crawl named (its last capture event's agent), or None."""
    row = connection.execute(
        "select agent from fixity_events where event_type = ? and agent like ? order by id desc limit 1",
        [CAPTURE, "%; operator %"],
    ).fetchone()
    return row[0].split("; operator ", 1)[1] if row else None


def file_baselines(connection: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    """Return file name → its baseline: its latest capture or repair, else its latest passing check.

    A repair that removed a file (nothing complete in it) holds no digest: that file is not expected.
    """
    baselines: dict[str, dict[str, Any]] = {}
    for name, event_type, date, digest in connection.execute(
        """select object, event_type, event_date, digest from fixity_events
           where object_type = 'file' and outcome = ? and event_type in (?, ?, ?)
             and digest is not null
           order by event_date, id""",
        [SUCCESS, CAPTURE, REPAIR, FIXITY_CHECK],
    ):
        known = baselines.get(name)
        # The capture (or repair) is the baseline; a passing check stands in for one only
        # for a file from before the log.
        if known is None or event_type != FIXITY_CHECK or known["event_type"] == FIXITY_CHECK:
            baselines[name] = {"digest": digest, "event_type": event_type, "event_date": date}
    return baselines


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
