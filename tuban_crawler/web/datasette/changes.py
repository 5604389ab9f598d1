"""The archive's changes in Datasette (issue 21): the Changes page, its Atom feed, the diff of two versions.

Routes, per archive database (``/archive/...`` for ``datasette archive.db``):

- ``/<db>/-/changes``: the latest changes, newest first, filterable by ``kind`` and ``category``,
  each with a link to its diff (or to the article, for a removal or a return);
- ``/<db>/-/changes.atom``: the same list as an Atom feed (the same filters);
- ``/<db>/-/diff?url=U&from=A&to=B``: versions A and B of the article at U compared word by
  word (title, author, date, categories, body), insertions and deletions marked.

The article page lists its versions with their change lines (``tuban_versions``, called by
``templates/tuban_versions.html``). Every value shown is escaped: a version's text is text.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlencode

from datasette.utils import tilde_decode, tilde_encode
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from tuban_crawler.store.changes import KINDS, has_changes_table, list_changes
from tuban_crawler.store.diff import Segment, body_diff, word_diff
from tuban_crawler.web.datasette.feed import atom_feed
from tuban_crawler.web.datasette.scope import is_archive

#: How many changes the page and the feed list (the table ``article_changes`` holds them all).
LISTED = 200
FEED_ENTRIES = 50
#: The fields a diff compares besides the body, with their labels.
DIFF_FIELDS = (
    ("title", "Title"),
    ("author", "Author"),
    ("published_at", "Published"),
    ("categories", "Categories"),
    ("photo_caption", "Photo caption"),
)
_VERSION_COLUMNS = "url, version, title, author, published_at, categories, photo_caption, body_text"


def segments_markup(segments: Sequence[Segment]) -> Markup:
    """Return SEGMENTS as HTML: each escaped, insertions in ``<ins>``, deletions in ``<del>``.

    >>> str(segments_markup([("equal", "a"), ("delete", "<b>"), ("insert", "c")]))
    'a <del>&lt;b&gt;</del> <ins>c</ins>'
    """
    tags = {"insert": "ins", "delete": "del"}
    parts = [
        Markup("<{0}>{1}</{0}>").format(Markup(tags[op]), text) if op in tags else escape(text)
        for op, text in segments
    ]
    return Markup(" ").join(parts)


def _field_text(name: str, value: Any) -> str:
    """Return a field's value as the words a diff compares (a JSON list of categories as 'a, b')."""
    if name == "categories" and isinstance(value, str):
        try:
            items = json.loads(value)
        except ValueError:
            return value
        if isinstance(items, list):
            return ", ".join(str(item) for item in items)
    return "" if value is None else str(value)


def diff_view(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """Return what the diff page shows of two versions: each changed field and the body, marked."""
    fields = []
    for name, label in DIFF_FIELDS:
        before, after = _field_text(name, old.get(name)), _field_text(name, new.get(name))
        segments = word_diff(before.split(), after.split())
        changed = any(op != "equal" for op, _ in segments)
        fields.append({"label": label, "markup": segments_markup(segments), "changed": changed})
    paragraphs = body_diff(old.get("body_text"), new.get("body_text"))
    return {
        "fields": fields,
        "body": [segments_markup(p) for p in paragraphs],
        "body_changed": any(op != "equal" for p in paragraphs for op, _ in p),
    }


def _version_row(conn: sqlite3.Connection, url: str, version: int) -> dict[str, Any] | None:
    cursor = conn.execute(
        f"select {_VERSION_COLUMNS}, first_seen_at as seen_at from article_versions where url = ? and version = ?"
        f" union all select {_VERSION_COLUMNS}, last_changed_at from articles where url = ? and version = ?",
        [url, version, url, version],
    )
    names = [d[0] for d in cursor.description]
    row = cursor.fetchone()
    return dict(zip(names, row, strict=True)) if row else None


def _versions(conn: sqlite3.Connection, url: str) -> list[dict[str, Any]]:
    cursor = conn.execute(
        "select version, title, first_seen_at as seen_at, replaced_at, id from article_versions where url = ?"
        " union all select version, title, coalesce(last_changed_at, first_seen_at), null, null"
        " from articles where url = ? order by version",
        [url, url],
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _database(datasette: Any, request: Any) -> str | None:
    name = tilde_decode(request.url_vars["database"])
    return name if name in datasette.databases and is_archive(datasette, name) else None


def _diff_href(datasette: Any, database: str, url: str, old: Any, new: Any) -> str:
    query = urlencode({"url": url, "from": old, "to": new})
    return f"{datasette.urls.database(database)}/-/diff?{query}"


def change_href(datasette: Any, database: str, change: Mapping[str, Any]) -> str:
    """Return the address of a change: its diff, or the article's page for a removal or a return."""
    old, new = change.get("from_version"), change.get("to_version")
    if old is not None and new is not None and old != new:
        return _diff_href(datasette, database, change["url"], old, new)
    return str(datasette.urls.row(database, "articles", tilde_encode(change["url"])))


def _filters(request: Any) -> tuple[str | None, str | None]:
    kind = request.args.get("kind") or None
    category = request.args.get("category") or None
    return (kind if kind in KINDS else None), category


async def _listed(datasette: Any, database: str, request: Any, limit: int) -> dict[str, Any]:
    kind, category = _filters(request)

    def read(conn: sqlite3.Connection) -> dict[str, Any]:
        if not has_changes_table(conn):
            return {"missing": True, "changes": [], "categories": []}
        categories = [
            row[0]
            for row in conn.execute(
                "select distinct category from article_categories where article_url in"
                " (select url from article_changes) order by category"
            )
        ]
        changes = list_changes(conn, kind=kind, category=category, limit=limit)
        return {"missing": False, "changes": changes, "categories": categories}

    listed = await datasette.get_database(database).execute_fn(read)
    for change in listed["changes"]:
        change["href"] = change_href(datasette, database, change)
        change["article_href"] = datasette.urls.row(
            database, "articles", tilde_encode(change["url"])
        )
    return {**listed, "kind": kind, "category": category}


async def changes_page(datasette: Any, request: Any) -> Response:
    """Return the Changes page of an archive: the latest changes, newest first, filterable."""
    database = _database(datasette, request)
    if database is None:
        return Response.html("Not an archive", status=404)
    listed = await _listed(datasette, database, request, LISTED)
    query = urlencode(
        {k: v for k, v in (("kind", listed["kind"]), ("category", listed["category"])) if v}
    )
    base = datasette.urls.database(database)
    context = {
        **listed,
        "database": database,
        "kinds": KINDS,
        "limit": LISTED,
        "feed_href": f"{base}/-/changes.atom" + (f"?{query}" if query else ""),
        "table_href": datasette.urls.table(database, "article_changes"),
        "page_href": f"{base}/-/changes",
    }
    html = await datasette.render_template("tuban_changes.html", context, request=request)
    return Response.html(html)


async def changes_feed(datasette: Any, request: Any) -> Response:
    """Return the Atom feed of an archive's latest changes (the Changes page's filters apply)."""
    database = _database(datasette, request)
    if database is None:
        return Response.text("Not an archive", status=404)
    listed = await _listed(datasette, database, request, FEED_ENTRIES)
    changes = listed["changes"]
    base = datasette.urls.database(database)
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    absolute: Callable[[str], str] = lambda path: datasette.absolute_url(request, path)  # noqa: E731
    feed = atom_feed(
        database=database,
        title=f"Changes in the archive {database}",
        self_href=absolute(request.full_path),
        page_href=absolute(f"{base}/-/changes"),
        changes=changes,
        link=lambda change: absolute(str(change["href"])),
        updated=max((str(c["changed_at"]) for c in changes), default=now),
    )
    return Response(feed, content_type="application/atom+xml; charset=utf-8")


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


async def diff_page(datasette: Any, request: Any) -> Response:
    """Return the word-level diff of two versions of an article (``url``, ``from``, ``to``)."""
    database = _database(datasette, request)
    if database is None:
        return Response.html("Not an archive", status=404)
    url = request.args.get("url") or ""
    old_number, new_number = _int(request.args.get("from")), _int(request.args.get("to"))

    def read(conn: sqlite3.Connection) -> dict[str, Any]:
        versions = _versions(conn, url)
        numbers = [v["version"] for v in versions]
        new = new_number if new_number is not None else (numbers[-1] if numbers else None)
        old = old_number if old_number is not None else (new - 1 if new else None)
        return {
            "versions": versions,
            "old": _version_row(conn, url, old) if old is not None else None,
            "new": _version_row(conn, url, new) if new is not None else None,
        }

    found = await datasette.get_database(database).execute_fn(read)
    context: dict[str, Any] = {
        "database": database,
        "url": url,
        "versions": found["versions"],
        "old": found["old"],
        "new": found["new"],
        "article_href": datasette.urls.row(database, "articles", tilde_encode(url)),
        "changes_href": f"{datasette.urls.database(database)}/-/changes",
        "diff_action": f"{datasette.urls.database(database)}/-/diff",
    }
    status = 200
    if found["old"] is None or found["new"] is None:
        status = 404
        context["message"] = "No such versions of this article: pick two from its list."
    else:
        context["diff"] = diff_view(found["old"], found["new"])
    html = await datasette.render_template("tuban_diff.html", context, request=request)
    return Response.html(html, status=status)


def routes() -> list[tuple[str, Callable[..., Any]]]:
    """Return the routes of the changes pages (registered by the plugin's ``register_routes``)."""
    return [
        (r"^/(?P<database>[^/]+)/-/changes$", changes_page),
        (r"^/(?P<database>[^/]+)/-/changes\.atom$", changes_feed),
        (r"^/(?P<database>[^/]+)/-/diff$", diff_page),
    ]


def template_vars(datasette: Any, database: str) -> dict[str, Any]:
    """Return the helper the article page calls: ``tuban_versions(url)``, its versions and changes."""

    async def tuban_versions(url: str) -> dict[str, Any]:
        def read(conn: sqlite3.Connection) -> dict[str, Any]:
            has = has_changes_table(conn)
            return {
                "versions": _versions(conn, url),
                "changes": list(reversed(list_changes(conn, url=url))) if has else [],
            }

        found = await datasette.get_database(database).execute_fn(read)
        lines: dict[int, list[str]] = {}
        for change in found["changes"]:
            if change["from_version"] != change["to_version"] and change["to_version"] is not None:
                lines.setdefault(change["to_version"], []).append(change["line"])
        versions = found["versions"]
        for version in versions:
            number = version["version"] or 1  # an archive from before m002 numbers no versions
            version["line"] = "; ".join(lines.get(number, []))
            version["diff_href"] = (
                _diff_href(datasette, database, url, number - 1, number) if number > 1 else None
            )
            version["row_href"] = (
                datasette.urls.row(database, "article_versions", version["id"])
                if version["id"] is not None
                else datasette.urls.row(database, "articles", tilde_encode(url))
            )
        events = [c for c in found["changes"] if c["to_version"] in (None, c["from_version"])]
        return {
            "versions": versions,
            "events": events,
            "diff_action": f"{datasette.urls.database(database)}/-/diff",
            "url": url,
        }

    return {"tuban_versions": tuban_versions}
