"""The fast grammar: every expression that is not a fixed format, read with precompiled regexes.

In-text date shapes (`Sabtu (4/1/2019)`, `6 Nop 2019`, `Rabu (26/07)`, `July 26, 2017`), day
words (`kemarin`), relative phrases, weekdays and times alone, and the refusals for what only
looks like a date (a period, a month without a day, a Hijri date, numbers among other words).
The patterns live in `patterns`; this module decides which of them answers.
"""

from __future__ import annotations

import datetime
import logging
import re

from tuban_crawler.dates import patterns, vocab
from tuban_crawler.dates.days import _date_hit, _date_of, _DateHit, _reference_day
from tuban_crawler.dates.relative import _parse_relative
from tuban_crawler.dates.results import ParsedDate, _as_datetime, _failure
from tuban_crawler.dates.times import _at_time, _dated, _find_time, _Time
from tuban_crawler.dates.weekdays import (
    _find_weekday,
    _resolve_weekday,
    _Weekday,
    _weekday_warnings,
)

logger = logging.getLogger(__name__)


def _only_filler_words(low: str, *spans: tuple[int, int]) -> bool:
    """Return whether LOW, without SPANS, holds only words that may surround a date or time."""
    rest = low
    for start, end in sorted(spans, reverse=True):
        rest = rest[:start] + " " + rest[end:]
    return all(w in vocab.FILLER_WORDS for w in patterns.WORD_RE.findall(rest))


def _strong_day_month(low: str, hit: _DateHit, weekday: _Weekday | None) -> bool:
    """Return whether a year-less `26/07` reads as a date: in brackets, by a WEEKDAY, or alone."""
    if weekday is not None or low[: hit.start].rstrip().endswith("("):
        return True
    t = _find_time(low, hit.end)
    spans = [(hit.start, hit.end)] + ([t.span] if isinstance(t, _Time) else [])
    return _only_filler_words(low, *spans)


def _parse_date_written(
    s: str,
    low: str,
    found: re.Match[str],
    shape: str,
    reference: datetime.date | datetime.datetime | None,
) -> ParsedDate:
    """Return the date (and time) around a date shape found in the text."""
    ref_day = _reference_day(reference) if reference is not None else None
    lead = found["lead"] if shape != "B" else ""
    hit = _date_hit(found, shape, ref_day.year if ref_day else None, lead)
    weekday = _find_weekday(s, low, abbreviation_ok=True)
    if shape == "D" and not _strong_day_month(low, hit, weekday):
        return _failure(f"numbers that need not be a date: {s[hit.start : hit.end]}")
    value = _date_of(hit.day, hit.month, hit.year, ref_day)
    if isinstance(value, str):
        return _failure(value)
    return _dated(value, low, (hit.start, hit.end), "fast", _weekday_warnings(value, weekday))


def _parse_grammar(
    s: str, low: str, reference: datetime.date | datetime.datetime | None
) -> ParsedDate | None:
    """Return what the fast grammar reads in S (LOW: folded), or None when it finds nothing it knows."""
    found = patterns.DATE_RE.search(low)
    if found:
        return _parse_date_written(s, low, found, found.lastgroup or "", reference)
    found = patterns.search_word(patterns.MDY_RE, low)
    if found:
        return _parse_date_written(s, low, found, "B", reference)

    if patterns.RELATIVE_HINT_RE.search(low):
        relative = patterns.RELATIVE_RE.search(low)
        if relative:
            if reference is None:
                return _failure("relative expression and no reference", "relative")
            return _parse_relative(relative, low, reference)

    weekday = _find_weekday(s, low)
    day_word = patterns.search_word(patterns.DAY_WORD_RE, low)
    # `Senin kemarin` is last Monday, not yesterday: the word belongs to the weekday.
    if day_word and weekday and weekday.start < day_word.start() < weekday.end:
        day_word = None
    if day_word:
        word = " ".join(day_word["dw"].split())
        if word in vocab.AMBIGUOUS_DAY_WORDS:
            return _failure(
                f"ambiguous: {word} may be the reference date or the day before", "relative"
            )
        if reference is None:
            return _failure("relative expression and no reference", "relative")
        if word in vocab.NOW_WORDS and isinstance(reference, datetime.datetime):
            return _as_datetime(reference, "relative")
        value = _reference_day(reference) + datetime.timedelta(days=vocab.DAY_WORDS[word])
        return _dated(value, low, day_word.span(), "relative", _weekday_warnings(value, weekday))
    if weekday and weekday.kind == "ambiguous":
        return _failure(
            f"ambiguous: {s[weekday.start : weekday.end].strip()} is a week or a Sunday"
        )
    if weekday and weekday.kind == "day":
        if reference is None:
            return _failure("weekday without a date and no reference")
        value = _resolve_weekday(weekday, _reference_day(reference))
        return _dated(
            value, low, (weekday.start, weekday.end), "fast", _weekday_warnings(value, weekday)
        )
    period = patterns.PERIOD_RE.search(low) if patterns.PERIOD_HINT_RE.search(low) else None
    if period or weekday:
        words = period.group(0) if period else s[weekday.start : weekday.end]  # type: ignore[union-attr]
        return _failure(f"names a period, not a day: {words.strip()}")
    t = _find_time(low)
    if isinstance(t, str):
        return _failure(t)
    if t is not None:
        if not t.keyword and not _only_filler_words(low, t.span):
            return _failure(f"numbers that need not be a time: {s[t.span[0] : t.span[1]]}")
        if reference is None:
            return _failure("time without a date and no reference")
        return _as_datetime(_at_time(_reference_day(reference), t), "fast", t.warnings)
    if patterns.MONTH_YEAR_RE.search(low):
        return _failure("month and year only, no day")
    if patterns.LUNAR_RE.search(low):
        return _failure("Hijri or Javanese calendar date: not converted")
    return None
