"""The dates an article's running text mentions (`mentioned_dates`), read conservatively.

Month and weekday names count only capitalised, a short month (`Mar`) only with a year, a
numeric date only with a four-digit year or after a weekday, and never after a number label
(`Nomor 17/08/2020`).
"""

from __future__ import annotations

import logging
import re

from tuban_crawler.dates import patterns, vocab
from tuban_crawler.dates.days import (
    Reference,
    _coerce_reference,
    _date_hit,
    _date_of,
    _DateHit,
    _reference_day,
    _year_value,
)
from tuban_crawler.dates.results import MentionedDate
from tuban_crawler.dates.weekdays import _Weekday, _weekday_number, _weekday_warnings

logger = logging.getLogger(__name__)


def _mention_hit(
    m: re.Match[str], s: str, reference_year: int | None
) -> tuple[_DateHit, int] | None:
    """Return the date hit of a mention match and where its weekday starts (-1: none), or None."""
    shape = m.lastgroup or ""
    if shape == "W":
        day, month = int(m["W_d"]), int(m["W_m"])
        year = _year_value(m["W_y"], reference_year)
        end = (int(m["W_d2"]), month, year) if m["W_d2"] else None
        return _DateHit(m.start(), m.end(), day, month, year, end, -1, ""), m.start("wd")
    if shape == "WA":
        hit = _date_hit(m, "WA", reference_year)
        return hit, m.start("wda")
    hit = _date_hit(m, shape, reference_year)
    if shape == "C" and len(m["C_y"] or m["C_ydot"] or "") != 4:
        return None  # `4/1/19` in running text is too often a fraction or a code
    return hit, -1


def mentioned_dates(text: str, reference: Reference) -> list[MentionedDate]:
    """Return the dates TEXT mentions, in order, each occurrence once (a range gives both ends).

    text: an article's body.
    reference: its publication date or time, for year-less dates (`Rabu (26/07)`); an
      unreadable reference raises ValueError.
    """
    ref = _coerce_reference(reference)
    ref_day = _reference_day(ref) if ref is not None else None
    s, low = patterns.fold(text)
    found: list[MentionedDate] = []
    for m in patterns.MENTION_RE.finditer(low):
        result = _mention_hit(m, s, ref_day.year if ref_day else None)
        if result is None:
            continue
        hit, weekday_at = result
        # Month and day names are capitalised in Indonesian prose; a short month alone
        # (`5 Mar`) is too often something else.
        if hit.month_at >= 0 and (
            not s[hit.month_at].isupper()
            or (hit.month_word in vocab.SHORT_MONTHS and hit.year is None)
        ):
            continue
        if weekday_at >= 0 and not s[weekday_at].isupper():
            continue
        if (
            hit.month_at < 0
            and weekday_at < 0
            and patterns.NUMBER_LABEL_RE.search(low, max(0, hit.start - 12), hit.start)
        ):
            continue  # `Nomor 17/08/2020` is a letter's number
        start_value = _date_of(hit.day, hit.month, hit.year, ref_day)
        if isinstance(start_value, str):
            continue
        weekday = None
        if weekday_at >= 0:
            word = patterns.WD_RE.match(low, weekday_at)
            weekday = _Weekday(_weekday_number(word["wd"]), "day", "", None, 0, 0) if word else None
        expression = text[hit.start : hit.end].rstrip(" ,.")
        end = hit.start + len(expression)
        warns = tuple(_weekday_warnings(start_value, weekday))
        found.append(MentionedDate(start_value, expression, hit.start, end, warns))
        if hit.end_date is not None:
            end_value = _date_of(*hit.end_date, ref_day)
            if not isinstance(end_value, str) and end_value > start_value:
                found.append(MentionedDate(end_value, expression, hit.start, end))
    return found
