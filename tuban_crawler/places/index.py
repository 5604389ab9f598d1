"""The gazetteer compiled for the tagger: every name as a lookup key and one letter-trie pattern.

Built once per process (about a quarter of a second) and cached; tagger.py reads it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from tuban_crawler.places import context as ctx
from tuban_crawler.places.gazetteer import (
    Desa,
    Kecamatan,
    Office,
    common_words,
    kecamatan_list,
    offices,
    other_regions,
)

#: A name's second half written apart or together: Tuwiri Kulon, Tuwirikulon.
SPLIT_SUFFIX = re.compile(r"(?<=[a-z])(kulon|wetan|lor|kidul)$")
#: What may stand between two letters of a name (and is ignored when looking it up).
SEPARATORS = re.compile(r"[\s,.]+")


@dataclass(frozen=True)
class Entry:
    """What one surface form may stand for."""

    kecamatan: Kecamatan | None = None
    desa: Desa | None = None
    office: Office | None = None
    case_sensitive: str | None = None  # an abbreviation matches only as written (or upper case)
    after: frozenset[str] = frozenset()  # the words one of which must stand before it


def key(surface: str) -> str:
    """Return SURFACE as names are looked up: lower case, without spaces, commas and dots.

    So that `Soko Grenjeng`, `Sugih Waras`, `Tuwiri Kulon`, `RSUD dr. Koesma` and `Dinas
    Kesehatan, Pengendalian ...` find `Sokogrenjeng`, `Sugihwaras`, `Tuwirikulon`, `RSUD dr
    Koesma` and `Dinas Kesehatan Pengendalian ...`.

    >>> key("Dinas Kesehatan, P2KB"), key("Soko Grenjeng")
    ('dinaskesehatanp2kb', 'sokogrenjeng')
    """
    return SEPARATORS.sub("", surface.lower())


def as_written(matched: str, abbreviation: str) -> bool:
    """Return True if MATCHED is ABBREVIATION in its own case or in capitals (`BPBD`, `Dinkes`).

    >>> as_written("Dinkes", "Dinkes"), as_written("DINKES", "Dinkes"), as_written("dinkes", "Dinkes")
    (True, True, False)
    """
    written = SEPARATORS.sub("", matched)
    return written in (SEPARATORS.sub("", abbreviation), SEPARATORS.sub("", abbreviation).upper())


def variants(name: str) -> set[str]:
    """Return NAME with its second half apart and together.

    >>> sorted(variants("Tuwiri Kulon")), sorted(variants("Wanglukulon"))
    (['Tuwiri Kulon', 'TuwiriKulon'], ['Wanglu kulon', 'Wanglukulon'])
    """
    return {name, name.replace(" ", ""), SPLIT_SUFFIX.sub(r" \1", name)}


def trie_pattern(keys: Iterable[str]) -> str:
    """Return a regex matching any of KEYS (see key), longest first, as a letter trie.

    One branch per letter at each node, so a word that names nothing fails at its first letters;
    between two letters, any run of spaces, commas and dots (``Soko Grenjeng``).

    >>> pattern = re.compile(trie_pattern(["jenu", "jenggolo"]), re.IGNORECASE)
    >>> [m.group() for m in pattern.finditer("Jenu, Jeng Golo, Jenuh")]
    ['Jenu', 'Jeng Golo']
    """
    trie: dict = {}
    for key in keys:
        node = trie
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: dict) -> str:
        branches = []
        for char, child in sorted(node.items()):
            if not char:
                continue
            piece = re.escape(char)
            if any(child):
                rest = r"[\s,.]*" + render(child)
                # the longer name first (greedy), the shorter one if it ends here
                piece += f"(?:{rest})?" if "" in child else rest
            branches.append(piece)
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    # the lookbehind fails at once inside a word, which is at most positions of a text
    return r"(?<!\w)" + render(trie) + r"(?!\w)"


@dataclass(frozen=True)
class Index:
    pattern: re.Pattern[str]
    entries: dict[str, tuple[Entry, ...]]
    kecamatan: dict[str, Kecamatan]
    office: dict[str, Office]
    regions: frozenset[str]
    common: frozenset[str]


@cache
def compiled() -> Index:
    """Return the gazetteer compiled for the tagger (built on first use, then cached)."""
    entries: dict[str, list[Entry]] = {}

    def add(surface: str, entry: Entry) -> None:
        found = entries.setdefault(key(surface), [])
        if entry not in found:  # a name and its alias may spell alike once joined
            found.append(entry)

    kecamatan = {k.name: k for k in kecamatan_list()}
    for k in kecamatan.values():
        add(k.name, Entry(kecamatan=k))
        for d in k.desa:
            for name in {d.name, *d.aliases}:
                for variant in variants(name):
                    add(variant, Entry(desa=d))
    for o in offices():
        if o.kind == "kecamatan":
            continue  # found through its kecamatan's name and the word before it
        for name in {o.name, *o.former_names, *o.aliases}:
            add(name, Entry(office=o))
            if o.kind == "bagian" and name.startswith("Bagian "):
                # `Kabag Humas`: the head of a bagian, named without the word
                add(name.removeprefix("Bagian "), Entry(office=o, after=ctx.BAGIAN_WORDS))
        for abbreviation in filter(None, (o.abbreviation, *o.former_abbreviations)):
            add(abbreviation, Entry(office=o, case_sensitive=abbreviation))
    return Index(
        pattern=re.compile(trie_pattern(entries), re.IGNORECASE),
        entries={key: tuple(value) for key, value in entries.items()},
        kecamatan=kecamatan,
        office={o.office_id: o for o in offices()},
        regions=frozenset(other_regions()) | ctx.HIGHER,
        common=common_words(),
    )
