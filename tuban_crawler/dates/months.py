"""Month names of the other languages real pages are written in (issue 18): Spanish, Portuguese, Italian, Polish, Russian, the Nordic ``maj``, German abbreviations.

Indonesian, English, Dutch, German and French names are in ``vocab.MONTHS``, which takes
these in. Full names and genitives only, and abbreviations that are no common word
(Portuguese ``out`` and ``set`` are left out); Russian and Polish give the genitive a date
uses (``15 августа 2016``, ``3 września 2020``).
"""

from __future__ import annotations

OTHER_MONTHS: dict[str, int] = {
    # Spanish
    "enero": 1,
    "ene": 1,
    "febrero": 2,
    "marzo": 3,
    "abril": 4,
    "abr": 4,
    "mayo": 5,
    "junio": 6,
    "julio": 7,
    "agosto": 8,
    "ago": 8,
    "septiembre": 9,
    "setiembre": 9,
    "octubre": 10,
    "noviembre": 11,
    "diciembre": 12,
    "dic": 12,
    # Portuguese
    "janeiro": 1,
    "fevereiro": 2,
    "fev": 2,
    "março": 3,
    "maio": 5,
    "junho": 6,
    "julho": 7,
    "setembro": 9,
    "outubro": 10,
    "novembro": 11,
    "dezembro": 12,
    # Italian
    "gennaio": 1,
    "febbraio": 2,
    "aprile": 4,
    "maggio": 5,
    "giugno": 6,
    "luglio": 7,
    "settembre": 9,
    "ottobre": 10,
    "dicembre": 12,
    # Polish (genitive)
    "stycznia": 1,
    "lutego": 2,
    "marca": 3,
    "kwietnia": 4,
    "maja": 5,
    "czerwca": 6,
    "lipca": 7,
    "sierpnia": 8,
    "września": 9,
    "października": 10,
    "listopada": 11,
    "grudnia": 12,
    # Russian (genitive)
    "января": 1,
    "февраля": 2,
    "марта": 3,
    "апреля": 4,
    "мая": 5,
    "июня": 6,
    "июля": 7,
    "августа": 8,
    "сентября": 9,
    "октября": 10,
    "ноября": 11,
    "декабря": 12,
    # Swedish, Danish, Norwegian
    "maj": 5,
    # German abbreviations not spelled as in the other languages (``01. Dez. 2022``)
    "mär": 3,
    "dez": 12,
}
