"""The words around a name that say what it is: the word before, the kecamatan after, the region.

Pure helpers of the tagger (tagger.py), each reading a few characters of the text around a hit.
"""

from __future__ import annotations

import re

DESA_WORDS = frozenset(
    {"desa", "ds", "kades", "kepala desa", "pemdes", "balai desa", "bumdes", "pj kades"}
)
KELURAHAN_WORDS = frozenset({"kelurahan", "kel", "lurah"})
KECAMATAN_WORDS = frozenset(
    {"kecamatan", "kec", "kecematan", "camat", "kantor kecamatan", "pemerintah kecamatan"}
)
#: Before a kecamatan name, the kecamatan's police, army post, religious office, leaders.
KECAMATAN_UNITS = frozenset({"polsek", "koramil", "kua", "forkopimka", "forkopimca", "muspika"})
#: Before a kecamatan name, these name its office as well as the place.
OFFICE_WORDS = frozenset({"camat", "kantor kecamatan", "pemerintah kecamatan"})
REGENCY_WORDS = frozenset({"kabupaten", "kab", "pemkab", "bupati", "kota", "provinsi"})
#: A dusun or dukuh is below a desa: a name after them is a dusun's, not a desa's.
BELOW_DESA = frozenset({"dusun", "dukuh"})
LOCATIVE_WORDS = frozenset({"di", "ke", "dari"})
PLACE_NOUNS = frozenset({"wilayah", "daerah", "kawasan"})
#: Before an office's short name (``Kabag Humas``), the words that make it a bagian.
BAGIAN_WORDS = frozenset({"kabag", "bagian", "kasubag"})
#: A national ministry's unit (``Kementerian PUPR``) is not the regency's office.
MINISTRY_WORDS = frozenset(
    {"kementerian", "kementrian", "kemen", "menteri", "ditjen", "dirjen", "direktorat"}
)

#: `, Kecamatan Y`, ` Kec. Y`, `, Y`, `-Y` right after a name: the kecamatan it may be in.
AFTER_KECAMATAN = re.compile(
    r"\s*[,-]?\s*(?:(?P<word>(?i:kecamatan|kec\.?|kecematan))\s*)?(?P<name>[A-Z][\w]*)"
)
#: A higher government or another region right after a name (`Jatim`, `Provinsi Jawa Timur`),
#: past an abbreviation in brackets (`Dinas Kesehatan (Dinkes) Jatim`).
AFTER_REGION = re.compile(
    r"(?:\s*\([^()]{1,40}\))?\s*,?\s*(?:(?P<word>(?i:kabupaten|kab\.|kota|provinsi|prov\.))\s*)?"
    r"(?P<name>[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,2})"
)
#: A name right before `Desa Y` names a part of desa Y (a dusun, an old name), not a desa.
BEFORE_DESA = re.compile(r"\s*,?\s*(?i:desa|ds\.|kelurahan|kel\.)\s+[A-Z]")
#: Between two names of one list: `X, Y`, `X dan Y`, `X, dan juga Y`, `X-Y`.
LIST_GAP = re.compile(
    r"\s*(?:,|-|\u2014)?\s*(?:(?P<conj>dan|serta|hingga|sampai|atau)\s+(?:juga\s+)?)?",
    re.IGNORECASE,
)
SENTENCE_END = re.compile(r"[.!?](?=[\s\"'\u201d\u2019]|$)|\n")
#: Every word word_before reports.
CONTEXT_WORDS = (
    DESA_WORDS
    | KELURAHAN_WORDS
    | KECAMATAN_WORDS
    | KECAMATAN_UNITS
    | REGENCY_WORDS
    | BELOW_DESA
    | LOCATIVE_WORDS
    | PLACE_NOUNS
    | BAGIAN_WORDS
    | MINISTRY_WORDS
)
#: Short forms of higher governments that are not in the regions list.
HIGHER = frozenset(
    {"Jatim", "Jateng", "Jabar", "Pusat", "RI", "Provinsi", "Nasional", "Kemendagri", "Kemenkes"}
)


def word_before(text: str, start: int) -> str | None:
    """Return the context word right before START (lower case, one space), if any.

    Read from the last two words, not with a pattern: it runs for every hit.

    >>> word_before("warga Kepala  Desa Jenu", 19), word_before("Pemkab Tuban", 7)
    ('kepala desa', 'pemkab')
    >>> word_before("RPJM-Desa Plumpang", 10), word_before("Kec. Jenu", 5), word_before("Jenu", 0)
    ('desa', 'kec', None)
    """
    tail = text[max(0, start - 30) : start]
    if not tail[-1:].isspace():
        return None
    words = tail.lower().replace("-", " ").replace(".", " ").split()
    if not words:
        return None
    last = words[-1].strip("\"'(\u201c\u2018")
    if len(words) > 1 and f"{words[-2]} {last}" in CONTEXT_WORDS:
        return f"{words[-2]} {last}"
    return last if last in CONTEXT_WORDS else None


def sentence_span(ends: list[int], position: int, size: int) -> tuple[int, int]:
    """Return the (start, end) of the sentence holding POSITION, ENDS the sentence ends."""
    start, end = 0, size
    for mark in ends:
        if mark < position:
            start = mark + 1
        else:
            end = mark
            break
    return start, end


def is_list_gap(text: str, end: int, start: int) -> tuple[bool, bool]:
    """Return (TEXT[END:START] joins two items of a list, it holds a conjunction)."""
    found = LIST_GAP.fullmatch(text, end, start)
    return (found is not None and start > end, bool(found and found.group("conj")))
