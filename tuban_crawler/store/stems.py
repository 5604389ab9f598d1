"""Word stems (Sastrawi), and the upkeep of the stemmed index ``articles_stem_fts`` on every write.

The stemmer is Python (Sastrawi, through ``stem_word``), so SQL triggers (migration m003) queue
changed rows in ``articles_stem_queue`` with the text they were indexed with, and
``index_queued_stems`` indexes them in the writer's transaction.
"""

from __future__ import annotations

import functools
import importlib.metadata
import re
from typing import Any

from sqlite_utils import Database

#: A word as FTS5's unicode61 sees it (letters and digits), hyphenated words whole: Sastrawi
#: reads ``masing-masing`` and ``layang-layang`` as one word (reduplication).
WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")


@functools.cache
def _stemmer() -> Any:
    # Imported here: building the stemmer reads Sastrawi's dictionary of ~30,000 roots (~20 ms).
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@functools.lru_cache(maxsize=200_000)
def stem_word(word: str) -> str:
    """Return the root of one Indonesian WORD, lower-cased (the word itself when it has none).

    >>> [stem_word(w) for w in ("Kedisiplinan", "pembangunan", "kegiatan", "pelayanan", "layang", "2017")]
    ['disiplin', 'bangun', 'giat', 'layan', 'layang', '2017']
    """
    lowered = word.lower()
    return _stemmer().stem(lowered) or lowered


def stem_text(text: str | None) -> str:
    """Return TEXT as its words' roots, space-separated (what ``articles_stem_fts`` indexes).

    >>> stem_text("Kegiatan pembangunan, masing-masing desa.")
    'giat bangun masing-masing desa'
    """
    return " ".join(stem_word(word) for word in WORD.findall(text or ""))


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
