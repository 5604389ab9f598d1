"""The regency's web as several sites: the portal, its offices' sites and one it links to (issue 22).

``tuban-crawler portal --sites N`` serves N sites on N loopback ports (and, from N = 2, one
more that nothing asks the crawler to add). This module plans them, without HTTP: what each
site is (:func:`plan_sites`) and what an office site holds (:func:`office_content`); the
serving lives in :mod:`.multi`. Everything depends only on the seed and the sizes.

=====  ==========  ===========================================================================
site   role        what it is
=====  ==========  ===========================================================================
1      portal      today's one-site portal, byte for byte, plus (N >= 2) a footer list of
                   "Situs Perangkat Daerah" linking every other site, the unlisted one too
2..N   office      its own stories (a tenth of the portal's, at least 20, from seed
                   ``seed * 100 + k``), its own theme (:data:`OFFICE_THEMES` in turn, skipping
                   the portal's), robots.txt, sitemaps, feed and listings; re-posts and
                   teasers of portal stories; a footer link back to the portal
3, 6..  office     as above, but its entries live at ``/page/<id>`` (ids in publication
                   order from :data:`FIRST_NUMBER`), like ``ppid.tubankab.go.id``
N+1    unlisted    an office site with its own stories only, linked from the portal's
                   footer; the test does not add it (the crawler should name it left out)
=====  ==========  ===========================================================================

What an office shares with the portal (``max(3, own // 10)`` of each, drawn from the portal's
plain articles, never one a fault or a special case strikes):

- a **re-post**: the portal's article under the same slug with the same paragraphs (title,
  metadata and trailers too), in the office's own template, dated a day later. On a
  ``/page/<id>`` site the URL cannot carry the slug: the re-post is recognised by its text
  alone (the manifest says ``"by": "text"`` there, ``"slug"`` elsewhere);
- a **teaser**: the portal's title under the same slug (or id), three hours later, with two
  short paragraphs: the article's first sentence (without the dateline) and
  ``Selengkapnya di : <host:port of the portal>``, a link to the full article.
"""

from __future__ import annotations

import dataclasses
import logging
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from . import content
from .content import Entry
from .faults import ARTICLE_FAULTS
from .render import esc
from .site import Site, SiteExtras
from .themes import THEMES
from .traps import ARTICLE_TRAPS

logger = logging.getLogger(__name__)

PORTAL, OFFICE, UNLISTED = "portal", "office", "unlisted"
#: The offices' templates, in turn (the portal's own is skipped): the /page/<id> site (3) gets
#: blogger, whose gzip sitemap and Atom feed differ most from the portal's.
OFFICE_THEMES = ("wordpress", "blogger", "laravel", "joomla", "classic")
OFFICE_NAMES = (
    "Dinas Komunikasi dan Informatika",
    "Pejabat Pengelola Informasi dan Dokumentasi",
    "Dinas Kebudayaan, Kepemudaan, Olahraga dan Pariwisata",
    "Ayo Ning Tuban",
    "Selaras",
    "SIPLah",
)
FIRST_NUMBER = 101
MIN_OFFICE_ARTICLES = 20
SPARE = 20
TEASER_ENDING = "Selengkapnya di : {host}"
ENTRY_PATTERN, NUMBERED_PATTERN = "/entry/<slug>", "/page/<id>"
REPOST_DELAY, TEASER_DELAY = timedelta(days=1), timedelta(hours=3)
# Originals are plain articles: no special case of content.py (0-15), no fault or trap index.
_STRUCK = frozenset(
    {*range(16), *(i for v in ARTICLE_FAULTS.values() for i in v)}
    | {i for v in ARTICLE_TRAPS.values() for i in v}
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class SiteSpec:
    """One site of a multi-site portal, before its port is known."""

    number: int  # 1 is the portal
    role: str  # PORTAL, OFFICE or UNLISTED
    name: str
    theme: str
    seed: int
    articles: int
    numbered: bool  # entries at /page/<id>
    faults: object  # as parse_faults takes it

    @property
    def entry_pattern(self) -> str:
        """Return the site's entry pattern as the contract writes it (``/entry/<slug>`` or ``/page/<id>``)."""
        return NUMBERED_PATTERN if self.numbered else ENTRY_PATTERN


@dataclass(frozen=True)
class Shared:
    """A portal story on an office site: a re-post or a teaser."""

    kind: str  # "repost" or "teaser"
    entry: Entry  # as the office shows it
    original: Entry  # as the portal shows it


def parse_site_faults(values: list[str] | None) -> dict[int, str]:
    """Return site number -> faults from ``K=fault[,fault]`` VALUES; ValueError for a malformed one.

    >>> parse_site_faults(["2=nolistings", "3=500,503"])
    {2: 'nolistings', 3: '500,503'}
    """
    result: dict[int, str] = {}
    for value in values or ():
        number, sep, faults = value.partition("=")
        if not sep or not number.strip().isdigit() or not faults.strip():
            raise ValueError(f"--site-faults wants SITE=FAULTS (e.g. 2=nolistings), got {value!r}")
        result[int(number)] = faults.strip()
    return result


def office_theme(portal_theme: str, turn: int) -> str:
    """Return the theme of the TURN-th other site (0 for site 2), skipping PORTAL_THEME.

    >>> [office_theme("classic", t) for t in range(5)]
    ['wordpress', 'blogger', 'laravel', 'joomla', 'wordpress']
    """
    themes = [t for t in OFFICE_THEMES if t != portal_theme and t in THEMES]
    return themes[turn % len(themes)]


def plan_sites(
    count: int,
    *,
    articles: int,
    seed: int,
    theme: str = "classic",
    faults: object = None,
    site_faults: Mapping[int, object] | None = None,
) -> list[SiteSpec]:
    """Return the sites of a COUNT-site portal: the portal, COUNT - 1 offices and (COUNT >= 2) the unlisted one.

    ARTICLES, SEED and THEME are the portal's; FAULTS every site's unless SITE_FAULTS names it
    (site number -> its own faults).
    """
    if count < 1:
        raise ValueError(f"--sites must be >= 1, got {count}")
    total = count + 1 if count >= 2 else 1
    chosen = dict(site_faults or {})
    unknown = sorted(set(chosen) - set(range(1, total + 1)))
    if unknown:
        raise ValueError(f"--site-faults names site {unknown[0]}, but the sites are 1 to {total}")
    own = max(MIN_OFFICE_ARTICLES, articles // 10)
    specs = [SiteSpec(1, PORTAL, "Portal", theme, seed, articles, False, chosen.get(1, faults))]
    for number in range(2, total + 1):
        role = OFFICE if number <= count else UNLISTED
        specs.append(
            SiteSpec(
                number=number,
                role=role,
                name=OFFICE_NAMES[(number - 2) % len(OFFICE_NAMES)],
                theme=office_theme(theme, number - 2),
                seed=seed * 100 + number,
                articles=own,
                numbered=role == OFFICE and number % 3 == 0,
                faults=chosen.get(number, faults),
            )
        )
    return specs


def originals(portal: Site) -> list[Entry]:
    """Return the portal's articles an office may share: live, plain (no special case, fault or trap), newest first."""
    return [
        e for e in portal.live if e.article.index is not None and e.article.index not in _STRUCK
    ]


def teaser_lead(entry: Entry, paragraphs: tuple[str, ...]) -> str:
    """Return a teaser's first paragraph: ENTRY's first sentence without its dateline (two if the first is short)."""
    first = paragraphs[0]
    if first.startswith(entry.article.dateline):
        first = first[len(entry.article.dateline) :]
    sentences = _SENTENCE_END.split(first.strip())
    lead = sentences[0]
    if len(lead) < 80 and len(sentences) > 1:
        lead += " " + sentences[1]
    return lead


def office_content(
    spec: SiteSpec, portal: Site, edition: int = 1
) -> tuple[SiteExtras, tuple[Shared, ...]]:
    """Return what office site SPEC serves (its archive, bodies and links) and the portal stories it shares.

    PORTAL is the portal's Site (its stories and base URL); EDITION the edition shown.
    """
    # Generated with room to spare: the office's own stories are not the real 2017 article (the
    # portal's) and take no slug the portal has (recurring titles would), and still number SPEC's.
    own, _ = content.build_archive(spec.seed, spec.articles + SPARE, edition)
    taken = set(portal.by_slug)
    entries = [e for e in own if e.article.index is not None and e.slug not in taken]
    entries = entries[: spec.articles]
    shared: list[Shared] = []
    bodies: dict[str, tuple[str, ...]] = {}
    links: dict[str, tuple[str, str]] = {}
    if spec.role == OFFICE:
        rng = random.Random(f"{spec.seed}:shared")
        pool = originals(portal)
        each = max(3, len(entries) // 10)
        picked = rng.sample(pool, min(len(pool), 2 * each))
        host = urlsplit(portal.base_url).netloc
        for n, original in enumerate(picked):
            meta = original.article
            paragraphs = content.body(meta, edition)
            if n % 2 == 0:
                shown = Entry(
                    original.slug,
                    meta=dataclasses.replace(meta, published=meta.published + REPOST_DELAY),
                )
                bodies[original.slug] = paragraphs
                shared.append(Shared("repost", shown, original))
            else:
                ending = TEASER_ENDING.format(host=host)
                teaser = dataclasses.replace(
                    meta,
                    published=meta.published + TEASER_DELAY,
                    caption=None,
                    images=(),
                    trailers=(),
                    trailer_in_body=False,
                    dateline="",  # a teaser has neither (the manifest says None)
                    credit="",
                )
                shown = Entry(original.slug, meta=teaser)
                bodies[original.slug] = (teaser_lead(original, paragraphs), ending)
                links[original.slug] = (ending, portal.base_url + original.path)
                shared.append(Shared("teaser", shown, original))
        entries += [s.entry for s in shared]
    entries.sort(key=lambda e: (e.article.published, e.slug))
    if spec.numbered:
        entries = [dataclasses.replace(e, number=FIRST_NUMBER + n) for n, e in enumerate(entries)]
        by_slug = {e.slug: e for e in entries}
        shared = [dataclasses.replace(s, entry=by_slug[s.entry.slug]) for s in shared]
    extras = SiteExtras(
        archive=(tuple(entries), ()), bodies=bodies, links=links, numbered=spec.numbered
    )
    return extras, tuple(shared)


def sites_footer(sites: list[tuple[SiteSpec, str]]) -> str:
    """Return the portal's footer list linking every other site of SITES ((spec, base URL) pairs)."""
    items = "".join(
        f'<li><a href="{esc(url)}/">{esc(spec.name)}</a></li>'
        for spec, url in sites
        if spec.role != PORTAL
    )
    return (
        '<div class="situs-opd"><h3>Situs Perangkat Daerah</h3>'
        f'<ul class="situs-opd-list">{items}</ul></div>\n'
    )


def portal_link(portal_url: str) -> str:
    """Return an office site's footer: a link back to the portal at PORTAL_URL."""
    return (
        f'<div class="situs-induk"><a href="{esc(portal_url)}/">Portal Kabupaten Tuban</a></div>\n'
    )
