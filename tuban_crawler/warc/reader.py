"""Read the finished WARC files back: list captures, rebuild a page, check the files.

Owns :func:`iter_captures`, :func:`reconstruct`, :func:`check_directory` and the records
they return (:class:`Capture`, :class:`ReconstructedResponse`). Only :func:`reconstruct`
uses the index, to find a URL's captures without reading every file.
"""

from __future__ import annotations

import contextlib
import io
import logging
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

from warcio.archiveiterator import ArchiveIterator
from warcio.checker import Checker
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from tuban_crawler.warc.index import (
    OPEN_SUFFIX,
    WARC_SUFFIX,
    IndexEntry,
    parse_warc_date,
    read_index,
)

logger = logging.getLogger(__name__)


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
                    date=parse_warc_date(headers.get_header("WARC-Date")),
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
    """Return the latest capture of URL rebuilt from the WARC files, found through the index.

    A revisit gives the date; its body comes from the response record it refers to,
    and so do the status and headers of a ``304`` (server-not-modified) revisit, which
    carries none. The body is content-decoded (gzip, deflate, br) like a browser would.
    Files the index does not cover yet are indexed in memory. Raises KeyError when URL
    was never captured or the referred record is missing.
    """
    directory = Path(directory)
    entries = read_index(directory)
    of_url = [entry for entry in entries if entry.url == url]
    if not of_url:
        raise KeyError(url)
    latest = max(of_url, key=_capture_order)
    record = _load(directory, latest)
    original, payload = latest, record
    if latest.is_revisit:
        original = _referred_entry(entries, latest, record)
        payload = _load(directory, original)
    http = (
        record.http_headers
        if record.http_headers and record.http_headers.statusline
        else payload.http_headers
    )
    body = payload.content_stream().read()
    return ReconstructedResponse(
        int(http.get_statuscode()),
        list(http.headers),
        body,
        url,
        parse_warc_date(record.rec_headers.get_header("WARC-Date")),
        record.rec_headers.get_header("WARC-Record-ID"),
        payload.rec_headers.get_header("WARC-Record-ID"),
    )


def _capture_order(entry: IndexEntry) -> tuple[str, str, int]:
    return entry.timestamp, entry.filename, entry.offset


def _load(directory: Path, entry: IndexEntry) -> ArcWarcRecord:
    """Return the record ENTRY points to, read into memory."""
    with open(directory / entry.filename, "rb") as fh:
        fh.seek(entry.offset)
        data = fh.read(entry.length)
    return next(iter(ArchiveIterator(io.BytesIO(data))))


def _referred_entry(
    entries: list[IndexEntry], revisit: IndexEntry, record: ArcWarcRecord
) -> IndexEntry:
    """Return the index entry of the response a revisit refers to (target URI and digest)."""
    target = record.rec_headers.get_header("WARC-Refers-To-Target-URI") or revisit.url
    candidates = [
        entry
        for entry in entries
        if not entry.is_revisit
        and entry.url == target
        and entry.digest == revisit.digest
        and entry.timestamp <= revisit.timestamp
    ]
    if not candidates:
        raise KeyError(f"{revisit.url}: revisit at {revisit.timestamp} refers to a missing record")
    return max(candidates, key=_capture_order)


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
