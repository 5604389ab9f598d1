"""What the spider yields and the pipelines carry to the archive.

``ArticleItem`` starts raw (set by the spider from ``extract``) and is filled in by
``NormalizePipeline`` with its record (``normalize.record.Article``); ``ValidatePipeline``
settles its publication date (``normalize.published``) and turns an unusable one into a
``FetchFailure``.
The other items are facts about a fetch that the archive records as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tuban_crawler.normalize.record import Article

if TYPE_CHECKING:  # the archive's writer process unpickles items without loading extraction
    from tuban_crawler.extract import ExtractedEntry


@dataclass
class ArticleItem:
    """One fetched entry page: raw fields in, archive columns out."""

    # -- set by the spider ----------------------------------------------------------
    url: str  # canonical URL: the row's identity
    fetch: dict[str, Any]  # fetched_url, fetched_at, status, warc_* reference
    raw: ExtractedEntry
    etag: str | None = None
    last_modified: str | None = None
    # The date written next to the link on a listing/feed (a ``DateText`` carrying its parse
    # when the listing was read).
    hint_published: str | None = None
    hint_modified: str | None = None  # the sitemap's lastmod: a last resort for an article's date
    # What the page references (``requisites.page_requisites``), read before extraction prunes
    # the tree: the requisites middleware need not parse the page again.
    references: list[tuple[str, str]] | None = None
    # -- set by NormalizePipeline (the date and what follows from it: ValidatePipeline) --
    record: Article | None = None  # the articles row
    mentioned: list[dict[str, Any]] = field(default_factory=list)  # dates the text mentions
    # The (hint_published, hint_modified) its date was judged with (``settle_published``): a
    # page read in an extraction worker comes back judged, and is judged again only when a
    # hint arrived meanwhile (a held page released by a listing, an alias's own hint).
    settled_hints: tuple[str | None, str | None] | None = None


@dataclass
class FetchFailure:
    """A page that could not be fetched or read, and why."""

    url: str
    reason: str
    status: int | None = None
    fetched_at: str | None = None
    final: bool = False  # no retry can help (it redirects off the site): given up at once
    entry: bool = (
        False  # an entry (article or page), not a listing: counts for the run's failed share
    )


@dataclass
class FailureCleared:
    """A page recorded as failed (a listing) that has now been fetched and read."""

    url: str


@dataclass
class EntryNotModified:
    """An archived page that answered ``304 Not Modified``."""

    url: str
    fetch: dict[str, Any]


@dataclass
class EntryGone:
    """An archived page that now answers 404/410 or redirects to the home page."""

    url: str
    fetch: dict[str, Any]


@dataclass
class RequisiteCaptured:
    """A page requisite (photo, stylesheet, script, font, icon) written to the WARC files."""

    url: str
    kind: str  # image, stylesheet, script, font, icon
    status: int
    content_type: str | None
    length: int
    capture: dict[str, Any]  # the CaptureRef of its WARC record, as a dict


@dataclass
class DiscoveredEntries:
    """Entry URLs found on a listing, feed or sitemap, to remember until archived."""

    entries: dict[str, str | None]  # canonical URL → date written beside the link, if any


@dataclass
class NotAnEntry:
    """An ``/entry/`` URL that turned out to be a listing: walked, never archived, out of the frontier."""

    url: str
