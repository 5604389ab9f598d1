"""The store's own cost per article, as the writer process pays it: batches, FTS triggers or one rebuild.

Run by hand (not a test): ``python benchmarks/store.py [--articles 5000] [--batch 500]``.

Writes the test portal's articles (the rows ``benchmarks/queries.py`` makes) through
``ArchiveStore.batch`` and ``save_article``, as ``writer.write_loop`` does, into fresh archives
(fsync on, as in a crawl), two ways: with the full-text triggers (every insert indexes its
row, the archive's way) and with them dropped and each index rebuilt once at the end (what a
backfill could do instead). Prints ms per article for each.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from queries import BASE, record  # noqa: E402 (the same rows as the query benchmark)

from tuban_crawler.portal import content  # noqa: E402
from tuban_crawler.store import archive  # noqa: E402
from tuban_crawler.store.archive import ArchiveStore  # noqa: E402
from tuban_crawler.store.stems import index_queued_stems  # noqa: E402

TRIGGERS = ("articles_ai", "articles_ad", "articles_au")


def write(db: Path, entries: list, batch: int, rebuild: bool) -> float:
    """Return the seconds taken to store ENTRIES into DB in batches of BATCH (REBUILD: FTS at the end)."""
    with ArchiveStore(db) as store:
        saved = {}
        if rebuild:
            saved = {
                name: sql
                for name, sql in store.db.execute(
                    "select name, sql from sqlite_master where type = 'trigger' and name in (?, ?, ?)",
                    TRIGGERS,
                )
            }
            for name in saved:
                store.db.execute(f"drop trigger [{name}]")
        started = time.perf_counter()
        for start in range(0, len(entries), batch):
            with store.batch():
                for entry in entries[start : start + batch]:
                    url = f"{BASE}{entry.path}"
                    fetch = {
                        "fetched_url": url,
                        "fetched_at": "2026-11-30T00:00:00+00:00",
                        "status": 200,
                        "warc_filename": "bench.warc.gz",
                        "warc_offset": 0,
                    }
                    store.save_article(record(entry), fetch, "benchmark")
        if rebuild:
            with store.atomic():
                store.db.execute("insert into articles_fts (articles_fts) values ('rebuild')")
                for sql in saved.values():
                    store.db.execute(sql)
                index_queued_stems(store.db)
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()
    entries, _ = content.build_archive(3, args.articles)
    for rebuild in (False, True, False, True):
        with tempfile.TemporaryDirectory(prefix="tuban-store-") as folder:
            seconds = write(Path(folder) / "archive.db", entries, args.batch, rebuild)
        way = (
            "triggers dropped, one rebuild at the end"
            if rebuild
            else "FTS triggers on every insert"
        )
        print(
            f"{len(entries)} articles, batches of {args.batch}, {way}: {seconds:.1f} s,"
            f" {seconds / len(entries) * 1000:.2f} ms an article",
            flush=True,
        )
    # Issue 24: what tagging places and offices adds to a save, in CPU time (wall time on a
    # shared machine moves more than the difference).
    for tagged in (False, True, False, True):
        with tempfile.TemporaryDirectory(prefix="tuban-store-") as folder:
            cpu = cpu_seconds(Path(folder) / "archive.db", entries, args.batch, tagged)
        print(
            f"{len(entries)} articles, {'with' if tagged else 'without'} places and offices:"
            f" {cpu / len(entries) * 1000:.2f} ms of CPU an article",
            flush=True,
        )


def cpu_seconds(db: Path, entries: list, batch: int, tagged: bool) -> float:
    """Return the CPU seconds ``write`` takes (triggers on), tagging each article or not (TAGGED)."""
    real = archive.replace_article_tags
    if not tagged:
        archive.replace_article_tags = lambda *args: None  # type: ignore[assignment]
    try:
        started = time.process_time()
        write(db, entries, batch, rebuild=False)
        return time.process_time() - started
    finally:
        archive.replace_article_tags = real


if __name__ == "__main__":
    main()
