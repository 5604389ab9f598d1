"""Write, repair and read the crawl's gzip-compressed WARC files (warcio, no Scrapy).

Layout of the WARC directory:

- ``tuban-<run id>-<serial>.warc.gz``: finished files, one gzip member per record;
- ``*.warc.gz.open``: the file being written; one left behind means a run was killed,
  and :func:`repair_directory` (called by :meth:`WarcWriter.open`) finishes it;
- ``index.cdxj``: append-only JSON lines, one per response/revisit record, so that the
  next run knows the last payload digest of each URL. It is a cache: the WARC files
  alone are enough to read everything back (:func:`iter_captures`, :func:`reconstruct`).
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import hashlib
import io
import json
import logging
import os
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path
from types import SimpleNamespace
from typing import IO, Any
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.checker import Checker
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser
from warcio.timeutils import iso_date_to_datetime
from warcio.warcwriter import WARCWriter

logger = logging.getLogger(__name__)

WARC_SUFFIX = ".warc.gz"
OPEN_SUFFIX = ".warc.gz.open"
INDEX_NAME = "index.cdxj"
LOCK_NAME = ".lock"
# Headers we cannot keep as the server sent them are renamed, not dropped, so the record
# still says what the server claimed (the prefix is the Wayback/pywb convention).
ORIGINAL_HEADER_PREFIX = "X-Archive-Orig-"

_CONFORMS_TO = "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"
_CHUNK = 64 * 1024

Headers = Iterable[tuple[str, str]]


@dataclass(frozen=True)
class CaptureRef:
    """Where one fetch was archived: what the archive stores beside an article."""

    filename: str
    record_id: str
    offset: int
    length: int
    payload_digest: str
    record_type: str


@dataclass(frozen=True)
class Capture:
    """One response or revisit record, as read back from a WARC file."""

    url: str
    date: datetime
    record_type: str
    record_id: str
    filename: str
    offset: int
    length: int
    status: int | None
    payload_digest: str | None
    refers_to: str | None
    refers_to_uri: str | None


@dataclass(frozen=True)
class ReconstructedResponse:
    """The latest capture of a URL rebuilt from the WARC files."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes
    url: str
    date: datetime
    record_id: str
    payload_record_id: str


@dataclass(frozen=True)
class Repair:
    """What repairing one unfinished file did."""

    filename: str
    kept_records: int
    discarded_bytes: int


@dataclass(frozen=True)
class _Original:
    """The last full response of a URL, which a revisit record points to."""

    url: str
    date: str
    record_id: str
    digest: str


class WarcWriter:
    """Write request/response pairs of one run into rotating WARC/1.1 files."""

    def __init__(
        self,
        directory: Path,
        run_id: str,
        software: str,
        user_agent: str,
        robots_policy: str,
        max_file_bytes: int = 1_000_000_000,
        extra_info: dict[str, str] | None = None,
    ) -> None:
        self.directory = Path(directory)
        self.run_id = run_id
        self.software = software
        self.user_agent = user_agent
        self.robots_policy = robots_policy
        self.max_file_bytes = max_file_bytes
        self.extra_info = dict(extra_info or {})
        self._fh: IO[bytes] | None = None
        self._writer: WARCWriter | None = None
        self._index: IO[str] | None = None
        self._lock: IO[str] | None = None
        self._open_path: Path | None = None
        self._warcinfo_id = ""
        self._serial = 0
        self._records_in_file = 0
        self._latest: dict[str, _Original] = {}

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
            raise RuntimeError(
                f"another crawl is writing WARC files in {self.directory}"
            ) from None
        for repair in repair_directory(self.directory):
            logger.warning(
                "Repaired unfinished WARC %s: kept %d records, discarded %d bytes",
                repair.filename, repair.kept_records, repair.discarded_bytes,
            )
        self._latest = _latest_originals(self.directory)
        self._index = open(self.directory / INDEX_NAME, "a", encoding="utf-8")
        self._start_file()

    def close(self) -> None:
        """Finish the current file (rename it to ``.warc.gz``) and the index."""
        self._finish_file()
        if self._index is not None:
            self._index.close()
            self._index = None
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
        if self._index is None:
            raise RuntimeError("WarcWriter.open() must be called before write_exchange()")
        if self._fh is None:  # the last file was abandoned after a failed write
            self._start_file()
        elif self._records_in_file and self._fh.tell() >= self.max_file_bytes:
            self._finish_file()
            self._start_file()
        assert self._writer is not None and self._fh is not None
        writer, fh = self._writer, self._fh
        date = _warc_date(fetched_at)
        digest = payload_digest(body)
        # HTTP/2 responses are written as HTTP/1.1 messages, as Browsertrix does: a WARC
        # response record holds an HTTP/1.x message.
        http_protocol = protocol if protocol.startswith("HTTP/1.") else "HTTP/1.1"
        status_line = f"{status} {reason}" if reason else str(status)
        http_response = StatusAndHeaders(
            status_line,
            _consistent_headers(response_headers, len(body), method, status, content_decoded),
            protocol=http_protocol,
        )
        response_id = StatusAndHeadersParser.make_warc_id()
        common = {"WARC-Date": date, "WARC-Warcinfo-ID": self._warcinfo_id}
        if ip_address:
            common["WARC-IP-Address"] = ip_address
        previous = self._latest.get(url)
        if previous is not None and previous.digest == digest and truncated is None:
            record_type = "revisit"
            record = writer.create_revisit_record(
                url, digest, previous.url, previous.date,
                http_headers=http_response,
                warc_headers_dict={
                    "WARC-Type": "revisit", "WARC-Record-ID": response_id,
                    "WARC-Target-URI": url, **common, "WARC-Refers-To": previous.record_id,
                },
            )
        else:
            record_type = "response"
            warc_headers = {
                "WARC-Type": "response", "WARC-Record-ID": response_id,
                "WARC-Target-URI": url, **common, "WARC-Payload-Digest": digest,
            }
            if truncated:
                warc_headers["WARC-Truncated"] = truncated
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), length=len(body),
                http_headers=http_response, warc_headers_dict=warc_headers,
            )
        request = writer.create_warc_record(
            url, "request", payload=io.BytesIO(request_body), length=len(request_body),
            http_headers=StatusAndHeaders(
                # Scrapy's clients send HTTP/1.1 requests whatever version answers.
                f"{method} {_request_target(url)} HTTP/1.1",
                _request_headers(url, request_headers),
                is_http_request=True,
            ),
            warc_headers_dict={
                "WARC-Type": "request", "WARC-Record-ID": StatusAndHeadersParser.make_warc_id(),
                "WARC-Target-URI": url, **common, "WARC-Concurrent-To": response_id,
            },
        )
        offset = fh.tell()
        try:
            writer.write_record(record)
            length = fh.tell() - offset
            writer.write_record(request)
            fh.flush()
        except BaseException:
            self._abandon_file()
            raise
        self._records_in_file += 2
        entry = _index_entry(record, self.filename, offset, length)
        self._append_index(entry)
        if record_type == "response":
            self._latest[url] = _Original(url, date, response_id, digest)
        return CaptureRef(self.filename, response_id, offset, length, digest, record_type)

    def _start_file(self) -> None:
        while True:
            name = f"tuban-{self.run_id}-{self._serial:05d}"
            final_path = self.directory / (name + WARC_SUFFIX)
            open_path = self.directory / (name + OPEN_SUFFIX)
            self._serial += 1
            # A restarted run may reuse its RUN_ID: never overwrite an earlier file.
            if not final_path.exists() and not open_path.exists():
                break
        self._fh = open(open_path, "xb")
        self._open_path = open_path
        self._records_in_file = 0
        self._writer = WARCWriter(self._fh, gzip=True, warc_version="1.1")
        info = {
            "software": f"{self.software} (warcio/{version('warcio')})",
            "format": "WARC File Format 1.1",
            "conformsTo": _CONFORMS_TO,
            "http-header-user-agent": self.user_agent,
            "robots": self.robots_policy,
            "run-id": self.run_id,
            **self.extra_info,
        }
        record = self._writer.create_warcinfo_record(final_path.name, info)
        self._warcinfo_id = record.rec_headers.get_header("WARC-Record-ID")
        self._writer.write_record(record)
        self._fh.flush()
        logger.info("Writing WARC %s", final_path)

    def _finish_file(self) -> None:
        if self._fh is None or self._open_path is None:
            return
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
        os.replace(self._open_path, self._open_path.with_name(self.filename))
        _fsync_directory(self.directory)
        self._fh = self._writer = self._open_path = None

    def _abandon_file(self) -> None:
        # Records appended after a torn one would be cut off by the repair, so the torn
        # file is left unfinished (the next open() repairs it) and writing goes on in a
        # new file.
        logger.error("Write to %s failed; leaving it for repair", self._open_path)
        if self._fh is not None:
            with contextlib.suppress(OSError):
                self._fh.close()
        self._fh = self._writer = self._open_path = None

    def _append_index(self, entry: dict[str, Any]) -> None:
        assert self._index is not None
        self._index.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self._index.flush()


def payload_digest(body: bytes) -> str:
    """Return the WARC payload digest of BODY (``sha1:`` + base32, as warcio writes it).

    >>> payload_digest(b"")
    'sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ'
    """
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def repair_directory(directory: Path) -> list[Repair]:
    """Return the repairs made to the unfinished (``.open``) WARC files in DIRECTORY.

    Call it only while no crawl writes there (WarcWriter.open() holds the lock).

    Each is cut after its last complete gzip member whose record parses with valid
    digests (a kill leaves at most one partial record at the end), then renamed to
    ``.warc.gz``; a file without any complete record is removed. The index lines of
    those files are rebuilt from the records kept, and a torn last index line dropped.
    """
    directory = Path(directory)
    unfinished = sorted(directory.glob("*" + OPEN_SUFFIX))
    index_path = directory / INDEX_NAME
    entries, index_damaged = _read_index(index_path)
    if not unfinished and not index_damaged:
        return []
    repairs: list[Repair] = []
    rebuilt: list[dict[str, Any]] = []
    for path in unfinished:
        final_name = path.name.removesuffix(".open")
        good_end, kept, file_entries = _scan_complete_records(path, final_name)
        size = path.stat().st_size
        with open(path, "r+b") as fh:
            fh.truncate(good_end)
            os.fsync(fh.fileno())
        repairs.append(Repair(final_name, kept, size - good_end))
        rebuilt.extend(file_entries)
    repaired_names = {repair.filename for repair in repairs}
    kept_entries = [entry for entry in entries if entry["filename"] not in repaired_names]
    # Replace the index atomically before renaming: a kill in between only means the
    # same (idempotent) repair runs again next time.
    temporary = index_path.with_name(INDEX_NAME + ".tmp")
    with open(temporary, "w", encoding="utf-8") as fh:
        for entry in kept_entries + rebuilt:
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(temporary, index_path)
    for path, repair in zip(unfinished, repairs):
        if repair.kept_records:
            os.replace(path, directory / repair.filename)
        else:
            path.unlink()
    _fsync_directory(directory)
    return repairs


def iter_captures(directory: Path) -> Iterator[Capture]:
    """Return an iterator over the response and revisit records of the finished WARC files.

    Reads the WARC files only (not the index), in file-name order.
    """
    for path in sorted(Path(directory).glob("*" + WARC_SUFFIX)):
        with open(path, "rb") as fh:
            iterator = ArchiveIterator(fh)
            for record in iterator:
                if record.rec_type not in ("response", "revisit"):
                    continue
                headers = record.rec_headers
                status = record.http_headers.get_statuscode() if record.http_headers else None
                yield Capture(
                    url=headers.get_header("WARC-Target-URI"),
                    date=_parse_warc_date(headers.get_header("WARC-Date")),
                    record_type=record.rec_type,
                    record_id=headers.get_header("WARC-Record-ID"),
                    filename=path.name,
                    offset=iterator.get_record_offset(),
                    length=iterator.get_record_length(),
                    status=int(status) if status and status.isdigit() else None,
                    payload_digest=headers.get_header("WARC-Payload-Digest"),
                    refers_to=headers.get_header("WARC-Refers-To"),
                    refers_to_uri=headers.get_header("WARC-Refers-To-Target-URI"),
                )


def reconstruct(directory: Path, url: str) -> ReconstructedResponse:
    """Return the latest capture of URL rebuilt from the WARC files alone.

    A revisit gives the status and headers; its body comes from the response record
    it refers to. The body is content-decoded (gzip, deflate, br) like a browser would.
    Raises KeyError when URL was never captured or the referred record is missing.
    """
    directory = Path(directory)
    captures = list(iter_captures(directory))
    of_url = [(capture.date, position, capture)
              for position, capture in enumerate(captures) if capture.url == url]
    if not of_url:
        raise KeyError(url)
    latest = max(of_url, key=lambda row: row[:2])[2]
    original = latest
    if latest.record_type == "revisit":
        original = _referred_response(captures, latest)
    with open(directory / latest.filename, "rb") as fh:
        fh.seek(latest.offset)
        record = next(iter(ArchiveIterator(fh)))
        status = int(record.http_headers.get_statuscode())
        headers = list(record.http_headers.headers)
    with open(directory / original.filename, "rb") as fh:
        fh.seek(original.offset)
        body = next(iter(ArchiveIterator(fh))).content_stream().read()
    return ReconstructedResponse(
        status, headers, body, url, latest.date, latest.record_id, original.record_id
    )


def check_directory(directory: Path) -> list[str]:
    """Return the problems warcio's checker finds in the WARC files of DIRECTORY ([] = OK).

    An unfinished ``.open`` file is a problem too: a run was killed and not restarted.
    """
    directory = Path(directory)
    problems = [
        f"{path.name}: unfinished file (WarcWriter.open() repairs it)"
        for path in sorted(directory.glob("*" + OPEN_SUFFIX))
    ]
    for path in sorted(directory.glob("*" + WARC_SUFFIX)):
        output = io.StringIO()
        checker = Checker(SimpleNamespace(inputs=[str(path)], verbose=False))
        # The checker prints its findings; warcio prints framing warnings to stderr.
        with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
            try:
                failed = checker.process_all()
            except (ArchiveLoadFailed, EOFError, OSError, ValueError, zlib.error) as exc:
                failed = True
                output.write(f"{type(exc).__name__}: {exc}")
        if failed or output.getvalue().strip():
            problems.append(f"{path.name}: {' '.join(output.getvalue().split())}")
    return problems


def _warc_date(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("fetched_at must be timezone-aware")
    # Always with microseconds, so that WARC-Date strings of one archive sort as dates.
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _parse_warc_date(text: str) -> datetime:
    return iso_date_to_datetime(text).replace(tzinfo=timezone.utc)


def _request_target(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _request_headers(url: str, headers: Headers) -> list[tuple[str, str]]:
    result = list(headers)
    # The HTTP client adds Host on the wire; the record should show what was sent.
    if not any(name.lower() == "host" for name, _ in result):
        result.insert(0, ("Host", urlsplit(url).netloc.rpartition("@")[2]))
    return result


def _consistent_headers(
    headers: Headers, body_length: int, method: str, status: int, content_decoded: bool
) -> list[tuple[str, str]]:
    # We archive the body exactly as passed and make the headers agree with it, rather
    # than re-encoding the body: re-chunking or re-compressing would invent bytes the
    # server never sent. The HTTP client always removes chunked framing, so
    # Transfer-Encoding never describes the body we get; Content-Encoding only does
    # when the body was not decoded (capture.py sits before decompression so it keeps
    # the encoded bytes); Content-Length only when it matches.
    has_body = method.upper() != "HEAD" and status not in (204, 304) and status >= 200
    result = []
    for name, value in headers:
        lower = name.lower()
        stale = (
            lower == "transfer-encoding"
            or (lower == "content-encoding" and content_decoded)
            or (lower == "content-length" and has_body and value.strip() != str(body_length))
        )
        result.append((ORIGINAL_HEADER_PREFIX + name if stale else name, value))
    return result


def _index_entry(record: ArcWarcRecord, filename: str, offset: int, length: int) -> dict[str, Any]:
    headers = record.rec_headers
    date = headers.get_header("WARC-Date")
    status = record.http_headers.get_statuscode() if record.http_headers else ""
    return {
        "url": headers.get_header("WARC-Target-URI"),
        "timestamp": iso_date_to_datetime(date).strftime("%Y%m%d%H%M%S"),
        "date": date,
        "digest": headers.get_header("WARC-Payload-Digest"),
        "filename": filename,
        "offset": offset,
        "length": length,
        "record_id": headers.get_header("WARC-Record-ID"),
        "status": int(status) if status.isdigit() else None,
        "type": record.rec_type,
        "refers_to": headers.get_header("WARC-Refers-To"),
    }


def _read_index(path: Path) -> tuple[list[dict[str, Any]], bool]:
    """Return the parsable index entries and whether any line was torn or garbled."""
    if not path.exists():
        return [], False
    entries, damaged = [], False
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                damaged = True
                continue
            if not line.endswith("\n") or not isinstance(entry, dict) or "filename" not in entry:
                damaged = True
                continue
            entries.append(entry)
    return entries, damaged


def _latest_originals(directory: Path) -> dict[str, _Original]:
    """Return the last full response of each URL whose WARC file is still present."""
    present = {path.name for path in directory.glob("*" + WARC_SUFFIX)}
    latest: dict[str, tuple[datetime, _Original]] = {}
    for entry in _read_index(directory / INDEX_NAME)[0]:
        # A revisit to a file moved away could not be resolved from this directory.
        if entry.get("type") != "response" or entry["filename"] not in present:
            continue
        moment = _parse_warc_date(entry["date"])
        known = latest.get(entry["url"])
        if known is None or moment >= known[0]:
            latest[entry["url"]] = (
                moment, _Original(entry["url"], entry["date"], entry["record_id"], entry["digest"])
            )
    return {url: original for url, (_, original) in latest.items()}


def _gzip_members(fh: IO[bytes]) -> Iterator[tuple[int, int, IO[bytes]]]:
    """Return an iterator of (start, end, decompressed data) for each complete gzip member.

    Stops at the first member that is cut short or corrupt: zlib checks each member's
    CRC-32 and length, so a member that ends is exactly what the writer compressed.
    """
    start = consumed = 0
    pending = b""
    decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
    output = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    while True:
        if not pending:
            pending = fh.read(_CHUNK)
            if not pending:
                output.close()
                return
        try:
            output.write(decompressor.decompress(pending))
        except zlib.error:
            output.close()
            return
        if decompressor.eof:
            end = consumed + len(pending) - len(decompressor.unused_data)
            output.seek(0)
            yield start, end, output
            output.close()
            start = consumed = end
            pending = decompressor.unused_data
            decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
            output = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
        else:
            consumed += len(pending)
            pending = b""


def _scan_complete_records(path: Path, filename: str) -> tuple[int, int, list[dict[str, Any]]]:
    """Return (end of the last good record, records kept, their index entries) for PATH."""
    good_end, kept, entries = 0, 0, []
    with open(path, "rb") as fh:
        for start, end, member in _gzip_members(fh):
            record = _single_valid_record(member)
            if record is None:
                logger.warning("%s: invalid record at offset %d, cutting there", path.name, start)
                break
            good_end, kept = end, kept + 1
            if record.rec_type in ("response", "revisit"):
                entries.append(_index_entry(record, filename, start, end - start))
    return good_end, kept, entries


def _single_valid_record(member: IO[bytes]) -> ArcWarcRecord | None:
    """Return the one WARC record of a decompressed member if its digests hold, else None."""
    framing = io.StringIO()
    try:
        with contextlib.redirect_stderr(framing):
            records = []
            for record in ArchiveIterator(member, check_digests=True):
                while record.raw_stream.read(_CHUNK):
                    pass
                records.append(record)
    except (ArchiveLoadFailed, EOFError, ValueError):
        return None
    if len(records) != 1 or records[0].digest_checker.passed is False or framing.getvalue():
        return None
    return records[0]


def _referred_response(captures: list[Capture], revisit: Capture) -> Capture:
    for capture in captures:
        if capture.record_type == "response" and capture.record_id == revisit.refers_to:
            return capture
    # Fall back on the URL and digest, for revisits written by tools without Refers-To.
    candidates = [
        capture for capture in captures
        if capture.record_type == "response"
        and capture.url == (revisit.refers_to_uri or revisit.url)
        and capture.payload_digest == revisit.payload_digest
    ]
    if not candidates:
        raise KeyError(f"{revisit.url}: revisit {revisit.record_id} refers to a missing record")
    return candidates[-1]


def _fsync_directory(directory: Path) -> None:
    # Makes the renames themselves durable, not only the file contents.
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
