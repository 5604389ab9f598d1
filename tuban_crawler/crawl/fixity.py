"""The PREMIS events of the crawl's WARC files: a ``capture`` per finished file, a ``repair`` per file a killed run left.

Written by the capture middleware in one short transaction of their own (``store.fixity.record_now``)
at the start (repairs) and end (captures) of a run: two commits a run, none per article. The
digest of a finished file was computed as it was written (``WarcWriter``), so a capture event
costs no second read; it is the baseline ``tuban-crawler verify`` compares the file with.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from tuban_crawler.store import fixity
from tuban_crawler.store.database import utc_now
from tuban_crawler.warc.repair import Repair
from tuban_crawler.warc.writer import FinishedFile

logger = logging.getLogger(__name__)


def capture_events(
    files: Iterable[FinishedFile], run_id: str, agent: str
) -> list[fixity.FixityEvent]:
    """Return the ``capture`` event of each WARC file run RUN_ID finished."""
    now = utc_now()
    return [
        fixity.FixityEvent(
            "file",
            Path(finished.path).name,
            fixity.CAPTURE,
            now,
            fixity.SUCCESS,
            f"written by run {run_id}: {finished.records} records, {finished.size} bytes",
            agent,
            digest=f"sha256:{finished.sha256}",
            run_id=run_id,
        )
        for finished in files
    ]


def repair_events(
    directory: Path, repairs: Iterable[Repair], run_id: str, agent: str
) -> list[fixity.FixityEvent]:
    """Return the ``repair`` event of each unfinished file run RUN_ID repaired in DIRECTORY."""
    now = utc_now()
    events = []
    for repair in repairs:
        path = Path(directory) / repair.filename
        kept = repair.kept_records and path.exists()
        detail = (
            f"a killed run left it unfinished: kept {repair.kept_records} records, cut {repair.discarded_bytes} bytes"
            if kept
            else f"a killed run left it without a complete record: removed ({repair.discarded_bytes} bytes)"
        )
        events.append(
            fixity.FixityEvent(
                "file",
                repair.filename,
                fixity.REPAIR,
                now,
                fixity.SUCCESS,
                detail,
                agent,
                digest=f"sha256:{_sha256(path)}" if kept else None,
                run_id=run_id,
            )
        )
    return events


def log_events(db_path: str, events: list[fixity.FixityEvent]) -> None:
    """Write EVENTS to the archive DB_PATH; a failure is logged, never the crawl's end (the WARC files are written)."""
    try:
        fixity.record_now(db_path, events)
    except (sqlite3.Error, OSError) as error:
        logger.error("could not log %d fixity events in %s: %s", len(events), db_path, error)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
