"""Read the finished WARC files back: list captures, rebuild a page, check the files.

Owns :func:`iter_captures`, :func:`reconstruct`, :func:`check_directory` and the records
they return (:class:`Capture`, :class:`ReconstructedResponse`); it reads the WARC files
alone, never the index.
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

from tuban_crawler.warc.index import OPEN_SUFFIX, WARC_SUFFIX, parse_warc_date

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
