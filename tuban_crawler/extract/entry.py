"""What extraction returns: the raw fields of one entry page, where each came from, and what else was read."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from tuban_crawler.dates.choice import DateCandidate


@dataclass
class ExtractedEntry:
    """The raw fields of one entry page, the source of each, and every source's reading."""

    url: str
    title: str | None = None
    published_raw: str | None = None
    #: Every publication date proposal, most believed first, with its parse and extraction's
    #: verdict (handed on: never parsed again; the validate step judges plausibility and picks).
    published_ranked: list[DateCandidate] = field(default_factory=list, compare=False, repr=False)
    modified_raw: str | None = None
    author: str | None = None
    categories: list[str] = field(default_factory=list)
    views_raw: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    body_html: str | None = None
    images: list[dict[str, str]] = field(default_factory=list)
    photo_caption: str | None = None
    canonical_link: str | None = None
    layout: str | None = None
    #: field → the source that won it (``legacy``, ``meta-shape``, ``json-ld``...).
    sources: dict[str, str] = field(default_factory=dict)
    #: field → every source's reading, winner first: ``{"source", "value", "verdict"}``.
    candidates: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: fields on which the portal's layout and the generic layer disagree ("selectors drifted").
    drifted: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Return the raw fields as a plain dict (what ``tuban-crawler extract`` prints)."""
        fields = asdict(self)
        del fields["published_ranked"]  # parses, not fields as written
        return fields
