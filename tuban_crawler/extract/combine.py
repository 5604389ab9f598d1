"""The one place where sources meet: for each field, which source wins, and what the others said.

Every reader (the portal's layouts, metadata by shape, JSON-LD, microdata, OpenGraph, RDFa,
``<time>``, the title's and the body's generic readings) proposes values; ``choose`` takes
the first acceptable one in the order of ``FIELD_SOURCES`` and records every proposal with
its verdict in ``ExtractedEntry.candidates``, so ``tuban-crawler extract`` can show why.

Acceptable means: a date ``dates.parse_date`` reads, within the portal's lifetime (a
placeholder ``0001-01-01`` falls through to the next source); a relative date (``2 hari
yang lalu``) only when no source has an absolute one; of two readings of the same day, the
one with the time; a name that is a name (not a URL); a count that is a number.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from tuban_crawler.dates import ParsedDate, parse_date
from tuban_crawler.dates.bounds import plausible_publication
from tuban_crawler.dates.results import carried_parse
from tuban_crawler.extract.entry import ExtractedEntry
from tuban_crawler.extract.metadata import is_relative_date

logger = logging.getLogger(__name__)

#: The order in which sources are believed, per field. The portal's layouts come first
#: (``layout`` stands for whichever claimed the page); what a page shows beats what it declares
#: for metadata, since the archive keeps what readers saw.
FIELD_SOURCES = {
    "published": ("layout", "meta-shape", "json-ld", "microdata", "opengraph", "rdfa", "time"),
    "modified": ("json-ld", "microdata", "opengraph", "rdfa"),
    "author": ("layout", "meta-shape", "json-ld", "microdata", "opengraph", "rdfa"),
    "categories": ("layout", "meta-shape", "json-ld", "microdata", "opengraph", "rdfa"),
    "views": ("layout", "meta-shape", "json-ld", "microdata", "rdfa"),
}
#: Entry attribute of each field.
ATTRIBUTES = {"published": "published_raw", "modified": "modified_raw", "views": "views_raw"}
MAX_AUTHOR_LENGTH = 80


def parse_proposal(value: Any) -> ParsedDate | None:
    """Return the parse of a date proposal: the one its reader handed on (``DateText``), else parsed now; None if not text."""
    if not isinstance(value, str) or not value.strip():
        return None
    parsed = carried_parse(value)
    return parsed if parsed is not None else parse_date(value)


def _date_verdict(value: Any, parsed: ParsedDate | None) -> tuple[str, str | None]:
    """Return (verdict, precision) of a date proposal VALUE whose parse is PARSED."""
    if parsed is None:
        return "rejected: empty", None
    if not parsed:
        if is_relative_date(value, parsed):
            return "relative", None
        return f"rejected: {parsed.reason}", None
    if parsed.value is None or not plausible_publication(parsed.value):
        return "rejected: implausible (outside the portal's lifetime)", None
    return "ok", parsed.precision


def verdict(field_name: str, value: Any) -> str:
    """Return ``ok`` when VALUE is acceptable for FIELD_NAME, else why not (``rejected: ...``, ``relative``).

    >>> verdict("published", "0001-01-01T00:00:00+00:00")
    "rejected: implausible (outside the portal's lifetime)"
    >>> verdict("author", "https://example.org/author/admin"), verdict("views", "Dibaca 57 kali")
    ('rejected: a URL, not a name', 'ok')
    """
    if field_name in ("published", "modified"):
        return _date_verdict(value, parse_proposal(value))[0]
    if field_name == "categories":
        return "ok" if isinstance(value, list) and any(value) else "rejected: empty"
    if not isinstance(value, str) or not value.strip():
        return "rejected: empty"
    if field_name == "author":
        if value.startswith(("http://", "https://", "/")):
            return "rejected: a URL, not a name"
        if len(value) > MAX_AUTHOR_LENGTH or not any(c.isalpha() for c in value):
            return "rejected: not a name"
    if field_name == "views" and not any(c.isdigit() for c in value):
        return "rejected: no number"
    return "ok"


def choose(
    field_name: str, proposals: list[tuple[str, Any]]
) -> tuple[int | None, list[dict[str, Any]]]:
    """Return (index of the winning proposal or None, every proposal with its verdict).

    Parameters:
        field_name: ``title``, ``published``, ``author``...
        proposals: (source, value) pairs, most believed first.
    """
    winner, records, _ = _choose(field_name, proposals)
    return winner, records


def _choose(
    field_name: str, proposals: list[tuple[str, Any]]
) -> tuple[int | None, list[dict[str, Any]], list[ParsedDate | None]]:
    """Return what ``choose`` does, and the parse of each date proposal (each parsed once)."""
    is_date = field_name in ("published", "modified")
    parses = [parse_proposal(v) if is_date else None for _, v in proposals]
    records = [
        {
            "source": s,
            "value": v,
            "verdict": _date_verdict(v, parsed)[0] if is_date else verdict(field_name, v),
        }
        for (s, v), parsed in zip(proposals, parses, strict=True)
    ]
    winner = next((i for i, r in enumerate(records) if r["verdict"] == "ok"), None)
    first = parses[winner] if field_name == "published" and winner is not None else None
    if winner is not None and first is not None and first.precision == "date":
        day, start = first.value, winner + 1
        for i, record in enumerate(records[start:], start=start):
            parsed = parses[i] if record["verdict"] == "ok" else None
            moment = parsed.value if parsed else None
            if isinstance(moment, datetime) and moment.date() == day:
                winner = i  # the same day, with its time
                break
    if winner is None:
        winner = next((i for i, r in enumerate(records) if r["verdict"] == "relative"), None)
    if winner is None and field_name in ATTRIBUTES and field_name != "views" and records:
        # No source has a readable date: keep the first as written, so the archive says why.
        winner = 0
        records[0]["verdict"] = f"won, {records[0]['verdict']}"
    won = records[winner]["value"] if winner is not None else None
    for i, record in enumerate(records):
        if i == winner and not record["verdict"].startswith("won"):
            record["verdict"] = "won"
        elif record["verdict"] == "ok":
            record["verdict"] = "agrees" if record["value"] == won else "differs"
    return winner, records, parses


def combine(entry: ExtractedEntry, field_name: str, proposals: list[tuple[str, Any]]) -> None:
    """Set ENTRY's FIELD_NAME from the best of PROPOSALS, recording its source and every proposal.

    The winning publication date goes on parsed too (``ExtractedEntry.published``): it is not
    parsed again downstream.
    """
    proposals = [(s, v) for s, v in proposals if v]
    if not proposals:
        return
    winner, records, parses = _choose(field_name, proposals)
    entry.candidates[field_name] = records
    if winner is None:
        return
    source, value = proposals[winner]
    setattr(entry, ATTRIBUTES.get(field_name, field_name), value)
    entry.sources[field_name] = source
    if field_name == "published":
        entry.published = parses[winner]


def ordered(
    field_name: str, readings: dict[str, dict[str, Any]], layout: str | None
) -> list[tuple[str, Any]]:
    """Return the proposals for FIELD_NAME from READINGS (source → fields), in ``FIELD_SOURCES`` order."""
    proposals = []
    for source in FIELD_SOURCES[field_name]:
        name = layout if source == "layout" else source
        if name and name in readings and field_name in readings[name]:
            proposals.append((name, readings[name][field_name]))
    return proposals
