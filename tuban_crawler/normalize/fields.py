"""Pure normalisers: raw extracted values → clean archive values.

Each function takes text as extracted and returns the value the archive stores; none
of them guesses. The dateline (``Tubankab - ``) and the reporter/editor credit
(``(chusnul huda/hei)``) are moved out of the body into fields of their own, in every
variant the portal is known to write (PORTAL.md).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import unicodedata
from collections.abc import Iterable

logger = logging.getLogger(__name__)

_SPACE = re.compile(r"\s+")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")

#: Datelines seen on the portal: ``Tubankab - ``, ``Tubankab – ``, ``Tubankab — ``,
#: ``Tubankab-``, ``Tubankab- ``, ``Tubankab .- ``. The place name is kept, the
#: punctuation dropped. A re-post may carry another desk's name (``TUBAN -``).
DATELINE = re.compile(
    r"^\s*(?P<dateline>Tubankab|TUBANKAB|Tuban|TUBAN|Diskominfo Tuban|Media Center Tuban)"
    r"(?:\s*\.?\s*[-–—]+\s*)(?P<rest>\S.*)$",
    re.S,
)
#: A lower-case credit in parentheses closing the last paragraph: ``(chusnul huda/hei)``,
#: ``(nanang wibowo/hei)``, ``(rah)``. Upper-case parentheses are acronyms (``(KBK)``)
#: and stay in the text.
CREDIT = re.compile(
    r"^(?P<rest>.*?)\s*\((?P<credit>[a-z][a-z .'’-]*(?:/[a-z .'’-]+)*)\)\s*\.?\s*$", re.S
)
_VIEWS_DIGITS = re.compile(r"\d[\d.,]*")


def clean_text(text: str | None) -> str:
    """Return TEXT in Unicode NFC with white space folded and zero-width characters dropped.

    >>> clean_text("  Tuban\\u00a0 Bumi\\n Wali ")
    'Tuban Bumi Wali'
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    text = _ZERO_WIDTH.sub("", text.replace("\xa0", " "))
    return _SPACE.sub(" ", text).strip()


def split_dateline(paragraph: str) -> tuple[str | None, str]:
    """Return (dateline, rest of the paragraph); dateline is None when there is none.

    >>> split_dateline("Tubankab .- Demi meningkatkan")
    ('Tubankab', 'Demi meningkatkan')
    >>> split_dateline("Tuban adalah kota")
    (None, 'Tuban adalah kota')
    """
    match = DATELINE.match(paragraph)
    if not match:
        return None, paragraph
    return match.group("dateline"), match.group("rest").strip()


def split_credit(paragraph: str) -> tuple[str, str | None]:
    """Return (paragraph without its closing credit, credit); credit is None when absent.

    >>> split_credit("dalam melaksanakan tugas sehari-hari. (chusnul huda/hei)")
    ('dalam melaksanakan tugas sehari-hari.', 'chusnul huda/hei')
    >>> split_credit("Kelompok Budaya Kinerja (KBK)")
    ('Kelompok Budaya Kinerja (KBK)', None)
    """
    match = CREDIT.match(paragraph)
    if not match:
        return paragraph, None
    return match.group("rest").strip(), match.group("credit").strip()


def split_body(paragraphs: Iterable[str]) -> tuple[list[str], str | None, str | None]:
    """Return (clean paragraphs, dateline, credit) of an article body.

    The dateline is looked for in the first paragraph and the credit in the last; a
    paragraph left empty by the move is dropped.
    """
    cleaned = [p for p in (clean_text(p) for p in paragraphs) if p]
    dateline = credit = None
    if cleaned:
        dateline, cleaned[0] = split_dateline(cleaned[0])
    if cleaned:
        cleaned[-1], credit = split_credit(cleaned[-1])
    return [p for p in cleaned if p], dateline, credit


def body_text(paragraphs: Iterable[str]) -> str:
    """Return the paragraphs joined by one blank line, the archive's ``body_text``."""
    return "\n\n".join(paragraphs)


#: What themes put around a category's name: a hashtag's ``#``, bullets and arrows before it,
#: commas, semicolons and bars after it (``• Umum``, ``#Kesehatan``, ``Kegiatan Pemerintahan,``).
_CATEGORY_DECORATION = "#＃•·●▪►▸»›|,;:-–—*/ \t"


def normalize_categories(names: Iterable[str]) -> list[str]:
    """Return the category names cleaned of their decoration, split at commas, first occurrence kept.

    >>> normalize_categories(["Kegiatan Pemerintahan,", " Umum ", "Umum"])
    ['Kegiatan Pemerintahan', 'Umum']
    >>> normalize_categories(["#Kesehatan", "• Kegiatan Bupati dan Wakil Bupati,", "» MTQ 2019 |", "#"])
    ['Kesehatan', 'Kegiatan Bupati dan Wakil Bupati', 'MTQ 2019']
    """
    result: list[str] = []
    for name in names:
        for part in clean_text(name).split(","):
            part = part.strip(_CATEGORY_DECORATION)
            if part and part not in result:
                result.append(part)
    return result


def normalize_views(raw: str | None) -> int | None:
    """Return the view counter as an int, or None when RAW holds no number.

    >>> normalize_views("1.234 kali dilihat"), normalize_views("628"), normalize_views("")
    (1234, 628, None)
    """
    if not raw:
        return None
    match = _VIEWS_DIGITS.search(raw)
    if not match:
        return None
    return int(re.sub(r"[.,]", "", match.group(0)))


def content_hash(fields: dict[str, object]) -> str:
    """Return a stable SHA-256 of FIELDS (what decides whether an article changed).

    Callers leave out what changes without an edit (view counter, fetch times).
    """
    payload = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
