"""Find and resolve the place and office names of an article in one pass of one compiled pattern.

Every name the gazetteer knows (kecamatan, desa, their aliases; offices' names, abbreviations,
former names) is compiled once into a single regular expression shaped as a letter trie, so a
field is scanned once whatever the size of the gazetteer; each hit is then resolved by the few
words around it (context.py; the policy is the package docstring).
"""

from __future__ import annotations

import dataclasses
import logging
import re
from dataclasses import dataclass

from tuban_crawler.places import context as ctx
from tuban_crawler.places.gazetteer import Desa
from tuban_crawler.places.index import Entry, Index, as_written, compiled, key
from tuban_crawler.places.mentions import OfficeMention, PlaceMention, Refusal, Tags

logger = logging.getLogger(__name__)


def _following_region(index: Index, text: str, end: int) -> str | None:
    """Return the other government named right after END, if any."""
    found = ctx.AFTER_REGION.match(text, end)
    if not found:
        return None
    words = found.group("name").split()
    for size in range(len(words), 0, -1):
        candidate = " ".join(words[:size])
        if candidate in index.regions and candidate != "Tuban":
            return candidate
    return None


def _following_kecamatan(index: Index, text: str, end: int) -> tuple[str | None, bool, str | None]:
    """Return (Tuban's kecamatan named right after END, with the word Kecamatan, other one)."""
    found = ctx.AFTER_KECAMATAN.match(text, end)
    if not found:
        return None, False, None
    written, word = found.group("name"), bool(found.group("word"))
    name = written.capitalize()  # KECAMATAN BANGILAN in a title in capitals
    if name in index.kecamatan and (name != "Tuban" or word):
        return name, word, None
    return None, False, written if word else None


def _next_word_is_other_name(index: Index, text: str, end: int) -> bool:
    """Return True if a capitalised word that names no place follows END (`Palang Merah`)."""
    found = re.match(r" +([A-Z]\w*)", text[end : end + 40])
    if not found:
        return False
    word = found.group(1)
    return word.lower() not in index.entries and word not in index.regions


@dataclass
class _Scan:
    """One field being tagged: its text, its hits and what has been resolved so far."""

    index: Index
    text: str
    field: str
    hits: list[tuple[re.Match[str], tuple[Entry, ...]]]
    ends: list[int]
    places: list[PlaceMention]
    offices: list[OfficeMention]
    refused: list[Refusal]
    #: the end and the kind of the last place resolved (a list goes on from it)
    previous: tuple[int, str | None] = (-1, None)
    #: refusals of a shared desa (their index in refused, the candidates) the article may settle
    shared: list[tuple[int, list[Desa]]] = dataclasses.field(default_factory=list)

    def refuse(self, hit: re.Match[str], reason: str) -> None:
        """Record HIT as refused for REASON."""
        self.refused.append(Refusal(hit.group(), self.field, hit.start(), hit.end(), reason))

    def place(self, hit: re.Match[str], kind: str, name: str, kecamatan: str, code: str) -> None:
        """Record HIT as a mention of the place (KIND, NAME, KECAMATAN, CODE)."""
        self.places.append(
            PlaceMention(
                kind, name, kecamatan, code, hit.group(), self.field, hit.start(), hit.end()
            )
        )
        self.previous = (hit.end(), "kecamatan" if kind == "kecamatan" else "desa")

    def sentence_kecamatan(self, position: int) -> set[str]:
        """Return the kecamatan named in the sentence holding POSITION."""
        start, end = ctx.sentence_span(self.ends, position, len(self.text))
        names = set()
        for hit, entries in self.hits:
            if start <= hit.start() < end:
                for entry in entries:
                    if entry.kecamatan and entry.kecamatan.name != "Tuban":
                        names.add(entry.kecamatan.name)
                    elif (
                        entry.kecamatan
                        and ctx.word_before(self.text, hit.start()) in ctx.KECAMATAN_WORDS
                    ):
                        names.add("Tuban")
        return names

    def at_sentence_start(self, position: int) -> bool:
        """Return True if only quotes and brackets stand between its sentence's start and POSITION."""
        start, _ = ctx.sentence_span(self.ends, position, len(self.text))
        return not self.text[start:position].strip(" \t\"'(\u201c\u2018-")


def _inherited(scan: _Scan, i: int, hit: re.Match[str], entries: tuple[Entry, ...]) -> str | None:
    """Return the kind a list gives HIT: `Kecamatan Kerek, Montong, Tuban dan Rengel`.

    A name of two kinds takes its list's kind when a conjunction closes the list on it or the
    list goes on with a name of that kind only: `Jenu, Tuban` is an address ending in the
    regency, `Soko dan Tuban` and `Kerek, Tuban, Rengel` are kecamatan; `Desa Kapu, Merakurak`
    names Kapu's kecamatan, `Desa Ngandong, Grabagan, Gesikan` three desa.
    """
    end, kind = scan.previous
    joined, conjunction = ctx.is_list_gap(scan.text, end, hit.start())
    if not joined:
        return None
    two_kinds = hit.group() == "Tuban" if kind == "kecamatan" else any(e.kecamatan for e in entries)
    if not two_kinds:
        return kind
    listed = False
    if i + 1 < len(scan.hits):
        following, after = scan.hits[i + 1]
        has_kecamatan = any(e.kecamatan for e in after)
        has_desa = any(e.desa for e in after)
        listed = has_kecamatan if kind == "kecamatan" else has_desa and not has_kecamatan
        listed = listed and ctx.is_list_gap(scan.text, hit.end(), following.start())[0]
    return kind if conjunction or listed else None


def _resolve_place(scan: _Scan, i: int, hit: re.Match[str], entries: tuple[Entry, ...]) -> None:
    """Record HIT (the I-th hit, naming the places of ENTRIES) as a place, a refusal or nothing."""
    index, text, matched = scan.index, scan.text, hit.group()
    explicit = ctx.word_before(text, hit.start())
    if (
        explicit in ctx.BELOW_DESA
        or explicit in ctx.MINISTRY_WORDS
        or explicit in ctx.REGENCY_WORDS
    ):
        return  # a dusun's name; a ministry's unit; Kabupaten Tuban, Bupati Tuban: a regency
    keyword = explicit in ctx.DESA_WORDS | ctx.KELURAHAN_WORDS | ctx.KECAMATAN_WORDS
    if not matched[:1].isupper() and not keyword:
        return  # a lower-case word is a word, not a name
    kecamatan = next((e.kecamatan for e in entries if e.kecamatan), None)
    desa = [e.desa for e in entries if e.desa]
    word = explicit if keyword or explicit in ctx.KECAMATAN_UNITS else None
    inherited = None if word else _inherited(scan, i, hit, entries)
    if matched == "Tuban" and not desa and word is None and inherited is None:
        return None  # the regency: the most frequent name, settled before the costlier looks
    if inherited == "kecamatan" and kecamatan:
        word = "kecamatan"
    elif inherited == "desa" and desa:
        word = "desa"
    beside, beside_word, other = _following_kecamatan(index, text, hit.end())
    if (
        kecamatan
        and kecamatan.name == "Tuban"
        and word not in ctx.KECAMATAN_WORDS | ctx.KECAMATAN_UNITS
    ):
        return  # Tuban alone is the regency
    if other:
        return scan.refuse(hit, f"in Kecamatan {other}, not a kecamatan of Tuban")
    region = _following_region(index, text, hit.end())
    if region and not keyword:
        return scan.refuse(hit, f"followed by {region}: another region's")
    if word in ctx.KECAMATAN_WORDS or (word in ctx.KECAMATAN_UNITS and kecamatan):
        if kecamatan is None:
            return scan.refuse(hit, f"no kecamatan {matched} in Tuban")
        scan.place(hit, "kecamatan", kecamatan.name, kecamatan.name, kecamatan.code)
        if explicit in ctx.OFFICE_WORDS:
            office = index.office[f"kecamatan-{kecamatan.name.lower()}"]
            scan.offices.append(
                OfficeMention(
                    office.office_id, office.name, None, matched, scan.field, hit.start(), hit.end()
                )
            )
        return None
    common = matched.lower() in index.common
    if common and inherited and _next_word_is_other_name(index, text, hit.end()):
        # `Wisata Air Gununganyar, Sendang Gede Jegulo`: a list of names, not all of them desa
        return scan.refuse(hit, f"{matched} begins a longer name")
    if word in ctx.DESA_WORDS | ctx.KELURAHAN_WORDS or (
        desa and beside and (beside_word or not kecamatan)
    ):
        candidates = [d for d in desa if beside is None or d.kecamatan == beside]
        if not candidates and beside and not beside_word and not common:
            candidates = desa  # `Bektiharjo-Grabagan`: a route between two places
        if word in ctx.KELURAHAN_WORDS and any(d.kind == "kelurahan" for d in candidates):
            candidates = [d for d in candidates if d.kind == "kelurahan"]
        if not candidates:
            where = f" in Kecamatan {beside}" if beside else " in Tuban"
            return scan.refuse(hit, f"no desa {matched}{where}")
        return _one_desa(scan, hit, candidates)
    if kecamatan:
        if (
            common
            and explicit not in ctx.LOCATIVE_WORDS | ctx.PLACE_NOUNS
            and not inherited
            and (
                scan.at_sentence_start(hit.start())
                or _next_word_is_other_name(index, text, hit.end())
            )
        ):
            return scan.refuse(
                hit, f"{matched} is also a common word and no place word stands beside it"
            )
        return scan.place(hit, "kecamatan", kecamatan.name, kecamatan.name, kecamatan.code)
    if ctx.BEFORE_DESA.match(text, hit.end()):
        return None  # `Dasin Desa Sugihwaras`: a dusun or an area of the desa named next
    if common and (
        explicit not in ctx.PLACE_NOUNS or _next_word_is_other_name(index, text, hit.end())
    ):
        if matched.isupper():
            return None  # ASN HARUS JADI PELAYAN: in capitals a word is no more a name than in lower case
        return scan.refuse(
            hit, f"{matched} is also a common word and no place word stands beside it"
        )
    return _one_desa(scan, hit, desa)


def _one_desa(scan: _Scan, hit: re.Match[str], candidates: list[Desa]) -> None:
    """Resolve HIT to the one of CANDIDATES, or the one in a kecamatan its sentence names."""
    if len(candidates) > 1:
        named = scan.sentence_kecamatan(hit.start())
        candidates = [d for d in candidates if d.kecamatan in named] or candidates
    if len(candidates) > 1:
        shared = " and ".join(sorted(d.kecamatan for d in candidates))
        scan.shared.append((len(scan.refused), candidates))
        return scan.refuse(hit, f"desa {hit.group()} is in {shared}: no kecamatan beside it")
    (d,) = candidates
    return scan.place(hit, d.kind, d.name, d.kecamatan, d.code)


def _resolve_office(scan: _Scan, hit: re.Match[str], entries: tuple[Entry, ...]) -> bool:
    """Resolve HIT to an office; return False if none of ENTRIES fits how it is written."""
    matched, before = hit.group(), ctx.word_before(scan.text, hit.start())
    fitting = {
        e.office.office_id: e.office
        for e in entries
        if e.office
        and (e.case_sensitive is None or as_written(matched, e.case_sensitive))
        and (not e.after or before in e.after)
    }
    if not fitting:
        return False
    if before in ctx.MINISTRY_WORDS:
        return True  # Kementerian PUPR: the ministry, not the regency's office
    region = _following_region(scan.index, scan.text, hit.end())
    if region:
        scan.refuse(hit, f"followed by {region}: another government's office")
    elif len(fitting) > 1:
        scan.refuse(
            hit, f"{matched} may be " + " or ".join(sorted(o.name for o in fitting.values()))
        )
    else:
        (o,) = fitting.values()
        scan.offices.append(
            OfficeMention(
                o.office_id, o.name, o.abbreviation, matched, scan.field, hit.start(), hit.end()
            )
        )
    return True


def _scan_field(text: str, field: str) -> _Scan:
    """Return the scan of one field's TEXT, every hit resolved or refused."""
    index = compiled()
    hits = [(hit, index.entries.get(key(hit.group()), ())) for hit in index.pattern.finditer(text)]
    ends = [mark.start() for mark in ctx.SENTENCE_END.finditer(text)]
    scan = _Scan(index, text, field, hits, ends, [], [], [])
    for i, (hit, entries) in enumerate(hits):
        places = tuple(e for e in entries if not e.office)
        if any(e.office for e in entries) and _resolve_office(scan, hit, entries):
            continue
        if places:
            _resolve_place(scan, i, hit, places)
    return scan


def tag_text(text: str, field: str = "body") -> Tags:
    """Return the mentions in one field's TEXT, FIELD naming it ("title" or "body")."""
    scan = _scan_field(text, field)
    return Tags(tuple(scan.places), tuple(scan.offices), tuple(scan.refused))


def _settle_shared(scans: list[_Scan]) -> None:
    """Resolve a shared desa to the one of its kecamatan that the article names, if only one."""
    named = {p.name for scan in scans for p in scan.places if p.kind == "kecamatan"}
    for scan in scans:
        settled = set()
        for position, candidates in scan.shared:
            fitting = [d for d in candidates if d.kecamatan in named]
            if len(fitting) == 1:
                (d,), refusal = fitting, scan.refused[position]
                scan.places.append(
                    PlaceMention(
                        d.kind,
                        d.name,
                        d.kecamatan,
                        d.code,
                        refusal.matched,
                        refusal.field,
                        refusal.start,
                        refusal.end,
                    )
                )
                settled.add(position)
        if settled:
            scan.refused = [r for i, r in enumerate(scan.refused) if i not in settled]
            scan.places.sort(key=lambda p: p.start)


def tag_article(title: str, body: str) -> Tags:
    """Return the place and office mentions of an article's TITLE and BODY, and those refused.

    >>> tags = tag_article("Banjir di Desa Sugihwaras, Kecamatan Jenu", "Camat Jenu meninjau.")
    >>> [(p.kind, p.name, p.kecamatan, p.field) for p in tags.places]
    [('desa', 'Sugihwaras', 'Jenu', 'title'), ('kecamatan', 'Jenu', 'Jenu', 'title'), ('kecamatan', 'Jenu', 'Jenu', 'body')]
    >>> [o.office_id for o in tags.offices]
    ['kecamatan-jenu']
    >>> [r.reason for r in tag_article("", "Warga Desa Sugihwaras mengungsi.").refused]
    ['desa Sugihwaras is in Jenu and Parengan: no kecamatan beside it']
    >>> [(p.name, p.kecamatan) for p in tag_article("Banjir di Desa Sugihwaras", "Camat Parengan hadir.").places]
    [('Sugihwaras', 'Parengan'), ('Parengan', 'Parengan')]
    """
    scans = [_scan_field(title or "", "title"), _scan_field(body or "", "body")]
    _settle_shared(scans)
    return Tags(
        tuple(p for scan in scans for p in scan.places),
        tuple(o for scan in scans for o in scan.offices),
        tuple(r for scan in scans for r in scan.refused),
    )
