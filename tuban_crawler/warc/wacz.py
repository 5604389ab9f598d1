"""Package the WARC files as one WACZ (1.1.1) with a page per article (``tuban-crawler wacz``).

A WACZ is a ZIP file (https://specs.webrecorder.net/wacz/1.1.1/): the WARC files under
``archive/`` (stored, not compressed again), their CDXJ index as ``indexes/index.cdx``
(the lines of ``index.cdxj`` that point into them), ``pages/pages.jsonl`` and
``datapackage.json`` listing every file with its sha256, whose own digest is in
``datapackage-digest.json``. ``wacz validate`` (py-wacz) accepts it (tests/test_replay.py).

It is written here rather than by py-wacz: py-wacz brings frictionless and, with it, rich,
which makes Datasette print a rich traceback (about a second each) for every 404 in
``serve``; and its page detection finds no article among our captures (issue 11). So
``pages.jsonl`` is built from the archive's ``articles``: ``url`` (the address fetched),
``title``, ``ts`` (the last fetch) and ``text`` (the body, for ReplayWeb.page's search).
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import zipfile
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

from tuban_crawler import __version__
from tuban_crawler.warc import WARC_SUFFIX, read_index
from tuban_crawler.warc.index import index_lines_of

logger = logging.getLogger(__name__)

WACZ_VERSION = "1.1.1"
PAGES_HEADER = {"format": "json-pages-1.0", "id": "pages", "title": "Articles", "hasText": True}

_PAGES_SQL = """
select coalesce(articles.fetched_url, articles.url) as url, articles.title, articles.body_text as text,
       coalesce(max(fetches.fetched_at), articles.last_seen_at) as ts
from articles left join fetches on fetches.url = articles.url and fetches.warc_filename is not null
{where}
group by articles.url order by articles.url
"""


def pages(db_path: Path, urls: Iterable[str] | None = None) -> Iterator[dict[str, Any]]:
    """Return the lines of ``pages.jsonl``: its header, then one per article (of URLS, if given)."""
    yield PAGES_HEADER
    wanted = sorted(set(urls)) if urls is not None else None
    connection = sqlite3.connect(f"file:{Path(db_path).resolve()}?mode=ro", uri=True)
    try:
        where, params = "", []
        if wanted is not None:
            where = f"where articles.url in ({', '.join('?' * len(wanted))})"
            params = wanted
        for url, title, text, ts in connection.execute(_PAGES_SQL.format(where=where), params):
            yield {"url": url, "title": title or url, "ts": ts, "text": text or ""}
    finally:
        connection.close()


def write_wacz(
    output: Path,
    warc_dir: Path,
    warc_paths: list[Path],
    page_lines: Iterable[dict[str, Any]],
    title: str,
) -> None:
    """Write the WACZ OUTPUT of the WARC files WARC_PATHS (in WARC_DIR) and the pages PAGE_LINES.

    Written to ``OUTPUT.tmp`` and renamed when complete, so OUTPUT is never half a package.
    """
    output = Path(output)
    temporary = output.with_name(output.name + ".tmp")
    resources = []
    with zipfile.ZipFile(temporary, "w", allowZip64=True) as package:

        def add(path: str, source: IO[bytes] | bytes, compress: bool) -> None:
            info = zipfile.ZipInfo(path, datetime.now(timezone.utc).timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
            digest, size = hashlib.sha256(), 0
            with package.open(info, "w", force_zip64=True) as out:
                chunks = (
                    iter(lambda: source.read(1024 * 1024), b"")
                    if not isinstance(source, bytes)
                    else [source]
                )
                for chunk in chunks:
                    out.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
            resources.append(
                {
                    "name": Path(path).name.lower(),
                    "path": path,
                    "hash": "sha256:" + digest.hexdigest(),
                    "bytes": size,
                }
            )

        for path in warc_paths:
            with open(path, "rb") as fh:
                add(f"archive/{path.name}", fh, compress=False)
        lines = index_lines_of(warc_dir, {path.name for path in warc_paths})
        add("indexes/index.cdx", "".join(lines).encode("utf-8"), compress=True)
        pages_text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in page_lines)
        add("pages/pages.jsonl", pages_text.encode("utf-8"), compress=True)
        datapackage = json.dumps(
            {
                "profile": "data-package",
                "resources": resources,
                "title": title,
                "created": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "wacz_version": WACZ_VERSION,
                "software": f"tuban-crawler {__version__}",
            },
            indent=2,
        ).encode("utf-8")
        package.writestr(zipfile.ZipInfo("datapackage.json"), datapackage, zipfile.ZIP_DEFLATED)
        digest = {
            "path": "datapackage.json",
            "hash": "sha256:" + hashlib.sha256(datapackage).hexdigest(),
        }
        package.writestr(
            zipfile.ZipInfo("datapackage-digest.json"),
            json.dumps(digest, indent=2),
            zipfile.ZIP_DEFLATED,
        )
    temporary.replace(output)


def files_for(warc_dir: Path, filenames: Iterable[str]) -> list[Path]:
    """Return FILENAMES plus the files holding the originals their revisits refer to, in order."""
    names = set(filenames)
    entries = read_index(warc_dir)
    originals: dict[tuple[str, str | None], str] = {
        (entry.url, entry.digest): entry.filename
        for entry in sorted(entries, key=lambda e: e.timestamp)
        if not entry.is_revisit
    }
    needed = set(names)
    for entry in entries:
        if entry.filename in names and entry.is_revisit and (entry.url, entry.digest) in originals:
            needed.add(originals[(entry.url, entry.digest)])
    return [Path(warc_dir) / name for name in sorted(needed)]


def write_run_wacz(
    warc_dir: Path, files: list[Path], db_path: Path, run_id: str, output_dir: Path
) -> Path:
    """Return the WACZ written in OUTPUT_DIR for one run: its FILES, the originals its revisits
    need, and a page per article it fetched."""
    connection = sqlite3.connect(f"file:{Path(db_path).resolve()}?mode=ro", uri=True)
    try:
        urls = [
            url
            for (url,) in connection.execute(
                "select distinct url from fetches where run_id = ?", [run_id]
            )
        ]
    finally:
        connection.close()
    Path(output_dir).mkdir(parents=True, exist_ok=True)
    output = Path(output_dir) / f"{Path(files[0]).name.removesuffix(WARC_SUFFIX)}.wacz"
    write_wacz(
        output,
        warc_dir,
        files_for(warc_dir, [f.name for f in files]),
        pages(db_path, urls),
        title=f"Tuban run {run_id}",
    )
    return output
