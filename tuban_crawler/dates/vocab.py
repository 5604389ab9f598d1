"""The words of Indonesian (and English) date expressions: months, weekdays, parts of the day, zones.

Numbers written as words are in `numbers`.

Plain data and small pure helpers for `tuban_crawler.dates`; nothing here parses a whole
expression, and the patterns built from these words live in `patterns`. Every word is lower
case: the patterns run over text folded to ASCII lower case.
"""

from __future__ import annotations

import datetime
import logging

from tuban_crawler.dates.months import OTHER_MONTHS

logger = logging.getLogger(__name__)

WIB = datetime.timezone(datetime.timedelta(hours=7), "WIB")
WITA = datetime.timezone(datetime.timedelta(hours=8), "WITA")
WIT = datetime.timezone(datetime.timedelta(hours=9), "WIT")

# Indonesian and English month names with the abbreviations and spellings seen on Indonesian
# pages: pre-1972 spellings (Djuli, Pebruari, Nopember) survive in government prose, and
# `Nop`/`Agt`/`Agu` are the house abbreviations of several regional portals.
MONTHS: dict[str, int] = {
    **OTHER_MONTHS,
    # German and French month names not spelled as in Indonesian or English (issue 18: real
    # pages in other languages).
    "januar": 1,
    "janvier": 1,
    "februar": 2,
    "février": 2,
    "fevrier": 2,
    "märz": 3,
    "maerz": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "août": 8,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "dezember": 12,
    "décembre": 12,
    "decembre": 12,
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
    # The region's zone words (issue 18: `4:55 PM MYT` was read as WIB): none is ambiguous.
    "ict": datetime.timezone(datetime.timedelta(hours=7), "ICT"),
    "myt": datetime.timezone(datetime.timedelta(hours=8), "MYT"),
    "sgt": datetime.timezone(datetime.timedelta(hours=8), "SGT"),
    "pht": datetime.timezone(datetime.timedelta(hours=8), "PHT"),
    "hkt": datetime.timezone(datetime.timedelta(hours=8), "HKT"),
    "jst": datetime.timezone(datetime.timedelta(hours=9), "JST"),
    "kst": datetime.timezone(datetime.timedelta(hours=9), "KST"),
    # Zones of Europe and North America a page names beside its time (issue 18; not ``CST``
    # nor ``IST``: each names two zones).
    **{
        name: datetime.timezone(datetime.timedelta(hours=hours), name.upper())
        for name, hours in (("cet", 1), ("cest", 2), ("eet", 2), ("eest", 3), ("est", -5))
        + (("edt", -4), ("pst", -8), ("pdt", -7), ("mst", -7), ("mdt", -6))
    },
}
#: The zone words, as a regex alternation (longest first: ``wita`` before ``wit``).
ZONE_WORDS = "|".join(sorted((z for z in ZONES if len(z) > 1), key=len, reverse=True))

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
# Day words that may be the reference date or the day before: refused, not guessed.
AMBIGUOUS_DAY_WORDS = ("tadi malam", "semalam")

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


# Words that may stand around a bare `26/07` or `10.15` in a date expression (labels, bylines,
# qualifiers). Any other word makes such numbers too weak to read as a date: `2/3 peserta`.
FILLER_WORDS = frozenset(
    (
        "tanggal tgl pukul pkl jam pada hari "  # labels
        "sekitar kurang lebih lewat menit tepat waktu "  # a time, roughly
        "s d sd sampai dengan hingga dan "  # ranges (`s/d`)
        "diperbarui diperbaharui update updated diposting posting posted dipublikasikan "
        "publikasi published terbit dibuat ditulis on at selesai "  # bylines
        "wib wita wit utc gmt "  # zones
        "pagi siang sore petang malam dini tengah subuh morning afternoon evening night "
        "am pm a p m "  # parts of the day
        "legi pahing pon wage kliwon manis paing "  # the market week
        "nanti mendatang lalu"  # qualifiers
    ).split()
)
