"""HTML sanitising: what the archive stores as ``body_html`` is safe to show in a browser.

Pages come from the web; nothing in them may run in a reader's browser. nh3 (Ammonia)
keeps an allow-list of tags and attributes and drops the rest: scripts, styles, event
handler attributes, iframes, and ``javascript:`` links.
"""

from __future__ import annotations

import logging

import nh3

logger = logging.getLogger(__name__)

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "hr",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "s",
        "sub",
        "sup",
        "small",
        "mark",
        "a",
        "img",
        "figure",
        "figcaption",
        "blockquote",
        "q",
        "cite",
        "code",
        "pre",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
        "caption",
        "span",
        "div",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})


def clean_html(html: str | None) -> str:
    """Return HTML with everything that could run in a browser removed ('' for None).

    >>> clean_html('<p onclick="x()">Hi<script>alert(1)</script> <a href="javascript:x()">a</a></p>')
    '<p>Hi <a rel="noopener noreferrer nofollow">a</a></p>'
    """
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()
