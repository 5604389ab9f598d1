"""Calendar days from written numbers: the reference, the year rules, the day a shape writes.

The reference (when the text was written) is checked here once; a year-less date takes the
year that puts it nearest the reference, a two-digit year the nearest century, and a year
outside MIN_YEAR..MAX_YEAR is refused.
"""

from __future__ import annotations

import datetime
import logging
import re
from typing import NamedTuple

from tuban_crawler.dates import vocab
from tuban_crawler.dates.vocab import WIB

logger = logging.getLogger(__name__)

Reference = datetime.date | datetime.datetime | str | None

# Years outside this window are typos or numbers that are not years (`26 Juli 1000 peserta`).
MIN_YEAR, MAX_YEAR = 1800, 2200


def _coerce_reference(reference: Reference) -> datetime.date | datetime.datetime | None:
    """Return REFERENCE as a date or an aware datetime (naive means WIB); ValueError if unusable."""
    if reference is None or reference == "":
        return None
    value: datetime.date
    if isinstance(reference, datetime.date):
        value = reference
    elif isinstance(reference, str):
        text = reference.strip()
        value = (
            datetime.date.fromisoformat(text)
            if len(text) == 10
            else datetime.datetime.fromisoformat(text)
        )
    else:
        raise ValueError(f"not a reference: {reference!r}")
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        # Also keeps the calendar arithmetic (nearest years, relative dates) far from datetime's limits.
        raise ValueError(f"reference year {value.year} out of range")
    if isinstance(value, datetime.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=WIB)
    return value


def _reference_day(reference: datetime.date | datetime.datetime) -> datetime.date:
    return reference.date() if isinstance(reference, datetime.datetime) else reference


def _nearest_year(month: int, day: int, reference: datetime.date) -> datetime.date | None:
    """Return MONTH/DAY in the year that puts it nearest REFERENCE (ties go to the past)."""
    best: datetime.date | None = None
    for year in (reference.year - 1, reference.year, reference.year + 1):
        try:
            candidate = datetime.date(year, month, day)
        except ValueError:
            continue
        if best is None or abs(candidate - reference) < abs(best - reference):
            best = candidate
    return best


def _expand_two_digit_year(year: int, reference_year: int | None) -> int:
    """Return a two-digit YEAR in the century nearest REFERENCE_YEAR (else 1970-2069)."""
    if reference_year is None:
        return year + (2000 if year < 70 else 1900)
    base = reference_year - reference_year % 100
    return min(
        (base - 100 + year, base + year, base + 100 + year), key=lambda y: abs(y - reference_year)
    )


class _DateHit(NamedTuple):
    start: int
    end: int
    day: int
    month: int
    year: int | None
    end_date: tuple[int, int, int | None] | None  # the range's last day, month, year
    month_at: int  # where a month name starts (-1: numeric), to check its case in prose
    month_word: str


def _year_value(text: str | None, reference_year: int | None) -> int | None:
    if text is None:
        return None
    digits = text.lstrip("'")
    year = int(digits)
    return _expand_two_digit_year(year, reference_year) if len(digits) == 2 else year


_GROUP_NAMES = {
    shape: {
        part: f"{shape}_{part}" for part in ("d", "d2", "d3", "m", "m3", "mdot", "y", "y3", "ydot")
    }
    for shape in ("A", "B", "C", "D", "E", "WA")
}


def _date_hit(m: re.Match[str], shape: str, reference_year: int | None, lead: str = "") -> _DateHit:
    """Return the date that a match of shape SHAPE writes (the start of a range).

    lead: the first digit, when the pattern matched it outside the shape (`patterns.DATE_RE`).
    """
    names = _GROUP_NAMES[shape]

    def g(name: str) -> str | None:
        return m.group(names[name])

    # WA is a mention's weekday-led `Senin, 6 Januari 2020`: shape A inside.
    shape_kind = "A" if shape == "WA" else shape
    month_at, month_word = -1, ""
    end_date: tuple[int, int, int | None] | None = None
    if shape_kind == "E":
        day, month = int(g("d") or 0), int(g("m") or 0)
        year = _year_value(lead + (g("y") or ""), reference_year)
    else:
        day = int(lead + (g("d") or ""))
        if shape_kind in ("A", "B"):
            month_at, month_word = m.start(names["m"]), g("m") or ""
            month = vocab.MONTHS[month_word]
            year = _year_value(g("y"), reference_year)
        elif shape_kind == "C":
            month = int(g("m") or g("mdot") or 0)
            year = _year_value(g("y") or g("ydot"), reference_year)
            if month > 12 and day <= 12:
                # `12/30/2019`: no month 30, so the writer put the month first (US order).
                day, month = month, day
        else:
            month, year = int(g("m") or 0), None
    if shape_kind in ("A", "D") and g("d3") is not None:
        day3 = int(g("d3") or 0)
        month3 = vocab.MONTHS[g("m3") or ""] if shape_kind == "A" else int(g("m3") or 0)
        year3 = _year_value(g("y3"), reference_year)
        if year is None and year3 is not None:
            # The start takes the end's year, or the year before when it wraps (30 Des - 2 Jan 2020).
            year = year3 if (month, day) <= (month3, day3) else year3 - 1
        end_date = (day3, month3, year3 if year3 is not None else year)
    elif shape_kind != "E" and g("d2") is not None:
        end_date = (int(g("d2") or 0), month, year)
    return _DateHit(m.start(), m.end(), day, month, year, end_date, month_at, month_word)


def _date_of(
    day: int, month: int, year: int | None, reference: datetime.date | None
) -> datetime.date | str:
    """Return the written date (year-less: nearest REFERENCE), or the reason there is none."""
    if year is None:
        if reference is None:
            return "no year written and no reference date"
        found = _nearest_year(month, day, reference) if 1 <= month <= 12 else None
        return found if found is not None else f"impossible date: {day}/{month}"
    if not MIN_YEAR <= year <= MAX_YEAR:
        return f"year {year} out of range"
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return f"impossible date: {day}/{month}/{year}"
