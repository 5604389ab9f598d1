"""One configuration of the portal (seed, size, edition, faults): routing and cached replies.

A new Site is built for every ``configure``; rendered replies are cached per Site, so a
request costs a dict lookup once a page has been rendered.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import logging
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from . import content, feeds, pages, render, traps
from .content import Entry
from .faults import (
    ARTICLE_FAULTS,
    CUT_EVERY,
    CUT_REMAINDER,
    FIRST_ATTEMPT_ONLY,
    HOSTILE_PAYLOAD,
    LISTING_FAULTS,
    QUALITY_PAGES,
    FaultConfig,
    FaultState,
    cut_point,
)
from .protocol import Reply, Request
from .slugs import base_slug
from .themes import theme_named

logger = logging.getLogger(__name__)

HTML = "text/html; charset=utf-8"
SIDEBAR_ITEMS = 5
_MONTH = re.compile(r"^(\d{4,})-(\d{2})$")
_PAGE = re.compile(r"^[1-9]\d{0,8}$")
MAX_FOOTED = 1 << 20  # a larger HTML page (the huge fault) keeps no footer: not worth copying
# A 1x1 grey baseline JPEG (one DC-only block): the portal needs images to exist, not to look good.
TINY_JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000"
    "ffdb004300" + "01" * 64 + "ffc0000b080001000101011100"
    "ffc4001400" + "01" + "00" * 15 + "00"
    "ffc4001410" + "01" + "00" * 15 + "00"
    "ffda0008010100003f00"
    "3f"
    "ffd9"
)

# The stylesheets the two layouts link (see render.py); the legacy one also uses a photo.
STYLESHEETS = {
    "/assets/css/app.css": b"body { font-family: sans-serif; margin: 0 }\n.site-header { background: #0b5394 }\n",
    "/themes/lama/style.css": b"body { background: #eee url(/uploads/latar.jpg) }\n#wrapper { width: 960px }\n",
}


@dataclass(frozen=True)
class SiteExtras:
    """What a site of a multi-site portal has that the one-site portal has not (see :mod:`.offices`)."""

    #: (articles in publication order, evergreen pages) instead of the seed's own archive.
    archive: tuple[tuple[Entry, ...], tuple[Entry, ...]] | None = None
    #: slug -> the paragraphs shown instead of the article's own (teasers, re-posts).
    bodies: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: slug -> (text in its body, URL): that text becomes a link (a teaser's "Selengkapnya di").
    links: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    #: HTML put before ``</body>`` of every HTML page (the portal's list of other sites).
    footer: str = ""
    #: entries live at ``/page/<id>`` (Entry.number), not ``/entry/<slug>``.
    numbered: bool = False


class Site:
    """Routes requests for one portal configuration and caches what it renders."""

    def __init__(
        self,
        *,
        seed: int,
        articles: int,
        edition: int,
        base_url: str,
        faults: FaultConfig,
        state: FaultState,
        theme: str = "classic",
        extras: SiteExtras | None = None,
    ) -> None:
        if edition < 1:
            raise ValueError(f"edition must be >= 1, got {edition}")
        self.seed, self.articles, self.edition, self.base_url = seed, articles, edition, base_url
        self.theme_name, self.theme = theme, theme_named(theme)
        self.faults, self._state = faults, state
        self.extras = SiteExtras() if extras is None else extras
        if self.extras.archive is None:
            self.chronological, self.pages = content.build_archive(seed, articles, edition)
        else:
            self.chronological, self.pages = self.extras.archive
        self.by_slug = {e.slug: e for e in (*self.chronological, *self.pages)}
        self.by_number = {
            e.number: e for e in (*self.chronological, *self.pages) if e.number is not None
        }
        self._position = {e.slug: n for n, e in enumerate(self.chronological)}
        self.live = [
            e
            for e in reversed(self.chronological)
            if content.withdrawn_status(e.article, edition) is None
        ]
        self.by_category: dict[str, list[Entry]] = defaultdict(list)
        for entry in self.live:
            self.by_category[content.category_slug(entry.article.category)].append(entry)
        self.category_names = {content.category_slug(c): c for c in content.CATEGORIES}
        self._collect()
        self.fault_paths = self._plan_faults()
        self._fault_of = {
            p: k for k in (*ARTICLE_FAULTS, "cut") if k in faults for p in self.fault_paths[k]
        }
        self._trap_of = {
            p: k for k in traps.ARTICLE_TRAPS if k in faults for p in self.fault_paths[k]
        }
        self._traps = frozenset(k for k in traps.KINDS if k in faults)
        self._entry_reply = functools.lru_cache(maxsize=8192)(self._render_entry)
        self._page_reply = functools.lru_cache(maxsize=2048)(self._render_page)
        self._theme_reply = functools.lru_cache(maxsize=2048)(self._render_theme_page)

    def _collect(self) -> None:
        """Group the live articles by category, tag, month and author, for the themes' hubs."""
        self.collections: dict[tuple[str, str], list[Entry]] = defaultdict(list)
        self.author_names: dict[str, str] = {}
        for entry in self.live:
            meta = entry.article
            author = base_slug(meta.author, 0)
            self.author_names[author] = meta.author
            keys = [
                ("category", content.category_slug(meta.category)),
                ("month", f"{meta.published:%Y-%m}"),
                ("author", author),
            ]
            if meta.topic != "seed":
                keys.append(("tag", meta.topic))
            for key in keys:
                self.collections[key].append(entry)
        self.month_keys = sorted(
            {k for kind, k in self.collections if kind == "month"}, reverse=True
        )
        self.tag_keys = sorted({k for kind, k in self.collections if kind == "tag"})

    def views_of(self, kind: str) -> set[str]:
        """Return the keys of the hubs of KIND that list at least one article."""
        return {k for k_kind, k in self.collections if k_kind == kind}

    def _plan_faults(self) -> dict[str, list[str]]:
        by_index = {e.article.index: e for e in self.chronological}
        plan = {
            kind: [by_index[i].path for i in indices if i in by_index]
            for kind, indices in ARTICLE_FAULTS.items()
        }
        plan["503"] += list(LISTING_FAULTS["503"])
        struck = {i for indices in ARTICLE_FAULTS.values() for i in indices}
        plan["cut"] = [
            e.path
            for e in self.chronological
            if e.article.index is not None
            and e.article.index not in struck
            and e.article.index % CUT_EVERY == CUT_REMAINDER
        ]
        plan.update(
            trap=[pages.TRAP_START], offsite=[pages.OFFSITE_REDIRECT], huge=[pages.HUGE_PATH]
        )
        plan.update(
            {
                kind: [by_index[i].path for i in indices if i in by_index]
                for kind, indices in traps.ARTICLE_TRAPS.items()
            }
        )
        plan["robotsalias"] = [f"/entry/{slug}" for slug in traps.SECRET_SLUGS]
        plan.update(
            fanout=[traps.FANOUT_PATH],
            calendar=[traps.CALENDAR_PATH],
            redirectloop=list(traps.REDIRECT_LOOPS),
            entrycalendar=[f"/entry/agenda-{traps.ENTRY_CALENDAR_START.isoformat()}"],
            robots5xx=["/robots.txt"],
            robotsdown=["/robots.txt"],
        )
        return {kind: paths for kind, paths in plan.items() if kind in self.faults}

    # -- dispatch -------------------------------------------------------------------------

    def handle(self, request: Request) -> Reply:
        """Return the reply to REQUEST (GET and HEAD; other methods get 405)."""
        reply = self._route(request)
        footer = self.extras.footer
        if (
            footer
            and reply.status == 200
            and reply.content_type == HTML
            and len(reply.body) < MAX_FOOTED
            and b"</body>" in reply.body
        ):
            body = reply.body.replace(b"</body>", footer.encode() + b"</body>", 1)
            return dataclasses.replace(reply, body=body, gzipped=None)
        return reply

    def _route(self, request: Request) -> Reply:
        if request.method not in ("GET", "HEAD"):
            return Reply(405, b"", None, headers=(("Allow", "GET, HEAD"),))
        target = request.target
        if not target.startswith("/"):  # absolute-form target: keep path and query
            target = "/" + target.split("/", 3)[-1] if target.count("/") >= 3 else "/"
        path, _, query = target.partition("?")
        if self._traps:
            reply = traps.handle(self._traps, path, query, self._state.first_attempt)
            if reply is not None:
                return reply
            if path == traps.FANOUT_PATH and "fanout" in self._traps:
                return self._fanout(query)
        if self.extras.numbered and path.startswith(("/page/", "/entry/")):
            return self._numbered(path, query)
        if path.startswith("/entry/"):
            slug = path[7:]
            slug = slug[:-1] if slug.endswith("/") else slug
            if self._traps & {"aliases", "robotsalias"}:
                slug = traps.entry_slug(path)
            entry = self.by_slug.get(slug)
            if (
                entry is None and self.theme is not None
            ):  # a theme's own page under /entry/ (an index)
                return self._theme_reply(path, query)
            return self._not_found() if entry is None else self._entry(entry)
        if (
            "503" in self.faults
            and target in LISTING_FAULTS["503"]
            and self._state.first_attempt(target)
        ):
            return Reply(
                503,
                pages.message(
                    "Layanan Tidak Tersedia", "Silakan coba beberapa saat lagi."
                ).encode(),
            )
        if path.startswith("/uploads/") and path.endswith(".jpg"):
            return Reply(200, TINY_JPEG, "image/jpeg", compress=False)
        if path in STYLESHEETS:
            return Reply(200, STYLESHEETS[path], "text/css; charset=utf-8")
        if path == "/agenda" and "trap" in self.faults:
            return self._agenda(query)
        if path == "/keluar" and "offsite" in self.faults:
            url = parse_qs(query).get("url", [""])[-1]
            if url:
                return Reply(302, b"", None, headers=(("Location", url),))
        if path == pages.HUGE_PATH and "huge" in self.faults:
            return Reply(200, pages.huge_body(self.faults.huge_size), HTML, compress=False)
        if self.theme is not None and path != "/_portal/manifest.json":
            return self._theme_reply(path, query)
        page = "1"
        if query:
            page = parse_qs(query).get("page", ["1"])[-1]
        if not _PAGE.match(page):
            return self._not_found()
        return self._page_reply(path.rstrip("/") or "/", int(page), "body=1" in query)

    def _numbered(self, path: str, query: str) -> Reply:
        """Return the entry at ``/page/<id>`` of a numbered site; under ``/entry/`` only a theme's own pages."""
        if path.startswith("/entry/"):
            return self._not_found() if self.theme is None else self._theme_reply(path, query)
        number = path[len("/page/") :].rstrip("/")
        entry = self.by_number.get(int(number)) if _PAGE.match(number) else None
        return self._not_found() if entry is None else self._entry(entry)

    def _not_found(self) -> Reply:
        return self._page_reply("404", 0, False)

    def _agenda(self, query: str) -> Reply:
        match = _MONTH.match(parse_qs(query).get("bulan", [""])[-1])
        if not match or not 1 <= int(match[2]) <= 12:
            return self._not_found()
        return Reply(200, pages.agenda(int(match[1]), int(match[2])).encode())

    def _entry(self, entry: Entry) -> Reply:
        kind = self._fault_of.get(entry.path)
        if kind == "500":
            return Reply(
                500, pages.message("Kesalahan Server", "Terjadi kesalahan pada server.").encode()
            )
        if kind in FIRST_ATTEMPT_ONLY and self._state.first_attempt(entry.path):
            if kind == "503":
                return Reply(
                    503, pages.message("Layanan Tidak Tersedia", "Silakan coba lagi.").encode()
                )
            if kind == "429":
                return Reply(
                    429,
                    pages.message("Terlalu Banyak Permintaan", "Silakan tunggu.").encode(),
                    headers=(("Retry-After", "1"),),
                )
            if kind == "drop":
                return Reply(0, action="drop")
            return dataclasses.replace(
                self._entry_reply(entry.slug), action="truncate", compress=False
            )
        if kind in QUALITY_PAGES and not entry.page:
            return self._quality_page(entry, kind)
        reply = self._entry_reply(entry.slug)
        if kind == "cut" and reply.status == 200:
            # A broken server or proxy: the page cut short, with a Content-Length that matches the cut.
            body = reply.body[: cut_point(entry.path, len(reply.body))]
            return dataclasses.replace(
                reply, body=body, etag=None, last_modified=None, compress=False, gzipped=None
            )
        if entry.path in self._trap_of:
            reply = traps.with_article_trap(self._trap_of[entry.path], reply, entry.path)
        if kind == "slow":
            return dataclasses.replace(reply, delay=self.faults.slow_delay)
        if kind == "charset":
            return dataclasses.replace(reply, content_type="text/html; charset=iso-8859-1")
        if kind == "hostile":
            anchors = CLASSIC_ANCHORS if self.theme is None else (self.theme.hostile_anchor,)
            return dataclasses.replace(
                reply, body=_with_hostile_payload(reply.body, anchors), gzipped=None
            )
        return reply

    def _quality_page(self, entry: Entry, kind: str) -> Reply:
        """Return an error or login page in ENTRY's own layout (a CMS that answers 200 with its template)."""
        title, paras = QUALITY_PAGES[kind]
        meta = dataclasses.replace(
            entry.article,
            title=title,
            meta_style="none",
            caption=None,
            images=(),
            trailers=(),
            trailer_in_body=False,
        )
        layout = render.legacy_article if meta.layout == "legacy" else render.current_article
        html = layout(
            dataclasses.replace(entry, meta=meta),
            paras=paras,
            views=0,
            sidebar=self._sidebar(entry),
            base_url=self.base_url,
            offsite=False,
        )
        return Reply(200, html.encode(), HTML)

    # -- rendering (cached) ---------------------------------------------------------------

    def _sidebar(self, entry: Entry) -> list[Entry]:
        """Return the live articles published just before ENTRY (independent of the archive size)."""
        result: list[Entry] = []
        position = self._position[entry.slug]
        while position > 0 and len(result) < SIDEBAR_ITEMS:
            position -= 1
            candidate = self.chronological[position]
            if content.withdrawn_status(candidate.article, self.edition) is None:
                result.append(candidate)
        return result

    def _render_entry(self, slug: str) -> Reply:
        entry = self.by_slug[slug]
        if entry.page and self.theme is not None:
            html = self.theme.evergreen(self, entry)
        elif entry.page:
            html = render.evergreen_page(entry, self.live[:SIDEBAR_ITEMS], self.base_url)
        else:
            status = content.withdrawn_status(entry.article, self.edition)
            if status == 410:
                return Reply(
                    410,
                    pages.message("Berita Tidak Tersedia", "Berita ini telah dihapus.").encode(),
                )
            if status == 302:
                return Reply(302, b"", None, headers=(("Location", f"{self.base_url}/"),))
            paras, views, sidebar = (
                self.extras.bodies.get(entry.slug) or content.body(entry.article, self.edition),
                content.views(entry.article, self.edition),
                self._sidebar(entry),
            )
            shown = entry
            if (
                "nometa" in self.faults
            ):  # a redesign that dropped the metadata (and its structured data)
                shown = dataclasses.replace(
                    entry, meta=dataclasses.replace(entry.article, meta_style="none")
                )
            if self.theme is not None:
                html = self.theme.article(self, shown, paras, views, sidebar)
            else:
                layout = (
                    render.legacy_article
                    if entry.article.layout == "legacy"
                    else render.current_article
                )
                html = layout(
                    shown,
                    paras=paras,
                    views=views,
                    sidebar=sidebar,
                    base_url=self.base_url,
                    offsite="offsite" in self.faults,
                )
        if entry.slug in self.extras.links:
            shown_text, url = self.extras.links[entry.slug]
            label = render.esc(shown_text)
            # The last occurrence: the body's closing line, not a description in the head.
            before, found, after = html.rpartition(label)
            if found:
                html = f'{before}<a href="{render.esc(url)}">{label}</a>{after}'
        body = html.encode()
        modified = feeds.entry_modified(entry, self.edition).replace(tzinfo=feeds.WIB).timestamp()
        etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
        return Reply(200, body, HTML, etag=etag, last_modified=modified)

    def _render_theme_page(self, path: str, query: str) -> Reply:
        if self.theme is None:  # route() sends only a themed site's pages here
            raise RuntimeError("the classic portal has no theme pages")
        reply = self.theme.route(self, path, parse_qs(query))
        return self._page_reply("404", 0, False) if reply is None else reply

    def _render_page(self, path: str, page: int, with_body: bool) -> Reply:
        if path == "/" and page == 1:
            html = pages.home(
                self.live,
                self.base_url,
                trap="trap" in self.faults,
                offsite="offsite" in self.faults,
                huge="huge" in self.faults,
            )
            extra = traps.home_section(
                self._traps, self.fault_paths.get("aliases", []), self.base_url
            )
            return Reply(200, html.replace("</main>", extra + "</main>", 1).encode())
        if path == "/berita":
            listing = pages.listing(
                "Berita", "/berita", self.live, page, self.base_url, "nolistings" in self.faults
            )
            if listing is not None and page == 1 and "malformed" in self._traps:
                listing = listing.replace("</main>", " ".join(traps.MALFORMED_LINKS) + "</main>", 1)
            if listing is None:
                return self._page_reply("404", 0, False)
            return Reply(200, listing.encode())
        if path.startswith("/kategori/") and path.count("/") == 2:
            slug = path[len("/kategori/") :]
            if slug in self.category_names:
                heading = f"Kategori: {self.category_names[slug]}"
                listing = pages.listing(
                    heading,
                    path,
                    self.by_category.get(slug, []),
                    page,
                    self.base_url,
                    "nolistings" in self.faults,
                )
                if listing is not None:
                    return Reply(200, listing.encode())
        elif path == "/robots.txt":
            text = (
                traps.robots(self.base_url)
                if "robotsalias" in self._traps
                else feeds.robots(self.base_url)
            )
            return _validated(text.encode(), "text/plain; charset=utf-8")
        elif path == "/sitemap.xml":
            xml = feeds.sitemap([*self.live, *self.pages], self.edition, self.base_url)
            return _validated(xml.encode(), "application/xml; charset=utf-8")
        elif path == "/rss":
            return _validated(
                feeds.rss(self.live, self.base_url).encode(), "application/rss+xml; charset=utf-8"
            )
        elif path == "/_portal/manifest.json":
            document = feeds.manifest(
                [*reversed(self.chronological), *self.pages],
                seed=self.seed,
                articles=self.articles,
                edition=self.edition,
                base_url=self.base_url,
                fault_paths=self.fault_paths,
                with_body=with_body,
                theme=self.theme_name,
                bodies=self.extras.bodies,
            )
            return Reply(200, document.encode(), "application/json; charset=utf-8")
        return Reply(
            404,
            pages.message("Halaman Tidak Ditemukan", "Halaman yang Anda cari tidak ada.").encode(),
        )

    def _fanout(self, query: str) -> Reply:
        """Return a page of the ``fanout`` trap: real listing items, three next links to new URLs."""
        fields = parse_qs(query)
        number = fields.get("page", ["1"])[-1]
        page = int(number) if _PAGE.match(number) else 1
        trail = re.sub(r"[^a-c]", "", fields.get("v", [""])[-1])
        last = pages.page_count(len(self.live))
        chunk = self.live[((page - 1) % last) * pages.PER_PAGE :][: pages.PER_PAGE]
        body_links, head_links = traps.fanout_links(page, trail)
        main = (
            f'<h2 class="page-title">Arsip Lama - Halaman {page}</h2>\n<div class="news-list">\n'
            f"{pages.listing_items(chunk, f'fanout:{page}', self.base_url)}</div>\n{body_links}"
        )
        return Reply(
            200, render.current_document(f"Arsip Lama {page}", main, head=head_links).encode()
        )


CLASSIC_ANCHORS = (
    (b'<div class="post-content">\n', b"</p>\n"),
    (b'<div class="news-body">\n', b"</p>\n"),
)


def _with_hostile_payload(
    body: bytes, anchors: tuple[tuple[bytes, bytes], ...] = CLASSIC_ANCHORS
) -> bytes:
    """Return the article page BODY with the hostile payload after its first paragraph.

    After the first paragraph, so that the dateline still opens the body and the credit
    still closes it.
    """
    for container, end in anchors:
        start = body.find(container)
        if start >= 0:
            cut = body.find(end, start) + len(end)
            return body[:cut] + HOSTILE_PAYLOAD.encode() + body[cut:]
    return body


def _validated(body: bytes, content_type: str) -> Reply:
    """Return a 200 reply of BODY with an ETag of its content, so that a conditional request gets a 304."""
    return Reply(
        200, body, content_type, etag='"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
    )
