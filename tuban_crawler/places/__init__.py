"""Where and who: the kecamatan, desa and offices of Tuban an article mentions, with their evidence.

Pure (no Scrapy, no SQLite, no network, no model): ``tag_article(title, body)`` returns every
mention it can resolve, each with the text it matched, its field and its position, and every
mention it refuses to guess, each with its reason. The policy, one line each (tests/test_places.py):

- a place is resolved by its context: ``Desa X``, ``Kelurahan X``, ``Kecamatan X``, ``Kades X``,
  ``Lurah X``, ``Camat X``, ``X, Kecamatan Y``, ``X Kec. Y``; a bare kecamatan name is the kecamatan;
- ``Tuban`` is the regency unless ``Kecamatan``/``Kec.``/``Camat`` stands before it;
- a desa name shared by two kecamatan is settled by the kecamatan beside it, else by the one of
  them its sentence names, else by the one of them the article names; otherwise it is refused;
- a name that is also a common word (Sastrawi's Indonesian root words: ``Jati``, ``Gaji``,
  ``Sumber``) is refused unless a place word stands beside it; lower-case words are not names;
- a place or office followed by another region (``Kecamatan Kalitidu``, ``Kabupaten Bojonegoro``,
  ``Jatim``) belongs to that region and is refused;
- an office is found by its official name, its abbreviation (in its own case), a former name or
  abbreviation, or an alias; ``Camat X`` and ``Kantor Kecamatan X`` name kecamatan X's office too.

The gazetteer (kecamatan_list(), offices()) is shipped data with its sources: see gazetteer.py.
"""

from __future__ import annotations

from tuban_crawler.places.gazetteer import (
    Desa,
    Kecamatan,
    Office,
    data_digest,
    kecamatan_list,
    offices,
    offices_source,
)
from tuban_crawler.places.mentions import OfficeMention, PlaceMention, Refusal, Tags
from tuban_crawler.places.tagger import tag_article, tag_text

#: Raised by hand whenever the tagger's rules change what it finds in a text.
RULES_VERSION = 1


def tagger_version() -> str:
    """Return the version of what tag_article finds: its rules' version and its data's digest.

    A store that keeps each article's mentions with this value knows which ones to tag again
    after an upgrade (the gazetteer or the rules changed).

    >>> tagger_version().startswith(f"{RULES_VERSION}-")
    True
    """
    return f"{RULES_VERSION}-{data_digest()}"


__all__ = [
    "RULES_VERSION",
    "Desa",
    "Kecamatan",
    "Office",
    "OfficeMention",
    "PlaceMention",
    "Refusal",
    "Tags",
    "kecamatan_list",
    "offices",
    "offices_source",
    "tag_article",
    "tag_text",
    "tagger_version",
]
