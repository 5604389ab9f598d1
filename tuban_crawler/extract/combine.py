"""The one place where sources meet: for each field, which source wins, and what the others said.

Every reader (the portal's layouts, metadata by shape, JSON-LD, microdata, OpenGraph, RDFa,
``<time>``, the title's and the body's generic readings) proposes values; ``choose`` takes
the first acceptable one in the order of ``FIELD_SOURCES`` and records every proposal with
its verdict in ``ExtractedEntry.candidates``, so ``tuban-crawler extract`` can show why.

Acceptable means: a date ``dates.parse_date`` reads (whether a publication date is within
the portal's lifetime is the validate step's judgement: ``normalize.published`` picks again
among the ranked proposals, so a placeholder ``0001-01-01`` falls through to the next
source; ``dates.choice`` holds the rule both apply); a relative date (``2 hari
yang lalu``) only when no source has an absolute one; of two readings of the same day, the
one with the time; of two readings of the same categories, the fuller one; a name that is a
name (not a URL); a count that is a number.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from tuban_crawler.dates import ParsedDate, parse_date
from tuban_crawler.dates.bounds import plausible_publication
from tuban_crawler.dates.choice import IMPLAUSIBLE, DateCandidate, final_verdicts, pick
from tuban_crawler.dates.results import carried_parse
from tuban_crawler.extract.authors import author_verdict
from tuban_crawler.extract.entry import ExtractedEntry
from tuban_crawler.extract.metadata import is_relative_date

logger = logging.getLogger(__name__)

#: A verdict on one (source, value) proposal: ``ok``, or ``rejected: <why>``.
Judge = Callable[[str, Any], str]

#: The order in which sources are believed, per field. The portal's layouts come first
#: (``layout`` stands for whichever claimed the page); what a page shows beats what it declares
#: for metadata, since the archive keeps what readers saw.
FIELD_SOURCES = {
    # The date in the address is the last resort (its day only: a time on the page wins).
    "published": (
        "layout",
        "meta-shape",
        "json-ld",
        "microdata",
        "opengraph",
        "rdfa",
        "time",
        "headline",
        "url",
    ),
    "modified": ("json-ld", "microdata", "opengraph", "rdfa", "meta-shape"),
    # Then the editor, named only when no writer is (``authors``).
    "author": (
        "layout",
        "meta-shape",
        "byline",
        "json-ld",
        "microdata",
        "opengraph",
        "rdfa",
        "meta-shape (editor)",
        "json-ld (editor)",
    ),
    "categories": (
        "layout",
        "meta-shape",
        "json-ld",
        "microdata",
        "opengraph",
        "rdfa",
        "category-links",
    ),
    "views": ("layout", "meta-shape", "json-ld", "microdata", "rdfa"),
}
#: Entry attribute of each field.
ATTRIBUTES = {"published": "published_raw", "modified": "modified_raw", "views": "views_raw"}


def parse_proposal(value: Any) -> ParsedDate | None:
    """Return the parse of a date proposal: the one its reader handed on (``DateText``), else parsed now; None if not text."""
    if not isinstance(value, str) or not value.strip():
        return None
    parsed = carried_parse(value)
    return parsed if parsed is not None else parse_date(value)


def _date_verdict(field_name: str, value: Any, parsed: ParsedDate | None) -> str:
    """Return the verdict on a date proposal VALUE for FIELD_NAME whose parse is PARSED.

    A publication date that reads is ``ok`` here: whether it is plausible is judged by the
    validate step (``normalize.published``), once. A modification date is stored nowhere
    downstream, so extraction judges it.
    """
    if parsed is None:
        return "rejected: empty"
    if not parsed:
        if is_relative_date(value, parsed):
            return "relative"
        return f"rejected: {parsed.reason}"
    if field_name == "modified" and (
        parsed.value is None or not plausible_publication(parsed.value)
    ):
        return IMPLAUSIBLE
    return "ok"


def verdict(field_name: str, value: Any) -> str:
    """Return ``ok`` when VALUE is acceptable for FIELD_NAME, else why not (``rejected: ...``, ``relative``).

    >>> verdict("modified", "0001-01-01T00:00:00+00:00")
    "rejected: implausible (outside the portal's lifetime)"
    >>> verdict("published", "0001-01-01T00:00:00+00:00"), verdict("published", "31 February 2020")
    ('ok', 'rejected: impossible date: 31/2/2020')
    >>> verdict("author", "https://example.org/author/admin"), verdict("views", "Dibaca 57 kali")
    ('rejected: a URL, not a name', 'ok')
    """
    if field_name in ("published", "modified"):
        return _date_verdict(field_name, value, parse_proposal(value))
    if field_name == "categories":
        return "ok" if isinstance(value, list) and any(value) else "rejected: empty"
    if not isinstance(value, str) or not value.strip():
        return "rejected: empty"
    if field_name == "author":
        return author_verdict(value)
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
    field_name: str, proposals: list[tuple[str, Any]], judge: Judge | None = None
) -> tuple[int | None, list[dict[str, Any]], list[DateCandidate]]:
    """Return what ``choose`` does, and each date proposal ranked with its parse and verdict (each parsed once)."""
    is_date = field_name in ("published", "modified")
    parses = [parse_proposal(v) if is_date else None for _, v in proposals]
    verdicts = [
        _date_verdict(field_name, v, parsed)
        if is_date
        else judge(s, v)
        if judge is not None
        else verdict(field_name, v)
        for (s, v), parsed in zip(proposals, parses, strict=True)
    ]
    winner = pick(
        verdicts,
        parses,
        same_day=field_name == "published",
        written=[str(v) for _, v in proposals] if is_date else None,
        sources=[s for s, _ in proposals],
    )
    if field_name == "categories" and winner is not None:
        winner = fullest_categories([v for _, v in proposals], verdicts, winner)
    fallback = False
    if winner is None and field_name in ATTRIBUTES and field_name != "views" and proposals:
        # No source has a readable date: keep the first as written, so the archive says why.
        winner, fallback = 0, True
    values = [v for _, v in proposals]
    shown = final_verdicts(verdicts, values, winner, fallback)
    records = [{"source": s, "value": v, "verdict": shown[i]} for i, (s, v) in enumerate(proposals)]
    ranked = [
        DateCandidate(s, v, parsed, judged)
        for (s, v), parsed, judged in zip(proposals, parses, verdicts, strict=True)
        if is_date
    ]
    return winner, records, ranked


def _names(value: Any) -> set[str]:
    return {str(name).strip(" #,•").casefold() for name in value or [] if str(name).strip(" #,•")}


def fullest_categories(values: list[Any], verdicts: list[str], winner: int) -> int:
    """Return the index of the fullest acceptable reading of VALUES that holds every category of the WINNER's.

    Of two readings of the same categories, the one that read them all (a metadata line read
    as one category, the links beside it as two).

    >>> fullest_categories([["Kesehatan,"], ["#Kesehatan", "Posyandu"], ["Umum"]], ["ok"] * 3, 0)
    1
    >>> fullest_categories([["Kesehatan"], ["Umum", "Posyandu"]], ["ok"] * 2, 0)
    0
    """
    best, best_names = winner, _names(values[winner])
    for index, value in enumerate(values):
        names = _names(value)
        if verdicts[index] == "ok" and names > best_names:
            best, best_names = index, names
    return best


def combine(
    entry: ExtractedEntry,
    field_name: str,
    proposals: list[tuple[str, Any]],
    judge: Judge | None = None,
) -> None:
    """Set ENTRY's FIELD_NAME from the best of PROPOSALS, recording its source and every proposal.

    JUDGE, when given, gives the verdict on each (source, value) instead of ``verdict`` (the
    author's validator knows the page: its site's name, its links, its editors).

    Every publication date proposal goes on ranked, parsed, with its verdict
    (``ExtractedEntry.published_ranked``): none is parsed again downstream, and the validate
    step picks among them once it has judged which are plausible.
    """
    proposals = [(s, v) for s, v in proposals if v]
    if not proposals:
        return
    winner, records, ranked = _choose(field_name, proposals, judge)
    entry.candidates[field_name] = records
    if field_name == "published":
        entry.published_ranked = ranked
    if winner is None:
        return
    source, value = proposals[winner]
    setattr(entry, ATTRIBUTES.get(field_name, field_name), value)
    entry.sources[field_name] = source


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
