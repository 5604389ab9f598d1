"""Numbers in date expressions, as digits or spelled out in Indonesian or English (`dua puluh satu`, `sebelas`, `one`).

Plain data and one pure helper for `tuban_crawler.dates`, beside `vocab`'s words.
"""

from __future__ import annotations

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
