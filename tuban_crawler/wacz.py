"""``tuban-crawler wacz``: package the WARC files as one WACZ (1.1.1) with a page per article.

py-wacz (Webrecorder's reference implementation) writes the package: the WARC files
under ``archive/``, their CDXJ index, ``datapackage.json`` with a sha256 of every file and
``datapackage-digest.json``. Its own page detection finds no article among our captures
(issue 11), so ``pages/pages.jsonl`` is built from the archive's ``articles`` table:
``url`` (the address fetched), ``title``, ``ts`` (the last fetch) and ``text`` (the body,
for ReplayWeb.page's full-text search).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import logging
import sqlite3
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from tuban_crawler.warc import WARC_SUFFIX, read_index

logger = logging.getLogger(__name__)

PAGES_HEADER = {"format": "json-pages-1.0", "id": "pages", "title": "Articles", "hasText": True}

_PAGES_SQL = """
select coalesce(articles.fetched_url, articles.url) as url, articles.title, articles.body_text as text,
       coalesce(max(fetches.fetched_at), articles.last_seen_at) as ts
from articles left join fetches on fetches.url = articles.url and fetches.warc_filename is not null
{where}
group by articles.url order by articles.url
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``tuban-crawler wacz`` to PARSER."""
    parser.add_argument("--db", default="archive.db", help="archive file (default: %(default)s)")
    parser.add_argument("--warc-dir", default="warc", help="the WARC folder (default: %(default)s)")
    parser.add_argument("--output", default="archive.wacz", help="the WACZ file to write (default: %(default)s)")


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


def write_wacz(output: Path, warc_paths: list[Path], page_lines: Iterable[dict[str, Any]], title: str) -> None:
    """Write the WACZ OUTPUT from the WARC files WARC_PATHS and the pages PAGE_LINES.

    Raises RuntimeError when py-wacz fails; its progress messages go to the debug log.
    """
    from wacz.main import main as wacz_main

    with tempfile.TemporaryDirectory(prefix="tuban-wacz-") as work:
        pages_path = Path(work, "pages.jsonl")
        with open(pages_path, "w", encoding="utf-8") as fh:
            for line in page_lines:
                fh.write(json.dumps(line, ensure_ascii=False) + "\n")
        temporary = Path(output).with_name(Path(output).name + ".tmp")
        chatter = io.StringIO()
        with contextlib.redirect_stdout(chatter):
            status = wacz_main([
                "create", "--output", str(temporary), "--pages", str(pages_path), "--copy-pages",
                "--hash-type", "sha256", "--title", title, *map(str, warc_paths),
            ])  # fmt: skip
        logger.debug("py-wacz: %s", chatter.getvalue())
        if status:
            temporary.unlink(missing_ok=True)
            raise RuntimeError(f"py-wacz failed: {' '.join(chatter.getvalue().split()[-20:])}")
        temporary.replace(output)


def files_for(warc_dir: Path, filenames: Iterable[str]) -> list[Path]:
    """Return FILENAMES plus the files holding the originals their revisits refer to, in order."""
    names = set(filenames)
    entries = read_index(warc_dir)
    originals: dict[tuple[str, str | None], str] = {
        (entry.url, entry.digest): entry.filename for entry in sorted(entries, key=lambda e: e.timestamp)
        if not entry.is_revisit
    }  # fmt: skip
    needed = set(names)
    for entry in entries:
        if entry.filename in names and entry.is_revisit and (entry.url, entry.digest) in originals:
            needed.add(originals[(entry.url, entry.digest)])
    return [Path(warc_dir) / name for name in sorted(needed)]


def write_run_wacz(warc_dir: Path, files: list[Path], db_path: Path, run_id: str, output_dir: Path) -> Path:
    """Return the WACZ written in OUTPUT_DIR for one run: its FILES, the originals its revisits
    need, and a page per article it fetched."""
    connection = sqlite3.connect(f"file:{Path(db_path).resolve()}?mode=ro", uri=True)
    try:
        urls = [url for (url,) in connection.execute("select distinct url from fetches where run_id = ?", [run_id])]
    finally:
        connection.close()
    Path(output_dir).mkdir(parents=True, exist_ok=True)
    output = Path(output_dir) / f"{Path(files[0]).name.removesuffix(WARC_SUFFIX)}.wacz"
    write_wacz(output, files_for(warc_dir, [f.name for f in files]), pages(db_path, urls), title=f"Tuban run {run_id}")
    return output


def run(args: argparse.Namespace) -> int:
    """Write the whole archive as one WACZ; return the exit status."""
    warc_dir, db = Path(args.warc_dir), Path(args.db)
    warcs = sorted(warc_dir.glob("*" + WARC_SUFFIX))
    if not warcs:
        print(f"no WARC files in {warc_dir}", file=sys.stderr)
        return 1
    if not db.exists():
        print(f"no archive at {db}", file=sys.stderr)
        return 1
    try:
        write_wacz(Path(args.output), warcs, pages(db), title=f"Tuban regency news ({db.name})")
    except (RuntimeError, OSError, sqlite3.Error) as exc:
        print(f"cannot write {args.output}: {exc}", file=sys.stderr)
        return 1
    print(f"{args.output}: {len(warcs)} WARC files")
    return 0
