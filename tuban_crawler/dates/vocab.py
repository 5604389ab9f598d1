"""The words of Indonesian (and English) date expressions, and the patterns built from them.

Plain data, compiled patterns and small pure helpers for `tuban_crawler.dates`; nothing here
parses a whole expression. Every word is lower case: the patterns run over text folded by
`fold` (ASCII lower case, one quote, one dash), so offsets in the folded text are offsets in
the original.
"""

from __future__ import annotations

import datetime
import logging
import re

logger = logging.getLogger(__name__)

WIB = datetime.timezone(datetime.timedelta(hours=7), "WIB")
WITA = datetime.timezone(datetime.timedelta(hours=8), "WITA")
WIT = datetime.timezone(datetime.timedelta(hours=9), "WIT")

# Indonesian and English month names with the abbreviations and spellings seen on Indonesian
# pages: pre-1972 spellings (Djuli, Pebruari, Nopember) survive in government prose, and
# `Nop`/`Agt`/`Agu` are the house abbreviations of several regional portals.
MONTHS: dict[str, int] = {
    "januari": 1,
    "january": 1,
    "jan": 1,
    "djanuari": 1,
    "djan": 1,
    "februari": 2,
    "february": 2,
    "feb": 2,
    "febr": 2,
    "pebruari": 2,
    "peb": 2,
    "febuari": 2,
    "pebuari": 2,
    "feburari": 2,
    "maret": 3,
    "march": 3,
    "mar": 3,
    "mrt": 3,
    "maart": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "may": 5,
    "juni": 6,
    "june": 6,
    "jun": 6,
    "djuni": 6,
    "juli": 7,
    "july": 7,
    "jul": 7,
    "djuli": 7,
    "agustus": 8,
    "august": 8,
    "aug": 8,
    "agu": 8,
    "agt": 8,
    "ags": 8,
    "agst": 8,
    "agus": 8,
    "agust": 8,
    "augustus": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "sepember": 9,
    "oktober": 10,
    "october": 10,
    "oct": 10,
    "okt": 10,
    "november": 11,
    "nopember": 11,
    "nov": 11,
    "nop": 11,
    "desember": 12,
    "december": 12,
    "dec": 12,
    "des": 12,
    "dessember": 12,
}
# Abbreviations that are also ordinary words or names: in running text they count as a month
# only with a year after them (`5 Mar 2019`, not `5 Mar`).
SHORT_MONTHS = frozenset(
    k for k in MONTHS if len(k) <= 4 and k not in {"juni", "juli", "mei", "june", "july"}
)

# Monday is 0, as in `datetime.date.weekday()`. `Ahad` is the Islamic name for Sunday.
WEEKDAYS: dict[str, int] = {
    "senin": 0,
    "selasa": 1,
    "rabu": 2,
    "kamis": 3,
    "jumat": 4,
    "jum'at": 4,
    "jumaat": 4,
    "jum'ah": 4,
    "sabtu": 5,
    "minggu": 6,
    "ahad": 6,
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
# Abbreviations are also words (`sen`, `min`, `sun`): they count as weekdays only directly
# before a written date (`Wed, 26 Jul 2017`).
WEEKDAY_ABBREVIATIONS: dict[str, int] = {
    "sen": 0,
    "sel": 1,
    "rab": 2,
    "kam": 3,
    "jum": 4,
    "sab": 5,
    "min": 6,
    "mon": 0,
    "tue": 1,
    "tues": 1,
    "wed": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "fri": 4,
    "sat": 5,
    "sun": 6,
}
WEEKDAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")

# The Javanese five-day market week. `date.toordinal() % 5` indexes this tuple: anchored on
# 17 August 1945 (Jumat Legi) and checked against 1 January 2024 (Senin Pahing).
PASARAN = ("legi", "pahing", "pon", "wage", "kliwon")
PASARAN_ALIASES = {"manis": "legi", "paing": "pahing"}

# Part-of-day words, and how a 12-hour clock reading shifts under them.
PARTS_OF_DAY = (
    "dini hari",
    "tengah malam",
    "tengah hari",
    "subuh",
    "pagi",
    "siang",
    "sore",
    "petang",
    "malam",
    "morning",
    "afternoon",
    "evening",
    "night",
)


def hour_for_part_of_day(hour: int, part: str) -> int:
    """Return HOUR (0-12, as written) moved to the 24 h clock that PART of the day implies.

    >>> hour_for_part_of_day(8, "malam"), hour_for_part_of_day(1, "siang"), hour_for_part_of_day(9, "pagi")
    (20, 13, 9)
    """
    if part in ("siang", "tengah hari", "afternoon"):
        # Midday runs from 11 to about 15: `jam 11 siang` is 11:00, `jam 2 siang` 14:00.
        return hour + 12 if 1 <= hour <= 6 else hour
    if part in ("sore", "petang", "evening"):
        return hour + 12 if 1 <= hour <= 11 else hour
    if part in ("malam", "night", "tengah malam"):
        # `jam 12 malam` is midnight at the end of the day (24:00); 1 to 5 are small hours.
        if hour == 12:
            return 24
        return hour + 12 if 6 <= hour <= 11 else hour
    if part in ("pagi", "subuh", "dini hari", "morning"):
        return 0 if hour == 12 and part == "dini hari" else hour
    return hour


def part_of_day_agrees(hour: int, part: str) -> bool:
    """Return whether a 24 h HOUR can be called PART of the day (for a contradiction warning)."""
    spans = {
        "dini hari": (0, 5),
        "subuh": (3, 6),
        "pagi": (3, 11),
        "morning": (3, 11),
        "siang": (10, 15),
        "tengah hari": (11, 13),
        "afternoon": (12, 17),
        "sore": (14, 18),
        "petang": (16, 19),
        "evening": (16, 21),
        "malam": (18, 24),
        "night": (18, 24),
        "tengah malam": (23, 24),
    }
    low, high = spans.get(part, (0, 24))
    # Night and small hours wrap around midnight.
    if part in ("malam", "night", "tengah malam") and hour <= 4:
        return True
    return low <= hour <= high


ZONES: dict[str, datetime.tzinfo] = {
    "wib": WIB,
    "wita": WITA,
    "wit": WIT,
    "utc": datetime.timezone.utc,
    "gmt": datetime.timezone.utc,
    "z": datetime.timezone.utc,
}

_UNITS_WORDS = {
    "satu": 1,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "lima": 5,
    "enam": 6,
    "tujuh": 7,
    "delapan": 8,
    "sembilan": 9,
}
_ENGLISH_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
_UNIT_ALT = "|".join(_UNITS_WORDS)
# Spelled-out numbers up to 99: `dua`, `sebelas`, `dua belas`, `dua puluh satu`, `one`.
NUMBER_WORDS_PATTERN = (
    rf"(?:(?:{_UNIT_ALT})\s+puluh(?:\s+(?:{_UNIT_ALT}))?|(?:{_UNIT_ALT})\s+belas"
    rf"|sepuluh|sebelas|seratus|{_UNIT_ALT}|{'|'.join(sorted(_ENGLISH_NUMBERS, key=len, reverse=True))})"
)


def number_from_words(words: str) -> int | None:
    """Return the value of a number written as digits or spelled out, or None if it is not one.

    >>> number_from_words("dua puluh satu"), number_from_words("sebelas"), number_from_words("12")
    (21, 11, 12)
    """
    words = " ".join(words.lower().split())
    if words.isdigit():
        return int(words)
    if words in _ENGLISH_NUMBERS:
        return _ENGLISH_NUMBERS[words]
    fixed = {"sepuluh": 10, "sebelas": 11, "seratus": 100}
    if words in fixed:
        return fixed[words]
    parts = words.split()
    if len(parts) == 1:
        return _UNITS_WORDS.get(parts[0])
    if len(parts) == 2 and parts[1] == "belas" and parts[0] in _UNITS_WORDS:
        return 10 + _UNITS_WORDS[parts[0]]
    if len(parts) in (2, 3) and parts[1] == "puluh" and parts[0] in _UNITS_WORDS:
        tail = _UNITS_WORDS.get(parts[2], -1) if len(parts) == 3 else 0
        return None if tail < 0 else 10 * _UNITS_WORDS[parts[0]] + tail
    return None


# Relative units: what one of them is in calendar terms (`days`, `months`) or clock terms.
RELATIVE_UNITS: dict[str, tuple[str, int]] = {
    "detik": ("seconds", 1),
    "dtk": ("seconds", 1),
    "second": ("seconds", 1),
    "seconds": ("seconds", 1),
    "sec": ("seconds", 1),
    "secs": ("seconds", 1),
    "menit": ("minutes", 1),
    "mnt": ("minutes", 1),
    "minute": ("minutes", 1),
    "minutes": ("minutes", 1),
    "min": ("minutes", 1),
    "mins": ("minutes", 1),
    "jam": ("hours", 1),
    "hour": ("hours", 1),
    "hours": ("hours", 1),
    "hari": ("days", 1),
    "day": ("days", 1),
    "days": ("days", 1),
    "minggu": ("days", 7),
    "pekan": ("days", 7),
    "week": ("days", 7),
    "weeks": ("days", 7),
    "bulan": ("months", 1),
    "bln": ("months", 1),
    "month": ("months", 1),
    "months": ("months", 1),
    "tahun": ("months", 12),
    "thn": ("months", 12),
    "th": ("months", 12),
    "year": ("months", 12),
    "years": ("months", 12),
}
# Words for a day relative to the reference date, as a number of days.
DAY_WORDS: dict[str, int] = {
    "kemarin lusa": -2,
    "kemarin": -1,
    "kemaren": -1,
    "kmrn": -1,
    "wingi": -1,
    "hari ini": 0,
    "tadi": 0,
    "barusan": 0,
    "baru saja": 0,
    "sekarang": 0,
    "besok": 1,
    "esok": 1,
    "besuk": 1,
    "lusa": 2,
    "yesterday": -1,
    "today": 0,
    "just now": 0,
    "now": 0,
    "tomorrow": 1,
}
# Day words that mean the reference instant itself, not just its day.
NOW_WORDS = frozenset({"barusan", "baru saja", "sekarang", "just now", "now"})

# Hijri and Javanese month names: such dates are not Gregorian and are refused, not guessed.
LUNAR_MONTHS = (
    "muharram",
    "muharam",
    "safar",
    "sapar",
    "rabiul awal",
    "rabiul akhir",
    "rabiulawal",
    "rabiulakhir",
    "jumadil awal",
    "jumadil akhir",
    "jumadilawal",
    "jumadilakhir",
    "rajab",
    "rejeb",
    "syaban",
    "sya'ban",
    "ruwah",
    "ramadan",
    "ramadhan",
    "syawal",
    "sawal",
    "dzulkaidah",
    "zulkaidah",
    "dzulqaidah",
    "dzulhijjah",
    "zulhijah",
    "dzulhijah",
    "sura",
    "suro",
)


def alternation(words: object) -> str:
    """Return a regex alternation of WORDS, longest first so that `wita` wins over `wit`."""
    ordered = sorted({str(w) for w in words}, key=len, reverse=True)
    return "|".join(w.replace(".", r"\.").replace(" ", r"\s+").replace("'", "'?") for w in ordered)


# Words that may stand around a bare `26/07` or `10.15` in a date expression (labels, bylines,
# qualifiers). Any other word makes such numbers too weak to read as a date: `2/3 peserta`.
FILLER_WORDS = frozenset(
    {
        "tanggal",
        "tgl",
        "pukul",
        "pkl",
        "jam",
        "pada",
        "hari",
        "sekitar",
        "kurang",
        "lebih",
        "lewat",
        "menit",
        "tepat",
        "waktu",
        "s",
        "d",
        "sd",
        "sampai",
        "dengan",
        "hingga",
        "dan",
        "diperbarui",
        "diperbaharui",
        "update",
        "updated",
        "diposting",
        "posting",
        "posted",
        "dipublikasikan",
        "publikasi",
        "published",
        "terbit",
        "dibuat",
        "ditulis",
        "on",
        "at",
        "selesai",
        "wib",
        "wita",
        "wit",
        "utc",
        "gmt",
        "pagi",
        "siang",
        "sore",
        "petang",
        "malam",
        "dini",
        "tengah",
        "subuh",
        "morning",
        "afternoon",
        "evening",
        "night",
        "am",
        "pm",
        "a",
        "p",
        "m",
        "legi",
        "pahing",
        "pon",
        "wage",
        "kliwon",
        "manis",
        "paing",
        "nanti",
        "mendatang",
        "lalu",
    }
)


# --------------------------------------------------------------------------- folding

# One-for-one replacements, so that offsets in the folded text are offsets in the original.
_FOLD_MARKS = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "`": "'",
        "\u00b4": "'",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2010": "-",
        "\u2011": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
    }
)
_ASCII_LOWER = str.maketrans({chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)})


def fold(text: str) -> tuple[str, str]:
    """Return TEXT with quotes, dashes and spaces unified, and the same in lower case.

    Both have TEXT's length: `str.lower` may lengthen non-ASCII text (`İ`), so such text is
    lowered for ASCII only; every word the patterns know is ASCII.
    """
    # Most text is plain ASCII without a backtick: translating it would change nothing.
    marked = text if text.isascii() and "`" not in text else text.translate(_FOLD_MARKS)
    lowered = marked.lower()
    if len(lowered) != len(marked):
        lowered = marked.translate(_ASCII_LOWER)
    return marked, lowered


def search_word(
    pattern: re.Pattern[str], text: str, start: int = 0, end: int | None = None
) -> re.Match[str] | None:
    """Return the first match of PATTERN in TEXT[START:END] that begins a word.

    The word patterns carry no leading look-behind, so that the regex engine can skip ahead
    on their first letters; the word boundary is checked here instead.
    """
    end = len(text) if end is None else end
    m = pattern.search(text, start, end)
    while m is not None:
        i = m.start()
        if i == 0 or not (text[i - 1].isalpha() or text[i - 1] == "'"):
            return m
        m = pattern.search(text, i + 1, end)
    return None


# --------------------------------------------------------------------------- patterns

MON = alternation(MONTHS)
WD = alternation(WEEKDAYS)
WDA = alternation(WEEKDAY_ABBREVIATIONS)
PAS = alternation(list(PASARAN) + list(PASARAN_ALIASES))
POD = alternation(PARTS_OF_DAY)
UNITS = alternation(RELATIVE_UNITS)
NUMW = NUMBER_WORDS_PATTERN
# Words joining the two ends of a range; the issue asks for the start.
RANGE = r"(?:-|s\.?\s?/\s?d\.?|s\.\s?d\.?|sampai(?:\s+dengan)?|hingga|until|till|to|dan|and|&)"
NRANGE = r"(?:-|s\.?/d\.?|s\.d\.?|sampai(?:\s+dengan)?|hingga|dan|&)"
# A day number does not continue a number, a code or an ordinal (`ke-2 Juli`, `1,5`).
NUM_START = r"(?<![\w./+-])(?<!\d,)"
# The same check placed after a shared first digit, so that a pattern starts with `\d` and
# the regex engine skips ahead to digits instead of trying every position.
LEAD = r"(?P<lead>\d)(?<![\w./+-]\d)(?<!\d,\d)"
_SUFFIX = r"(?:(?:st|nd|rd|th)(?![a-z]))?"


def _first_day(p: str, lead: bool) -> str:
    if lead:
        return rf"(?P<{p}d>(?<=[0-3])\d)?"  # the second digit after LEAD, if any
    return rf"{NUM_START}(?P<{p}d>[0-3]?\d)"


def _day(name: str) -> str:
    return rf"(?P<{name}>[0-3]?\d){_SUFFIX}"


def shape_names_dmy(p: str, lead: bool = False) -> str:
    """Return the pattern for `26 Juli 2017`, `20-21 Juli 2019`, `20 Juli - 2 Agustus 2019`."""
    return (
        rf"{_first_day(p, lead)}{_SUFFIX}(?:\s*{RANGE}\s*{_day(p + 'd2')})?[\s.,/-]*"
        rf"(?:of\s+|bulan\s+)?(?P<{p}m>{MON})(?![a-z])\.?"
        rf"(?:[\s,./-]*(?:tahun\s+)?(?P<{p}y>\d{{4}}|'\d{{2}})(?!\d))?"
        rf"(?:\s*{RANGE}\s*{_day(p + 'd3')}[\s.,/-]*(?P<{p}m3>{MON})(?![a-z])\.?"
        rf"(?:[\s,./-]*(?P<{p}y3>\d{{4}})(?!\d))?)?"
    )


def shape_names_mdy(p: str) -> str:
    """Return the pattern for English order, year required: `July 26, 2017`, `Jul 26th 2017`."""
    return (
        rf"(?P<{p}m>{MON})(?![a-z])\.?\s+{_day(p + 'd')}"
        rf"(?:\s*{RANGE}\s*{_day(p + 'd2')})?(?!\d),?\s+(?P<{p}y>\d{{4}})(?!\d)"
    )


def shape_numeric_dmy(p: str, lead: bool = False) -> str:
    """Return the pattern for `4/1/2019`, `26-07-2017`, `4/1/19`, `26.07.2017`.

    Dots only with a four-digit year: `10.15` is a time.
    """
    return (
        rf"{_first_day(p, lead)}(?:\s*{NRANGE}\s*(?P<{p}d2>[0-3]?\d))?"
        rf"(?:(?P<{p}sep>[/-])(?P<{p}m>[01]?\d)(?P={p}sep)(?P<{p}y>\d{{4}}|\d{{2}})"
        rf"|\.(?P<{p}mdot>[01]?\d)\.(?P<{p}ydot>\d{{4}}))(?!\d)(?![/.-]\d)"
    )


def shape_numeric_dm(p: str, lead: bool = False) -> str:
    """Return the pattern for `26/07`, `20-21/07`, `20/7 - 21/7/2019` (the year comes from elsewhere)."""
    return (
        rf"{_first_day(p, lead)}(?:\s*{NRANGE}\s*(?P<{p}d2>[0-3]?\d))?"
        rf"/(?P<{p}m>[01]?\d)(?!\d)(?![/.-]\d)"
        rf"(?:\s*{NRANGE}\s*(?P<{p}d3>[0-3]?\d)/(?P<{p}m3>[01]?\d)/(?P<{p}y3>\d{{4}}|\d{{2}})(?!\d))?"
    )


def shape_numeric_ymd(p: str, lead: bool = False) -> str:
    """Return the pattern for `2017-07-26`, `2017/07/26` inside text."""
    year = rf"(?P<{p}y>\d{{3}})" if lead else rf"{NUM_START}(?P<{p}y>(?:1[89]|2[01])\d\d)"
    return rf"{year}(?P<{p}sep>[/.-])(?P<{p}m>[01]?\d)(?P={p}sep)(?P<{p}d>[0-3]?\d)(?!\d)"


# Every date shape that starts with a number, in one scan: at one position the order decides.
DATE_SHAPES = ("A", "C", "E", "D")
DATE_RE = re.compile(
    LEAD
    + "(?:"
    + "|".join(
        f"(?P<{k}>{f(k + '_', lead=True)})"
        for k, f in zip(
            DATE_SHAPES,
            (shape_names_dmy, shape_numeric_dmy, shape_numeric_ymd, shape_numeric_dm),
            strict=False,
        )
    )
    + ")"
)
MDY_RE = re.compile(f"(?P<B>{shape_names_mdy('B_')})")  # for `search_word`: it starts a word

# The portal's own publication format, on the text as written: THE hot path.
PORTAL_MONTHS = {
    "January": 1,
    "February": 2,
    "March": 3,
    "April": 4,
    "May": 5,
    "June": 6,
    "July": 7,
    "August": 8,
    "September": 9,
    "October": 10,
    "November": 11,
    "December": 12,
}
PORTAL_RE = re.compile(
    rf"\s*(\d{{1,2}}) ({'|'.join(PORTAL_MONTHS)}) (\d{{4}}) (\d{{1,2}}):(\d{{2}})\s*"
)
ISO_RE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[t ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?"
    r"\s*(z|[+-]\d{2}(?::?\d{2})?)?)?"
)
RSS_RE = re.compile(
    r"(?:([a-z]{3}),?\s+)?(\d{1,2})\s+([a-z]{3})\s+(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?"
    r"\s*([+-]\d{4}|gmt|ut|utc|z|wib|wita|wit)"
)

# `13:24`, `13.24`, `13:24:05.123`, `1:24 PM`, `8 pm` (minutes may go only before am/pm).
CLOCK_RE = re.compile(
    r"(?P<lead>\d)(?<![\w.:/-]\d)(?<!\d,\d)(?P<h2>(?<=[0-2])\d)?"
    r"(?:(?P<tsep>[:.])(?P<mi>[0-5]\d)(?:(?P=tsep)(?P<s>[0-5]\d)(?:[.,](?P<frac>\d{1,6}))?)?(?!\d)(?![.:]\d)"
    r"|(?!\d)(?=\s*[ap]\.?\s?m\.?(?![a-z])))"
    r"(?:\s*(?P<ap>[ap]\.?\s?m\.?)(?![a-z]))?"
)
TIME_KEYWORD_BEFORE_RE = re.compile(r"(?<![a-z])(?:pukul|pkl\.?|jam|at|@)\s*$")
SPOKEN_TIME_RE = re.compile(
    rf"(?:pukul|pkl\.?|jam)\s+(?:setengah\s+(?P<half>[0-2]?\d|{NUMW})"
    rf"|(?P<sh>[0-2]?\d|{NUMW})(?!\d|[:.]\d)(?:\s+(?:lewat|lebih)\s+(?P<plus>[0-5]?\d|{NUMW})"
    rf"(?:\s+menit)?|\s+kurang\s+(?P<minus>[0-5]?\d|{NUMW}|seperempat)(?:\s+menit)?"
    rf"|\s+(?:lewat\s+)?(?P<quarter>seperempat)|\s+tepat)?)(?![a-z])"
)
# Offsets run from -12:00 to +14:00: `WIB -31` is a zone and a number, not a zone of -31 h.
ZONE_RE = re.compile(
    r"(?P<zn>wita|wib|wit|utc|gmt)(?![a-z])"
    r"(?:\s*(?P<zs>[+-])\s*(?P<zh>1[0-4]|0?\d)(?::?(?P<zm>[0-5]\d))?(?!\d))?"
)
OFFSET_AFTER_RE = re.compile(
    r"\s*(?:(?P<zs>[+-])(?P<zh>0\d|1[0-4]):?(?P<zm>[0-5]\d)|(?P<zz>z))(?![\w])"
)
POD_RE = re.compile(rf"(?P<pod>{POD})(?![a-z])")

WD_RE = re.compile(rf"(?P<wd>{WD})(?![a-z'])")
WDA_RE = re.compile(rf"\s*(?P<wd>{WDA})\.?\s*,?\s*(?=\d)")
WD_TAIL_RE = re.compile(
    rf"(?:\s+(?P<pas>{PAS})(?![a-z]))?(?:\s+(?:{POD})(?![a-z]))?"
    r"(?:\s*,?\s*(?:(?:yang|yg)\s+)?(?:(?P<past>lalu|kemarin|kemaren|kmrn)"
    r"|(?P<soon>nanti)|(?P<next>depan|mendatang|berikutnya|(?:yang\s+)?akan\s+datang))(?![a-z]))?"
)
# `Minggu` is also "week": these words around it mean the week.
WEEK_BEFORE_RE = re.compile(
    rf"(?:\d|(?<![a-z])(?:akhir|tiap|setiap|per|beberapa|dalam|selama|sepanjang|{NUMW}))\s*$"
)
WEEK_AFTER_RE = re.compile(
    r"\s*(?:ke-?\s*\d|ke(?:dua|tiga|empat|lima)|pertama|terakhir|ini|sebelumnya)(?![a-z])"
)
HARI_BEFORE_RE = re.compile(r"(?<![a-z])hari\s+$")

# Substrings without which no relative phrase can be present (a cheap gate before the regex).
RELATIVE_HINT_RE = re.compile("lalu|silam|ago|lagi|mendatang|depan|later|now|dalam|in ")
RELATIVE_RE = re.compile(
    rf"(?<![\w.,])(?:(?P<n>\d{{1,4}})\s*|(?P<nw>{NUMW}|beberapa|bbrp)\s+|(?P<se>se))"
    rf"(?P<u>{UNITS})(?![a-z])\s*(?:(?:yang|yg)\s+)?"
    r"(?P<dir>lalu|silam|ago|lagi|mendatang|ke\s*depan|later|from\s+now)(?![a-z])"
    rf"|(?<![a-z])(?:dalam|in)\s+(?:waktu\s+)?(?:(?P<fn>\d{{1,4}})|(?P<fnw>{NUMW}))\s*"
    rf"(?P<fu>{UNITS})(?![a-z])(?!\s+(?:terakhir|belakangan|ini|pertama))"
)
AMBIGUOUS_DAY_WORDS = ("tadi malam", "semalam")
DAY_WORD_RE = re.compile(rf"(?P<dw>{alternation([*DAY_WORDS, *AMBIGUOUS_DAY_WORDS])})(?![a-z])")
PERIOD_HINT_RE = re.compile("minggu|pekan|bulan|tahun|week|month|year|beberapa")
PERIOD_RE = re.compile(
    r"(?<![a-z])(?:(?:minggu|pekan|bulan|tahun)\s+(?:yang\s+)?(?:lalu|kemarin|kemaren|depan|ini"
    r"|mendatang|berikutnya)|(?:last|next|this)\s+(?:week|month|year)|akhir\s+(?:pekan|minggu)"
    r"|beberapa\s+(?:hari|minggu|pekan|bulan|tahun))(?![a-z])"
)
MONTH_YEAR_RE = re.compile(rf"(?<![a-z\d])(?:{MON})(?![a-z])\.?\s*,?\s*(?:\d{{4}}|'\d\d)(?!\d)")
LUNAR_RE = re.compile(
    rf"\d\s*(?:{alternation(LUNAR_MONTHS)})(?![a-z])|\d{{3,4}}\s*(?:h|hijriah|hijriyah|ah)(?![a-z])"
)
# What dateparser gets to see: a month name or a four-digit year, else any numbers would do.
LONG_TAIL_RE = re.compile(rf"(?<![a-z])(?:{MON})(?![a-z])|(?<!\d)\d{{4}}(?!\d)")
NUMBER_LABEL_RE = re.compile(r"(?<![a-z])(?:no|nomor|nomer|nmr|nr)\.?\s*:?\s*$")
WORD_RE = re.compile(r"[a-z]+")

_MENTION_WEEKDAY = (
    rf"(?P<wd>{WD})(?![a-z'])(?:\s*{NRANGE}\s*(?:{WD})(?![a-z']))?"
    rf"(?:\s+(?:{PAS})(?![a-z]))?(?:\s+(?:{POD})(?![a-z]))?\s*,?\s*"
)
# Dates in running text, conservatively: a year-less numeric date only after a weekday
# (`Rabu (26/07)`), a numeric date without a weekday only with a four-digit year.
MENTION_RE = re.compile(
    rf"(?P<W>(?<![a-z]){_MENTION_WEEKDAY}(?P<open>\()?\s*(?P<W_d>[0-3]?\d)"
    rf"(?:\s*{NRANGE}\s*(?P<W_d2>[0-3]?\d))?(?P<W_sep>[/.-])(?P<W_m>[01]?\d)"
    rf"(?:(?P=W_sep)(?P<W_y>\d{{4}}|\d{{2}}))?(?!\d)(?![/.-]\d)\s*(?(open)\)))"
    rf"|(?P<WA>(?<![a-z]){_MENTION_WEEKDAY.replace('(?P<wd>', '(?P<wda>')}\(?\s*{shape_names_dmy('WA_')}\)?)"
    rf"|(?P<A>{shape_names_dmy('A_')})|(?P<B>(?<![a-z]){shape_names_mdy('B_')})"
    rf"|(?P<C>{shape_numeric_dmy('C_')})|(?P<E>{shape_numeric_ymd('E_')})"
)
