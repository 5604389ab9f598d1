"""Whether a fetched copy of an entry is fit to become the archived one (pure functions).

A server answers ``200`` with many things that are not the article: a body cut short (with
a ``Content-Length`` that matches the cut, or not), a "page not found" or login page in the
article's own layout, a maintenance notice, a generic page shared by many URLs. Each still
has a title and often a date (taken from the listing), so a presence check lets it replace
a good copy. ``judge`` compares the new copy with the archived one and says why it is worse;
the store then keeps the archived row and records the rejected copy (issue 9).

Sharing a text is not being a generic page (issue 18): a series of announcements with one
templated body, each under its own title, date and author, is a series of articles, and a
first capture is archived whatever other URLs hold its text (``sametext`` links them). What
is refused is a re-fetched copy whose new text is many other URLs' text (it would replace a
different archived text), and a first capture that is the same page as many others (text,
title and author: a page served for every address).

A real edit is not worse: editors correct a figure or add a sentence, the text stays about
as long, keeps its dateline and credit, and the page still ends with its closing tag.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

logger = logging.getLogger(__name__)

#: What error, login and maintenance pages say (Indonesian and English), lower case.
ERROR_PHRASES = (
    "halaman tidak ditemukan",
    "halaman yang anda cari",
    "page not found",
    "404 not found",
    "error 404",
    "silakan login",
    "silahkan login",
    "silakan masuk",
    "silahkan masuk",
    "please log in",
    "please login",
    "log in to continue",
    "sign in to continue",
    "login pengguna",
    "lupa password",
    "forgot your password",
    "sedang dalam perbaikan",
    "sedang dalam pemeliharaan",
    "under maintenance",
    "situs sedang",
    "kesalahan server",
    "internal server error",
    "service unavailable",
    "layanan tidak tersedia",
    "akses ditolak",
    "access denied",
    "forbidden",
)
_ERROR_PATTERN = re.compile("|".join(re.escape(p) for p in ERROR_PHRASES))
#: An error page is short; an article that merely quotes one of the phrases is not.
ERROR_PAGE_MAX_CHARS = 600
#: Below this length the ratios below say nothing (a few words, a caption-only page).
MIN_CHARS_FOR_RATIO = 200
#: A copy keeping less than this share of the archived text, with a sign of truncation, is cut.
CUT_RATIO = 0.8
#: A copy keeping less than this share of the archived text is worse whatever else it shows.
SHRINK_RATIO = 0.5
#: A generic page: its body is the archived body of this many other URLs (and, for a first
#: capture, its title and author too: ``same_page_urls``).
SHARED_BODY_URLS = 2
_SENTENCE_END = tuple(".!?)\"'”’»:;")


@dataclass(frozen=True)
class Evidence:
    """What the fetch and the archive know about a copy beyond its columns."""

    declared_length: int | None = None  # the response's Content-Length
    received_length: int | None = None  # the bytes received (before decoding)
    document_closed: bool | None = None  # the HTML ends with its closing tag
    same_body_urls: int = 0  # other archived URLs whose body is this copy's body
    same_page_urls: int = 0  # those of them with this copy's title and author too (sametext)
    same_title_urls: int = (
        0  # other archived URLs whose title is this copy's new title (the site's name...)
    )


def _paragraphs(text: str | None) -> int:
    return len([p for p in (text or "").split("\n\n") if p.strip()])


def error_page(record: dict[str, Any]) -> str | None:
    """Return why RECORD reads as an error, login or maintenance page, or None.

    >>> error_page({"title": "Halaman Tidak Ditemukan", "body_text": "Maaf."})
    "an error page ('halaman tidak ditemukan')"
    >>> error_page({"title": "Korban banjir", "body_text": "Warga mengungsi. " * 60 + "Halaman tidak ditemukan"})
    """
    body = record.get("body_text") or ""
    if len(body) > ERROR_PAGE_MAX_CHARS:
        return None
    match = _ERROR_PATTERN.search(f"{record.get('title') or ''}\n{body}".lower())
    return f"an error page ({match.group(0)!r})" if match else None


def cut_short(evidence: Evidence) -> str | None:
    """Return why the response behind EVIDENCE is incomplete, or None.

    >>> cut_short(Evidence(declared_length=1000, received_length=600))
    'cut short: 600 of the 1000 bytes it declared'
    >>> cut_short(Evidence(declared_length=600, received_length=600, document_closed=False))
    'cut short: the page ends before its closing tag'
    """
    declared, received = evidence.declared_length, evidence.received_length
    if declared is not None and received is not None and received < declared:
        return f"cut short: {received} of the {declared} bytes it declared"
    if evidence.document_closed is False:
        return "cut short: the page ends before its closing tag"
    return None


def _years_apart(a: str | None, b: str | None) -> float:
    if not a or not b:
        return 0.0
    try:
        first, second = datetime.fromisoformat(a[:10]), datetime.fromisoformat(b[:10])
    except ValueError:
        return 0.0
    return abs((first - second).days) / 365.25


def judge(
    record: dict[str, Any], old: dict[str, Any] | None, evidence: Evidence = Evidence()
) -> str | None:
    """Return why RECORD is worse than the archived OLD (or, with no OLD, unfit to archive), or None.

    Parameters:
        record: the new copy's columns.
        old: the archived row, or None for an entry not archived yet.
        evidence: what the fetch and the archive know beyond the columns.
    """
    problem = error_page(record)
    if problem and not (old and error_page(old)):
        return problem
    if old is None and evidence.same_page_urls >= SHARED_BODY_URLS:
        return (
            f"a generic page: its title, author and text are those of {evidence.same_page_urls}"
            " other URLs"
        )
    new_body = record.get("body_text")
    if (
        old is not None
        and new_body != old.get("body_text")
        and evidence.same_body_urls >= SHARED_BODY_URLS
    ):
        # A first capture sharing its text is archived and linked (sametext); a re-fetch may
        # not swap the archived text for one many other URLs show.
        return f"a generic page: its text is the text of {evidence.same_body_urls} other URLs"
    cut = cut_short(evidence)
    if old is None:
        return (
            cut  # the store keeps a first copy cut short (better than nothing) and fetches it again
        )
    if evidence.same_title_urls >= SHARED_BODY_URLS and record.get("title") != old.get("title"):
        return (
            f"a generic page: its new title is the title of {evidence.same_title_urls} other URLs"
        )
    new_text, old_text = record.get("body_text") or "", old.get("body_text") or ""
    if cut and len(new_text) <= len(old_text):
        return cut
    if _years_apart(record.get("published_at"), old.get("published_at")) >= 1:
        return f"its date moved from {old['published_at']} to {record['published_at']}"
    if len(old_text) < MIN_CHARS_FOR_RATIO:
        return None
    share = len(new_text) / len(old_text)
    if share < SHRINK_RATIO:
        return f"its text shrank to {share:.0%} of the archived text"
    if _paragraphs(new_text) < _paragraphs(old_text) * SHRINK_RATIO:
        return f"it has {_paragraphs(new_text)} of the archived {_paragraphs(old_text)} paragraphs"
    signs = []
    if old.get("credit") and not record.get("credit"):
        signs.append("lost its closing credit")
    if old_text.rstrip().endswith(_SENTENCE_END) and not new_text.rstrip().endswith(_SENTENCE_END):
        signs.append("ends mid-sentence")
    if len(signs) == 2:  # an edit may drop the credit or end on a quote; a cut does both
        return f"cut short: it {' and '.join(signs)}"
    if signs and share < CUT_RATIO:
        return f"cut short: it {' and '.join(signs)}, keeping {share:.0%} of the archived text"
    if signs and _paragraphs(new_text) < _paragraphs(old_text):
        return f"cut short: it {' and '.join(signs)}, with fewer paragraphs than the archived copy"
    return None


def document_closed(body: bytes) -> bool | None:
    """Return whether the HTML BODY reaches its closing ``</html>`` (or ``</body>``); None if it has no ``<html``.

    Near the end rather than at the end: caches and CMSs append comments or scripts after it.

    >>> document_closed(b"<html><body><p>a</p></body></html>\\n<!-- cached 0.2 s -->")
    True
    >>> document_closed(b"<html><body><p>a</p><di")
    False
    """
    head = body[:4096].lower()
    if b"<html" not in head and b"<body" not in head:
        return None
    tail = body[-4096:].lower()
    return b"</html>" in tail or b"</body>" in tail
