"""Finish the WARC files a killed run left unfinished, and mend a torn index.

Owns :func:`repair_directory` and :class:`Repair`: each ``.open`` file is cut after its
last complete, digest-valid gzip member and renamed to ``.warc.gz``.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from tuban_crawler.warc.index import (
    INDEX_NAME,
    OPEN_SUFFIX,
    fsync_directory,
    index_entry,
    read_index,
)

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
    ``.warc.gz``; a file without any complete record is removed. The index lines of
    those files are rebuilt from the records kept, and a torn last index line dropped.
    """
    directory = Path(directory)
    unfinished = sorted(directory.glob("*" + OPEN_SUFFIX))
    index_path = directory / INDEX_NAME
    entries, index_damaged = read_index(index_path)
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
                entries.append(index_entry(record, filename, start, end - start))
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
