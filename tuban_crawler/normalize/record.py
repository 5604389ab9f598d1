"""The record of one article: what normalise makes of a page, validate judges and the archive stores.

``Article`` holds one value per column of ``articles`` that a fetch decides (``normalize.columns``
lists them all; the archive adds its own: version, first and last seen, gone). Items carry it
to the archive's writer process pickled, so this module imports nothing heavy.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def calendar_columns(published_at: str | None) -> dict[str, Any]:
    """Return the calendar columns of an ISO PUBLISHED_AT: its year, month and day as written (WIB).

    The day is the one written in the value's own zone (SQLite's ``date()`` would give UTC's);
    migration m002 computes ``published_date`` of older rows the same way, in SQL
    (``substr(published_at, 1, 10)`` where it starts with a day).

    >>> calendar_columns("2017-07-26T00:30:00+07:00")
    {'published_year': 2017, 'published_month': '2017-07', 'published_date': '2017-07-26'}
    >>> calendar_columns(None)["published_date"], calendar_columns("2019-03-02")["published_month"]
    (None, '2019-03')
    """
    if not published_at or not _ISO_DAY.match(published_at):
        return {"published_year": None, "published_month": None, "published_date": None}
    return {
        "published_year": int(published_at[:4]),
        "published_month": published_at[:7],
        "published_date": published_at[:10],
    }


@dataclass
class Article:
    """One article or evergreen page as the archive stores it (JSON columns as Python values)."""

    url: str  # canonical URL: the row's identity
    kind: str  # ``article`` (it has a date, a dateline or a credit) or ``page``
    title: str | None = None
    published_at: str | None = None  # ISO, in the page's own zone (WIB)
    published_year: int | None = None
    published_month: str | None = None
    published_date: str | None = None
    published_raw: str | None = None  # as written, by the source that won
    published_precision: str | None = None  # ``date`` or ``datetime``
    date_reason: str | None = None  # why there is no published_at
    date_warnings: list[str] | None = None
    author: str | None = None
    categories: list[str] | None = None
    views: int | None = None
    body_text: str | None = None
    body_html: str | None = None
    dateline: str | None = None
    credit: str | None = None
    images: list[dict[str, Any]] = field(default_factory=list)
    photo_caption: str | None = None
    layout: str | None = None
    field_sources: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    fetched_url: str | None = None
    content_hash: str | None = None

    # Read as a mapping of its columns too: the run report, the ``extract`` command and tests
    # name columns by the names ``normalize.columns`` lists.
    def __getitem__(self, name: str) -> Any:
        """Return the value of column NAME (KeyError when the record has no such column)."""
        if name not in _NAMES:
            raise KeyError(name)
        return getattr(self, name)

    def get(self, name: str, default: Any = None) -> Any:
        """Return the value of column NAME, or DEFAULT when the record has no such column."""
        return getattr(self, name) if name in _NAMES else default

    def as_row(self) -> dict[str, Any]:
        """Return the record as the ``articles`` columns it fills (JSON columns still Python values)."""
        return {name: getattr(self, name) for name in _NAMES}


_NAMES = tuple(f.name for f in dataclasses.fields(Article))
