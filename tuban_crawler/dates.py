"""Indonesian date and time expressions to dates that know their precision.

The one place where dates are understood. Policy (issue "dates"):

- a date is returned when only a date is written, an aware datetime when a time is written;
  no zone written means WIB (+07:00);
- impossible or ambiguous input gives no value and a reason, never a guess; a weekday that
  contradicts its date keeps the date as written and adds a warning;
- the portal's own shape (`26 July 2017 13:24`), ISO and RSS dates and the common in-text
  shapes go through precompiled regexes; dateparser is only the fallback for the long tail,
  and what it returns is checked for invented parts.

The words and patterns live in `tuban_crawler.dates_vocab`; this module holds the grammar.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, NamedTuple, TextIO

from tuban_crawler import dates_vocab as vocab
from tuban_crawler.dates_vocab import WIB

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

logger = logging.getLogger(__name__)

Reference = datetime.date | datetime.datetime | str | None

# Years outside this window are typos or numbers that are not years (`26 Juli 1000 peserta`).
MIN_YEAR, MAX_YEAR = 1800, 2200
# A date expression is short; longer text is a paragraph and belongs to `mentioned_dates`.
MAX_EXPRESSION_LENGTH = 300


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """A parsed date or datetime, or the reason there is none."""

    value: datetime.date | datetime.datetime | None
    precision: Literal["date", "datetime"] | None
    reason: str | None = None
    warnings: tuple[str, ...] = ()
    method: str = ""

    def isoformat(self) -> str | None:
        """Return the value as ISO 8601 (`2019-01-04`, `2017-07-26T13:24:00+07:00`), or None."""
        return None if self.value is None else self.value.isoformat()

    def __bool__(self) -> bool:
        """Return whether there is a value."""
        return self.value is not None


@dataclass(frozen=True)
class MentionedDate:
    """A date that an article's text mentions, with the expression as written and its offsets."""

    value: datetime.date
    expression: str
    start: int
    end: int
    warnings: tuple[str, ...] = ()


def _failure(reason: str, method: str = "fast") -> ParsedDate:
    return ParsedDate(None, None, reason=reason, method=method)


def _as_date(value: datetime.date, method: str, warns: Iterable[str] = ()) -> ParsedDate:
    return ParsedDate(value, "date", warnings=tuple(warns), method=method)


def _as_datetime(value: datetime.datetime, method: str, warns: Iterable[str] = ()) -> ParsedDate:
    return ParsedDate(value, "datetime", warnings=tuple(warns), method=method)


# --------------------------------------------------------------------------- references

def _coerce_reference(reference: Reference) -> datetime.date | datetime.datetime | None:
    """Return REFERENCE as a date or an aware datetime (naive means WIB); ValueError if unusable."""
    if reference is None or reference == "":
        return None
    value: datetime.date
    if isinstance(reference, datetime.date):
        value = reference
    elif isinstance(reference, str):
        text = reference.strip()
        value = datetime.date.fromisoformat(text) if len(text) == 10 else datetime.datetime.fromisoformat(text)
    else:
        raise ValueError(f"not a reference: {reference!r}")
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        # Also keeps the calendar arithmetic below far from datetime's limits.
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
    return min((base - 100 + year, base + year, base + 100 + year), key=lambda y: abs(y - reference_year))


def _add_months(day: datetime.date, months: int) -> datetime.date:
    """Return DAY moved by MONTHS calendar months, clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


# --------------------------------------------------------------------------- dates in text

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
    shape: {part: f"{shape}_{part}" for part in ("d", "d2", "d3", "m", "m3", "mdot", "y", "y3", "ydot")}
    for shape in ("A", "B", "C", "D", "E", "WA")
}


def _date_hit(m: re.Match[str], shape: str, reference_year: int | None, lead: str = "") -> _DateHit:
    """Return the date that a match of shape SHAPE writes (the start of a range).

    lead: the first digit, when the pattern matched it outside the shape (`vocab.DATE_RE`).
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


def _date_of(day: int, month: int, year: int | None, reference: datetime.date | None) -> datetime.date | str:
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


# --------------------------------------------------------------------------- weekdays

class _Weekday(NamedTuple):
    weekday: int | None  # None: the word is "week" or ambiguous
    kind: Literal["day", "week", "ambiguous"]
    direction: Literal["", "past", "soon", "next"]
    pasaran: str | None
    start: int
    end: int


_WEEKDAY_NUMBERS = {**vocab.WEEKDAYS, **{k.replace("'", ""): v for k, v in vocab.WEEKDAYS.items()}}


def _weekday_number(word: str) -> int:
    """Return the number (Monday 0) of a full weekday name as folded (`jum'at`, `jumat`)."""
    number = _WEEKDAY_NUMBERS.get(word)
    return number if number is not None else _WEEKDAY_NUMBERS[word.replace("'", "")]


def _find_weekday(s: str, low: str, abbreviation_ok: bool = False) -> _Weekday | None:
    """Return the first weekday written in S (LOW: folded), with its market day and direction words."""
    if abbreviation_ok:
        ma = vocab.WDA_RE.match(low)
        if ma:
            number = vocab.WEEKDAY_ABBREVIATIONS[ma["wd"]]
            return _Weekday(number, "day", "", None, ma.start("wd"), ma.end("wd"))
    m = vocab.search_word(vocab.WD_RE, low)
    if m is None:
        return None
    start = m.start()
    tail = vocab.WD_TAIL_RE.match(low, m.end())
    direction: Literal["", "past", "soon", "next"] = ""
    pasaran, end = None, m.end()
    if tail and tail.end() > end:
        end, pasaran = tail.end(), tail["pas"]
        direction = "past" if tail["past"] else "soon" if tail["soon"] else "next" if tail["next"] else ""
    weekday = _weekday_number(m["wd"])
    if m["wd"] == "minggu" and not vocab.HARI_BEFORE_RE.search(low, max(0, start - 12), start):
        before = vocab.WEEK_BEFORE_RE.search(low, max(0, start - 24), start)
        if before or vocab.WEEK_AFTER_RE.match(low, m.end()):
            return _Weekday(None, "week", "", None, start, end)
        if direction in ("past", "next"):
            # Capitalised mid-sentence it is Sunday; lower case it is the week; at the start
            # of the text or in capitals it could be either.
            word = s[start:m.end()]
            if word.islower():
                return _Weekday(None, "week", direction, None, start, end)
            if word.isupper() or not s[:start].strip():
                return _Weekday(None, "ambiguous", direction, None, start, end)
    return _Weekday(weekday, "day", direction, pasaran, start, end)


def _weekday_warnings(value: datetime.date, weekday: _Weekday | None) -> list[str]:
    """Return warnings when the written weekday or market day contradicts VALUE."""
    found: list[str] = []
    if weekday is None or weekday.weekday is None:
        return found
    if value.weekday() != weekday.weekday:
        found.append(
            f"weekday {vocab.WEEKDAY_NAMES[weekday.weekday]} contradicts {value.isoformat()}"
            f" ({vocab.WEEKDAY_NAMES[value.weekday()]})"
        )
    if weekday.pasaran:
        pasaran = vocab.PASARAN_ALIASES.get(weekday.pasaran, weekday.pasaran)
        actual = vocab.PASARAN[value.toordinal() % 5]
        if pasaran != actual:
            found.append(f"market day {pasaran.title()} contradicts {value.isoformat()} ({actual.title()})")
    return found


def _resolve_weekday(weekday: _Weekday, reference: datetime.date) -> datetime.date:
    """Return the day WEEKDAY names: the latest on or before REFERENCE unless it says it is coming."""
    number = weekday.weekday if weekday.weekday is not None else reference.weekday()
    if weekday.direction in ("soon", "next"):
        ahead = (number - reference.weekday()) % 7
        if ahead == 0 and weekday.direction == "next":
            ahead = 7
        return reference + datetime.timedelta(days=ahead)
    back = (reference.weekday() - number) % 7
    if back == 0 and weekday.direction == "past":
        back = 7
    return reference - datetime.timedelta(days=back)


# --------------------------------------------------------------------------- times

class _Time(NamedTuple):
    hour: int
    minute: int
    second: int
    microsecond: int
    tz: datetime.tzinfo
    warnings: tuple[str, ...]
    span: tuple[int, int]
    keyword: bool  # written with `pukul`/`jam`/`at` or am/pm: certainly a time


def _only_filler_words(low: str, *spans: tuple[int, int]) -> bool:
    """Return whether LOW, without SPANS, holds only words that may surround a date or time."""
    rest = low
    for start, end in sorted(spans, reverse=True):
        rest = rest[:start] + " " + rest[end:]
    return all(w in vocab.FILLER_WORDS for w in vocab.WORD_RE.findall(rest))


def _words_number(text: str | None) -> int | None:
    return None if text is None else vocab.number_from_words(text)


def _time_match(low: str, start: int, end: int) -> re.Match[str] | None:
    """Return the leftmost clock, spoken or am/pm time in LOW[START:END]."""
    clock = vocab.CLOCK_RE.search(low, start, end)
    if "pukul" in low or "jam" in low or "pkl" in low:
        spoken = vocab.search_word(vocab.SPOKEN_TIME_RE, low, start, end)
        if spoken is not None and (clock is None or spoken.start() < clock.start()):
            return spoken
    return clock


def _find_time(low: str, start: int = 0, end: int | None = None) -> _Time | str | None:
    """Return the first time in LOW[START:END] with its zone, a reason if impossible, or None."""
    m = _time_match(low, start, len(low) if end is None else end)
    if m is None:
        return None
    second = micro = 0
    ap = None
    keyword = True
    if m.re is vocab.SPOKEN_TIME_RE:
        half = _words_number(m["half"])
        if half is not None:
            hour, minute = half - 1, 30
        else:
            hour, minute = _words_number(m["sh"]) or 0, 0
            if m["plus"]:
                minute = _words_number(m["plus"]) or 0
            elif m["quarter"]:
                minute = 15
            elif m["minus"]:
                less = 15 if m["minus"] == "seperempat" else (_words_number(m["minus"]) or 0)
                hour, minute = (hour - 1) % 24, 60 - less
        if hour > 24 or minute > 59:
            return None  # `jam 30` is a duration (`2 jam 30 menit`), not a time
    else:
        hour = int(m["lead"] + (m["h2"] or ""))
        ap = m["ap"]
        minute, second = int(m["mi"] or 0), int(m["s"] or 0)
        if m["frac"]:
            micro = int(m["frac"].ljust(6, "0"))
        keyword = bool(ap) or bool(vocab.TIME_KEYWORD_BEFORE_RE.search(low, max(0, m.start() - 8), m.start()))
    warns: list[str] = []
    if ap:
        if hour > 12 or hour == 0:
            return f"impossible time: {m.group(0).strip()}"
        hour = hour % 12 + (12 if ap.startswith("p") else 0)
    else:
        # The part of the day right after the time (`pukul 8 malam`), else the first written.
        pod = vocab.search_word(vocab.POD_RE, low)
        if pod is not None and pod.start() < m.end():
            pod = vocab.search_word(vocab.POD_RE, low, m.end(), m.end() + 16) or pod
        if pod:
            part = " ".join(pod["pod"].split())
            if hour <= 12:
                hour = vocab.hour_for_part_of_day(hour, part)
            elif not vocab.part_of_day_agrees(hour, part):
                warns.append(f"part of day {part} contradicts {hour:02d}:{minute:02d}")
    if hour > 24 or (hour == 24 and (minute or second)):
        return f"impossible time: {m.group(0).strip()}"
    return _Time(hour, minute, second, micro, _find_zone(low, m.end()), tuple(warns), m.span(), keyword)


@functools.lru_cache(maxsize=64)
def _offset(sign: str, hours: str, minutes: str | None) -> datetime.tzinfo:
    delta = datetime.timedelta(hours=int(hours), minutes=int(minutes or 0))
    return datetime.timezone(-delta if sign == "-" else delta)


def _find_zone(low: str, after_time: int) -> datetime.tzinfo:
    """Return the zone written right after the time or anywhere in LOW; WIB when none is."""
    m = vocab.OFFSET_AFTER_RE.match(low, after_time)
    if m:
        return datetime.timezone.utc if m["zz"] else _offset(m["zs"], m["zh"], m["zm"])
    if not ("wi" in low or "utc" in low or "gmt" in low):
        return WIB
    z = vocab.search_word(vocab.ZONE_RE, low)
    if z is None:
        return WIB
    if z["zs"]:
        return _offset(z["zs"], z["zh"], z["zm"])
    return vocab.ZONES[z["zn"]]


def _at_time(day: datetime.date, t: _Time) -> datetime.datetime:
    """Return DAY at time T; 24:00 is the midnight that ends DAY."""
    if t.hour == 24:
        return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(0), t.tz)
    return datetime.datetime(day.year, day.month, day.day, t.hour, t.minute, t.second, t.microsecond, t.tz)


def _dated(day: datetime.date, low: str, span: tuple[int, int], method: str, warns: list[str]) -> ParsedDate:
    """Return DAY as a date, or as a datetime when LOW also writes a time (outside SPAN)."""
    t = _find_time(low)
    if isinstance(t, _Time) and t.span[0] < span[1] and span[0] < t.span[1]:
        t = _find_time(low, span[1])
    if isinstance(t, str):
        return _failure(t, method)
    if t is None:
        return _as_date(day, method, warns)
    return _as_datetime(_at_time(day, t), method, [*warns, *t.warnings])


# --------------------------------------------------------------------------- fast paths

def _parse_portal(m: re.Match[str]) -> ParsedDate:
    day, month, year, hour, minute = m.groups()
    try:
        # Positional arguments: this runs for most strings of a crawl.
        value = _DATETIME(int(year), _PORTAL_MONTHS[month], int(day), int(hour), int(minute), 0, 0, WIB)
    except ValueError:
        return _failure(f"impossible date: {m.group(0).strip()}")
    return ParsedDate(value, "datetime", None, (), "fast")


_DATETIME = datetime.datetime
_PORTAL_MONTHS = vocab.PORTAL_MONTHS
_PORTAL_FULLMATCH = vocab.PORTAL_RE.fullmatch


def _parse_iso(m: re.Match[str]) -> ParsedDate:
    year, month, day, hour, minute, second, frac, zone = m.groups()
    try:
        if hour is None:
            return ParsedDate(datetime.date(int(year), int(month), int(day)), "date", method="iso")
        if zone is None:
            tz: datetime.tzinfo = WIB
        elif zone == "z":
            tz = datetime.timezone.utc
        else:
            tz = _offset(zone[0], zone[1:3], zone[-2:] if len(zone) > 3 else None)
        micro = int((frac or "0").ljust(6, "0")[:6])
        value = datetime.datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micro, tz
        )
    except ValueError:
        return _failure(f"impossible date: {m.group(0).strip()}", "iso")
    return ParsedDate(value, "datetime", method="iso")


def _parse_rss(m: re.Match[str]) -> ParsedDate | None:
    weekday, day, month, year, hour, minute, second, zone = m.groups()
    month_number = vocab.MONTHS.get(month)
    weekday_number = vocab.WEEKDAY_ABBREVIATIONS.get(weekday) if weekday else None
    if month_number is None or (weekday and weekday_number is None):
        return None
    try:
        tz = vocab.ZONES.get("utc" if zone == "ut" else zone) or _offset(zone[0], zone[1:3], zone[3:])
        value = datetime.datetime(
            int(year), month_number, int(day), int(hour), int(minute), int(second or 0), tzinfo=tz
        )
    except ValueError:
        return _failure(f"impossible date: {m.group(0).strip()}", "rss")
    warns = _weekday_warnings(value.date(), _Weekday(weekday_number, "day", "", None, 0, 0))
    return ParsedDate(value, "datetime", warnings=tuple(warns), method="rss")


# --------------------------------------------------------------------------- the grammar

def _parse_relative(m: re.Match[str], low: str, reference: datetime.date | datetime.datetime) -> ParsedDate:
    """Return the date or datetime that a relative expression (`2 jam yang lalu`) names."""
    if m["fu"]:
        count, unit, sign = m["fn"] or m["fnw"], m["fu"], 1
    else:
        count = "1" if m["se"] else (m["n"] or m["nw"])
        unit = m["u"]
        sign = -1 if m["dir"] in ("lalu", "silam", "ago") else 1
    if count in ("beberapa", "bbrp"):
        return _failure(f"vague relative expression: {m.group(0).strip()}", "relative")
    number = vocab.number_from_words(count)
    if number is None:
        return _failure(f"not a number: {count}", "relative")
    kind, size = vocab.RELATIVE_UNITS[unit]
    amount = sign * number * size
    if kind in ("seconds", "minutes", "hours"):
        if not isinstance(reference, datetime.datetime):
            return _failure("a relative time needs a reference time, not just a date", "relative")
        return _as_datetime(reference + datetime.timedelta(**{kind: amount}), "relative")
    day = _reference_day(reference)
    try:
        value = day + datetime.timedelta(days=amount) if kind == "days" else _add_months(day, amount)
    except (OverflowError, ValueError):
        return _failure(f"relative date out of range: {m.group(0).strip()}", "relative")
    return _dated(value, low, m.span(), "relative", [])


def _strong_day_month(low: str, hit: _DateHit, weekday: _Weekday | None) -> bool:
    """Return whether a year-less `26/07` reads as a date: in brackets, by a WEEKDAY, or alone."""
    if weekday is not None or low[: hit.start].rstrip().endswith("("):
        return True
    t = _find_time(low, hit.end)
    spans = [(hit.start, hit.end)] + ([t.span] if isinstance(t, _Time) else [])
    return _only_filler_words(low, *spans)


def _parse_date_written(
    s: str, low: str, found: re.Match[str], shape: str, reference: datetime.date | datetime.datetime | None
) -> ParsedDate:
    """Return the date (and time) around a date shape found in the text."""
    ref_day = _reference_day(reference) if reference is not None else None
    lead = found["lead"] if shape != "B" else ""
    hit = _date_hit(found, shape, ref_day.year if ref_day else None, lead)
    weekday = _find_weekday(s, low, abbreviation_ok=True)
    if shape == "D" and not _strong_day_month(low, hit, weekday):
        return _failure(f"numbers that need not be a date: {s[hit.start:hit.end]}")
    value = _date_of(hit.day, hit.month, hit.year, ref_day)
    if isinstance(value, str):
        return _failure(value)
    return _dated(value, low, (hit.start, hit.end), "fast", _weekday_warnings(value, weekday))


def _parse_grammar(s: str, low: str, reference: datetime.date | datetime.datetime | None) -> ParsedDate | None:
    """Return what the fast grammar reads in S (LOW: folded), or None when it finds nothing it knows."""
    found = vocab.DATE_RE.search(low)
    if found:
        return _parse_date_written(s, low, found, found.lastgroup or "", reference)
    found = vocab.search_word(vocab.MDY_RE, low)
    if found:
        return _parse_date_written(s, low, found, "B", reference)

    if vocab.RELATIVE_HINT_RE.search(low):
        relative = vocab.RELATIVE_RE.search(low)
        if relative:
            if reference is None:
                return _failure("relative expression and no reference", "relative")
            return _parse_relative(relative, low, reference)

    weekday = _find_weekday(s, low)
    day_word = vocab.search_word(vocab.DAY_WORD_RE, low)
    # `Senin kemarin` is last Monday, not yesterday: the word belongs to the weekday.
    if day_word and weekday and weekday.start < day_word.start() < weekday.end:
        day_word = None
    if day_word:
        word = " ".join(day_word["dw"].split())
        if word in vocab.AMBIGUOUS_DAY_WORDS:
            return _failure(f"ambiguous: {word} may be the reference date or the day before", "relative")
        if reference is None:
            return _failure("relative expression and no reference", "relative")
        if word in vocab.NOW_WORDS and isinstance(reference, datetime.datetime):
            return _as_datetime(reference, "relative")
        value = _reference_day(reference) + datetime.timedelta(days=vocab.DAY_WORDS[word])
        return _dated(value, low, day_word.span(), "relative", _weekday_warnings(value, weekday))
    if weekday and weekday.kind == "ambiguous":
        return _failure(f"ambiguous: {s[weekday.start:weekday.end].strip()} is a week or a Sunday")
    if weekday and weekday.kind == "day":
        if reference is None:
            return _failure("weekday without a date and no reference")
        value = _resolve_weekday(weekday, _reference_day(reference))
        return _dated(value, low, (weekday.start, weekday.end), "fast", _weekday_warnings(value, weekday))
    period = vocab.PERIOD_RE.search(low) if vocab.PERIOD_HINT_RE.search(low) else None
    if period or weekday:
        words = period.group(0) if period else s[weekday.start:weekday.end]  # type: ignore[union-attr]
        return _failure(f"names a period, not a day: {words.strip()}")
    t = _find_time(low)
    if isinstance(t, str):
        return _failure(t)
    if t is not None:
        if not t.keyword and not _only_filler_words(low, t.span):
            return _failure(f"numbers that need not be a time: {s[t.span[0]:t.span[1]]}")
        if reference is None:
            return _failure("time without a date and no reference")
        return _as_datetime(_at_time(_reference_day(reference), t), "fast", t.warnings)
    if vocab.MONTH_YEAR_RE.search(low):
        return _failure("month and year only, no day")
    if vocab.LUNAR_RE.search(low):
        return _failure("Hijri or Javanese calendar date: not converted")
    return None


# --------------------------------------------------------------------------- dateparser

# dateparser fills what the text leaves out from RELATIVE_BASE: a base no real date can be near
# makes every filled-in year visible (relative phrases land near year 1000 and are refused).
_SENTINEL_BASE = datetime.datetime(1000, 6, 15, 12, 0)


@functools.lru_cache(maxsize=1)
def _dateparser() -> DateDataParser:
    """Return the one configured dateparser parser (imported lazily: it is slow to load)."""
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=["id", "en"],
        settings={
            "DATE_ORDER": "DMY",  # Indonesian pages write day first: 06/01/2020 is 6 January
            "PREFER_DATES_FROM": "current_period",
            "RELATIVE_BASE": _SENTINEL_BASE,
            "REQUIRE_PARTS": ["day", "month"],
            "RETURN_AS_TIMEZONE_AWARE": True,
            "TIMEZONE": "+0700",  # no zone written means WIB, whatever the machine's zone
            # Our grammar owns relative phrases; epoch numbers are never dates on a page.
            "PARSERS": ["custom-formats", "absolute-time"],
        },
    )


def _parse_dateparser(s: str, reference: datetime.date | datetime.datetime | None) -> ParsedDate:
    """Return dateparser's reading of S, refused when it invented a part the text does not write."""
    # No warnings filter here (it would be process-global state): the configuration above keeps
    # dateparser off its warning paths (an explicit TIMEZONE means no local-zone lookup), and
    # the tests run this path with warnings as errors.
    try:
        data = _dateparser().get_date_data(s)
    except (ValueError, OverflowError, TypeError) as error:
        return _failure(f"not a date expression ({error.__class__.__name__})", "dateparser")
    value: datetime.datetime | None = data.date_obj
    parts = tuple(getattr(data, "parts", ()) or ())
    if value is None or "day" not in parts or "month" not in parts:
        return _failure("not a date expression", "dateparser")
    if "year" not in parts:
        ref_day = _reference_day(reference) if reference is not None else None
        resolved = _date_of(value.day, value.month, None, ref_day)
        if isinstance(resolved, str):
            return _failure(resolved, "dateparser")
        value = value.replace(year=resolved.year)
    elif not MIN_YEAR <= value.year <= MAX_YEAR:
        return _failure(f"year {value.year} out of range", "dateparser")
    if "time" in parts:
        return _as_datetime(value, "dateparser")
    return _as_date(value.date(), "dateparser")


# --------------------------------------------------------------------------- public API

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
    s, low = vocab.fold(text)
    s, low = s.strip(), low.strip()
    if not s:
        return _failure("empty text")
    if len(s) > MAX_EXPRESSION_LENGTH:
        return _failure("too long for a date expression")
    m = vocab.ISO_RE.fullmatch(low)
    if m:
        return _parse_iso(m)
    m = vocab.RSS_RE.fullmatch(low)
    if m:
        rss = _parse_rss(m)
        if rss is not None:
            return rss
    parsed = _parse_grammar(s, low, ref)
    if parsed is not None:
        return parsed
    if not vocab.LONG_TAIL_RE.search(low):
        # Word-only expressions (weekdays, `kemarin`, `dua hari lalu`) are the grammar's; with
        # neither a month name nor a four-digit year dateparser would read any numbers as a date.
        return _failure("not a date expression")
    return _parse_dateparser(s, ref)


def _mention_hit(m: re.Match[str], s: str, reference_year: int | None) -> tuple[_DateHit, int] | None:
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
    s, low = vocab.fold(text)
    found: list[MentionedDate] = []
    for m in vocab.MENTION_RE.finditer(low):
        result = _mention_hit(m, s, ref_day.year if ref_day else None)
        if result is None:
            continue
        hit, weekday_at = result
        # Month and day names are capitalised in Indonesian prose; a short month alone
        # (`5 Mar`) is too often something else.
        if hit.month_at >= 0 and (
            not s[hit.month_at].isupper() or (hit.month_word in vocab.SHORT_MONTHS and hit.year is None)
        ):
            continue
        if weekday_at >= 0 and not s[weekday_at].isupper():
            continue
        if hit.month_at < 0 and weekday_at < 0 and vocab.NUMBER_LABEL_RE.search(low, max(0, hit.start - 12), hit.start):
            continue  # `Nomor 17/08/2020` is a letter's number
        start_value = _date_of(hit.day, hit.month, hit.year, ref_day)
        if isinstance(start_value, str):
            continue
        weekday = None
        if weekday_at >= 0:
            word = vocab.WD_RE.match(low, weekday_at)
            weekday = _Weekday(_weekday_number(word["wd"]), "day", "", None, 0, 0) if word else None
        expression = text[hit.start:hit.end].rstrip(" ,.")
        end = hit.start + len(expression)
        warns = tuple(_weekday_warnings(start_value, weekday))
        found.append(MentionedDate(start_value, expression, hit.start, end, warns))
        if hit.end_date is not None:
            end_value = _date_of(*hit.end_date, ref_day)
            if not isinstance(end_value, str) and end_value > start_value:
                found.append(MentionedDate(end_value, expression, hit.start, end))
    return found


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
