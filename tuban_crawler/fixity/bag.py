"""A transfer package: the archive as a BagIt bag (RFC 8493) for a library or a national archive (issue 23).

``data/`` holds what a receiving archive needs to keep and to check it:

- ``warc/``: the WARC files (with ``--since``, those captured since that day and the files
  holding the originals their revisits refer to) and ``warc/index.cdxj``, their CDXJ lines;
- ``archive.wacz``: the same files as one WACZ (``warc.wacz``), with ``datapackage-digest.json``;
- ``archive.db``: a consistent copy of the whole archive, made with SQLite's backup API from a
  read-only connection (one read transaction: a crawl writing meanwhile is neither blocked nor
  seen half-way; in WAL mode readers and the writer do not wait for each other);
- ``fixity_events.csv``: the PREMIS event log, read from that copy.

``bag-info.txt`` names the site, the date range of the captures, the runs, the software and
the operator; the manifests are sha256 and sha512 (bagit-python, the Library of Congress's
implementation). The bag is built in ``OUTPUT.partial`` and renamed when bagit has validated
it, so OUTPUT is never half a bag. Files being written (``.open``) are not packed: the rows of the
copy that point into them are captured by the next bag.
"""

from __future__ import annotations

import csv
import logging
import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tuban_crawler import __version__
from tuban_crawler import settings as defaults
from tuban_crawler.store import fixity
from tuban_crawler.store.archivefile import connect_read_only
from tuban_crawler.warc import wacz
from tuban_crawler.warc.index import INDEX_NAME, WARC_SUFFIX, index_lines_of

logger = logging.getLogger(__name__)

CHECKSUMS = ["sha256", "sha512"]


class BagError(Exception):
    """A bag that can't be made: the message says what is wrong and what to do."""


@dataclass(frozen=True)
class BagSummary:
    """What a bag holds."""

    path: Path
    warc_files: int
    payload_bytes: int
    info: dict[str, str]


def write_bag(
    db_path: Path,
    warc_dir: Path,
    output: Path,
    since: date | None = None,
    operator: str | None = None,
) -> BagSummary:
    """Return the summary of the BagIt bag of the archive DB_PATH (and WARC_DIR) written at OUTPUT.

    since: pack only the WARC files captured on or after this day (and the originals they need).
    operator: who makes the bag, named in ``bag-info.txt`` (default: the operator of the last crawl).
    """
    import bagit  # imported here: only ``bag`` needs it

    output = Path(output)
    if output.exists() and (not output.is_dir() or any(output.iterdir())):
        raise BagError(f"{output} exists and is not an empty folder: give --output a new folder")
    if not Path(warc_dir).is_dir():
        raise BagError(f"no WARC folder at {warc_dir} (give --warc-dir the crawl's WARC folder)")
    partial = output.with_name(output.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    data = partial / "data"
    (data / "warc").mkdir(parents=True)
    try:
        _backup(Path(db_path), data / "archive.db")
        copy = sqlite3.connect(data / "archive.db")
        try:
            if not copy.execute(
                "select 1 from sqlite_master where name = 'fixity_events'"
            ).fetchone():
                raise BagError(
                    f"{db_path} has no fixity log yet: the next crawl adds it (then bag it)"
                )
            names = _chosen_files(copy, Path(warc_dir), since)
            operator = operator or fixity.last_operator(copy) or defaults.TUBAN_CONTACT_URL
            info = _bag_info(copy, names, since, operator)
            _write_events(copy, data / "fixity_events.csv")
        finally:
            copy.close()
        paths = wacz.files_for(Path(warc_dir), names) if names else []
        for path in paths:
            shutil.copy2(path, data / "warc" / path.name)
        lines = index_lines_of(Path(warc_dir), {path.name for path in paths})
        (data / "warc" / INDEX_NAME).write_text("".join(lines), encoding="utf-8")
        if paths:
            wacz.write_wacz(
                data / "archive.wacz",
                Path(warc_dir),
                paths,
                wacz.pages(data / "archive.db"),
                title=f"Tuban regency news ({info['Site']})",
            )
        payload = sum(path.stat().st_size for path in data.rglob("*") if path.is_file())
        # make_bag moves the folder's content under data/: bag the content, not data/ itself.
        for child in data.iterdir():
            os.replace(child, partial / child.name)
        data.rmdir()
        bag = bagit.make_bag(str(partial), bag_info=info, checksums=CHECKSUMS)
        bag.validate()
        output.parent.mkdir(parents=True, exist_ok=True)
        if output.exists():
            output.rmdir()
        os.replace(partial, output)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return BagSummary(output, len(paths), payload, info)


def _backup(db_path: Path, target: Path) -> None:
    """Copy the archive DB_PATH to TARGET with SQLite's backup API, as of one moment."""
    source = connect_read_only(db_path)  # ArchiveFileError: missing, not an archive...
    destination = sqlite3.connect(target)
    try:
        source.backup(destination)  # all pages in one step: one read transaction
        destination.execute("pragma journal_mode = delete")  # one file, no -wal beside it
    finally:
        destination.close()
        source.close()


def _chosen_files(copy: sqlite3.Connection, warc_dir: Path, since: date | None) -> list[str]:
    """Return the finished WARC files to pack: all, or those holding captures since SINCE."""
    on_disk = sorted(path.name for path in warc_dir.glob("*" + WARC_SUFFIX))
    if since is None:
        return on_disk
    day = since.isoformat()
    recent = {
        name
        for (name,) in copy.execute(
            """select warc_filename from fetches where fetched_at >= ?
               union select warc_filename from requisites where captured_at >= ?
               union select object from fixity_events
                 where object_type = 'file' and event_type = 'capture' and event_date >= ?""",
            [day, day, day],
        )
    }
    return [name for name in on_disk if name in recent]


def _bag_info(
    copy: sqlite3.Connection, names: list[str], since: date | None, operator: str | None
) -> dict[str, str]:
    """Return ``bag-info.txt``'s fields: the site, the date range, the runs, the software, the operator."""
    origin = copy.execute("select value from crawl_state where key = 'origin'").fetchone()
    where, params = ("where started_at >= ?", [since.isoformat()]) if since else ("", [])
    runs = copy.execute(
        f"select count(*), min(started_at), max(coalesce(finished_at, started_at)) from crawl_runs {where}",
        params,
    ).fetchone()
    first, last = copy.execute(
        f"select min(fetched_at), max(fetched_at) from fetches {where.replace('started_at', 'fetched_at')}",
        params,
    ).fetchone()
    articles = copy.execute("select count(*) from articles").fetchone()[0]
    site = origin[0] if origin else "unknown"
    info = {
        "Source-Organization": operator or "unknown",
        "External-Description": (
            f"Web archive of {site}: {len(names)} WARC files with their CDXJ index and a WACZ, "
            f"the archive database ({articles} articles) and its fixity event log (PREMIS)"
        ),
        "Site": site,
        "Date-Range": f"{first or 'none'} to {last or 'none'}",
        "Runs": f"{runs[0]} run{'s' if runs[0] != 1 else ''}, {runs[1] or 'none'} to {runs[2] or 'none'}",
        "Software": f"tuban-crawler {__version__}",
        "Operator": operator or "unknown",
        "WARC-Files": str(len(names)),
    }
    if since:
        info["Since"] = since.isoformat()
    return info


def _write_events(copy: sqlite3.Connection, path: Path) -> None:
    cursor = copy.execute("select * from fixity_events order by id")
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([column[0] for column in cursor.description])
        writer.writerows(cursor)
