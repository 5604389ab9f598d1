"""The portal's deterministic archive: who wrote what, when, under which slug, per edition.

Everything about generated article *i* depends only on ``(seed, i)`` (and the edition for
views and edits), so a portal with more articles is a superset whose extra articles are the
newest.  Special articles sit at fixed small indices so that tests with a few dozen articles
meet them:

====  ===========================================================================
i     what
====  ===========================================================================
0-5   dateline variants in order (``Tubankab - ``, en dash, em dash, ``Tubankab-`` ...)
1     title with a dotted number (``1.018 Peserta ...`` -> slug ``1-018-peserta-...``)
2     title longer than 128 slug characters (slug cut mid-word)
3     title with curly quotes (slug ``n-a-1003``)
4,6,13 the same title three times (slugs ``x``, ``x-2``, ``x-<2+k>``)
5     title edited after its slug was made (slug keeps the old title's typo ``tuabn``)
8     withdrawn from edition 2: 410 Gone
9     withdrawn from edition 2: 302 to the home page
10    legacy page without any metadata list (no date visible)
11    metadata in one element with ``•`` bullets
12    always edited in place in edition 2, and retitled then (``retitled``)
15    photo caption (``Foto : ...``) before the title
====  ===========================================================================
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import logging
import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import resources

from . import text, vocab
from .evergreen import PAGES, Page
from .slugs import SlugRegistry, base_slug

logger = logging.getLogger(__name__)

EPOCH = datetime(2010, 1, 1)
ANCHOR = datetime(2026, 11, 1)  # no publication is ever later than this
LEGACY_UNTIL = datetime(2019, 1, 1)  # the site was redesigned at the start of 2019
CAPITALS_UNTIL = datetime(2018, 5, 1)  # editors typed titles in capitals until April 2018
DECAY = 1500.0
# The exponential curve leaves only two days before ANCHOR after 12,000 articles (its minute
# slots get narrower than a minute there), so from TAIL_FROM on the time left is shared out
# hyperbolically instead: slots of 32 minutes at TAIL_FROM, still a minute wide at MAX_ARTICLES.
# Articles below TAIL_FROM keep the dates they always had.
TAIL_FROM = 5_000
TAIL_SCALE = 10_000.0
MAX_ARTICLES = 50_000
INTERNAL_ID_OFFSET = 1000

DIGITS_TITLE_INDEX, LONG_TITLE_INDEX, CURLY_TITLE_INDEX = 1, 2, 3
DUPLICATE_TITLE_INDICES = (4, 6, 13)
EDITED_TITLE_INDEX = 5
GONE_INDEX, REDIRECTED_INDEX = 8, 9
NO_META_INDEX, BULLET_META_INDEX, EDITED_BODY_INDEX, CAPTION_FIRST_INDEX = 10, 11, 12, 15

DATELINES = (
    "Tubankab - ",
    "Tubankab \u2013 ",
    "Tubankab \u2014 ",
    "Tubankab-",
    "Tubankab- ",
    "Tubankab .- ",
)
DATELINE_WEIGHTS = (50, 12, 8, 12, 10, 8)
CREDITS = (
    "(chusnul huda/hei)",
    "(nanang wibowo/hei)",
    "(rah)",
    "(hei)",
    "(ady/hei)",
    "(sri/rah)",
    "(budi santoso/rah)",
    "(fin)",
)
AUTHORS = ("Yolency", "Heri S", "Hand Excel", "Nanang W", "Rahmawati", "Admin Kominfo")
AUTHOR_WEIGHTS = (30, 25, 20, 10, 10, 5)
CATEGORIES = (
    "Kegiatan Pemerintahan",
    "Kegiatan Bupati dan Wakil Bupati",
    "MTQ 2019",
    "Umum",
    "Pendidikan",
    "Kesehatan",
    "Ekonomi dan Pembangunan",
    "Pariwisata dan Budaya",
)


@dataclass(frozen=True)
class ArticleMeta:
    """Edition-independent facts about one article (everything but views and edits)."""

    index: int | None  # None for the real seed article
    seed: int
    internal_id: int
    published: datetime  # naive, WIB
    title: str  # as shown on the page
    slug_title: str  # the title the slug was made from
    topic: str
    category: str
    author: str
    layout: str  # "legacy" or "current"
    meta_style: str  # "list", "bullets" or "none"
    caption: str | None  # "Foto : ... (photographer)" shown before the title
    dateline: str
    credit: str
    trailers: tuple[str, ...]  # "disqus" / "source", rendered after the body
    trailer_in_body: bool  # legacy quirk: the trailer is the last <p> of the content
    images: tuple[tuple[str, str], ...]  # (src, caption)
    views_base: int
    fills: tuple[tuple[str, str], ...] = ()  # template values, shared by title and body


@dataclass(frozen=True)
class Entry:
    """An article or page placed in the archive under its slug."""

    slug: str
    meta: ArticleMeta | None = None
    page: Page | None = None
    number: int | None = None  # set on a site whose entries live at /page/<id> (see offices.py)

    @property
    def path(self) -> str:
        """Return the canonical path: ``/entry/<slug>``, or ``/page/<id>`` for a numbered entry."""
        return f"/entry/{self.slug}" if self.number is None else f"/page/{self.number}"

    @property
    def article(self) -> ArticleMeta:
        """Return the article's facts; TypeError for an evergreen page, which has none."""
        if self.meta is None:
            raise TypeError(f"{self.path} is an evergreen page, not an article")
        return self.meta

    @property
    def evergreen(self) -> Page:
        """Return the evergreen page's facts; TypeError for an article, which has none."""
        if self.page is None:
            raise TypeError(f"{self.path} is an article, not an evergreen page")
        return self.page


def _curve_minute(i: int) -> int:
    """Return the first minute (since EPOCH) of article I's publication slot."""
    span = (ANCHOR - EPOCH).total_seconds() / 60
    if i <= TAIL_FROM:
        return math.ceil(span * (1.0 - math.exp(-i / DECAY)))
    left = span * math.exp(-TAIL_FROM / DECAY)  # minutes before ANCHOR at TAIL_FROM
    return math.ceil(span - left * TAIL_SCALE / (TAIL_SCALE + i - TAIL_FROM))


def publication_time(seed: int, i: int) -> datetime:
    """Return article I's publication time (WIB, minute resolution), strictly increasing in I."""
    low, high = _curve_minute(i), _curve_minute(i + 1)
    rng = random.Random(f"{seed}:{i}:time")
    minute = low
    for _ in range(6):  # prefer office hours, as the real desk did, when the slot allows
        minute = rng.randrange(low, high)
        if 6 * 60 <= minute % 1440 < 22 * 60:
            break
    return EPOCH + timedelta(minutes=minute)


def category_slug(category: str) -> str:
    """Return the listing slug of CATEGORY, by the same CMS rules as entries."""
    return base_slug(category, 0)


def _images(rng: random.Random, published: datetime, stem: str, fills: dict[str, str]) -> tuple:
    count = 0 if rng.random() < 0.1 else rng.randint(1, 3)
    folder = f"/uploads/{published.year}/{published.month:02d}"
    return tuple(
        (f"{folder}/{stem}-{n + 1}-{rng.randrange(16**6):06x}.jpg", text.caption(rng, fills))
        for n in range(count)
    )


def _topic_and_title(rng: random.Random, i: int, published: datetime, fills: dict) -> tuple:
    topic = rng.choice(vocab.TOPICS)
    roll = rng.random()
    if i == DIGITS_TITLE_INDEX:
        fills["n_dotted"] = "1.018"
        topic, template = vocab.TOPICS[3], vocab.TOPICS[3].titles[0]
    elif i == LONG_TITLE_INDEX or (i > 20 and roll < 0.02):
        template = rng.choice(vocab.LONG_TITLES)
    elif i == CURLY_TITLE_INDEX or (i > 20 and roll < 0.05):
        topic, template = vocab.QUOTE_TOPIC, rng.choice(vocab.QUOTE_TOPIC.titles)
    elif i in DUPLICATE_TITLE_INDICES:
        template = vocab.RECURRING_TITLES[0]
    elif i > 20 and roll < 0.08:
        template = rng.choice(vocab.RECURRING_TITLES)
    elif published.year == 2019 and 6 <= published.month <= 9 and roll < 0.5:  # the 2019 MTQ season
        topic = vocab.MTQ_TOPIC
        template = rng.choice(topic.titles)
    else:
        template = rng.choice(topic.titles)
    return topic, template.format(**fills)


@functools.lru_cache(maxsize=65536)
def article_meta(seed: int, i: int) -> ArticleMeta:
    """Return the edition-independent facts of generated article I under SEED."""
    rng = random.Random(f"{seed}:{i}")
    published = publication_time(seed, i)
    fills = text.choose_fills(rng, published)
    topic, title = _topic_and_title(rng, i, published, fills)
    slug_title = title
    if i == EDITED_TITLE_INDEX:
        title = f"Pemkab Tuban Salurkan Bantuan Bibit Padi untuk Petani {fills['kec']}"
        slug_title = title.replace("Tuban", "Tuabn")  # the typo the slug still carries
    if published < CAPITALS_UNTIL:
        title, slug_title = title.upper(), slug_title.upper()
    legacy = published < LEGACY_UNTIL
    meta_style = "list"
    if i == NO_META_INDEX or (legacy and i > 20 and rng.random() < 0.01):
        meta_style = "none"
    elif i == BULLET_META_INDEX or (i > 20 and rng.random() < 0.01):
        meta_style = "bullets"
    caption = None
    if i == CAPTION_FIRST_INDEX or (i > 20 and rng.random() < 0.05):
        caption = f"Foto : {text.caption(rng, fills)} ({rng.choice(vocab.PHOTOGRAPHERS)})"
    if legacy:
        trailers = rng.choice(((), (), ("disqus",), ("disqus",), ("source",), ("disqus", "source")))
    else:
        trailers = rng.choice(((), ("source",), ("source",), ("disqus",)))
    return ArticleMeta(
        index=i,
        seed=seed,
        internal_id=INTERNAL_ID_OFFSET + i,
        published=published,
        title=title,
        slug_title=slug_title,
        topic=topic.key,
        category=rng.choice(topic.categories),
        author=rng.choices(AUTHORS, AUTHOR_WEIGHTS)[0],
        layout="legacy" if legacy else "current",
        meta_style=meta_style,
        caption=caption,
        dateline=DATELINES[i]
        if i < len(DATELINES)
        else rng.choices(DATELINES, DATELINE_WEIGHTS)[0],
        credit=CREDITS[i] if i < len(CREDITS) else rng.choice(CREDITS),
        trailers=trailers,
        trailer_in_body=legacy and bool(trailers) and rng.random() < 0.3,
        images=_images(rng, published, base_slug(slug_title, 0)[:40].rstrip("-"), fills),
        views_base=int(math.exp(rng.uniform(math.log(3), math.log(4000)))),
        fills=tuple(sorted(fills.items())),
    )


@functools.lru_cache(maxsize=1)
def seed_text() -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """Return the real article as (title, metadata lines, paragraphs), verbatim from the data file."""
    raw = resources.files(__package__).joinpath("data/seed_article.txt").read_text(encoding="utf-8")
    lines = raw.split("\n")
    meta = tuple(line[2:] for line in lines[1:5])
    return lines[0], meta, tuple(line for line in lines[5:] if line.strip())


@functools.lru_cache(maxsize=16)
def seed_meta(seed: int) -> ArticleMeta:
    """Return the facts of the real 2017 article, present in every archive."""
    title, (when, author, category, views), paras = seed_text()
    return ArticleMeta(
        index=None,
        seed=seed,
        internal_id=1337,
        published=text.parse_page_date(when),
        title=title,
        slug_title=title,
        topic="seed",
        category=category.rstrip(","),
        author=author,
        layout="legacy",
        meta_style="list",
        caption=None,
        dateline="Tubankab - ",
        credit=paras[-1][paras[-1].rindex("(") :],
        trailers=(),
        trailer_in_body=False,
        images=(),
        views_base=int(views),
    )


def views(meta: ArticleMeta, edition: int) -> int:
    """Return META's view counter as shown in EDITION (it grows every edition)."""
    key = "seed" if meta.index is None else meta.index
    total = meta.views_base
    for k in range(2, edition + 1):
        total += random.Random(f"{meta.seed}:{key}:views:{k}").randint(
            1, max(3, meta.views_base // 8)
        )
    return total


def withdrawn_status(meta: ArticleMeta, edition: int) -> int | None:
    """Return the HTTP status of a withdrawn article in EDITION (410 or 302), else None."""
    if edition < 2:
        return None
    if meta.index is None:  # the real seed article is never withdrawn
        return None
    return {GONE_INDEX: 410, REDIRECTED_INDEX: 302}.get(meta.index)


def edited_editions(meta: ArticleMeta, edition: int) -> tuple[int, ...]:
    """Return the editions 2..EDITION in which META's body was edited in place."""
    if meta.index is None or meta.index in (GONE_INDEX, REDIRECTED_INDEX):
        return ()  # the seed's text is real and never changes
    return tuple(
        k
        for k in range(2, edition + 1)
        if (meta.index == EDITED_BODY_INDEX and k == 2)
        or random.Random(f"{meta.seed}:{meta.index}:edit:{k}").random() < 1 / 7
    )


def edit_time(meta: ArticleMeta, edition: int) -> datetime:
    """Return when META was edited in EDITION: a later window for each later edition."""
    rng = random.Random(f"{meta.seed}:{meta.index}:edited-at:{edition}")
    return meta.published + timedelta(days=10 * (edition - 1), minutes=rng.randrange(9 * 1440))


def last_modified(meta: ArticleMeta, edition: int) -> datetime:
    """Return META's modification time in EDITION (WIB): publication or latest edit."""
    edits = edited_editions(meta, edition)
    return edit_time(meta, edits[-1]) if edits else meta.published


@functools.lru_cache(maxsize=16384)
def _edited(
    meta: ArticleMeta, edits: tuple[int, ...]
) -> tuple[tuple[str, ...], tuple[dict[str, int], ...]]:
    if meta.index is None:
        return seed_text()[2], ()
    rng = random.Random(f"{meta.seed}:{meta.index}:body")
    fills = dict(meta.fills)
    topic = {t.key: t for t in (*vocab.TOPICS, vocab.MTQ_TOPIC, vocab.QUOTE_TOPIC)}[meta.topic]
    paras = text.paragraphs(rng, topic, fills)
    done = []
    for k in edits:
        paras, counts = text.apply_edit(
            paras, random.Random(f"{meta.seed}:{meta.index}:edit-text:{k}"), edit_time(meta, k)
        )
        done.append(counts)
    paras[0] = meta.dateline + paras[0]
    paras[-1] = f"{paras[-1]} {meta.credit}"
    return tuple(paras), tuple(done)


def body(meta: ArticleMeta, edition: int) -> tuple[str, ...]:
    """Return META's body paragraphs in EDITION: dateline first, credit at the end."""
    return _edited(meta, edited_editions(meta, edition))[0]


def edit_counts(meta: ArticleMeta, edition: int) -> dict[str, int] | None:
    """Return what the edit of META in EDITION did to its body (paragraphs and words), or None if none."""
    edits = edited_editions(meta, edition)
    if edition not in edits:
        return None
    return _edited(meta, edits)[1][edits.index(edition)]


def retitled(meta: ArticleMeta, edition: int) -> ArticleMeta:
    """Return META as shown in EDITION: article 12 gets a new title from edition 2 on (its slug stays)."""
    if meta.index != EDITED_BODY_INDEX or edition < 2:
        return meta
    extra = " (Diperbarui)"
    return dataclasses.replace(
        meta, title=meta.title + (extra.upper() if meta.title.isupper() else extra)
    )


def retitled_from(meta: ArticleMeta, edition: int) -> str | None:
    """Return the title META (as shown in EDITION) had before EDITION changed it, or None."""
    if meta.index != EDITED_BODY_INDEX or edition != 2:
        return None
    return article_meta(meta.seed, meta.index).title


@functools.lru_cache(maxsize=8)
def build_archive(
    seed: int, articles: int, edition: int = 1
) -> tuple[tuple[Entry, ...], tuple[Entry, ...]]:
    """Return (articles in publication order, evergreen pages) as shown in EDITION, slugs assigned in creation order."""
    if not 0 <= articles <= MAX_ARTICLES:
        raise ValueError(f"articles must be between 0 and {MAX_ARTICLES}, got {articles}")
    metas = [article_meta(seed, i) for i in range(articles)]
    real = seed_meta(seed)
    position = bisect.bisect_right([m.published for m in metas], real.published)
    metas.insert(position, real)
    registry = SlugRegistry(reserved=tuple(p.slug for p in PAGES))
    entries = []
    for meta in metas:
        rng = random.Random(f"{seed}:{meta.index}:dup")
        entries.append(
            Entry(
                registry.claim(base_slug(meta.slug_title, meta.internal_id), rng),
                meta=retitled(meta, edition),
            )
        )
    return tuple(entries), tuple(Entry(p.slug, page=p) for p in PAGES)
