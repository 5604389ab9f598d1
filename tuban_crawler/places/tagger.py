"""Find and resolve the place and office names of an article in one pass of one compiled pattern.

Every name the gazetteer knows (kecamatan, desa, their aliases; offices' names, abbreviations,
former names) is compiled once into a single regular expression shaped as a word trie, so a
field is scanned once whatever the size of the gazetteer; each hit is then resolved by the few
words before and after it (policy: the package docstring).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from tuban_crawler.places.gazetteer import (
    Desa,
    Kecamatan,
    Office,
    common_words,
    kecamatan_list,
    offices,
    other_regions,
)
from tuban_crawler.places.mentions import OfficeMention, PlaceMention, Refusal, Tags

logger = logging.getLogger(__name__)

#: The word before a name that says what it is (matched at the end of the text before it).
BEFORE = re.compile(
    r"(?:^|[^\w.])(?P<word>desa|ds|kelurahan|kel|kecamatan|kec|kades|kepala\s+desa|pj\.?\s+kades"
    r"|lurah|camat|kantor\s+kecamatan|pemerintah\s+kecamatan|kabupaten|kab|pemkab|bupati|kota"
    r"|provinsi|dusun|dukuh|pemdes|balai\s+desa|bumdes|di|ke|dari|wilayah)\.?\s+$",
    re.IGNORECASE,
)
#: `, Kecamatan Y`, ` Kec. Y`, `, Y` right after a name: the kecamatan it is in.
AFTER_KECAMATAN = re.compile(
    r"\s*,?\s*(?:(?P<word>(?i:kecamatan|kec\.?))\s*)?(?P<name>[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?)",
)
#: A higher government named right after an office or a place: `Jatim`, `Provinsi Jawa Timur`.
AFTER_REGION = re.compile(
    r"\s*,?\s*(?:(?P<word>(?i:kabupaten|kab\.|kota|provinsi|prov\.))\s*)?(?P<name>[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,2})"
)
#: Short forms of higher governments that are not in the regions list.
HIGHER = {"Jatim", "Jateng", "Jabar", "Jabodetabek", "Pusat", "RI", "Provinsi", "Nasional"}
DESA_WORDS = {
    "desa",
    "ds",
    "kades",
    "kepala desa",
    "pemdes",
    "balai desa",
    "bumdes",
    "dusun",
    "dukuh",
}
KELURAHAN_WORDS = {"kelurahan", "kel", "lurah"}
KECAMATAN_WORDS = {"kecamatan", "kec", "camat", "kantor kecamatan", "pemerintah kecamatan"}
REGENCY_WORDS = {"kabupaten", "kab", "pemkab", "bupati", "kota", "provinsi"}
LOCATIVE_WORDS = {"di", "ke", "dari", "wilayah"}
#: Before a kecamatan name, these name its office as well as the place.
OFFICE_WORDS = {"camat", "kantor kecamatan", "pemerintah kecamatan"}


@dataclass(frozen=True)
class _Entry:
    """What one surface form may stand for."""

    kecamatan: Kecamatan | None = None
    desa: Desa | None = None
    office: Office | None = None
    case_sensitive: str | None = None  # an abbreviation matches only as written


def _words(surface: str) -> tuple[str, ...]:
    return tuple(surface.lower().replace(",", " ").split())


def _trie_pattern(surfaces: Iterable[tuple[str, ...]]) -> str:
    """Return a regex matching any of SURFACES (word tuples), longest first, as a word trie."""
    trie: dict = {}
    for words in surfaces:
        node = trie
        for word in words:
            node = node.setdefault(word, {})
        node[""] = {}

    def render(node: dict) -> str:
        branches = []
        for word, child in sorted(node.items(), key=lambda kv: (-len(kv[0]), kv[0])):
            if not word:
                continue
            piece = re.escape(word)
            if any(child):
                # the longer name first (greedy), the shorter one if it ends here
                piece += r"(?:[\s,]+" + render(child) + ")" + ("?" if "" in child else "")
            branches.append(piece)
        return "(?:" + "|".join(branches) + ")"

    return r"(?<![\w-])" + render(trie) + r"(?![\w-])"


@dataclass(frozen=True)
class _Index:
    pattern: re.Pattern[str]
    entries: dict[tuple[str, ...], tuple[_Entry, ...]]
    kecamatan: dict[str, Kecamatan]
    regions: frozenset[str]
    common: frozenset[str]


@cache
def _index() -> _Index:
    entries: dict[tuple[str, ...], list[_Entry]] = {}

    def add(surface: str, entry: _Entry) -> None:
        entries.setdefault(_words(surface), []).append(entry)

    kecamatan = {k.name: k for k in kecamatan_list()}
    for k in kecamatan.values():
        add(k.name, _Entry(kecamatan=k))
        for d in k.desa:
            for name in {d.name, *d.aliases}:
                add(name, _Entry(desa=d))
    for o in offices():
        if o.kind == "kecamatan":
            continue  # found through its kecamatan's name and the word before it
        for name in {o.name, *o.former_names, *o.aliases}:
            add(name, _Entry(office=o))
        for abbreviation in filter(None, (o.abbreviation, *o.former_abbreviations)):
            add(abbreviation, _Entry(office=o, case_sensitive=abbreviation))
    pattern = re.compile(_trie_pattern(entries), re.IGNORECASE)
    return _Index(
        pattern=pattern,
        entries={key: tuple(value) for key, value in entries.items()},
        kecamatan=kecamatan,
        regions=frozenset(other_regions()) | HIGHER,
        common=common_words(),
    )


def _before(text: str, start: int) -> str | None:
    found = BEFORE.search(text, max(0, start - 30), start)
    return " ".join(found.group("word").lower().split()).rstrip(".") if found else None


def _is_capitalised(matched: str) -> bool:
    return matched[:1].isupper()


def _following_region(index: _Index, text: str, end: int) -> str | None:
    """Return the other government named right after END, if any."""
    found = AFTER_REGION.match(text, end)
    if not found:
        return None
    name = found.group("name")
    words = name.split()
    for size in range(len(words), 0, -1):
        candidate = " ".join(words[:size])
        if candidate in index.regions and candidate != "Tuban":
            return candidate
    return None


def _following_kecamatan(index: _Index, text: str, end: int) -> tuple[str | None, str | None]:
    """Return (kecamatan of Tuban, or other kecamatan named) right after END."""
    found = AFTER_KECAMATAN.match(text, end)
    if not found:
        return None, None
    first = found.group("name").split()[0]
    if first in index.kecamatan and first != "Tuban" or (first == "Tuban" and found.group("word")):
        return first, None
    if found.group("word"):
        return None, found.group("name")
    return None, None


def _resolve_place(
    index: _Index, text: str, field: str, hit: re.Match[str], entries: tuple[_Entry, ...]
) -> tuple[list[PlaceMention], list[OfficeMention], Refusal | None]:
    matched, start, end = hit.group(), hit.start(), hit.end()

    def refuse(reason: str) -> tuple[list[PlaceMention], list[OfficeMention], Refusal]:
        return [], [], Refusal(matched, field, start, end, reason)

    def place(kind: str, name: str, kecamatan: str, code: str) -> PlaceMention:
        return PlaceMention(kind, name, kecamatan, code, matched, field, start, end)

    if not _is_capitalised(matched):
        return [], [], None
    word = _before(text, start)
    kecamatan = next((e.kecamatan for e in entries if e.kecamatan), None)
    desa = [e.desa for e in entries if e.desa]
    region = _following_region(index, text, end)
    beside, other = _following_kecamatan(index, text, end)
    if word in REGENCY_WORDS:
        return [], [], None  # Kabupaten Tuban, Bupati Tuban: the regency, or another one
    if kecamatan and kecamatan.name == "Tuban" and word not in KECAMATAN_WORDS:
        return [], [], None  # Tuban alone is the regency
    if other:
        return refuse(f"in Kecamatan {other}, not a kecamatan of Tuban")
    if region and word not in KECAMATAN_WORDS | DESA_WORDS | KELURAHAN_WORDS:
        return refuse(f"followed by {region}: another region's")
    if word in KECAMATAN_WORDS:
        if kecamatan is None:
            return refuse(f"no kecamatan {matched} in Tuban")
        found = [place("kecamatan", kecamatan.name, kecamatan.name, kecamatan.code)]
        offices_found = []
        if word in OFFICE_WORDS:
            office = next(
                o for o in offices() if o.office_id == f"kecamatan-{kecamatan.name.lower()}"
            )
            offices_found.append(
                OfficeMention(office.office_id, office.name, None, matched, field, start, end)
            )
        return found, offices_found, None
    if word in DESA_WORDS | KELURAHAN_WORDS or (beside and desa and beside != matched):
        candidates = [d for d in desa if beside is None or d.kecamatan == beside]
        if word in KELURAHAN_WORDS and any(d.kind == "kelurahan" for d in candidates):
            candidates = [d for d in candidates if d.kind == "kelurahan"]
        if not candidates:
            where = f" in Kecamatan {beside}" if beside else " in Tuban"
            return refuse(f"no desa {matched}{where}")
        if len(candidates) > 1:
            shared = " and ".join(sorted(d.kecamatan for d in candidates))
            return refuse(f"desa {matched} is in {shared}: no kecamatan beside it")
        (d,) = candidates
        return [place(d.kind, d.name, d.kecamatan, d.code)], [], None
    common = matched.lower() in index.common
    if kecamatan:
        if common and word not in LOCATIVE_WORDS and beside is None:
            return refuse(f"{matched} is also a common word and no place word stands beside it")
        return [place("kecamatan", kecamatan.name, kecamatan.name, kecamatan.code)], [], None
    if len(desa) > 1:
        shared = " and ".join(sorted(d.kecamatan for d in desa))
        return refuse(f"desa {matched} is in {shared}: no kecamatan beside it")
    if common:
        return refuse(f"{matched} is also a common word and no place word stands beside it")
    (d,) = desa
    return [place(d.kind, d.name, d.kecamatan, d.code)], [], None


def _resolve_office(
    index: _Index, text: str, field: str, hit: re.Match[str], entries: tuple[_Entry, ...]
) -> tuple[list[OfficeMention], Refusal | None]:
    matched, start, end = hit.group(), hit.start(), hit.end()
    fitting = [
        e.office
        for e in entries
        if e.office
        and (e.case_sensitive is None or matched in (e.case_sensitive, e.case_sensitive.upper()))
    ]
    if not fitting:
        return [], None
    region = _following_region(index, text, end)
    if region:
        return [], Refusal(
            matched, field, start, end, f"followed by {region}: another government's office"
        )
    if len({o.office_id for o in fitting}) > 1:
        names = " or ".join(sorted({o.name for o in fitting}))
        return [], Refusal(matched, field, start, end, f"{matched} may be {names}")
    o = fitting[0]
    return [OfficeMention(o.office_id, o.name, o.abbreviation, matched, field, start, end)], None


def tag_text(text: str, field: str = "body") -> Tags:
    """Return the mentions in one field's TEXT, FIELD naming it ("title" or "body")."""
    index = _index()
    places: list[PlaceMention] = []
    found_offices: list[OfficeMention] = []
    refused: list[Refusal] = []
    for hit in index.pattern.finditer(text):
        entries = index.entries.get(_words(hit.group()), ())
        office_entries = tuple(e for e in entries if e.office)
        place_entries = tuple(e for e in entries if not e.office)
        if office_entries:
            mentions, refusal = _resolve_office(index, text, field, hit, office_entries)
            found_offices += mentions
            if mentions or not place_entries:
                refused += [refusal] if refusal else []
                continue
        if place_entries:
            new_places, new_offices, refusal = _resolve_place(
                index, text, field, hit, place_entries
            )
            places += new_places
            found_offices += new_offices
            refused += [refusal] if refusal else []
    return Tags(tuple(places), tuple(found_offices), tuple(refused))


def tag_article(title: str, body: str) -> Tags:
    """Return the place and office mentions of an article's TITLE and BODY, and those refused.

    >>> tags = tag_article("Banjir di Desa Sugihwaras, Kecamatan Jenu", "Camat Jenu meninjau.")
    >>> [(p.kind, p.name, p.kecamatan, p.field) for p in tags.places]
    [('desa', 'Sugihwaras', 'Jenu', 'title'), ('kecamatan', 'Jenu', 'Jenu', 'title'), ('kecamatan', 'Jenu', 'Jenu', 'body')]
    >>> [o.office_id for o in tags.offices]
    ['kecamatan-jenu']
    >>> [r.reason for r in tag_article("", "Warga Desa Sugihwaras mengungsi.").refused]
    ['desa Sugihwaras is in Jenu and Parengan: no kecamatan beside it']
    """
    title_tags, body_tags = tag_text(title or "", "title"), tag_text(body or "", "body")
    return Tags(
        title_tags.places + body_tags.places,
        title_tags.offices + body_tags.offices,
        title_tags.refused + body_tags.refused,
    )
