"""The WARC directory's shared layout: file names, cdxj index lines, durable renames.

Used by the writer (:mod:`.writer`), the crash repair (:mod:`.repair`) and the reader
(:mod:`.reader`); see :mod:`tuban_crawler.warc` for the layout itself.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from warcio.recordloader import ArcWarcRecord
from warcio.timeutils import iso_date_to_datetime

WARC_SUFFIX = ".warc.gz"
OPEN_SUFFIX = ".warc.gz.open"
INDEX_NAME = "index.cdxj"


def parse_warc_date(text: str) -> datetime:
    """Return the WARC-Date TEXT as a timezone-aware UTC datetime."""
    return iso_date_to_datetime(text).replace(tzinfo=timezone.utc)


def index_entry(record: ArcWarcRecord, filename: str, offset: int, length: int) -> dict[str, Any]:
    """Return the index line (as a dict) of RECORD, written at OFFSET in FILENAME.

    record: a response or revisit record; filename: the final ``.warc.gz`` name;
    offset, length: where its gzip member starts in the file and how long it is.
    """
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


def read_index(path: Path) -> tuple[list[dict[str, Any]], bool]:
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


def fsync_directory(directory: Path) -> None:
    """Make the renames in DIRECTORY themselves durable, not only the file contents."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
