"""The WARC directory's shared layout: file names, the CDXJ index, durable renames.

Used by the writer (:mod:`.writer`), the crash repair (:mod:`.repair`) and the reader
(:mod:`.reader`); see :mod:`tuban_crawler.warc` for the layout itself.

The index is the CDXJ that pywb and the WACZ format read (``SURT timestamp {json}``,
sorted), as cdxj-indexer writes it: by cdxj-indexer for any file read back, and line for
line the same (``index_line``) for what the writer writes. It is a cache: it is rebuilt for any
WARC file it does not cover (a killed run's, a copied one, an archive from before the
CDXJ index, whose ``index.cdxj`` held plain JSON lines).
"""

from __future__ import annotations

import contextlib
import heapq
import io
import itertools
import json
import logging
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from tempfile import TemporaryFile
from typing import IO

from warcio.recordloader import ArcWarcRecord
from warcio.timeutils import iso_date_to_datetime, iso_date_to_timestamp

logger = logging.getLogger(__name__)

WARC_SUFFIX = ".warc.gz"
OPEN_SUFFIX = ".warc.gz.open"
INDEX_NAME = "index.cdxj"
REVISIT_MIME = "warc/revisit"
#: New index lines sorted in memory at a time (about 400 bytes each) when a file is indexed.
SORT_RUN_LINES = 5_000
_MIME_END = re.compile(
    r"[;\s]"
)  # cdxj-indexer's RE_SPACE: a Content-Type's parameters are no part of the mime


@dataclass(frozen=True)
class IndexEntry:
    """One line of the CDXJ index: where a capture of a URL is, and what it holds."""

    urlkey: str
    timestamp: str
    url: str
    mime: str
    status: int | None
    digest: str | None
    filename: str
    offset: int
    length: int

    @property
    def is_revisit(self) -> bool:
        """Return True for a revisit record (its payload is another record's)."""
        return self.mime == REVISIT_MIME


def parse_warc_date(text: str) -> datetime:
    """Return the WARC-Date TEXT as a timezone-aware UTC datetime."""
    return iso_date_to_datetime(text).replace(tzinfo=timezone.utc)


def parse_index_line(line: str) -> IndexEntry | None:
    """Return the entry of one CDXJ LINE, or None when it is not one (torn, or plain JSON)."""
    urlkey, _, rest = line.partition(" ")
    timestamp, _, data = rest.partition(" ")
    if not urlkey or not timestamp.isdigit() or not data.startswith("{"):
        return None
    try:
        fields = json.loads(data)
        return IndexEntry(
            urlkey=urlkey,
            timestamp=timestamp,
            url=fields["url"],
            mime=fields.get("mime", ""),
            status=int(fields["status"]) if str(fields.get("status", "")).isdigit() else None,
            digest=fields.get("digest"),
            filename=fields["filename"],
            offset=int(fields["offset"]),
            length=int(fields["length"]),
        )
    except (ValueError, KeyError, TypeError):
        return None


def index_lines(paths: list[Path]) -> list[str]:
    """Return the CDXJ lines (with newline) of the WARC files PATHS, by cdxj-indexer.

    A ``304`` written as a ``response`` (archives from before revisits for 304s) is left
    out: it holds no page, and replay should fall back on the capture before it.
    """
    if not paths:
        return []
    # Imported here, as surt below: with tldextract they cost every process that names the WARC
    # folder's layout (the crawl's own, the writer's) a tenth of a second it rarely needs.
    from cdxj_indexer.main import CDXJIndexer

    output = io.StringIO()
    CDXJIndexer(output, [str(path) for path in paths]).process_all()
    return _replayable(output.getvalue().splitlines(keepends=True))


def _replayable(lines: list[str]) -> list[str]:
    """Return the LINES worth replaying: not a 304 written as a response (no revisit was possible)."""
    kept = []
    for line in lines:
        entry = parse_index_line(line)
        if entry is not None and not (entry.status == 304 and not entry.is_revisit):
            kept.append(line)
    return kept


def read_index(directory: Path) -> list[IndexEntry]:
    """Return the entries of DIRECTORY's index, with any WARC file it lacks indexed in memory.

    Reads only: a reader may run while a crawl writes (see :func:`refresh_index`).
    """
    return [
        entry for line in _current_lines(Path(directory))[0] if (entry := parse_index_line(line))
    ]


def index_lines_of(directory: Path, filenames: set[str]) -> list[str]:
    """Return the sorted CDXJ lines of DIRECTORY's index that point into FILENAMES (read only)."""
    return sorted(
        line
        for line in _current_lines(Path(directory))[0]
        if (entry := parse_index_line(line)) and entry.filename in filenames
    )


def refresh_index(directory: Path) -> list[IndexEntry]:
    """Return the entries of DIRECTORY's index after bringing it up to date with its WARC files.

    Indexes the finished files it does not cover, drops the lines of files no longer
    there, and replaces ``index.cdxj`` atomically when anything changed. Call it only
    while holding the WARC directory's lock (the writer does).
    """
    directory = Path(directory)
    lines, changed = _current_lines(directory)
    if changed:
        write_index(directory, lines)
    return [entry for line in lines if (entry := parse_index_line(line))]


def add_to_index(directory: Path, paths: list[Path]) -> None:
    """Index the finished WARC files PATHS, read by cdxj-indexer, into DIRECTORY's index (atomically replaced)."""
    if not paths:
        return
    directory = Path(directory)
    names = {path.name for path in paths}
    current, _ = _current_lines(directory, skip=names)  # without the lines of PATHS
    write_index(directory, current + index_lines(paths))


def index_line(record: ArcWarcRecord, filename: str, offset: int, length: int) -> str:
    """Return the CDXJ line (with newline) cdxj-indexer writes for RECORD, at OFFSET and LENGTH of FILENAME.

    The writer indexes what it writes as it writes it, instead of reading every file again
    once finished (a tenth of a backfill's time, issue 10). The same fields, in the same
    order, by the same rules as cdxj-indexer's: ``test_warc`` compares the two on a crawl.
    """
    headers = record.rec_headers
    url = headers.get_header("WARC-Target-URI")
    fields: dict[str, str] = {"url": url}
    if record.rec_type == "revisit":
        fields["mime"] = REVISIT_MIME
    elif record.http_headers is not None and (
        content_type := record.http_headers.get_header("Content-Type")
    ):
        fields["mime"] = _MIME_END.split(content_type, 1)[0].strip()
    if record.http_headers is not None:
        fields["status"] = record.http_headers.get_statuscode()
    digest = headers.get_header("WARC-Payload-Digest")
    if digest:
        fields["digest"] = digest
    fields.update(length=str(length), offset=str(offset), filename=filename)
    timestamp = iso_date_to_timestamp(headers.get_header("WARC-Date"))
    import surt  # imported where used: see index_lines

    return f"{surt.surt(url)} {timestamp} {json.dumps(fields)}\n"


def write_index(directory: Path, lines: Iterable[str], presorted: bool = False) -> None:
    """Replace DIRECTORY's index by LINES, sorted as CDXJ readers expect, durably and atomically.

    PRESORTED: LINES come sorted (repeats side by side), and are written as they come.
    """
    path = Path(directory) / INDEX_NAME
    temporary = path.with_name(INDEX_NAME + ".tmp")
    with open(temporary, "w", encoding="utf-8") as fh:
        ordered = (
            (line for line, _ in itertools.groupby(lines)) if presorted else sorted(set(lines))
        )
        fh.writelines(ordered)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(temporary, path)
    fsync_directory(Path(directory))


def merge_into_index(directory: Path, path: Path, lines: IO[str]) -> None:
    """Add LINES (a file of the finished WARC file PATH's replayable CDXJ lines, any order) to DIRECTORY's index.

    A backfill's file has tens of thousands of lines, and the index every earlier one: both
    are streamed, the new lines sorted ``SORT_RUN_LINES`` at a time into temporary runs merged
    with the index as it is rewritten, so the writer's memory does not grow with either
    (issue 10). An index with a line it can't read is rebuilt by :func:`add_to_index`.
    """
    directory = Path(directory)
    lines.seek(0)
    with contextlib.ExitStack() as runs:
        sorted_runs: list[Iterator[str]] = []
        while chunk := list(itertools.islice(lines, SORT_RUN_LINES)):
            run = runs.enter_context(TemporaryFile("w+", encoding="utf-8", dir=directory))
            run.writelines(sorted(chunk))
            run.seek(0)
            sorted_runs.append(iter(run))
        index = directory / INDEX_NAME
        current = (
            runs.enter_context(open(index, encoding="utf-8", errors="replace"))
            if index.exists()
            else None
        )
        earlier = _readable_lines(current, skip=path.name) if current is not None else iter(())
        try:
            write_index(directory, heapq.merge(earlier, *sorted_runs), presorted=True)
        except _UnreadableIndex:
            logger.warning("%s has a line it can't read: indexing every WARC file again", index)
            add_to_index(directory, [path])


class _UnreadableIndex(Exception):
    """The index holds a line that is no CDXJ line (torn, or an older format's)."""


def _readable_lines(fh: IO[str], skip: str) -> Iterator[str]:
    """Yield the index lines of FH, but those of the file named SKIP; raise _UnreadableIndex on a bad one."""
    for line in fh:
        entry = parse_index_line(line)
        if entry is None or not line.endswith("\n"):
            raise _UnreadableIndex
        if entry.filename != skip:
            yield line


def _current_lines(
    directory: Path, skip: frozenset[str] | set[str] = frozenset()
) -> tuple[list[str], bool]:
    """Return (index lines covering exactly the finished WARC files, whether that differs from disk).

    Files named in SKIP are left out (their caller indexes them itself).
    """
    present = {
        path.name: path for path in directory.glob("*" + WARC_SUFFIX) if path.name not in skip
    }
    path = directory / INDEX_NAME
    lines: list[str] = []
    covered: set[str] = set()
    changed = False
    if path.exists():
        with open(path, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                entry = parse_index_line(line)
                if entry is None or not line.endswith("\n"):
                    # An older format's line (plain JSON) or a torn one: which file it
                    # belonged to is unknown, so every file is indexed again.
                    lines, covered, changed = [], set(), True
                    break
                if entry.filename not in present:
                    changed = True  # a file moved away: pywb could not load it
                    continue
                lines.append(line)
                covered.add(entry.filename)
    missing = sorted(name for name in present if name not in covered)
    if missing:
        logger.info("Indexing %d WARC files into %s", len(missing), path)
        lines += index_lines([present[name] for name in missing])
        changed = True
    return lines, changed


def fsync_directory(directory: Path) -> None:
    """Make the renames in DIRECTORY themselves durable, not only the file contents."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
