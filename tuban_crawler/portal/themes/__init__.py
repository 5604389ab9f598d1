"""The portal's templates (``theme=`` / ``--theme``): the same CMS content in other clothes.

``classic`` (the default) is the portal as it always was: the ``legacy`` layout before 2019
and ``current`` after, ``/berita?page=N`` and ``/kategori/<slug>`` listings, ``sitemap.xml``
and ``/rss`` (:mod:`..render`, :mod:`..pages`). The others are plausible guesses at what the
real site could be instead, each differing from ``classic`` in every dimension the crawler
depends on (see each module's docstring):

==========  ============================================================================
theme       listings · pagination · metadata · date · body · structured data · feeds
==========  ============================================================================
wordpress   ``/warta/hal/N`` · numbers, "Selanjutnya" · ``|`` spans · ``Rabu, 26 Juli
            2017 - 13:24 WIB`` · nested ``<p>`` · none · RSS via ``<link>``, sitemap index
joomla      ``/index.php?option=...&start=N`` · "Berikutnya »" · ``<dl>`` · ``26/07/2017
            13:24`` · ``<div>`` paragraphs · microdata · RSS+Atom via ``<link>``, no sitemap
blogger     ``?updated-max=ISO`` · "Older posts" · "Diposting oleh" · ``Rabu, 26 Juli 2017
            | 13:24`` · ``<br>`` text · JSON-LD (views only there) · Atom, gzip sitemap
laravel     ``/news?hal=N`` · arrows · ``<table>`` · ``26 Jul 2017 pukul 13.24 WIB`` ·
            nested wrappers · JSON-LD ``@graph`` + OpenGraph · no feed, sitemap index
==========  ============================================================================

Every theme keeps entries at ``/entry/<slug>``, serves the seed article with its exact
metadata, and answers ``/_portal/manifest.json`` (the ground truth) like ``classic``.
"""

from __future__ import annotations

from .base import Theme, View
from .blogger import BloggerTheme
from .joomla import JoomlaTheme
from .laravel import LaravelTheme
from .wordpress import WordPressTheme

__all__ = ["THEMES", "View", "theme_named"]

THEMES: dict[str, Theme | None] = {
    "classic": None,
    "wordpress": WordPressTheme(),
    "joomla": JoomlaTheme(),
    "blogger": BloggerTheme(),
    "laravel": LaravelTheme(),
}


def theme_named(name: str) -> Theme | None:
    """Return the theme called NAME (None for ``classic``); ValueError for an unknown one."""
    if name not in THEMES:
        raise ValueError(f"unknown theme {name!r}; known: {', '.join(THEMES)}")
    return THEMES[name]
