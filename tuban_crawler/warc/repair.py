"""Finish the WARC files a killed run left unfinished.

Owns :func:`repair_directory` and :class:`Repair`: each ``.open`` file is cut after its
last complete, digest-valid gzip member and renamed to ``.warc.gz``.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from tuban_crawler.warc.index import OPEN_SUFFIX, fsync_directory

logger = logging.getLogger(__name__)

_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Repair:
    """What repairing one unfinished file did."""

    filename: str
    kept_records: int
    discarded_bytes: int


def repair_directory(directory: Path) -> list[Repair]:
    """Return the repairs made to the unfinished (``.open``) WARC files in DIRECTORY.

    Call it only while no crawl writes there (WarcWriter.open() holds the lock).

    Each is cut after its last complete gzip member whose record parses with valid
    digests (a kill leaves at most one partial record at the end), then renamed to
    ``.warc.gz``; a file without any complete record is removed. The index is brought
    up to date afterwards (:func:`~tuban_crawler.warc.index.refresh_index`): a file
    is indexed once finished, so a kill never leaves an index line to a cut record.
    """
    directory = Path(directory)
    repairs: list[Repair] = []
    for path in sorted(directory.glob("*" + OPEN_SUFFIX)):
        final_name = path.name.removesuffix(".open")
        good_end, kept = _scan_complete_records(path)
        size = path.stat().st_size
        with open(path, "r+b") as fh:
            fh.truncate(good_end)
            os.fsync(fh.fileno())
        repairs.append(Repair(final_name, kept, size - good_end))
        if kept:
            os.replace(path, directory / final_name)
        else:
            path.unlink()
    if repairs:
        fsync_directory(directory)
    return repairs


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


def _scan_complete_records(path: Path) -> tuple[int, int]:
    """Return (end of the last good record, records kept) for PATH."""
    good_end, kept = 0, 0
    with open(path, "rb") as fh:
        for start, end, member in _gzip_members(fh):
            if _single_valid_record(member) is None:
                logger.warning("%s: invalid record at offset %d, cutting there", path.name, start)
                break
            good_end, kept = end, kept + 1
    return good_end, kept


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
