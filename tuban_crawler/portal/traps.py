"""Faults that test the crawler's bounds, identity and parsing (issue 9, part B).

Separate from :mod:`.faults` (which holds the server-trouble kinds and parses profiles) so
that each family stays readable. None of these kinds is part of ``chaos``: ``traps`` turns
on all but the two robots-outage kinds, which stop a crawl by design.

================  ================================================================================
kind              behaviour
================  ================================================================================
robots5xx         ``/robots.txt`` answers ``500`` to its first ``ROBOTS_FAILURES`` requests, then its rules
robotsdown        ``/robots.txt``: connection closed without an answer, always
robotsalias       robots.txt gives ``tuban-crawler`` its own group, disallowing ``/entry/rahasia-``; home
                  links ``/entry/rahasia-1`` as written and through ``//``, ``..`` and ``%2e%2e`` aliases
aliases           home links articles 48 and 49 through dot segments, ``;jsessionid=``, percent-encoding,
                  upper case, a trailing ``%20``, its AMP copy ``/amp`` (told apart only by the
                  ``rel=canonical`` those articles carry) and the same host on another port; the server
                  finds the article for each (a CMS on MySQL matches slugs case- and trailing-space-blind)
fanout            ``/kategori/arsip-lama?page=N&v=T`` (linked from home): listings whose three next-page
                  links (``a[rel=next]``, ``a.next``, ``link[rel=next]``) each lead to a new URL, forever
calendar          ``/kategori/agenda?bulan=YYYY-MM`` (linked from home): every month links both neighbours
entrycalendar     ``/entry/agenda-YYYY-MM-DD`` (linked from home): a dated page per day linking the next
                  and previous days, forever
malformed         home, ``/berita`` and article 45 carry ``http://[::1`` and ``host:P:80`` links
deep              article 46: ``DEEP_PARAGRAPHS`` paragraphs, each opening a ``<font>`` that is never closed
cp1252            article 47: sent as cp1252 bytes while header and ``<meta>`` say UTF-8, curly quotes included
redirectloop      ``/entry/putar-a`` and ``/entry/putar-b`` redirect to each other; so do
                  ``/kategori/pindah`` and ``/kategori/pindah?ke=1`` (linked from home)
================  ================================================================================
"""

from __future__ import annotations

import dataclasses
import logging
import posixpath
import re
from datetime import date, timedelta
from urllib.parse import parse_qs, unquote, urlsplit

from .protocol import Reply
from .render import current_document, esc
from .text import MONTHS_ID

logger = logging.getLogger(__name__)

KINDS = (
    "robots5xx",
    "robotsdown",
    "robotsalias",
    "aliases",
    "fanout",
    "calendar",
    "entrycalendar",
    "malformed",
    "deep",
    "cp1252",
    "redirectloop",
)
#: What the ``traps`` profile turns on: every kind that leaves the site crawlable.
TRAPS_PROFILE = tuple(k for k in KINDS if k not in ("robots5xx", "robotsdown"))
ARTICLE_TRAPS = {"malformed": (45,), "deep": (46,), "cp1252": (47,), "aliases": (48, 49)}
ROBOTS_FAILURES = 6
DEEP_PARAGRAPHS = 300
FANOUT_PATH = "/kategori/arsip-lama"
CALENDAR_PATH = "/kategori/agenda"
ENTRY_CALENDAR_START = date(2024, 1, 1)
SECRET_SLUGS = ("rahasia-1", "rahasia-2", "rahasia-3")
REDIRECT_LOOPS = {
    "/entry/putar-a": "/entry/putar-b",
    "/entry/putar-b": "/entry/putar-a",
    "/kategori/pindah": "/kategori/pindah?ke=1",
    "/kategori/pindah?ke=1": "/kategori/pindah",
}
MALFORMED_LINKS = (
    '<a href="http://[::1/entry/rusak">Tautan rusak</a>',
    '<a href="http://127.0.0.1:P:80/entry/rusak-2">Tautan rusak 2</a>',
)
CURLY_SENTENCE = "Bupati menyebut program itu \u201cTuban Bersinar\u201d dan warga menyambutnya \u2018hangat\u2019."
_DAY = re.compile(r"^agenda-(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def robots(base_url: str) -> str:
    """Return the robots.txt of the ``robotsalias`` kind: a group for ``tuban-crawler`` of its own."""
    return (
        "User-agent: otherbot\nDisallow: /\n\n"
        "User-agent: tuban-crawler\nDisallow: /admin/\nDisallow: /_portal/\nDisallow: /entry/rahasia-\n\n"
        f"User-agent: *\nDisallow: /admin/\nDisallow: /_portal/\n\nSitemap: {base_url}/sitemap.xml\n"
    )


def entry_slug(path: str) -> str:
    """Return the slug a forgiving CMS finds for an ``/entry/...`` PATH (dots resolved, session id, case, spaces).

    >>> entry_slug("/entry/x/../ASN-Dituntut;jsessionid=1%20")
    'asn-dituntut'
    """
    path = posixpath.normpath(unquote(re.sub(r";[^/]*", "", path)))
    path = path[: -len("/amp")] if path.endswith("/amp") else path  # the AMP copy of an article
    return path[len("/entry/") :].strip().lower() if path.startswith("/entry/") else ""


def alias_links(path: str, base_url: str) -> list[str]:
    """Return the alias hrefs of the ``aliases`` kind for the entry at PATH (another port included)."""
    slug = path[len("/entry/") :]
    parts = urlsplit(base_url)
    other_port = f"{parts.scheme}://{parts.hostname}:{(parts.port or 80) + 1}"
    encoded = slug.replace("-", "%2D", 1)
    return [
        f"/entry/./{slug}",
        f"/entry/lama/../{slug}",
        f"{path};jsessionid=9F8E7D6C5B4A",
        f"/entry/{encoded}",
        f"/entry/{slug.upper()}",
        f"{path}%20",
        f"{path}/amp",
        f"{other_port}{path}",
    ]


def home_section(kinds: frozenset[str], alias_paths: list[str], base_url: str) -> str:
    """Return what the enabled kinds add to the home page."""
    links: list[str] = []
    if "robotsalias" in kinds:
        links += [
            "/entry/rahasia-1",
            "/entry//rahasia-2",
            "/entry/../entry/rahasia-3",
            "/entry/%2e%2e/admin/",
        ]
    if "aliases" in kinds:
        for path in alias_paths:
            links += alias_links(path, base_url)
    if "fanout" in kinds:
        links.append(FANOUT_PATH)
    if "calendar" in kinds:
        links.append(f"{CALENDAR_PATH}?bulan=2024-01")
    if "entrycalendar" in kinds:
        links.append(f"/entry/agenda-{ENTRY_CALENDAR_START.isoformat()}")
    if "redirectloop" in kinds:
        links += ["/entry/putar-a", "/kategori/pindah"]
    items = "".join(
        f'<li><a href="{esc(link)}">Tautan {n}</a></li>' for n, link in enumerate(links, 1)
    )
    if "malformed" in kinds:
        items += "".join(f"<li>{link}</li>" for link in MALFORMED_LINKS)
    return f'<section class="tautan-lain"><ul>{items}</ul></section>\n' if items else ""


def handle(kinds: frozenset[str], path: str, query: str, first_attempt: object) -> Reply | None:
    """Return the reply of a trap for PATH?QUERY, or None when no enabled kind owns it.

    FIRST_ATTEMPT is ``FaultState.first_attempt`` style: called with a key, True the first time.
    """
    target = f"{path}?{query}" if query else path
    if path == "/robots.txt" and "robotsdown" in kinds:
        return Reply(0, action="drop")
    if path == "/robots.txt" and "robots5xx" in kinds:
        for attempt in range(ROBOTS_FAILURES):
            if first_attempt(f"robots:{attempt}"):  # type: ignore[operator]
                return Reply(500, b"<h1>Internal Server Error</h1>")
    if "redirectloop" in kinds and target in REDIRECT_LOOPS:
        return Reply(302, b"", None, headers=(("Location", REDIRECT_LOOPS[target]),))
    if "fanout" in kinds and path == FANOUT_PATH:
        return None  # rendered by the site (it needs the listing's entries): see ``fanout_page``
    if "calendar" in kinds and path == CALENDAR_PATH:
        match = _MONTH.match(parse_qs(query).get("bulan", [""])[-1])
        if match and 1 <= int(match[2]) <= 12:
            return Reply(200, _calendar_month(int(match[1]), int(match[2])).encode())
    if "entrycalendar" in kinds and path.startswith("/entry/agenda-"):
        match = _DAY.match(path[len("/entry/") :])
        if match:
            try:
                return Reply(
                    200, _calendar_day(date(int(match[1]), int(match[2]), int(match[3]))).encode()
                )
            except ValueError:
                return None
    if "robotsalias" in kinds and entry_slug(path) in SECRET_SLUGS:
        slug = entry_slug(path)
        return Reply(
            200,
            _dated_page(f"Dokumen {slug}", date(2024, 2, 1), "Isi dokumen internal.", "").encode(),
        )
    return None


def fanout_links(page: int, trail: str) -> tuple[str, str]:
    """Return (links in the listing, links in the head) of fan-out page PAGE reached through TRAIL."""
    nxt = [f"{FANOUT_PATH}?page={page + 1}&amp;v={trail}{letter}" for letter in "abc"]
    body = (
        f'<nav class="pagination"><a rel="next" href="{nxt[0]}">Berikutnya</a> '
        f'<a class="next" href="{nxt[1]}">Halaman berikutnya</a></nav>\n'
    )
    return body, f'<link rel="next" href="{nxt[2]}">\n'


def with_article_trap(kind: str, reply: Reply, path: str) -> Reply:
    """Return the article REPLY (of the entry at PATH) as the trap KIND serves it."""
    body = reply.body
    if kind == "aliases":  # its AMP copy (``/amp``) can only be told apart by this link
        canonical = f'<link rel="canonical" href="{path}">\n</head>'.encode()
        return dataclasses.replace(reply, body=body.replace(b"</head>", canonical, 1), gzipped=None)
    if kind == "malformed":
        links = (
            "<p>" + " ".join(MALFORMED_LINKS) + "</p>\n</body>"
        ).encode()  # outside the article's body
        return dataclasses.replace(reply, body=body.replace(b"</body>", links, 1), gzipped=None)
    if kind == "deep":
        paragraphs = "".join(
            f'<p><font face="Arial">Paragraf tambahan nomor {n} tentang kegiatan Pemerintah Kabupaten Tuban.\n'
            for n in range(1, DEEP_PARAGRAPHS - 1)
        )
        return dataclasses.replace(
            reply, body=_after_first_paragraph(body, paragraphs), gzipped=None, etag=None
        )
    if kind == "cp1252":
        text = _after_first_paragraph(body, f"<p>{CURLY_SENTENCE}</p>\n").decode("utf-8")
        return dataclasses.replace(
            reply, body=text.encode("cp1252", errors="xmlcharrefreplace"), gzipped=None, etag=None
        )
    return reply


def _after_first_paragraph(body: bytes, html: str) -> bytes:
    for container in (b'<div class="post-content">\n', b'<div class="news-body">\n'):
        start = body.find(container)
        if start >= 0:
            cut = body.find(b"</p>\n", start) + len(b"</p>\n")
            return body[:cut] + html.encode() + body[cut:]
    return body


def _calendar_month(year: int, month: int) -> str:
    nxt = (year + 1, 1) if month == 12 else (year, month + 1)
    prev = (year - 1, 12) if month == 1 else (year, month - 1)
    main = (
        f'<h2 class="page-title">Agenda {MONTHS_ID[month - 1]} {year}</h2>\n<p>Belum ada agenda.</p>\n'
        '<nav class="pagination">'
        f'<a class="prev" rel="prev" href="{CALENDAR_PATH}?bulan={prev[0]:04d}-{prev[1]:02d}">Sebelumnya</a> '
        f'<a class="next" rel="next" href="{CALENDAR_PATH}?bulan={nxt[0]:04d}-{nxt[1]:02d}">Berikutnya</a></nav>\n'
    )
    return current_document(f"Agenda {MONTHS_ID[month - 1]} {year}", main)


def _calendar_day(day: date) -> str:
    links = "".join(
        f'<a href="/entry/agenda-{other.isoformat()}">Agenda {other.day} {MONTHS_ID[other.month - 1]}</a> '
        for other in (day - timedelta(days=1), day + timedelta(days=1))
    )
    title = f"Agenda {day.day} {MONTHS_ID[day.month - 1]} {day.year}"
    return _dated_page(
        title, day, "Agenda kegiatan Pemerintah Kabupaten Tuban hari ini.", f"<p>{links}</p>\n"
    )


def _dated_page(title: str, day: date, text: str, extra: str) -> str:
    english = (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    )
    main = (
        f'<article class="single-news"><h1 class="news-title">{esc(title)}</h1>\n'
        f'<div class="news-meta"><span class="news-date">{day.day:02d} {english[day.month - 1]} {day.year} 08:00</span>'
        '<span class="news-author">Admin</span></div>\n'
        f'<div class="news-body">\n<p>Tubankab - {esc(text)}</p>\n{extra}</div></article>\n'
    )
    return current_document(title, main)
