"""Re-posts: one story archived on two sites, recognised by its slug and its words (issue 22; pure).

The regency's office sites run the portal's CMS and re-post its stories: same slug, same text,
another template around it (``diskominfo.``, ``disbudporapar.``); a site that cannot keep the
slug (``ppid.``'s ``/page/<id>``) re-posts the text alone. Each copy is an article of its site,
and the archive keeps both rows; what it records is the link (``store.reposts``).

The rule, in the order ``is_repost`` applies it:

- the two URLs are on different sites (a story twice on one site is ``store.sametext``'s series);
- neither is a teaser (``normalize.teasers``: a lead and a pointer is not the story);
- same slug (after canonicalisation: case, percent-encoding, a trailing slash) and the same
  story: the same ``story_hash``, or texts sharing ``SAME_STORY_SHARE`` of their word
  trigrams (another site's template adds a line, drops a dateline, folds a quote); at least
  ``MIN_WORDS_SAME_SLUG`` words, so that two photo pages under one slug are not one story;
- or another slug (a ``/page/<id>`` site cannot keep it) and the same ``story_hash``, when the
  text has ``MIN_WORDS_OTHER_SLUG`` words (a text that long written twice independently is not
  a coincidence), or ``MIN_WORDS_SAME_SLUG`` and the same title: the test portal's shortest
  stories have 40 words, a sixth of them fewer than 80, and its ``/page/<id>`` re-posts keep
  the title; with the same title, texts sharing ``SAME_STORY_SHARE`` of their trigrams too
  (another template reads a photo's caption into the text).

``story_hash`` is a fingerprint of the story's words, not its characters: case, punctuation,
white space, a dateline (``TUBAN -``) and a closing source line (``Sumber: www.tubankab.go.id``,
``(Diskominfo)``) do not change it.

The original of a group is the copy published first; a tie goes to the portal's copy, then to
the copy archived first (``original_key``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from tuban_crawler.discover.urls import site_key

#: Same slug: the shortest text taken for a story (a caption-only page under one slug is not).
MIN_WORDS_SAME_SLUG = 15
#: Another slug: the shortest identical text taken for one story re-posted (a paragraph or two;
#: a templated notice of a few lines, repeated by two offices, is not one story).
MIN_WORDS_OTHER_SLUG = 80
#: Same slug: the share of the shorter text's word trigrams the other must hold.
SAME_STORY_SHARE = 0.85

_WORD = re.compile(r"\w+", re.UNICODE)
#: A paragraph that only says where the story came from or tags it (another site's template
#: adds one: diskominfo's re-posts end "Sumber : tubankab.go.id" and hashtags, PORTAL.md).
_SOURCE_LINE = re.compile(
    r"^\W*(?:sumber|source|dikutip dari|disadur dari|baca juga|berita ini|artikel ini)\b"
    r"|^\W*\(?[\w ,&/-]{1,40}\)?\s*$|^(?:\s*#\w+)+\s*$",
    re.IGNORECASE,
)
#: The longest source line or trailer read as one (a sentence of the story is longer).
SOURCE_LINE_MAX_CHARS = 120
#: The same, written at the end of the last paragraph.
_TRAILING_SOURCE = re.compile(r"\s+(?:sumber|source)\s*:\s*\S{1,60}\s*$|(?:\s+#\w+)+\s*$", re.I)
#: A dateline another template leaves in the text (``TUBAN -``, ``Tuban, (Diskominfo) –``).
_DATELINE = re.compile(r"^\s*[A-Z][\w .,()]{1,40}?\s*[-–—]+\s+(?=\S)")


def slug_of(url: str) -> str | None:
    """Return the last segment of URL's path, canonical (decoded, lower case, trimmed), or None for a root.

    >>> slug_of("https://t.id/entry/Bupati-Resmikan%20/"), slug_of("http://h/page/42"), slug_of("http://h/")
    ('bupati-resmikan', '42', None)
    """
    path = urlsplit(url.strip()).path
    segments = [s for s in path.split("/") if s.strip()]
    if not segments:
        return None
    return unquote(segments[-1].split(";", 1)[0]).strip().lower() or None


def words(text: str | None) -> list[str]:
    """Return TEXT's words, case-folded (punctuation and white space dropped).

    >>> words("Bupati  Tuban, Aditya!")
    ['bupati', 'tuban', 'aditya']
    """
    return _WORD.findall((text or "").casefold())


def story_text(body_text: str | None) -> str:
    """Return BODY_TEXT without what another template changes: a leading dateline, closing source lines.

    >>> story_text("TUBAN - Bupati meresmikan pasar.\\n\\nSumber: www.tubankab.go.id")
    'Bupati meresmikan pasar.'
    """
    paragraphs = [p.strip() for p in (body_text or "").split("\n\n") if p.strip()]
    # A source line is short; only the end of the last paragraph is read for a trailing one.
    while (
        len(paragraphs) > 1
        and len(paragraphs[-1]) <= SOURCE_LINE_MAX_CHARS
        and _SOURCE_LINE.search(paragraphs[-1])
    ):
        paragraphs.pop()
    while paragraphs:
        head, tail = (
            paragraphs[-1][:-SOURCE_LINE_MAX_CHARS],
            paragraphs[-1][-SOURCE_LINE_MAX_CHARS:],
        )
        trimmed = _TRAILING_SOURCE.sub("", tail)
        if trimmed == tail:
            break
        paragraphs[-1] = (head + trimmed).strip()
    if paragraphs:
        paragraphs[0] = _DATELINE.sub("", paragraphs[0], count=1)
    return "\n\n".join(paragraphs)


def story_hash(body_text: str | None) -> str | None:
    """Return the fingerprint of BODY_TEXT's story (SHA-256 of its words), or None without words.

    >>> story_hash("TUBAN - Bupati  meresmikan pasar.") == story_hash("bupati meresmikan PASAR")
    True
    >>> story_hash(" ... ") is None
    True
    """
    found = words(story_text(body_text))
    if not found:
        return None
    return hashlib.sha256(" ".join(found).encode("utf-8")).hexdigest()


def _trigrams(found: list[str]) -> set[tuple[str, ...]]:
    return {tuple(found[i : i + 3]) for i in range(max(len(found) - 2, 1))}


def shared_share(a: str | None, b: str | None) -> float:
    """Return the share of the shorter text's word trigrams that the other text holds (0 to 1).

    >>> shared_share("satu dua tiga empat lima", "satu dua tiga empat lima enam")
    1.0
    >>> shared_share("satu dua tiga", "empat lima enam")
    0.0
    """
    first, second = _trigrams(words(story_text(a))), _trigrams(words(story_text(b)))
    if not first or not second:
        return 0.0
    return len(first & second) / min(len(first), len(second))


@dataclass(frozen=True)
class Copy:
    """One archived copy of a story, as the re-post rule reads it."""

    url: str
    body_text: str | None
    published_at: str | None = None
    first_seen_at: str | None = None
    is_teaser: bool = False
    title: str | None = None

    @property
    def story(self) -> str | None:
        """Return the copy's ``story_hash``."""
        return story_hash(self.body_text)


def is_repost(a: Copy, b: Copy) -> bool:
    """Return whether A and B are one story on two sites (the module's rule).

    >>> text = " ".join(f"kata{n}" for n in range(90))
    >>> is_repost(Copy("http://a/entry/x", text), Copy("http://b/entry/x", text + " (hms)"))
    True
    >>> is_repost(Copy("http://a/entry/x", text), Copy("http://a/entry/y", text))
    False
    """
    if a.is_teaser or b.is_teaser or site_key(a.url) == site_key(b.url):
        return False
    count = min(len(words(story_text(a.body_text))), len(words(story_text(b.body_text))))
    same_story = a.story is not None and a.story == b.story
    if slug_of(a.url) is not None and slug_of(a.url) == slug_of(b.url):
        if count < MIN_WORDS_SAME_SLUG:
            return False
        return same_story or shared_share(a.body_text, b.body_text) >= SAME_STORY_SHARE
    if count < MIN_WORDS_SAME_SLUG:
        return False
    same_title = bool(words(a.title)) and words(a.title) == words(b.title)
    if not same_story:
        # Another template may read a photo's caption or a credit into the text: with the
        # title kept, the words shared as under one slug say it is the story.
        return same_title and shared_share(a.body_text, b.body_text) >= SAME_STORY_SHARE
    return count >= MIN_WORDS_OTHER_SLUG or same_title


def original_key(copy: Copy, portal: str | None) -> tuple[int, str, int, str, str]:
    """Return COPY's rank as the original of its group (lowest first): published first, then the portal's, then archived first.

    PORTAL is the portal's site (``site``); a copy without a date ranks after every dated one.
    """
    published = copy.published_at or ""
    return (
        0 if published else 1,
        published[:19],
        0 if portal and site_key(copy.url) == portal else 1,
        copy.first_seen_at or "",
        copy.url,
    )


def original_of(copies: Iterable[Copy], portal: str | None = None) -> Copy:
    """Return the original of a group of COPIES of one story (``original_key``'s first).

    >>> a = Copy("http://office/entry/x", "t", "2024-01-02T09:00:00+07:00", "2024-01-03")
    >>> b = Copy("http://portal/entry/x", "t", "2024-01-02T09:00:00+07:00", "2024-01-05")
    >>> original_of([a, b], portal="portal").url
    'http://portal/entry/x'
    """
    return min(copies, key=lambda copy: original_key(copy, portal))
