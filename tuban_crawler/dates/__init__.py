"""Indonesian date and time expressions to dates that know their precision.

The one place where dates are understood. Policy (issue "dates"):

- a date is returned when only a date is written, an aware datetime when a time is written;
  no zone written means WIB (+07:00);
- impossible or ambiguous input gives no value and a reason, never a guess; a weekday that
  contradicts its date keeps the date as written and adds a warning;
- the portal's own shape (`26 July 2017 13:24`), ISO and RSS dates and the common in-text
  shapes go through precompiled regexes; dateparser is only the fallback for the long tail,
  and what it returns is checked for invented parts.

`parse_date` tries the paths cheapest first: `formats` (the portal's shape, ISO, RSS), then
`grammar` (in-text shapes, day words, weekdays, times; `relative` for relative phrases), then
`fallback` (dateparser). `mentions` finds the dates in running text. The words live in
`vocab`, the patterns built from them in `patterns`; `days`, `weekdays` and `times` hold what
the paths share and `results` what they return. Names with a leading underscore are shared inside this package only.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TextIO

from tuban_crawler.dates import patterns
from tuban_crawler.dates.days import Reference, _coerce_reference

# Called through this namespace, so that a test can prove the hot path never reaches it.
from tuban_crawler.dates.fallback import _parse_dateparser
from tuban_crawler.dates.formats import _PORTAL_FULLMATCH, _parse_iso, _parse_portal, _parse_rss
from tuban_crawler.dates.grammar import _parse_grammar
from tuban_crawler.dates.mentions import mentioned_dates
from tuban_crawler.dates.results import MentionedDate, ParsedDate, _failure

__all__ = ["MentionedDate", "ParsedDate", "Reference", "mentioned_dates", "parse_date", "run_batch"]

logger = logging.getLogger(__name__)

# A date expression is short; longer text is a paragraph and belongs to `mentioned_dates`.
MAX_EXPRESSION_LENGTH = 300


def parse_date(text: str, reference: Reference = None) -> ParsedDate:
    """Return the date or datetime that TEXT writes, or no value and the reason.

    text: a date/time expression as written on an Indonesian page (`Sabtu (4/1/2019)`,
      `26 July 2017 13:24`, `2 jam yang lalu`).
    reference: when the text was written (the article's publication time), for year-less
      dates, weekdays, times alone and relative phrases; a date, a datetime (naive means
      WIB) or an ISO string.

    >>> parse_date("26 July 2017 13:24").isoformat()
    '2017-07-26T13:24:00+07:00'
    >>> parse_date("Kamis (17/12)", "2021-01-04").isoformat()
    '2020-12-17'
    """
    if not isinstance(text, str):
        return _failure(f"not text: {type(text).__name__}")
    m = _PORTAL_FULLMATCH(text)
    if m:
        return _parse_portal(m)
    try:
        ref = _coerce_reference(reference)
    except (TypeError, ValueError) as error:
        return _failure(f"invalid reference: {reference!r} ({error})")
    s, low = patterns.fold(text)
    s, low = s.strip(), low.strip()
    if not s:
        return _failure("empty text")
    if len(s) > MAX_EXPRESSION_LENGTH:
        return _failure("too long for a date expression")
    m = patterns.ISO_RE.fullmatch(low)
    if m:
        return _parse_iso(m)
    m = patterns.RSS_RE.fullmatch(low)
    if m:
        rss = _parse_rss(m)
        if rss is not None:
            return rss
    parsed = _parse_grammar(s, low, ref)
    if parsed is not None:
        return parsed
    if not patterns.LONG_TAIL_RE.search(low):
        # Word-only expressions (weekdays, `kemarin`, `dua hari lalu`) are the grammar's; with
        # neither a month name nor a four-digit year dateparser would read any numbers as a date.
        return _failure("not a date expression")
    return _parse_dateparser(s, ref)


def run_batch(lines: Iterable[str], out: TextIO) -> int:
    """Return 0 after writing one ISO value (or an empty line) per input line `text<TAB>reference`.

    lines: the input lines; the reference after the last tab is ISO and may be empty.
    out: where the answers go, one line each, in order.
    """
    for line in lines:
        line = line.rstrip("\r\n")
        text, tab, reference = line.rpartition("\t")
        if not tab:
            text, reference = line, ""
        parsed = parse_date(text, reference.strip() or None)
        if not parsed:
            logger.debug("no date in %r: %s", text, parsed.reason)
        out.write((parsed.isoformat() or "") + "\n")
    return 0
