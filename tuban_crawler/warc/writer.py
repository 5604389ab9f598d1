"""Write request/response pairs into rotating WARC/1.1 files, indexed once finished.

Owns :class:`WarcWriter` (one file at a time, ``.open`` until finished, revisit records
for unchanged payloads and for ``304 Not Modified``) and :class:`CaptureRef`: which file a
record goes to, where, and which earlier record a revisit refers to. The records themselves
are made by :mod:`.records`, the HTTP messages inside them by :mod:`.messages`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import hashlib
import io
import logging
import os
import re
import socket
import tempfile
import zlib
from datetime import datetime, timezone
from pathlib import Path
from typing import IO

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeadersParser
from warcio.warcwriter import WARCWriter

from tuban_crawler import settings as defaults
from tuban_crawler.warc.index import (
    OPEN_SUFFIX,
    WARC_SUFFIX,
    IndexEntry,
    add_to_index,
    fsync_directory,
    index_line,
    merge_into_index,
    refresh_index,
)
from tuban_crawler.warc.messages import Headers, payload_digest, warc_date
from tuban_crawler.warc.records import (
    CaptureRef,
    FinishedFile,
    Original,
    Response,
    request_record,
    response_record,
    warcinfo_record,
)
from tuban_crawler.warc.repair import Repair, repair_directory

logger = logging.getLogger(__name__)

LOCK_NAME = ".lock"
#: zlib's default: level 9 made the portal's pages no smaller (2,298 bytes either way).
COMPRESSION_LEVEL = 6
GZIP_WBITS = 16 + zlib.MAX_WBITS  # a gzip member, as .warc.gz files are made of


class WarcWriter:
    """Write request/response pairs of one run into rotating WARC/1.1 files."""

    def __init__(
        self,
        directory: Path,
        run_id: str,
        software: str,
        user_agent: str,
        robots_policy: str,
        max_file_bytes: int = defaults.WARC_MAX_FILE_BYTES,
        extra_info: dict[str, str] | None = None,
        prefix: str = "tuban",
    ) -> None:
        self.directory = Path(directory)
        self.run_id = run_id
        self.software = software
        self.user_agent = user_agent
        self.robots_policy = robots_policy
        self.max_file_bytes = max_file_bytes
        self.extra_info = dict(extra_info or {})
        self.prefix = prefix
        self.hostname = socket.gethostname()
        self._fh: IO[bytes] | None = None
        self._writer: WARCWriter | None = (
            None  # makes records, and writes each, uncompressed, into _record
        )
        self._record = io.BytesIO()
        # The CDXJ lines of the file being written, on disk (a nameless temporary file beside
        # it): a backfill's file has tens of thousands (issue 10).
        self._index: IO[str] | None = None
        self._open = False
        self._lock: IO[str] | None = None
        self._open_path: Path | None = None
        self._warcinfo_id = ""
        self._serial = 0
        self._records_in_file = 0
        self._latest: dict[str, Original] = {}
        self._by_digest: dict[str, Original] = {}  # the same payload at another URL
        self.finished_files: list[Path] = []  # this writer's, in order
        self.finished: list[FinishedFile] = []  # the same, with their digests
        self.repairs: list[Repair] = []  # what open() repaired
        self._file_hash = hashlib.sha256()  # of the file being written, as written

    def __enter__(self) -> WarcWriter:
        self.open()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def filename(self) -> str:
        """Return the final name of the file being written."""
        if self._open_path is None:
            raise RuntimeError("WarcWriter is not open")
        return self._open_path.name.removesuffix(".open")

    def open(self) -> None:
        """Repair what a killed run left, load the last digests, start a new file."""
        self.directory.mkdir(parents=True, exist_ok=True)
        self._lock = open(self.directory / LOCK_NAME, "a", encoding="utf-8")
        try:
            # Repair must never cut a file another live crawl is writing. The kernel
            # drops the lock when its holder dies, even by SIGKILL: no stale lock.
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock.close()
            self._lock = None
            raise RuntimeError(f"another crawl is writing WARC files in {self.directory}") from None
        repairs = self.repairs = repair_directory(self.directory)
        for repair in repairs:
            logger.warning(
                "Repaired unfinished WARC %s: kept %d records, discarded %d bytes",
                repair.filename,
                repair.kept_records,
                repair.discarded_bytes,
            )
        # A repaired file is indexed afresh, whatever an index copied from elsewhere says.
        add_to_index(
            self.directory, [self.directory / r.filename for r in repairs if r.kept_records]
        )
        entries = refresh_index(self.directory)
        self._latest = _latest_originals(entries)
        ok = _latest_originals([entry for entry in entries if entry.status == 200])
        self._by_digest = {original.digest: original for original in ok.values()}
        self._open = True
        self._start_file()

    def close(self) -> None:
        """Finish the current file (rename it to ``.warc.gz``, index it)."""
        self._finish_file()
        self._open = False
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def write_exchange(
        self,
        url: str,
        method: str,
        request_headers: Headers,
        status: int,
        reason: str,
        response_headers: Headers,
        body: bytes,
        fetched_at: datetime,
        protocol: str = "HTTP/1.1",
        *,
        request_body: bytes = b"",
        ip_address: str | None = None,
        content_decoded: bool = False,
        truncated: str | None = None,
    ) -> CaptureRef:
        """Return where the response (or revisit) record of this fetch was written.

        url, method, request_headers, request_body: the request as sent.
        status, reason, response_headers, body, protocol: the response; body exactly
        as it should be archived (ideally as received, still content-encoded).
        fetched_at: when the fetch began (timezone-aware).
        content_decoded: True when body was already content-decoded by the client.
        truncated: the WARC-Truncated reason when body is incomplete ("length", ...).
        """
        if not self._open:
            raise RuntimeError("WarcWriter.open() must be called before write_exchange()")
        if self._fh is None:  # the last file was abandoned after a failed write
            self._start_file()
        elif self._records_in_file and self._fh.tell() >= self.max_file_bytes:
            self._finish_file()
            self._start_file()
        assert self._writer is not None and self._fh is not None
        writer, fh = self._writer, self._fh
        digest = payload_digest(body)
        response_id = StatusAndHeadersParser.make_warc_id()
        common = {"WARC-Date": warc_date(fetched_at), "WARC-Warcinfo-ID": self._warcinfo_id}
        if ip_address:
            common["WARC-IP-Address"] = ip_address
        previous = self._revisited(url, status, body, digest, truncated)
        response = Response(
            status, reason, response_headers, body, protocol, content_decoded, truncated
        )
        record = response_record(
            writer,
            url,
            method,
            response,
            record_id=response_id,
            digest=digest,
            common=common,
            previous=previous,
        )
        record_type = "response" if previous is None else "revisit"
        digest = digest if previous is None else previous.digest
        request = request_record(
            writer,
            url,
            method,
            request_headers,
            request_body,
            concurrent_to=response_id,
            common=common,
        )
        offset = fh.tell()
        try:
            length = self._write_member(record)
            self._write_member(request)
            fh.flush()
            assert self._index is not None
            if (
                record_type != "response" or status != 304
            ):  # a 304 with no original holds no page to replay
                self._index.write(index_line(record, self.filename, offset, length))
        except BaseException:
            self._abandon_file()
            raise
        self._records_in_file += 2
        if record_type == "response" and status != 304:
            # Its date and record id are read back from the record if a revisit needs them.
            self._latest[url] = Original(url, digest, self.filename, offset)
            if body and status == 200:
                self._by_digest[digest] = self._latest[url]
        sha256 = hashlib.sha256(body).hexdigest() if status != 304 else None
        return CaptureRef(self.filename, response_id, offset, length, digest, record_type, sha256)

    def _start_file(self) -> None:
        # PREFIX-TIMESTAMP-SERIAL-HOST, as Heritrix and Browsertrix name their files.
        host = re.sub(r"[^A-Za-z0-9.-]+", "-", self.hostname) or "localhost"
        while True:
            stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S%f")[:17]
            name = f"{self.prefix}-{stamp}-{self._serial:05d}-{host}"
            final_path = self.directory / (name + WARC_SUFFIX)
            open_path = self.directory / (name + OPEN_SUFFIX)
            self._serial += 1
            # A restarted run may reuse its RUN_ID: never overwrite an earlier file.
            if not final_path.exists() and not open_path.exists():
                break
        self._fh = open(open_path, "xb")
        self._open_path = open_path
        self._records_in_file = 0
        self._file_hash = hashlib.sha256()
        self._index = tempfile.TemporaryFile("w+", encoding="utf-8", dir=self.directory)
        self._writer = WARCWriter(self._record, gzip=False, warc_version="1.1")
        record = warcinfo_record(
            self._writer,
            final_path.name,
            self.software,
            self.hostname,
            {
                "http-header-user-agent": self.user_agent,
                "robots": self.robots_policy,
                "run-id": self.run_id,
            },
            self.extra_info,
        )
        self._warcinfo_id = record.rec_headers.get_header("WARC-Record-ID")
        self._write_member(record)
        self._fh.flush()
        logger.info("Writing WARC %s", final_path)

    def _finish_file(self) -> None:
        if self._fh is None or self._open_path is None:
            return
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
        final_path = self._open_path.with_name(self.filename)
        os.replace(self._open_path, final_path)
        fsync_directory(self.directory)
        self._fh = self._writer = self._open_path = None
        # Indexed once finished: a kill before this line only means the next open()
        # indexes the file (refresh_index, by cdxj-indexer), and no index line ever points
        # past a cut. The lines are the ones made as each record was written (index_line).
        assert self._index is not None
        merge_into_index(self.directory, final_path, self._index)
        self._close_index()
        self.finished_files.append(final_path)
        self.finished.append(
            FinishedFile(
                final_path,
                self._file_hash.hexdigest(),
                final_path.stat().st_size,
                self._records_in_file + 1,  # with its warcinfo
            )
        )

    def _write_member(self, record: ArcWarcRecord) -> int:
        """Append RECORD to the file as one gzip member; return the member's length.

        The record is serialised whole, then compressed in one call: warcio's own gzip
        stream compresses each header line apart, at level 9, for 0.31 ms a portal page
        where this takes 0.18 ms for the same bytes (issue 10).
        """
        assert self._writer is not None and self._fh is not None
        self._record.seek(0)
        self._record.truncate()
        self._writer.write_record(record)
        # compressobj, not compress(wbits=...): that keyword is Python 3.11's, and 3.10 is supported.
        compressor = zlib.compressobj(COMPRESSION_LEVEL, zlib.DEFLATED, GZIP_WBITS)
        member = compressor.compress(self._record.getbuffer()) + compressor.flush()
        self._fh.write(member)
        # Hashed as written: the capture event's digest costs no second read (issue 23).
        self._file_hash.update(member)
        return len(member)

    def _abandon_file(self) -> None:
        # Records appended after a torn one would be cut off by the repair, so the torn
        # file is left unfinished (the next open() repairs it) and writing goes on in a
        # new file.
        logger.error("Write to %s failed; leaving it for repair", self._open_path)
        if self._fh is not None:
            with contextlib.suppress(OSError):
                self._fh.close()
        self._fh = self._writer = self._open_path = None
        self._close_index()  # the next open() indexes what the repair keeps

    def _close_index(self) -> None:
        if self._index is not None:
            with contextlib.suppress(OSError):
                self._index.close()
        self._index = None

    def _revisited(
        self, url: str, status: int, body: bytes, digest: str, truncated: str | None
    ) -> Original | None:
        """Return the original a revisit record of this fetch refers to, or None for a response record."""
        previous = self._latest.get(url)
        if previous is None and body and status == 200 and truncated is None:
            # The same photo or stylesheet under another URL is stored once (Heritrix's
            # and Browsertrix's de-duplication by payload digest).
            previous = self._by_digest.get(digest)
        if previous is None:
            return None
        if status == 304 or (previous.digest == digest and truncated is None):
            return self._resolved(previous)
        return None

    def _resolved(self, original: Original) -> Original:
        """Return ORIGINAL with its record id and date, read from its record if not known."""
        if original.record_id is not None:
            return original
        path = self.directory / original.filename
        if self._open_path is not None and original.filename == self.filename:
            path = self._open_path  # the file being written is still under its .open name
        with open(path, "rb") as fh:
            fh.seek(original.offset)
            headers = next(iter(ArchiveIterator(fh))).rec_headers
        resolved = dataclasses.replace(
            original,
            date=headers.get_header("WARC-Date"),
            record_id=headers.get_header("WARC-Record-ID"),
        )
        self._latest[original.url] = resolved
        if self._by_digest.get(original.digest) is original:
            self._by_digest[original.digest] = resolved
        return resolved


def _latest_originals(entries: list[IndexEntry]) -> dict[str, Original]:
    """Return the last full response of each URL among the index ENTRIES."""
    latest: dict[str, tuple[tuple[str, str, int], Original]] = {}
    for entry in entries:
        if entry.is_revisit or entry.digest is None:
            continue
        order = (entry.timestamp, entry.filename, entry.offset)
        known = latest.get(entry.url)
        if known is None or order >= known[0]:
            latest[entry.url] = (
                order,
                Original(entry.url, entry.digest, entry.filename, entry.offset),
            )
    return {url: original for url, (_, original) in latest.items()}
