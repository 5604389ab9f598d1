"""The fixity audit of a whole archive: ``tuban-crawler verify`` (issue 23).

What it checks, each once, and what it promises:

- **every WARC file** is read again in full: its gzip members, the block and payload digest of
  each record (``warc.verify.scan_file``, a big file in slices on every core, cut where the
  rows say records start, while this process checks the database and reads the index), and its sha256 against its baseline (the capture,
  repair or last passing check the log holds: a file cut at a member's end still differs);
- **no WARC file is missing or was added outside a crawl**: a file a row or an event names is
  on disk, and a file on disk was written by a crawl of this archive (a capture or repair
  event, or its warcinfo naming one of the archive's runs);
- **every row points at its record**: each ``fetches``, ``requisites`` and ``rejected_copies`` row
  at a record that exists, at its offset, with its id, length and digests; each article and
  version at a fetch of the record it cites, with the payload's sha256;
- **the index agrees with the files**: no ``index.cdxj`` line without its record, no record
  missing from it;
- **the database holds**: SQLite's ``integrity_check``.

One ``fixity check`` event per object checked (a WARC file, the index, the database) and one
per row that fails, written at the end in one short transaction. A failure is named once,
by what broke: rows and index lines pointing into a missing or damaged file are counted in
that file's event, not named again. Read only beside a running crawl: it takes no lock, skips
the file being written (``.open``) and the rows pointing into it, and never writes a WARC file
or the index. ``--since-days N`` checks only the files without a passing check in the last N
days (and the rows and index lines pointing into them); the database and the missing files
every time.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from tuban_crawler import settings as defaults
from tuban_crawler.fixity.refs import ArticleRef, Ref, article_refs, row_refs
from tuban_crawler.store import fixity
from tuban_crawler.store.archivefile import connect_read_only
from tuban_crawler.warc.index import (
    INDEX_NAME,
    OPEN_SUFFIX,
    WARC_SUFFIX,
    IndexEntry,
    parse_index_line,
)
from tuban_crawler.warc.verify import FileScan, scan_file

logger = logging.getLogger(__name__)

#: Who runs a check when neither the command nor a crawl says (``settings.TUBAN_CONTACT_URL``).
_OPERATOR = defaults.TUBAN_CONTACT_URL
#: The file in a WARC folder naming the archive it belongs to (``crawl.ownership``'s).
WARC_OWNER_FILE = "tuban-archive-id"


class AuditError(Exception):
    """An audit that can't start: the message says what is wrong and what to do."""


@dataclass
class Audit:
    """What one audit checked and found: its events, failed or not, and its figures."""

    events: list[fixity.FixityEvent] = field(default_factory=list)
    files: int = 0
    records: int = 0
    bytes_read: int = 0
    rows: Counter[str] = field(default_factory=Counter)
    skipped_files: int = 0
    seconds: float = 0.0

    @property
    def failures(self) -> list[fixity.FixityEvent]:
        """Return the failed events, in the order found."""
        return [event for event in self.events if event.outcome == fixity.FAILURE]


def audit(
    db_path: Path,
    warc_dir: Path,
    since_days: float | None = None,
    operator: str | None = None,
) -> Audit:
    """Return the audit of the archive DB_PATH and its WARC folder WARC_DIR (nothing is written).

    since_days: check only the WARC files whose last check is older than this (None: all).
    operator: who runs it, named in each event's agent (default: the operator of the last crawl).
    """
    began = time.monotonic()
    connection = connect_read_only(db_path)  # ArchiveFileError: missing, not an archive...
    try:
        _check_owner(connection, Path(warc_dir), Path(db_path))
        if "fixity_events" not in _tables(connection):
            raise AuditError(
                f"{db_path} has no fixity log yet (an archive from before it): the next crawl adds it"
            )
        result = _Auditor(connection, Path(db_path), Path(warc_dir), operator).run(since_days)
    finally:
        connection.close()
    result.seconds = time.monotonic() - began
    return result


def _tables(connection: sqlite3.Connection) -> set[str]:
    return {row[0] for row in connection.execute("select name from sqlite_master")}


def _check_owner(connection: sqlite3.Connection, warc_dir: Path, db_path: Path) -> None:
    if not warc_dir.is_dir():
        raise AuditError(f"no WARC folder at {warc_dir} (give --warc-dir the crawl's WARC folder)")
    owner_file = warc_dir / WARC_OWNER_FILE
    row = connection.execute("select value from crawl_state where key = 'archive_id'").fetchone()
    if row and owner_file.exists():
        owner = owner_file.read_text(encoding="ascii", errors="replace").strip()
        if owner != row[0]:
            raise AuditError(
                f"{warc_dir} holds the WARC files of another archive, not of {db_path} (is --warc-dir right?)"
            )


class _Auditor:
    """One audit's state: what the archive says, what the folder holds, what was found."""

    def __init__(
        self, connection: sqlite3.Connection, db_path: Path, warc_dir: Path, operator: str | None
    ) -> None:
        self.connection = connection
        self.db_path = db_path
        self.warc_dir = warc_dir
        self.agent = fixity.agent(operator or fixity.last_operator(connection) or _OPERATOR)
        self.now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        self.result = Audit()
        self.articles: list[ArticleRef] = []
        self.checked: dict[str, str] = {}
        self.failed: set[str] = (
            set()
        )  # files named already: what points into them is not named again
        self.integrity: list[str] | None = None
        self.index: list[IndexEntry | None] | None = None

    def _meanwhile(self) -> None:
        # While other processes inflate a file: the reads that need no file, done once.
        if self.integrity is None:
            self.integrity = [row[0] for row in self.connection.execute("pragma integrity_check")]
        if self.index is None:
            self.index = _read_index(self.warc_dir)

    def run(self, since_days: float | None) -> Audit:
        # What the archive says, as of one moment (one read transaction, ended before the
        # long read of the files: a crawl's checkpoints are not held back meanwhile). Read
        # before the folder is listed: a row is written after its record is in the file, and
        # a file is renamed, never removed, so every file a row names is then on disk.
        self.connection.execute("begin")
        try:
            refs = row_refs(self.connection)
            self.articles = list(article_refs(self.connection))
            baselines = fixity.file_baselines(self.connection)
            self.checked = fixity.last_checked(self.connection)
            runs = {row[0] for row in self.connection.execute("select run_id from crawl_runs")}
        finally:
            self.connection.rollback()
        # The files being written first: one finished between the two listings is in both.
        in_progress = {
            path.name.removesuffix(".open") for path in self.warc_dir.glob("*" + OPEN_SUFFIX)
        }
        on_disk = {path.name: path for path in self.warc_dir.glob("*" + WARC_SUFFIX)}
        named = {ref.filename for ref in refs} | set(baselines)
        for name in sorted(named - set(on_disk) - in_progress):
            pointing = sum(1 for ref in refs if ref.filename == name)
            self._event("file", name, False, f"missing: {pointing} rows point into it")
        chosen = self._chosen(sorted(on_disk), since_days)
        wanted: dict[str, set[int]] = {}
        starts: dict[str, set[int]] = {}  # where the rows say members start: where to cut a file
        for ref in refs:
            starts.setdefault(ref.filename, set()).add(ref.offset)
            if ref.payload_sha256:
                wanted.setdefault(ref.filename, set()).add(ref.offset)
        workers = _idle_cores()
        scans: dict[str, FileScan] = {}
        for name in chosen:
            scan = scans[name] = scan_file(
                on_disk[name], wanted.get(name, ()), starts.get(name, ()), workers, self._meanwhile
            )
            self.result.files += 1
            self.result.records += len(scan.records)
            self.result.bytes_read += scan.size
            self._file_event(name, scan, baselines.get(name), runs, refs)
        self._check_rows(refs, scans, set(chosen))
        self._check_index(scans)
        self._check_database()
        return self.result

    def _chosen(self, names: list[str], since_days: float | None) -> list[str]:
        if since_days is None:
            return names
        cutoff = (datetime.now(timezone.utc) - timedelta(days=since_days)).isoformat(
            timespec="seconds"
        )
        chosen = [name for name in names if self.checked.get(name, "") <= cutoff]
        self.result.skipped_files = len(names) - len(chosen)
        return chosen

    def _file_event(
        self,
        name: str,
        scan: FileScan,
        baseline: dict[str, Any] | None,
        runs: set[str],
        refs: list[Ref],
    ) -> None:
        problems = list(scan.problems)
        digest = f"sha256:{scan.sha256}"
        if baseline and baseline["digest"] and baseline["digest"] != digest:
            problems.append(
                f"its sha256 differs from its {baseline['event_type']} on {baseline['event_date']}"
                f" ({scan.size} bytes now)"
            )
        if baseline is None and scan.warcinfo.get("run-id") not in runs:
            problems.append("added outside a crawl: no capture, and its warcinfo names no run")
        if problems:
            self.failed.add(name)
            pointing = sum(1 for ref in refs if ref.filename == name)
            also = f"; {pointing} rows point into it" if pointing else ""
            self._event("file", name, False, "; ".join(problems) + also, digest)
        else:
            self._event(
                "file",
                name,
                True,
                f"{len(scan.records)} records, gzip members and digests hold; {scan.size} bytes",
                digest,
            )

    def _check_rows(self, refs: list[Ref], scans: dict[str, FileScan], chosen: set[str]) -> None:
        fetch_sha256: dict[str, tuple[str | None, str]] = {}
        for ref in refs:
            if ref.table == "fetches" and ref.record_id:
                fetch_sha256[ref.record_id] = (ref.payload_sha256, ref.filename)
            if ref.filename not in chosen:
                continue
            self.result.rows[ref.table] += 1
            scan = scans[ref.filename]
            if ref.filename in self.failed:
                continue  # counted in its file's failed event
            problem = _row_problem(ref, scan)
            if problem:
                self._event("row", ref.name, False, f"{ref.url}: {problem}", version=None)
        for article in self.articles:
            cited = fetch_sha256.get(article.record_id)
            if cited is None:
                problem = f"cites WARC record {article.record_id}, which no fetches row holds"
            elif cited[1] not in chosen:
                continue
            elif article.payload_sha256 and cited[0] and article.payload_sha256 != cited[0]:
                problem = (
                    f"payload sha256 {article.payload_sha256} differs from its fetch's {cited[0]}"
                )
            else:
                self.result.rows[article.table] += 1
                continue
            self.result.rows[article.table] += 1
            self._event("article", article.url, False, problem, version=article.version)

    def _check_index(self, scans: dict[str, FileScan]) -> None:
        entries = self.index if self.index is not None else _read_index(self.warc_dir)
        problems = _index_problems(entries, scans, self.failed)
        if problems:
            # The file finished between the listing and the index's merge: read it once more.
            time.sleep(1)
            problems = _index_problems(_read_index(self.warc_dir), scans, self.failed)
        if problems:
            shown = "; ".join(problems[:5]) + (
                f"; and {len(problems) - 5} more" if len(problems) > 5 else ""
            )
            self._event("index", INDEX_NAME, False, shown)
        else:
            lines = sum(len(scan.records) for scan in scans.values())
            self._event(
                "index",
                INDEX_NAME,
                True,
                f"agrees with the {len(scans)} files checked ({lines} records)",
            )

    def _check_database(self) -> None:
        answer = self.integrity
        if answer is None:
            answer = [row[0] for row in self.connection.execute("pragma integrity_check")]
        ok = answer == ["ok"]
        rows = ", ".join(f"{count} {table}" for table, count in sorted(self.result.rows.items()))
        detail = "integrity_check ok" if ok else "integrity_check: " + "; ".join(answer[:5])
        self._event("database", self.db_path.name, ok, f"{detail}; rows checked: {rows or 'none'}")

    def _event(
        self,
        object_type: str,
        name: str,
        ok: bool,
        detail: str,
        digest: str | None = None,
        version: int | None = None,
    ) -> None:
        self.result.events.append(
            fixity.FixityEvent(
                object_type,
                name,
                fixity.FIXITY_CHECK,
                self.now,
                fixity.SUCCESS if ok else fixity.FAILURE,
                detail,
                self.agent,
                digest=digest,
                version=version,
            )
        )


def _idle_cores() -> int:
    """Return how many processes may read a file's slices: the cores, unless all are busy; else 1.

    On a busy machine the slices' processes only add their cost (forks, results sent back):
    benchmarks/verify.py on 2 cores at load 4.4, 6.0 s wall against 5.2 s in one process; at
    load 1.3 to 1.9, 4.3 s against 5.5 s.
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    busy = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    return cores if busy < cores else 1


def _row_problem(ref: Ref, scan: FileScan) -> str | None:
    """Return what is wrong with the row REF given its file's SCAN, or None."""
    seen = scan.records.get(ref.offset)
    where = f"{ref.filename} at offset {ref.offset}"
    if seen is None:
        return f"no record starts at {where}"
    if ref.record_id and seen.record_id != ref.record_id:
        return f"the record at {where} is {seen.record_id}, not {ref.record_id}"
    if ref.length is not None and seen.length != ref.length:
        return f"the record at {where} is {seen.length} bytes long, not {ref.length}"
    if ref.payload_digest and seen.payload_digest != ref.payload_digest:
        return f"the record at {where} has payload digest {seen.payload_digest}, the row {ref.payload_digest}"
    if ref.payload_sha256 and seen.payload_sha256 and seen.payload_sha256 != ref.payload_sha256:
        return (
            f"the payload at {where} has sha256 {seen.payload_sha256}, the row {ref.payload_sha256}"
        )
    return None


def _read_index(warc_dir: Path) -> list[IndexEntry | None]:
    """Return the entries of WARC_DIR's index, None for a line that is none (read only)."""
    path = warc_dir / INDEX_NAME
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines() if path.exists() else []
    return [parse_index_line(line) for line in lines]


def _index_problems(
    entries: list[IndexEntry | None], scans: dict[str, FileScan], failed: set[str]
) -> list[str]:
    """Return how the index's ENTRIES disagree with the files of SCANS but the FAILED ones."""
    problems = []
    indexed: set[tuple[str, int]] = set()
    for number, entry in enumerate(entries, 1):
        if entry is None:
            problems.append(f"line {number} is no CDXJ line")
            continue
        scan = scans.get(entry.filename)
        if scan is None or entry.filename in failed:
            continue  # a file not checked now, or named already
        indexed.add((entry.filename, entry.offset))
        seen = scan.records.get(entry.offset)
        if seen is None or seen.length != entry.length or seen.url != entry.url:
            problems.append(f"{entry.filename} at {entry.offset}: no record of {entry.url} there")
    for name, scan in scans.items():
        if name in failed:
            continue
        for seen in _replayable(scan):
            if (name, seen.offset) not in indexed:
                problems.append(f"{name} at {seen.offset}: record {seen.record_id} is not indexed")
    return problems


def _replayable(scan: FileScan) -> Iterator[Any]:
    """Yield the records of SCAN the index holds: responses and revisits, but a 304 written as a response."""
    for seen in scan.records.values():
        if seen.record_type == "revisit" or (seen.record_type == "response" and seen.status != 304):
            yield seen
