"""Write request/response pairs into rotating WARC/1.1 files, indexed once finished.

Owns :class:`WarcWriter` (one file at a time, ``.open`` until finished, revisit records
for unchanged payloads and for ``304 Not Modified``) and :class:`CaptureRef`; the HTTP
messages inside the records are made by :mod:`.messages`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import io
import logging
import os
import re
import socket
import tempfile
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path
from typing import IO

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser
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
from tuban_crawler.warc.messages import (
    Headers,
    consistent_headers,
    payload_digest,
    request_target,
    sent_headers,
    warc_date,
)
from tuban_crawler.warc.repair import repair_directory

logger = logging.getLogger(__name__)

LOCK_NAME = ".lock"
#: zlib's default: level 9 made the portal's pages no smaller (2,298 bytes either way).
COMPRESSION_LEVEL = 6
GZIP_WBITS = 16 + zlib.MAX_WBITS  # a gzip member, as .warc.gz files are made of

_CONFORMS_TO = "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"
# pywb replays this profile with the referred record's status, headers and payload when
# the revisit carries no HTTP block; one holding the 304 would replay as an empty 304.
NOT_MODIFIED_PROFILE = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"


@dataclass(frozen=True)
class CaptureRef:
    """Where one fetch was archived: what the archive stores beside an article."""

    filename: str
    record_id: str
    offset: int
    length: int
    payload_digest: str
    record_type: str


@dataclass(frozen=True, slots=True)  # one per URL of the archive's history: kept small
class _Original:
    """The last full response of a URL, which a revisit record points to."""

    url: str
    digest: str
    filename: str
    offset: int
    date: str | None = None  # read from the record when first needed
    record_id: str | None = None


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
        self._latest: dict[str, _Original] = {}
        self._by_digest: dict[str, _Original] = {}  # the same payload at another URL
        self.finished_files: list[Path] = []  # this writer's, in order

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
        repairs = repair_directory(self.directory)
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
        date = warc_date(fetched_at)
        digest = payload_digest(body)
        # HTTP/2 responses are written as HTTP/1.1 messages, as Browsertrix does: a WARC
        # response record holds an HTTP/1.x message.
        http_protocol = protocol if protocol.startswith("HTTP/1.") else "HTTP/1.1"
        status_line = f"{status} {reason}" if reason else str(status)
        http_response = StatusAndHeaders(
            status_line,
            consistent_headers(response_headers, len(body), method, status, content_decoded),
            protocol=http_protocol,
        )
        response_id = StatusAndHeadersParser.make_warc_id()
        common = {"WARC-Date": date, "WARC-Warcinfo-ID": self._warcinfo_id}
        if ip_address:
            common["WARC-IP-Address"] = ip_address
        previous = self._latest.get(url)
        if previous is None and body and status == 200 and truncated is None:
            # The same photo or stylesheet under another URL is stored once (Heritrix's
            # and Browsertrix's de-duplication by payload digest).
            previous = self._by_digest.get(digest)
        if previous is not None and status == 304:
            previous = self._resolved(previous)
            record_type, digest = "revisit", previous.digest
            record = writer.create_warc_record(
                url,
                "revisit",
                payload=io.BytesIO(b""),
                length=0,
                warc_headers_dict={
                    "WARC-Type": "revisit",
                    "WARC-Record-ID": response_id,
                    "WARC-Target-URI": url,
                    **common,
                    "WARC-Profile": NOT_MODIFIED_PROFILE,
                    "WARC-Refers-To": previous.record_id,
                    "WARC-Refers-To-Target-URI": previous.url,
                    "WARC-Refers-To-Date": previous.date,
                    "WARC-Payload-Digest": previous.digest,
                },
            )
        elif previous is not None and previous.digest == digest and truncated is None:
            previous = self._resolved(previous)
            record_type = "revisit"
            record = writer.create_revisit_record(
                url,
                digest,
                previous.url,
                previous.date,
                http_headers=http_response,
                warc_headers_dict={
                    "WARC-Type": "revisit",
                    "WARC-Record-ID": response_id,
                    "WARC-Target-URI": url,
                    **common,
                    "WARC-Refers-To": previous.record_id,
                },
            )
        else:
            record_type = "response"
            warc_headers = {
                "WARC-Type": "response",
                "WARC-Record-ID": response_id,
                "WARC-Target-URI": url,
                **common,
                "WARC-Payload-Digest": digest,
            }
            if truncated:
                warc_headers["WARC-Truncated"] = truncated
            record = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                length=len(body),
                http_headers=http_response,
                warc_headers_dict=warc_headers,
            )
        request = writer.create_warc_record(
            url,
            "request",
            payload=io.BytesIO(request_body),
            length=len(request_body),
            http_headers=StatusAndHeaders(
                # Scrapy's clients send HTTP/1.1 requests whatever version answers.
                f"{method} {request_target(url)} HTTP/1.1",
                sent_headers(url, request_headers),
                is_http_request=True,
            ),
            warc_headers_dict={
                "WARC-Type": "request",
                "WARC-Record-ID": StatusAndHeadersParser.make_warc_id(),
                "WARC-Target-URI": url,
                **common,
                "WARC-Concurrent-To": response_id,
            },
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
            self._latest[url] = _Original(url, digest, self.filename, offset)
            if body and status == 200:
                self._by_digest[digest] = self._latest[url]
        return CaptureRef(self.filename, response_id, offset, length, digest, record_type)

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
        self._index = tempfile.TemporaryFile("w+", encoding="utf-8", dir=self.directory)
        self._writer = WARCWriter(self._record, gzip=False, warc_version="1.1")
        info = {
            "software": f"{self.software} (warcio/{version('warcio')})",
            "format": "WARC File Format 1.1",
            "conformsTo": _CONFORMS_TO,
            "hostname": self.hostname,
            **({"ip": ip} if (ip := _host_address(self.hostname)) else {}),
            "http-header-user-agent": self.user_agent,
            "robots": self.robots_policy,
            "run-id": self.run_id,
            **{name: value for name, value in self.extra_info.items() if value},
        }
        record = self._writer.create_warcinfo_record(final_path.name, info)
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
        member = zlib.compress(self._record.getbuffer(), COMPRESSION_LEVEL, wbits=GZIP_WBITS)
        self._fh.write(member)
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

    def _resolved(self, original: _Original) -> _Original:
        """Return ORIGINAL with its record id and date, read from its record if not known."""
        if original.record_id is not None:
            return original
        # The file being written is still under its .open name.
        writing = self._open_path is not None and original.filename == self.filename
        with open(self._open_path if writing else self.directory / original.filename, "rb") as fh:
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


def _latest_originals(entries: list[IndexEntry]) -> dict[str, _Original]:
    """Return the last full response of each URL among the index ENTRIES."""
    latest: dict[str, tuple[tuple[str, str, int], _Original]] = {}
    for entry in entries:
        if entry.is_revisit or entry.digest is None:
            continue
        order = (entry.timestamp, entry.filename, entry.offset)
        known = latest.get(entry.url)
        if known is None or order >= known[0]:
            latest[entry.url] = (
                order,
                _Original(entry.url, entry.digest, entry.filename, entry.offset),
            )
    return {url: original for url, (_, original) in latest.items()}


def _host_address(hostname: str) -> str | None:
    """Return the address HOSTNAME resolves to here, or None (warcinfo's ``ip``)."""
    try:
        return socket.gethostbyname(hostname)
    except OSError:
        return None
