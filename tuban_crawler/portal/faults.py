"""Deterministic faults the portal can be asked to show (``faults=`` / ``--faults``).

Kinds and where they strike (article indices as in :mod:`.content`; "first attempt" means the
first request for that path, aliases included, in the server's lifetime):

=========  ===================================================================================
kind       behaviour
=========  ===================================================================================
500        articles 20, 21: ``500 Internal Server Error`` on every attempt
503        articles 22, 23 and ``/berita?page=2``: ``503`` on the first attempt, then OK
429        articles 24, 25: ``429`` with ``Retry-After: 1`` on the first attempt, then OK
slow       articles 26, 27: every response delayed by ``slow_delay`` seconds (default 2)
drop       articles 28, 29: connection closed without a response on the first attempt
truncate   articles 30, 31: ``Content-Length`` larger than the bytes sent, then close (first)
charset    article 32: ``Content-Type: text/html; charset=iso-8859-1`` on a UTF-8 body
trap       ``/agenda?bulan=YYYY-MM`` linked from home; every month links to the next, forever
offsite    links to ``example.org``/``example.com``/share sites on home and some pages;
           ``/keluar?url=<url>`` answers 302 to that URL
huge       ``/unduhan/arsip-lengkap`` linked from home: ``huge_size`` bytes (default 20 MB)
hostile    article 33: its body carries a ``<script>``, an ``onerror=`` image, a ``javascript:``
           link, a ``style`` attribute and an iframe (third-party embeds do), each of which would
           set ``window.__pwned`` if it ran
=========  ===================================================================================

Quality faults (not in ``chaos``: each makes a copy worse than the archived one, which
the crawler must refuse; name them, e.g. ``--faults cut,soft404,login``):

=========  ===================================================================================
cut        every fifth article (index % 5 == 2): ``200`` with the page cut at 55–90 % and a
           ``Content-Length`` matching the cut, no validators, sent uncompressed, every attempt
soft404    articles 34, 35: ``200`` in the article's layout saying "Halaman Tidak Ditemukan"
           (no date of its own: a reader takes the listing's)
login      articles 36, 37: ``200`` in the article's layout asking to log in ("Silakan login")
=========  ===================================================================================

The kinds that test the crawler's bounds (traps, aliases, robots outages, broken markup) live
in :mod:`.traps`; the profile ``traps`` turns them on.

Two more kinds are breakages rather than faults, so ``chaos`` leaves them out: they stand for
a redesign the crawler no longer reads, and a run that meets one must say it is broken.

==========  ==================================================================================
nolistings  every listing page (main, hubs, their pages) is a script-filled shell without
            entry links; the home page, sitemaps and feeds are unchanged
nometa      article pages show no metadata (no date, author, categories or views, and no
            structured data carrying them)
==========  ==================================================================================

``PortalServer.fault_paths`` maps each enabled kind to its paths for the current archive.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import cast

from . import traps

logger = logging.getLogger(__name__)

KINDS = (
    "500",
    "503",
    "429",
    "slow",
    "drop",
    "truncate",
    "charset",
    "trap",
    "offsite",
    "huge",
    "hostile",
)
#: Faults that make a copy worse than the archived one (issue 9); asked for by name, not in ``chaos``.
QUALITY_KINDS = ("cut", "soft404", "login")
#: ``cut`` strikes the articles whose index leaves this remainder modulo CUT_EVERY.
CUT_EVERY, CUT_REMAINDER = 5, 2
#: What the soft 404 and login pages say, as (title, paragraphs).
QUALITY_PAGES = {
    "soft404": (
        "Halaman Tidak Ditemukan",
        (
            "Maaf, halaman yang Anda cari tidak ditemukan atau telah dipindahkan.",
            "Silakan kembali ke beranda.",
        ),
    ),
    "login": (
        "Login Pengguna",
        ("Silakan login untuk melanjutkan.", "Username", "Password", "Lupa password?"),
    ),
}
BREAKAGES = ("nolistings", "nometa")
ARTICLE_FAULTS = {
    "500": (20, 21),
    "503": (22, 23),
    "429": (24, 25),
    "slow": (26, 27),
    "drop": (28, 29),
    "truncate": (30, 31),
    "charset": (32,),
    "hostile": (33,),
    "soft404": (34, 35),
    "login": (36, 37),
}
#: What the hostile article's body carries; every payload would set ``window.__pwned``.
HOSTILE_PAYLOAD = (
    "<script>window.__pwned = 'script'; alert('script')</script>\n"
    '<p>Foto kegiatan: <img src="/uploads/tidak-ada.jpg" onerror="window.__pwned = \'onerror\'" alt="foto"></p>\n'
    "<p><a href=\"javascript:window.__pwned = 'link'\">Unduh materi sosialisasi</a></p>\n"
    "<p style=\"background:url(javascript:window.__pwned = 'style')\" onmouseover=\"window.__pwned = 'hover'\">"
    "Informasi lebih lanjut hubungi kantor kecamatan.</p>\n"
    "<iframe src=\"javascript:parent.__pwned = 'iframe'\"></iframe>\n"
)
LISTING_FAULTS = {"503": ("/berita?page=2",)}
FIRST_ATTEMPT_ONLY = frozenset({"503", "429", "drop", "truncate"})


def cut_point(path: str, size: int) -> int:
    """Return where the ``cut`` fault cuts the SIZE-byte page at PATH: 55–90 %, fixed per path.

    >>> 55 <= cut_point("/entry/x", 100) <= 90
    True
    """
    share = 55 + zlib.crc32(path.encode()) % 36
    return size * share // 100


@dataclass(frozen=True)
class FaultConfig:
    """Which fault kinds are on, and the knobs of the slow and huge ones."""

    kinds: frozenset[str] = field(default_factory=frozenset)
    slow_delay: float = 2.0
    huge_size: int = 20_000_000

    def __contains__(self, kind: str) -> bool:
        return kind in self.kinds


def _kinds(names: Iterable[str]) -> set[str]:
    kinds: set[str] = set()
    for name in names:
        if name == "chaos":
            kinds.update(KINDS)
        elif name == "traps":  # the crawler's bounds, identity and parsing: see traps.py
            kinds.update(traps.TRAPS_PROFILE)
        elif name in KINDS or name in QUALITY_KINDS or name in BREAKAGES or name in traps.KINDS:
            kinds.add(name)
        elif name not in ("", "none"):
            known = ", ".join((*KINDS, *QUALITY_KINDS, *BREAKAGES, *traps.KINDS))
            raise ValueError(f"unknown fault kind {name!r}; known: chaos, traps, none, {known}")
    return kinds


def parse_faults(spec: object) -> FaultConfig:
    """Return the FaultConfig for SPEC.

    SPEC is None/``"none"``, ``"chaos"``, a comma list such as ``"slow,drop,slow_delay=0.2"``,
    an iterable of kind names, a mapping ``{"slow": True, "slow_delay": 0.2}`` (``"profile":
    "chaos"`` allowed) or a FaultConfig.

    >>> sorted(parse_faults("drop,slow,slow_delay=0.5").kinds), parse_faults("slow_delay=0.5").slow_delay
    (['drop', 'slow'], 0.5)
    """
    if spec is None:
        return FaultConfig()
    if isinstance(spec, FaultConfig):
        return spec
    options: dict[str, str | float] = {}  # as written in a string spec, or as given
    if isinstance(spec, str):
        names = []
        for token in (t.strip() for t in spec.split(",")):
            key, sep, value = token.partition("=")
            if sep:
                options[key.strip()] = value.strip()
            else:
                names.append(token)
    elif isinstance(spec, Mapping):
        names = [str(spec.get("profile", ""))]
        for key, value in spec.items():
            if key in ("slow_delay", "huge_size"):
                options[key] = value
            elif key != "profile" and value:
                names.append(str(key))
    else:
        names = [str(name) for name in cast("Iterable[object]", spec)]  # else: kind names
    unknown = set(options) - {"slow_delay", "huge_size"}
    if unknown:
        raise ValueError(f"unknown fault option(s): {', '.join(sorted(unknown))}")
    return FaultConfig(
        kinds=frozenset(_kinds(names)),
        slow_delay=float(options.get("slow_delay", 2.0)),
        huge_size=int(options.get("huge_size", 20_000_000)),
    )


class FaultState:
    """Remembers which paths have had their first attempt, for a server's whole lifetime."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def first_attempt(self, key: str) -> bool:
        """Return True the first time KEY is asked about, False afterwards."""
        if key in self._seen:
            return False
        self._seen.add(key)
        return True
