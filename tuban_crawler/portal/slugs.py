"""The portal CMS's slug rules, written independently of the crawler.

What the stored pages of the real portal show: the title lower-cased, words joined by ``-``,
punctuation dropped, existing hyphens kept, ``.``/``,`` between digits turned into ``-``
(``1.018`` -> ``1-018``), at most 128 characters (cut mid-word), duplicate titles suffixed
``-2``, ``-5``..., and titles containing curly quotes given ``n-a-<internal id>``.
"""

from __future__ import annotations

import logging
import random
import re
import unicodedata

logger = logging.getLogger(__name__)

MAX_SLUG_LENGTH = 128

# The CMS's slugger choked on typographic quotes and fell back to a placeholder.
_CURLY_QUOTES = frozenset("\u201c\u201d\u2018\u2019")
_DIGIT_SEPARATOR = re.compile(r"(?<=\d)[.,](?=\d)")
_NOT_SLUG_CHAR = re.compile(r"[^a-z0-9\s-]+")
_SEPARATOR_RUN = re.compile(r"[\s-]+")


def base_slug(title: str, internal_id: int) -> str:
    """Return the slug the CMS derives from TITLE, before de-duplication.

    >>> base_slug("1.018 Peserta Ikuti Jalan Sehat, Pra-Musrenbang!", 7)
    '1-018-peserta-ikuti-jalan-sehat-pra-musrenbang'
    >>> base_slug("Bupati: \u201cJaga Kebersihan\u201d", 1203)
    'n-a-1203'
    """
    if _CURLY_QUOTES.intersection(title):
        return f"n-a-{internal_id}"
    text = title.lower()
    if not text.isascii():  # fold accents (é -> e) rather than drop the letter
        text = "".join(
            c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
        )
    text = _DIGIT_SEPARATOR.sub("-", text)
    text = _NOT_SLUG_CHAR.sub("", text)
    text = _SEPARATOR_RUN.sub("-", text).strip("-")
    # The column is VARCHAR(128): the CMS cut wherever that fell, mid-word included.
    return text[:MAX_SLUG_LENGTH].rstrip("-")


class SlugRegistry:
    """Hands out unique slugs in creation order, the way the CMS did."""

    def __init__(self, reserved: tuple[str, ...] = ()) -> None:
        self._taken: set[str] = set(reserved)
        self._last_suffix: dict[str, int] = {}

    def claim(self, base: str, rng: random.Random) -> str:
        """Return BASE, or BASE with the next free ``-<n>`` suffix, and mark it taken.

        The CMS's counter also counted deleted drafts, so after ``-2`` suffixes skip
        ahead by 1 to 3 (RNG decides, deterministically per article).
        """
        if base not in self._taken:
            self._taken.add(base)
            self._last_suffix.setdefault(base, 1)
            return base
        suffix = self._last_suffix.get(base, 1)
        while True:
            suffix = 2 if suffix < 2 else suffix + rng.randint(1, 3)
            tail = f"-{suffix}"
            candidate = base[: MAX_SLUG_LENGTH - len(tail)].rstrip("-") + tail
            if candidate not in self._taken:
                break
        self._taken.add(candidate)
        self._last_suffix[base] = suffix
        return candidate
