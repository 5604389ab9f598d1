"""The publication date an article keeps: the validate step's judgement, made once (pure).

Extraction hands on the page's date proposals ranked and parsed
(``ExtractedEntry.published_ranked``); a listing's date comes with its parse when it was read
(``dates.results.DateText``). Here each candidate is judged plausible once (``dates.bounds``):
the page's readings are picked again with the rule extraction applied (``dates.choice``), so
a placeholder ``0001-01-01`` falls through to the next source; then, when the page has no
plausible date, the date beside its link on a listing, feed or sitemap; then, for what is
plainly an article, the sitemap's lastmod. A text is parsed here only when it came without
its parse (a feed's date, a frontier row stored before m009, a text white space folding
changed), and only when it is needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from tuban_crawler.dates import ParsedDate, mentioned_dates, parse_date
from tuban_crawler.dates.bounds import EARLIEST_PUBLICATION, plausible_publication
from tuban_crawler.dates.choice import (
    IMPLAUSIBLE,
    DateCandidate,
    final_verdicts,
    local_instant,
    pick,
)
from tuban_crawler.dates.results import carried_parse
from tuban_crawler.normalize.columns import CONTENT_FIELDS
from tuban_crawler.normalize.fields import clean_text, content_hash
from tuban_crawler.normalize.record import calendar_columns

if TYPE_CHECKING:
    from tuban_crawler.items import ArticleItem


@dataclass(frozen=True)
class Published:
    """The publication date an article keeps: as written, parsed, by which source, or why none."""

    raw: str | None
    parsed: ParsedDate | None  # None when there is no date, or it is not plausible
    source: str | None  # ``listing`` or ``sitemap`` when not the page's own
    reason: str | None
    page_winner: int | None = None  # which of the page's readings won (it may be refused)
    page_verdicts: tuple[str, ...] = ()  # the verdict on each of the page's readings, as shown


def parse_once(written: str, given: str | ParsedDate | None) -> ParsedDate:
    """Return the parse of WRITTEN: GIVEN's when it is that text carrying its parse (or the parse of it), else parsed now."""
    if isinstance(given, ParsedDate):
        return given
    carried = carried_parse(given) if given is not None and given == written else None
    return carried if carried is not None else parse_date(written)


def _judged(parsed: ParsedDate | None, today: date | None) -> bool:
    """Return whether PARSED is a plausible publication date (the one call of ``plausible_publication``)."""
    return (
        parsed is not None
        and parsed.value is not None
        and plausible_publication(parsed.value, today)
    )


def choose_published(
    page: Sequence[DateCandidate],
    hint: str | None = None,
    lastmod: str | None = None,
    article_shaped: bool = False,
    today: date | None = None,
) -> Published:
    """Return the publication date an article keeps: the page's, else its listing's, else (ARTICLE_SHAPED) the sitemap's.

    Parameters:
        page: the page's date proposals as extraction ranked them, each parsed, with its verdict.
        hint: the date written beside its link on a listing, feed or sitemap (perhaps with its parse).
        lastmod: the sitemap's lastmod, a last resort.
        article_shaped: the page has a dateline or a credit (plainly an article).
        today: the day the portal's lifetime ends after (for tests; today's date by default).
    """
    verdicts = [
        IMPLAUSIBLE if c.verdict == "ok" and not _judged(c.parsed, today) else c.verdict
        for c in page
    ]
    winner = pick(
        verdicts,
        [c.parsed for c in page],
        written=[c.written for c in page],
        sources=[c.source for c in page],
    )
    fallback = winner is None and bool(page)
    if fallback:
        winner = 0  # nothing acceptable: the first as written, so the archive says why
    shown = tuple(final_verdicts(verdicts, [c.written for c in page], winner, fallback))
    written, parsed, source, plausible = None, None, None, False
    if winner is not None:
        chosen = page[winner]
        written = clean_text(chosen.written) or None
        if written:
            if written == chosen.written:
                parsed, plausible = chosen.parsed, verdicts[winner] == "ok"  # judged above
            else:
                # White space folding changed the text extraction read: what is kept is read anew.
                parsed = parse_date(written)
                plausible = _judged(parsed, today)
    hinted_text = clean_text(hint) or None
    if hinted_text and not plausible:
        # The page has no absolute date (none, a relative one, an unreadable one): the date
        # written beside the link on a listing, feed or sitemap is better than none.
        hinted = parse_once(hinted_text, hint)
        hinted_plausible = _judged(hinted, today)
        if not written or hinted_plausible:
            written, parsed, source, plausible = hinted_text, hinted, "listing", hinted_plausible
    if not written and lastmod and article_shaped:
        # A sitemap's lastmod, the last resort, and only for what is plainly an article
        # (an evergreen page has a lastmod too, and no publication date).
        written, source = clean_text(lastmod), "sitemap"
        parsed = parse_once(written, lastmod)
        plausible = _judged(parsed, today)
    reason = None
    if not written:
        reason = "no date on the page"
    elif parsed is None or not parsed:
        reason = parsed.reason if parsed is not None else None
    elif not plausible:
        reason = f"{written!r} is outside the portal's lifetime ({EARLIEST_PUBLICATION.year} to tomorrow)"
    kept = parsed if written and parsed and plausible else None
    if kept is not None and source is None and winner is not None:
        # The page's own instant, at the offset of the time it shows (``dates.choice``).
        kept = (
            local_instant(winner, verdicts, [c.parsed for c in page], [c.written for c in page])
            or kept
        )
    return Published(written, kept, source, reason, winner, shown)


def settle_published(item: ArticleItem) -> None:
    """Fill the date of ITEM.record (and what follows from it: calendar columns, kind, content hash, mentioned dates).

    The validate step's judgement; ITEM.raw's ``published`` (its text, source and every
    proposal's verdict) then shows it.
    """
    record, raw = item.record, item.raw
    assert record is not None  # normalise has made it
    item.settled_hints = (item.hint_published, item.hint_modified)
    ranked = raw.published_ranked
    published = choose_published(
        ranked,
        item.hint_published,
        item.hint_modified,
        bool(record.dateline or record.credit),
    )
    if ranked:
        # What extraction proposed, with the verdicts once plausibility is judged.
        for shown, proposal in zip(
            published.page_verdicts, raw.candidates["published"], strict=True
        ):
            proposal["verdict"] = shown
        winner = published.page_winner
        if winner is not None:
            raw.published_raw, raw.sources["published"] = (
                ranked[winner].written,
                ranked[winner].source,
            )
            record.field_sources["published"] = ranked[winner].source
    if published.source:
        record.field_sources["published"] = published.source
    parsed = published.parsed
    published_at = parsed.isoformat() if parsed else None
    record.published_at = published_at
    for name, value in calendar_columns(published_at).items():
        setattr(record, name, value)
    record.published_raw = published.raw
    record.published_precision = parsed.precision if parsed else None
    record.date_reason = published.reason
    record.date_warnings = list(parsed.warnings) if parsed and parsed.warnings else None
    if published.raw:
        record.kind = "article"
    record.content_hash = content_hash({name: record[name] for name in CONTENT_FIELDS})
    text, reference = record.body_text, parsed.value if parsed else None
    item.mentioned = [
        {"mentioned_date": m.value.isoformat(), "expression": m.expression}
        for m in (mentioned_dates(text, reference) if text and reference else [])
    ]
