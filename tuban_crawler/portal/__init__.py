"""The local test portal: a loopback HTTP server standing in for https://tubankab.go.id.

Stdlib only, and it shares no code with the crawler (it slugs and prints dates its own way,
as the real CMS does)::

    from tuban_crawler.portal import PortalServer
    with PortalServer(articles=200, seed=1, edition=1, faults=None, theme="classic") as srv:
        srv.base_url                    # "http://127.0.0.1:PORT"
        srv.configure(articles=220, edition=2)
        srv.hits                        # Counter of request targets (path + query)
        srv.fault_paths                 # enabled fault kind -> paths

What it serves (all deterministic in ``seed``; article *i* depends only on ``(seed, i)``):

- ``/`` home (latest 10, navigation with the evergreen pages, fault links when enabled);
  ``/berita?page=N`` and ``/kategori/<slug>?page=N`` listings, 20 a page, newest first,
  ``a.next[rel=next]`` until the last page, 404 beyond it;
- ``/entry/<slug>`` articles (legacy layout before 2019, current layout after; see
  :mod:`.render`) and evergreen pages; ``/entry/<slug>/`` and any query string serve the same
  page; ETag and Last-Modified with 304 answers; unknown slugs 404;
- ``/sitemap.xml`` (every live entry, lastmod), ``/rss`` (latest 20), ``/robots.txt``;
  ``/uploads/*.jpg`` photos, the two layouts' stylesheets;
- ``/_portal/manifest.json`` (``?body=1`` adds the paragraphs): the ground truth for tests;
- edition >= 2: views grow, ~1 in 7 articles edited in place, article 8 answers 410 and
  article 9 a 302 to the home page.

``theme`` (:mod:`.themes`) serves the same content in another template: ``classic`` (the
default) is what is described above; ``wordpress``, ``joomla``, ``blogger`` and ``laravel``
differ from it in listing and hub URLs, pagination, metadata markup, date shapes, body markup,
structured data, feeds and sitemaps. Entries stay at ``/entry/<slug>`` and the manifest stays
the ground truth in every theme.

Special articles sit at fixed indices (:mod:`.content`), faults at others (:mod:`.faults`):
500 -> 20, 21; 503 -> 22, 23 and ``/berita?page=2``; 429 -> 24, 25; slow -> 26, 27;
drop -> 28, 29; truncate -> 30, 31; charset -> 32; hostile -> 33; plus ``/agenda?bulan=YYYY-MM`` (trap),
``/keluar?url=...`` and offsite links (offsite), ``/unduhan/arsip-lengkap`` (huge); and two
breakages outside ``chaos``: ``nolistings`` (listings without entry links) and ``nometa``
(articles without metadata).

Several sites (``--sites N``: the portal, office sites with re-posts and teasers, one at
``/page/<id>``, and an unlisted site) are planned in :mod:`.offices` and served by
:class:`.multi.MultiPortal`, with a manifest of which is which and a request log.
"""

from .faults import FaultConfig, parse_faults
from .server import PortalServer

__all__ = ["FaultConfig", "PortalServer", "parse_faults"]
