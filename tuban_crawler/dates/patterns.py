"""The compiled patterns of date expressions, built from the words in `vocab`, and the folding they run on.

The patterns run over text folded by `fold` (ASCII lower case, one quote, one dash), so
offsets in the folded text are offsets in the original; word patterns are searched with
`search_word`, which checks the word boundary they leave out.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from tuban_crawler.dates.numbers import NUMBER_WORDS_PATTERN
from tuban_crawler.dates.vocab import (
    AMBIGUOUS_DAY_WORDS,
    DAY_WORDS,
    LUNAR_MONTHS,
    MONTHS,
    PARTS_OF_DAY,
    PASARAN,
    PASARAN_ALIASES,
    RELATIVE_UNITS,
    WEEKDAY_ABBREVIATIONS,
    WEEKDAYS,
    ZONE_WORDS,
)

logger = logging.getLogger(__name__)


def alternation(words: Iterable[object]) -> str:
    """Return a regex alternation of WORDS, longest first so that `wita` wins over `wit`."""
    ordered = sorted({str(w) for w in words}, key=len, reverse=True)
    return "|".join(w.replace(".", r"\.").replace(" ", r"\s+").replace("'", "'?") for w in ordered)


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
        rf"(?:of\s+|bulan\s+|de\s+)?(?P<{p}m>{MON})(?![a-z])\.?"
        rf"(?:[\s,./-]*(?:tahun\s+|del?\s+)?(?P<{p}y>\d{{4}}|'\d{{2}})(?!\d))?"
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
    """Return the pattern for `4/1/2019`, `26-07-2017`, `4/1/19`, `26.07.2017`, `19.10.19`.

    Dots with three numbers: `10.15` is a time, `19.10.19` (German, Swiss) a date. The middle
    number may pass 12 (`12/30/2019`): then only month-first reads it, and `days` swaps.
    """
    return (
        rf"{_first_day(p, lead)}(?:\s*{NRANGE}\s*(?P<{p}d2>[0-3]?\d))?"
        rf"(?:(?P<{p}sep>[/-])(?P<{p}m>[0-3]?\d)(?P={p}sep)(?P<{p}y>\d{{4}}|\d{{2}})"
        rf"|\.(?P<{p}mdot>[01]?\d)\.(?P<{p}ydot>\d{{4}}|\d{{2}}))(?!\d)(?![/.-]\d)"
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
# An ISO instant may end with a zone word (`2017-02-17T13:16:00 WIB`, issue 18); some pages
# leave out the zero padding (`2022-1-26T14:32+02:00`).
ISO_RE = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[t ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?"
    rf"\s*(z|[+-]\d{{2}}(?::?\d{{2}})?|{ZONE_WORDS})?(?:\s*(?:{ZONE_WORDS}))?)?"
)
RSS_RE = re.compile(
    r"(?:([a-z]{3}),?\s+)?(\d{1,2})\s+([a-z]{3})\s+(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?"
    r"\s*([+-]\d{4}|gmt|ut|utc|z|wib|wita|wit)"
)

# `13:24`, `13.24`, `13:24:05.123`, `1:24 PM`, `8 pm` (minutes may go only before am/pm).
CLOCK_RE = re.compile(
    r"(?P<lead>\d)(?<![\w.:/-]\d)(?<!\d,\d)(?P<h2>(?<=[0-2])\d)?"
    r"(?:(?P<tsep>[:.h])(?P<mi>[0-5]\d)(?:(?P=tsep)(?P<s>[0-5]\d)(?:[.,](?P<frac>\d{1,6}))?)?(?!\d)(?![.:]\d)"
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
    rf"(?P<zn>{ZONE_WORDS})(?![a-z])"
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
