"""Upkeep of the stemmed search index ``articles_stem_fts``: every write stems what its triggers queued.

The stemmer is Python (``tuban_crawler.search``), so SQL triggers (migration m003) queue
changed rows in ``articles_stem_queue`` with the text they were indexed with, and
``index_queued_stems`` indexes them in the writer's transaction.
"""

from __future__ import annotations

import functools
import importlib.metadata

from sqlite_utils import Database

from tuban_crawler.search import WORD, stem_text


@functools.cache
def _stemmer_version() -> str:
    # Read once: importlib.metadata scans the installed distributions (1.5 ms a save, issue 10).
    return f"PySastrawi {importlib.metadata.version('PySastrawi')}, words {WORD.pattern}"


def index_queued_stems(db: Database) -> int:
    """Return how many queued articles were (re)indexed in ``articles_stem_fts``, emptying the queue.

    When the stemmer changed since the index was built (a new PySastrawi), every article is
    indexed again: removing an entry needs the very roots it was indexed with.
    """
    state = db.execute("select value from crawl_state where key = 'stemmer'").fetchone()
    if state is None or state[0] != _stemmer_version():
        db.execute("insert into articles_stem_fts (articles_stem_fts) values ('delete-all')")
        db.execute("delete from articles_stem_queue")
        db.execute("insert into articles_stem_queue select rowid, 0, null, null from articles")
        db.execute(
            "insert or replace into crawl_state (key, value) values ('stemmer', ?)",
            [_stemmer_version()],
        )
    queued = db.execute(
        "select article_rowid, indexed, old_title, old_body_text from articles_stem_queue"
    ).fetchall()
    db.conn.executemany(
        "insert into articles_stem_fts (articles_stem_fts, rowid, title, body_text) values ('delete', ?, ?, ?)",
        [
            (rowid, stem_text(title), stem_text(body))
            for rowid, indexed, title, body in queued
            if indexed
        ],
    )
    db.conn.executemany(
        "insert into articles_stem_fts (rowid, title, body_text) values (?, ?, ?)",
        [
            (rowid, stem_text(title), stem_text(body))
            for rowid, title, body in db.execute(
                "select rowid, title, body_text from articles where rowid in (select article_rowid from articles_stem_queue)"
            )
        ],
    )
    db.execute("delete from articles_stem_queue")
    return len(queued)
