"""The facts about each column of ``articles``, in one table; every list of columns is derived from it.

One row per column, in the schema's order. A new column is a new row here (and a migration):
the version check, the quality rule, JSON encoding, the run report's coverage and history,
and ``tuban-crawler extract`` all read their lists from this table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Column:
    """What the archive knows about one column of ``articles``."""

    name: str
    #: The SQLite type it was created with (``str`` is TEXT, ``int`` INTEGER).
    type: type
    #: The extracted field it comes from: its key in ``field_sources``, and its name in the run report.
    field: str | None = None
    #: A change of it makes a new version (the view counter and fetch times do not).
    content: bool = False
    #: Its presence makes a copy better: a copy with fewer is never stored over one with more.
    quality: bool = False
    #: Held as JSON text (a list or an object in Python).
    json: bool = False
    #: Measured by the run report: ``run`` with a ``coverage_*`` column in ``crawl_runs``,
    #: ``report`` in the report only.
    coverage: Literal["run", "report"] | None = None
    #: Counted among articles only (evergreen pages have none by nature).
    articles_only: bool = False
    #: Compared with the archive's history by the run report.
    history: bool = False
    #: How the report names a page holding it ("pages with a date").
    words: str | None = None
    #: Shown by ``tuban-crawler extract`` with its source.
    shown: bool = False


ARTICLE_COLUMNS = (
    Column("url", str),
    Column("kind", str, content=True),
    Column(
        "title",
        str,
        "title",
        content=True,
        quality=True,
        coverage="run",
        words="a title",
        shown=True,
    ),
    Column(
        "published_at",
        str,
        "published",
        content=True,
        quality=True,
        coverage="run",
        articles_only=True,
        history=True,
        words="a date",
        shown=True,
    ),
    Column("published_year", int),
    Column("published_month", str),
    Column("published_raw", str, "published", shown=True),
    Column("published_precision", str),
    Column("date_reason", str, "published", shown=True),
    Column("date_warnings", str, "published", json=True, shown=True),
    Column(
        "author",
        str,
        "author",
        content=True,
        quality=True,
        coverage="run",
        articles_only=True,
        history=True,
        words="an author",
        shown=True,
    ),
    Column(
        "categories",
        str,
        "categories",
        content=True,
        json=True,
        coverage="report",
        articles_only=True,
        history=True,
        words="categories",
        shown=True,
    ),
    Column(
        "views",
        int,
        "views",
        coverage="report",
        articles_only=True,
        history=True,
        words="a view count",
        shown=True,
    ),
    Column(
        "body_text",
        str,
        "body",
        content=True,
        quality=True,
        coverage="run",
        words="a body",
        shown=True,
    ),
    Column("body_html", str),
    Column("dateline", str, "body", content=True, shown=True),
    Column("credit", str, "body", content=True, shown=True),
    Column("images", str, "images", content=True, json=True, shown=True),
    Column("photo_caption", str, "photo_caption", content=True, shown=True),
    Column("layout", str),
    Column("field_sources", str, json=True),
    Column("content_hash", str),
    Column("version", int),
    Column("first_seen_at", str),
    Column("last_seen_at", str),
    Column("last_changed_at", str),
    Column("gone_at", str),
    Column("gone_status", int),
    Column("etag", str),
    Column("last_modified", str),
    Column("fetched_url", str),
    Column("published_date", str),  # m002
    # m010: the store's own (store.sametext): the text's fingerprint, and the URL whose text it shares.
    Column("text_hash", str),
    Column("same_text_as", str),
    # The capture it was extracted from, as a researcher cites it (m013, issue 23).
    Column("warc_record_id", str),
    Column("payload_sha256", str),
    # m015: the site the article is archived from, the origin of its URL (store.sites, issue 22).
    Column("site", str),
    # m016: the store's own (store.reposts, issue 22): the story's fingerprint, re-posts and teasers.
    Column("story_hash", str),
    Column("reposted_from", str),
    Column("teaser_of", str),
)

#: Columns whose change makes a new version.
CONTENT_FIELDS = tuple(c.name for c in ARTICLE_COLUMNS if c.content)
#: Fields whose presence makes a copy better; a copy with fewer is never stored over one with more.
QUALITY_FIELDS = tuple(c.name for c in ARTICLE_COLUMNS if c.quality)
#: Columns held as JSON text.
JSON_COLUMNS = tuple(c.name for c in ARTICLE_COLUMNS if c.json)
#: Report name → column, of the fields whose coverage ``crawl_runs`` keeps (``coverage_<name>``).
COVERAGE_FIELDS = {c.field: c.name for c in ARTICLE_COLUMNS if c.field and c.coverage == "run"}
#: Report name → column, of the fields measured in the report only.
EXTRA_ARTICLE_FIELDS = {
    c.field: c.name for c in ARTICLE_COLUMNS if c.field and c.coverage == "report"
}
#: Report names of the fields counted among articles only.
ARTICLE_ONLY_FIELDS = frozenset(c.field for c in ARTICLE_COLUMNS if c.field and c.articles_only)
#: Report name → how the report words a page holding it, for the fields with a ``coverage_*`` column.
COVERAGE_WORDS = {
    c.field: c.words for c in ARTICLE_COLUMNS if c.field and c.words and c.coverage == "run"
}
#: Report name → its words, of the fields compared with the archive's history.
HISTORY_FIELDS = {c.field: c.words for c in ARTICLE_COLUMNS if c.field and c.words and c.history}
#: Column → the extracted field (``field_sources`` key) it comes from, as ``tuban-crawler extract`` shows it.
EXTRACT_SOURCES = {c.name: c.field for c in ARTICLE_COLUMNS if c.field and c.shown}
