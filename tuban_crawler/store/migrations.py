"""The archive's schema: its migrations, m001 to m016, applied in order by ``ArchiveStore.open``.

``Migrations("tuban_crawler")`` names the set in every archive's ``_sqlite_migrations`` table:
the name must never change, or old archives would run their migrations again. A migration
once released is never edited; a change to the schema is a new one.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from tuban_crawler.store.changes import derive_changes
from tuban_crawler.store.facetindexes import cover_place_facets
from tuban_crawler.store.fixity import create_fixity_schema
from tuban_crawler.store.places import create_place_tables
from tuban_crawler.store.quality import ERROR_PAGE_MAX_CHARS
from tuban_crawler.store.reposts import create_repost_schema
from tuban_crawler.store.sametext import relink, text_hash
from tuban_crawler.store.sites import create_sites_schema
from tuban_crawler.store.stems import index_queued_stems

#: What an ISO date starts with (GLOB pattern).
DAY_GLOB = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*"

migrations = Migrations("tuban_crawler")


@migrations()
def m001_initial(db: Database) -> None:
    """Create the first schema."""
    db.table("articles").create(
        {
            "url": str,
            "kind": str,
            "title": str,
            "published_at": str,
            "published_year": int,
            "published_month": str,
            "published_raw": str,
            "published_precision": str,
            "date_reason": str,
            "date_warnings": str,
            "author": str,
            "categories": str,
            "views": int,
            "body_text": str,
            "body_html": str,
            "dateline": str,
            "credit": str,
            "images": str,
            "photo_caption": str,
            "layout": str,
            "field_sources": str,
            "content_hash": str,
            "version": int,
            "first_seen_at": str,
            "last_seen_at": str,
            "last_changed_at": str,
            "gone_at": str,
            "gone_status": int,
            "etag": str,
            "last_modified": str,
            "fetched_url": str,
        },
        pk="url",
    )
    db.table("articles").create_index(["published_at"])
    db.table("articles").create_index(["author"])
    db.table("articles").enable_fts(["title", "body_text"], create_triggers=True)
    db.table("article_versions").create(
        {
            "id": int,
            "url": str,
            "version": int,
            "content_hash": str,
            "title": str,
            "published_at": str,
            "author": str,
            "categories": str,
            "body_text": str,
            "body_html": str,
            "dateline": str,
            "credit": str,
            "images": str,
            "photo_caption": str,
            "kind": str,
            "first_seen_at": str,
            "replaced_at": str,
            "replaced_by_run": str,
        },
        pk="id",
        foreign_keys=[("url", "articles", "url")],
    )
    db.table("article_versions").create_index(["url", "version"], unique=True)
    db.table("mentioned_dates").create(
        {"url": str, "mentioned_date": str, "expression": str, "position": int},
        pk=("url", "position"),
        foreign_keys=[("url", "articles", "url")],
    )
    db.table("mentioned_dates").create_index(["mentioned_date"])
    db.table("view_counts").create(
        {"url": str, "seen_at": str, "views": int, "run_id": str},
        pk=("url", "seen_at"),
        foreign_keys=[("url", "articles", "url")],
    )
    db.table("fetches").create(
        {
            "id": int,
            "run_id": str,
            "url": str,
            "fetched_url": str,
            "fetched_at": str,
            "status": int,
            "outcome": str,
            "warc_filename": str,
            "warc_record_id": str,
            "warc_offset": int,
            "warc_length": int,
            "payload_digest": str,
        },
        pk="id",
    )
    db.table("fetches").create_index(["url"])
    db.table("failures").create(
        {
            "url": str,
            "reason": str,
            "status": int,
            "attempts": int,
            "run_id": str,
            "first_seen_at": str,
            "last_seen_at": str,
        },
        pk="url",
    )
    db.table("crawl_runs").create(
        {
            "run_id": str,
            "started_at": str,
            "finished_at": str,
            "status": str,
            "mode": str,
            "base_url": str,
            "requests": int,
            "new": int,
            "updated": int,
            "unchanged": int,
            "failed": int,
            "gone": int,
            "coverage_title": float,
            "coverage_published": float,
            "coverage_author": float,
            "coverage_body": float,
            "report": str,
        },
        pk="run_id",
    )
    db.table("frontier").create(
        {"url": str, "discovered_at": str, "run_id": str, "hint_published": str},
        pk="url",
    )
    db.table("crawl_state").create({"key": str, "value": str}, pk="key")


@migrations()
def m002_published_date(db: Database) -> None:
    """Add ``published_date``, the WIB calendar day of ``published_at`` (SQLite's date() would give UTC's)."""
    db.table("articles").add_column("published_date", str)
    db.execute(
        "update articles set published_date = substr(published_at, 1, 10) where published_at glob ?",
        [DAY_GLOB],
    )
    db.table("articles").create_index(["published_date"])


@migrations()
def m003_stemmed_search(db: Database) -> None:
    """Add the stemmed search index ``articles_stem_fts``, its queue and triggers; index every article."""
    # External content (the text stays in articles, the index holds the roots): as small as
    # the exact index. content='articles' in single quotes, so that sqlite-utils and
    # Datasette, which look for content="articles" or content=[articles], keep finding
    # articles_fts as the table's own index.
    db.execute(
        "create virtual table articles_stem_fts using fts5 (title, body_text, content='articles')"
    )
    db.execute(
        "create table articles_stem_queue (article_rowid integer primary key, indexed integer, old_title text, old_body_text text)"
    )
    # Pure-SQL triggers, so that any writer (sqlite3, sqlite-utils) keeps working: they queue
    # the row with the text it was indexed with (FTS5 deletes an entry by its tokens); the
    # store stems what is queued in the same transaction (index_queued_stems). A row queued
    # already keeps its first entry: that is what the index holds.
    queue = (
        "insert or ignore into articles_stem_queue values (old.rowid, 1, old.title, old.body_text)"
    )
    for trigger in (
        "articles_stem_ai after insert on articles begin"
        " insert or ignore into articles_stem_queue values (new.rowid, 0, null, null); end",
        f"articles_stem_au after update of title, body_text on articles begin {queue}; end",
        f"articles_stem_ad after delete on articles begin {queue}; end",
    ):
        db.execute(f"create trigger {trigger}")
    db.execute("insert into articles_stem_queue select rowid, 0, null, null from articles")
    index_queued_stems(db)


@migrations()
def m004_failures_end_and_rejected_copies(db: Database) -> None:
    """Let failures give up, and record copies judged worse than the archived row (issue 9)."""
    db.table("failures").add_column("gave_up_at", str)
    db.table("rejected_copies").create(
        {
            "id": int,
            "url": str,
            "run_id": str,
            "fetched_at": str,
            "status": int,
            "reason": str,
            "title": str,
            "body_chars": int,
            "warc_filename": str,
            "warc_record_id": str,
            "warc_offset": int,
        },
        pk="id",
    )
    db.table("rejected_copies").create_index(["url"])


@migrations()
def m005_requisites(db: Database) -> None:
    """Add the page requisites (issue 11) and each article image beside its captured copy."""
    db.table("requisites").create(
        {
            "url": str,
            "kind": str,
            "status": int,
            "content_type": str,
            "length": int,
            "first_captured_at": str,
            "captured_at": str,
            "run_id": str,
            "warc_filename": str,
            "warc_record_id": str,
            "warc_offset": int,
            "warc_length": int,
            "payload_digest": str,
            "record_type": str,
        },
        pk="url",
    )
    db.create_view(
        "article_images",
        """select articles.url as article_url, json_extract(image.value, '$.src') as src,
       json_extract(image.value, '$.caption') as caption, requisites.captured_at,
       requisites.warc_filename, requisites.warc_record_id, requisites.payload_digest
from articles join json_each(articles.images) as image
left join requisites on requisites.url = json_extract(image.value, '$.src')""",
    )


@migrations()
def m006_facet_indexes(db: Database) -> None:
    """Index the columns the Datasette page faceted on without one (issue 10: 0.7 s at 20,000 articles)."""
    # (categories, url) covers the category facet, which counts distinct urls per value.
    db.table("articles").create_index(["categories", "url"], if_not_exists=True)
    db.table("articles").create_index(["published_month"], if_not_exists=True)
    db.table("articles").create_index(["published_year"], if_not_exists=True)


#: The categories of an article as SQL rows (json_each), for the triggers that keep ``article_categories``:
#: a value that is not a JSON array gives none (never an error that would fail the write).
_CATEGORY_ROWS = (
    "select j.value, {row}.url, {row}.rowid from {source}json_each(case when json_valid({row}.categories) then"
    " case when json_type({row}.categories) = 'array' then {row}.categories end end) j where j.value is not null"
)


@migrations()
def m007_article_categories(db: Database) -> None:
    """Add ``article_categories``, one narrow row per (category, article), kept by triggers (issue 10).

    The category facet and filter of the Datasette articles page read it instead of parsing
    the JSON array of every (wide) article row: 0.1 s a statement at 20,000 articles.
    """
    # Without rowid, keyed by (category, url): a category's articles are one range of the key.
    # article_rowid is the article's rowid, as in the two search indexes, so that a page
    # filtered on a category can test rows straight from an index of articles.
    db.execute(
        "create table article_categories (category not null, article_url text not null,"
        " article_rowid integer not null, primary key (category, article_url)) without rowid"
    )
    db.execute("create index article_categories_article on article_categories (article_url)")
    # Pure-SQL triggers, so that any writer keeps it exact; a row is rewritten whole, which
    # also repairs what an INSERT OR REPLACE of another writer left (its delete fires no trigger).
    rows = _CATEGORY_ROWS.format(row="new", source="")
    forget = "delete from article_categories where article_url = {row}.url"
    for trigger in (
        f"article_categories_ai after insert on articles begin {forget.format(row='new')};"
        f" insert or ignore into article_categories {rows}; end",
        f"article_categories_au after update of url, categories on articles begin {forget.format(row='old')};"
        f" {forget.format(row='new')}; insert or ignore into article_categories {rows}; end",
        f"article_categories_ad after delete on articles begin {forget.format(row='old')}; end",
    ):
        db.execute(f"create trigger {trigger}")
    db.execute(
        f"insert or ignore into article_categories {_CATEGORY_ROWS.format(row='articles', source='articles, ')}"
    )


#: Bodies this short were compared with every archived body through m008's index, until m010.
SHARED_BODY_MAX_CHARS = 2 * ERROR_PAGE_MAX_CHARS


@migrations()
def m008_shared_text_indexes(db: Database) -> None:
    """Index what each save compares with the archive, short bodies and titles: no save scans every row (issue 10)."""
    db.execute(
        f"create index if not exists articles_short_body on articles (body_text)"
        f" where length(body_text) <= {SHARED_BODY_MAX_CHARS}"
    )
    db.table("articles").create_index(["title"], if_not_exists=True)


@migrations()
def m009_frontier_hint_parsed(db: Database) -> None:
    """Add ``frontier.hint_parsed``: the parse of the date beside an entry's link (JSON), so it is parsed once."""
    db.table("frontier").add_column("hint_parsed", str)


@migrations()
def m010_same_text_as(db: Database) -> None:
    """Add ``text_hash`` and ``same_text_as``: the URLs sharing one text, linked instead of refused (issue 18).

    Every archived row gets its text's fingerprint, and each group of URLs sharing a text
    its link to the URL archived first (``sametext``).
    """
    db.table("articles").add_column("text_hash", str)
    db.table("articles").add_column("same_text_as", str)
    hashes = [
        (text_hash(body), rowid)
        for rowid, body in db.execute("select rowid, body_text from articles").fetchall()
    ]
    db.conn.executemany("update articles set text_hash = ? where rowid = ?", hashes)
    db.table("articles").create_index(["text_hash"], if_not_exists=True)
    db.table("articles").create_index(["same_text_as"], if_not_exists=True)
    shared = db.execute(
        "select text_hash from articles where text_hash is not null group by text_hash having count(*) > 1"
    ).fetchall()
    relink(db, (digest for (digest,) in shared))
    # The fingerprint's index finds a shared text of any length: m008's index of short bodies goes.
    db.execute("drop index if exists articles_short_body")
    # First captures the old rule refused for sharing their text are asked for again, even
    # those given up: the next run archives them (a page served everywhere is refused again).
    db.execute(
        "update failures set gave_up_at = null, attempts = 0"
        " where reason like 'worse copy (a generic page: its text is the text of %'"
        " and url not in (select url from articles)"
    )


@migrations()
def m012_article_changes(db: Database) -> None:
    """Add ``article_changes``, every new version, removal and return in words (issue 21); derive the archive's."""
    derive_changes(db)


@migrations()
def m013_fixity(db: Database) -> None:
    """Add ``fixity_events`` (PREMIS events) and the cited capture of each article and version (issue 23)."""
    create_fixity_schema(db)


@migrations()
def m014_article_places_and_offices(db: Database) -> None:
    """Add ``article_places`` and ``article_offices``: the kecamatan, desa and offices each article mentions (issue 24).

    Every article stored is tagged here (``store.places``); the store tags each new or changed one.
    """
    create_place_tables(db)


@migrations()
def m015_sites(db: Database) -> None:
    """Add ``sites`` (the archive's sites) and ``articles.site`` (each row's origin, filled here) (issue 22)."""
    create_sites_schema(db)


@migrations()
def m015b_covering_facet_indexes(db: Database) -> None:
    """Cover the desa and office facets with indexes, no table rows read (issue 22, ``store.facetindexes``)."""
    cover_place_facets(db)


@migrations()
def m016_reposts(db: Database) -> None:
    """Add ``reposted_from`` and ``teaser_of``: one story on two sites, a teaser and its article (issue 22)."""
    create_repost_schema(db)
