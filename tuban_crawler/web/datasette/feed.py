"""The Atom feed of an archive's changes (RFC 4287), one entry per change (pure: rows in, XML out)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

#: Characters XML 1.0 forbids (a hostile title must not make the feed unreadable).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: object) -> str:
    """Return VALUE as XML character data: escaped, characters XML forbids dropped.

    >>> xml_text('<script>alert("x")</script>\\x07')
    '&lt;script&gt;alert("x")&lt;/script&gt;'
    """
    return escape(_NOT_XML.sub("", str(value if value is not None else "")))


def _attr(value: str) -> str:
    return quoteattr(_NOT_XML.sub("", value))


def entry_id(database: str, change_id: int) -> str:
    """Return the Atom id of change CHANGE_ID of DATABASE (a ``tag:`` URI, stable across hosts).

    >>> entry_id("archive", 7)
    'tag:tuban-crawler,2026:archive/changes/7'
    """
    return f"tag:tuban-crawler,2026:{quote(database, safe='')}/changes/{change_id}"


def entry_title(change: Mapping[str, Any]) -> str:
    """Return the title of a change's entry: its kinds and the article's title.

    >>> entry_title({"kinds": "retitled edited", "title": "Bupati Resmikan"})
    'retitled, edited: Bupati Resmikan'
    """
    return f"{', '.join(str(change['kinds']).split())}: {change.get('title') or '(no title)'}"


def atom_feed(
    *,
    database: str,
    title: str,
    self_href: str,
    page_href: str,
    changes: Iterable[Mapping[str, Any]],
    link: Callable[[Mapping[str, Any]], str],
    updated: str,
) -> str:
    """Return the Atom document of CHANGES (newest first).

    Parameters:
        database: the archive's name in Datasette (part of each entry's id).
        title: the feed's title.
        self_href: the feed's own absolute address; page_href: the Changes page's.
        changes: rows of ``store.changes.list_changes``.
        link: a change's absolute address (its diff, or the article's page).
        updated: when the feed last changed (the newest change, or now), RFC 3339.
    """
    entries = []
    for change in changes:
        entries.append(
            "<entry>"
            f"<id>{xml_text(entry_id(database, change['id']))}</id>"
            f"<title type='text'>{xml_text(entry_title(change))}</title>"
            f"<updated>{xml_text(change['changed_at'])}</updated>"
            f"<link rel='alternate' type='text/html' href={_attr(link(change))}/>"
            f"<link rel='related' href={_attr(str(change['url']))}/>"
            f"<summary type='text'>{xml_text(change['line'])}</summary>"
            "</entry>\n"
        )
    return (
        "<?xml version='1.0' encoding='utf-8'?>\n"
        "<feed xmlns='http://www.w3.org/2005/Atom'>\n"
        f"<id>{xml_text(entry_id(database, 0).rsplit('/', 1)[0])}</id>"
        f"<title type='text'>{xml_text(title)}</title>"
        f"<updated>{xml_text(updated)}</updated>"
        f"<link rel='self' type='application/atom+xml' href={_attr(self_href)}/>"
        f"<link rel='alternate' type='text/html' href={_attr(page_href)}/>"
        "<author><name>tuban-crawler</name></author>"
        "<generator>tuban-crawler</generator>\n"
        f"{''.join(entries)}</feed>\n"
    )
