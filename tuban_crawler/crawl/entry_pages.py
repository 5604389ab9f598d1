"""An entry page read in full, from its bytes: the crawl's work per article, pure (issue 20).

``read_entry_page`` is what the entry callback hands off. It parses the page once and reads
from that one tree, in order: the links that lead on (``discover.links``, first: extraction
prunes the tree), what the page references (``discover.requisites``), its raw fields
(``extract``), its record (the normalise step) and its date (the validate step's judgement,
with the date hint known when the page was handed off; the validate step judges again only
when a hint arrived meanwhile: ``ArticleItem.settled_hints``).

It runs in the extraction workers (``crawl/extraction.py``: processes of their own, on the
machine's other cores) or, with ``TUBAN_EXTRACT_WORKERS=0``, on the crawl's thread.
``extraction_loop`` is a worker's loop. Nothing here imports Scrapy: a worker loads only what
reading a page needs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from tuban_crawler.crawl.workers import LOGS, Report, take_batch
from tuban_crawler.discover.links import PageLinks, page_links
from tuban_crawler.discover.requisites import page_requisites
from tuban_crawler.discover.scope import SiteScope
from tuban_crawler.extract import extract_entry
from tuban_crawler.extract.markup import decode_html, parse_html
from tuban_crawler.items import ArticleItem
from tuban_crawler.normalize.article import normalize_article
from tuban_crawler.normalize.published import settle_published

logger = logging.getLogger(__name__)


@dataclass
class EntryPageJob:
    """An entry page to read: its bytes and what the crawl knew of it when they came."""

    url: str  # the canonical URL it was requested as
    fetched_url: str  # the address it came from (links resolve against it)
    body: bytes
    encoding: str | None  # the charset its headers declared
    fetch: dict[str, Any]  # what the archive keeps of the fetch (``fetches.fetch_record``)
    etag: str | None = None
    last_modified: str | None = None
    hint_published: str | None = None  # the date beside its link, known so far
    requisites: bool = False  # read what it references
    scope: SiteScope | None = (
        None  # the crawl's sites: which links are entries, by each site's rule
    )


@dataclass
class EntryPage:
    """An entry page read: where it leads, and its article (normalised, its date judged)."""

    links: PageLinks
    item: ArticleItem
    dateless: bool  # the page writes no date of its own
    entries: list[tuple[str, str]]  # its entry links in scope, each with its canonical URL


def read_entry_page(job: EntryPageJob) -> EntryPage:
    """Return the links and the article of the entry page of JOB."""
    page = parse_html(decode_html(job.body, job.encoding))
    scope = job.scope or SiteScope.of(job.fetched_url)
    links = page_links(
        page, job.fetched_url, scope.is_entry
    )  # first: extract_entry prunes the tree
    references = page_requisites(page, job.fetched_url) if job.requisites else None
    raw = extract_entry(page, job.fetched_url)
    item = ArticleItem(
        url=job.url,
        fetch=job.fetch,
        raw=raw,
        etag=job.etag,
        last_modified=job.last_modified,
        hint_published=job.hint_published,
        references=references,
    )
    dateless = not raw.published_raw
    normalize_article(item)
    settle_published(item)
    entries = scope.entry_links(links.entries)
    return EntryPage(links, item, dateless, entries)


def extraction_loop(jobs: Any, reports: Any) -> None:
    """Read the pages of JOBS, ``(number, EntryPageJob)`` pairs, until ``None``; report ``(number, EntryPage or None, error or None)`` per message.

    A page that raises is that page's failure (its reason reported, the traceback logged),
    never the worker's end.
    """
    while True:
        # One message at a time: the pages that came in one turn of the crawl's reactor.
        batch, ended = take_batch(jobs, 1)
        done: list[tuple[int, EntryPage | None, str | None]] = []
        for number, job in batch:
            try:
                done.append((number, read_entry_page(job), None))
            except Exception as error:  # noqa: BLE001 (any bug of extraction: this page's failure)
                logger.exception("%s: could not read the page", job.fetched_url)
                done.append((number, None, f"{type(error).__name__}: {error}"))
        if done or ended:
            reports.put(Report(done, logs=LOGS.take(), last=ended))
        if ended:
            return
