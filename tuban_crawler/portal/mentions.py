"""Which places and offices of Tuban each article names: the manifest's ground truth (issue 24).

The generated text draws its kecamatan, desa and offices from the portal's own closed lists
(:mod:`.vocab`), always written in the forms a reader of the real portal meets: ``Desa X,
Kecamatan Y``, ``Kepala Desa X``, ``Camat Y``, ``aula Kantor Kecamatan Y``, an office's name or
its abbreviation. So what an article names is found here by looking for those forms in its
title and body, with no tagger: a crawl's tags are checked against it, never against
themselves. ``Tuban`` alone is the regency (``Pemkab Tuban``, ``Alun-alun Tuban``); only
``Kecamatan Tuban`` and ``Camat Tuban`` name the kecamatan. Any other kecamatan's name alone
(the profile page's list of them, ``Petani Jenu``) names the kecamatan.

The seed article's real text was read by hand: ``SEED_OFFICES``.
"""

from __future__ import annotations

import functools
import re

from . import vocab

#: Offices the generated text names besides the OPD list: (name, the forms it is written in).
#: ``Sekda``/``Sekretaris Daerah`` is the Sekretariat Daerah's head, written for the office.
OTHER_OFFICES = (
    ("Sekretariat Daerah", ("Setda", "Sekda", "Sekretaris Daerah")),
    # Its head, the Kabag (Kepala Bagian), speaks for the Bagian Humas dan Protokol.
    ("Bagian Humas dan Protokol", ("Kabag Humas dan Protokol",)),
)
#: What the real seed article names (read by hand): the Sekretariat Daerah (``Sekda Tuban``,
#: ``Setda Tuban``), its Bagian Organisasi (``Bag Ortala``) and a dissolved office.
SEED_OFFICES = (
    "Sekretariat Daerah",
    "Bagian Organisasi dan Tata Laksana",
    "Dinas Perikanan dan Kelautan",
)


def _words(form: str) -> str:
    return r"\b" + re.escape(form).replace(r"\ ", r"\s+") + r"\b"


def _kecamatan_pattern(kecamatan: str) -> str:
    """Return the forms naming KECAMATAN: after ``Kecamatan``/``Camat`` in any case, or alone as a name.

    ``Tuban`` alone is the regency; any other kecamatan's name alone is the kecamatan, written
    as a name (capitalised, or in a title in capitals), never a lower-case word.
    """
    marked = f"(?i:{_words(f'Kecamatan {kecamatan}')}|{_words(f'Camat {kecamatan}')})"
    if kecamatan == "Tuban":
        return marked
    return f"{marked}|{_words(kecamatan)}|{_words(kecamatan.upper())}"


@functools.cache
def _patterns() -> tuple[tuple[tuple[str, str, str], re.Pattern[str]], ...]:
    """Return (place, pattern) for every kecamatan and desa of the portal's lists."""
    found = []
    for kecamatan, desa_names in vocab.DESA_BY_KECAMATAN.items():
        found.append(
            (("kecamatan", kecamatan, kecamatan), re.compile(_kecamatan_pattern(kecamatan)))
        )
        for desa in desa_names:
            found.append(
                (("desa", desa, kecamatan), re.compile(_words(f"Desa {desa}"), re.IGNORECASE))
            )
    return tuple(found)


@functools.cache
def _office_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Return (office, pattern) for every office the generated text can name, kecamatan offices included."""
    offices = [(name, (name, short)) for name, short in vocab.OPD] + list(OTHER_OFFICES)
    found = [
        (name, re.compile("|".join(_words(f) for f in forms), re.IGNORECASE))
        for name, forms in offices
    ]
    found += [
        (
            f"Kecamatan {kecamatan}",
            re.compile(
                _words(f"Camat {kecamatan}") + "|" + _words(f"Kantor Kecamatan {kecamatan}"),
                re.IGNORECASE,
            ),
        )
        for kecamatan in vocab.KECAMATAN
    ]
    return tuple(found)


def mentions(title: str, paragraphs: tuple[str, ...] | list[str]) -> dict[str, list]:
    """Return what TITLE and PARAGRAPHS name: ``places`` as [kind, name, kecamatan] and ``offices`` as names, sorted.

    >>> mentions("Bupati Resmikan Posyandu di Desa Mentoso", ("Camat Jenu hadir di Pemkab Tuban.",))
    {'places': [['desa', 'Mentoso', 'Jenu'], ['kecamatan', 'Jenu', 'Jenu']], 'offices': ['Kecamatan Jenu']}
    """
    text = "\n".join((title, *paragraphs))
    places = sorted(list(place) for place, pattern in _patterns() if pattern.search(text))
    offices = sorted(name for name, pattern in _office_patterns() if pattern.search(text))
    return {"places": places, "offices": offices}


def seed_mentions() -> dict[str, list]:
    """Return what the real seed article names (read by hand): no place, three offices."""
    return {"places": [], "offices": sorted(SEED_OFFICES)}
