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
from typing import Any

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


def _alternation(forms: list[str]) -> str:
    """Return a regex matching any of FORMS as whole words (longest first, any whitespace between words)."""
    ordered = sorted(set(forms), key=len, reverse=True)
    return "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in ordered)


def _key(text: str) -> str:
    return " ".join(text.split()).lower()


def _as_written(forms: dict[str, object]) -> tuple[re.Pattern[str], dict[str, object]]:
    """Return a pattern of FORMS as the portal writes them (in running text, or a title in capitals), and matched text → value.

    Case-sensitive, both ways spelt out: four times faster than one case-insensitive pattern.
    """
    lookup = {_key(form): value for form, value in forms.items()}
    spelt = [form for form in forms] + [form.upper() for form in forms]
    # Every form starts with a capital: other positions fail at once.
    return re.compile(rf"\b(?=[A-Z])(?:{_alternation(spelt)})\b"), lookup


@functools.cache
def _places() -> tuple[re.Pattern[str], dict[str, object]]:
    """Return the pattern of every form naming a kecamatan or desa of the portal's lists, and matched text → place.

    ``Kecamatan X``, ``Camat X``, ``Desa X``; a kecamatan's name alone too, but not ``Tuban``
    (the regency).
    """
    forms: dict[str, object] = {}
    for kecamatan, desa_names in vocab.DESA_BY_KECAMATAN.items():
        place = ("kecamatan", kecamatan, kecamatan)
        forms.update({f"Kecamatan {kecamatan}": place, f"Camat {kecamatan}": place})
        if kecamatan != "Tuban":
            forms[kecamatan] = place
        forms.update({f"Desa {desa}": ("desa", desa, kecamatan) for desa in desa_names})
    return _as_written(forms)


@functools.cache
def _offices() -> tuple[re.Pattern[str], dict[str, object]]:
    """Return the pattern of every form an office is written in (kecamatan offices too), and matched text → office."""
    offices = [(name, (name, short)) for name, short in vocab.OPD] + list(OTHER_OFFICES)
    offices += [
        (f"Kecamatan {k}", (f"Camat {k}", f"Kantor Kecamatan {k}")) for k in vocab.KECAMATAN
    ]
    return _as_written({form: name for name, forms in offices for form in forms})


def mentions(title: str, paragraphs: tuple[str, ...] | list[str]) -> dict[str, list]:
    """Return what TITLE and PARAGRAPHS name: ``places`` as [kind, name, kecamatan] and ``offices`` as names, sorted.

    >>> mentions("Bupati Resmikan Posyandu di Desa Mentoso", ("Camat Jenu hadir di Pemkab Tuban.",))
    {'places': [['desa', 'Mentoso', 'Jenu'], ['kecamatan', 'Jenu', 'Jenu']], 'offices': ['Kecamatan Jenu']}
    >>> mentions("PETANI PALANG PANEN", ("Alun-alun Tuban ramai.", "di Kecamatan Tuban"))["places"]
    [['kecamatan', 'Palang', 'Palang'], ['kecamatan', 'Tuban', 'Tuban']]
    """
    places, offices = _mentions(title, tuple(paragraphs))
    return {"places": [list(place) for place in places], "offices": list(offices)}


@functools.lru_cache(maxsize=16384)  # the manifest asks again for every entry at every request
def _mentions(title: str, paragraphs: tuple[str, ...]) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    text = "\n".join((title, *paragraphs))
    pattern, places = _places()
    found = {places[_key(hit.group())] for hit in pattern.finditer(text)}
    pattern, offices = _offices()
    named = {offices[_key(hit.group())] for hit in pattern.finditer(text)}
    return tuple(sorted(found)), tuple(sorted(named))


def seed_mentions() -> dict[str, list]:
    """Return what the real seed article names (read by hand): no place, three offices."""
    return {"places": [], "offices": sorted(SEED_OFFICES)}
