"""Where and who in Datasette: facets and filters by kecamatan, desa and office, a page per kecamatan (issue 24).

- **Filters** of the articles page: ``_kecamatan=Jenu`` (articles naming the kecamatan or one
  of its desa), ``_desa=<Kemendagri code>`` (a desa's name is not unique in Tuban, its code
  is), ``_office=<office_id>``. Each reads the narrow ``article_places``/``article_offices``
  rows through their ``(value, article_rowid)`` indexes, as the category filter does.
- **Facets** (``{"places": "kecamatan"}``, ``"desa"``, ``"office"`` in the table's facets):
  the articles of the page counted per value, each toggling its filter.
- **Pages**: ``/<db>/-/kecamatan`` lists the twenty kecamatan; ``/<db>/-/kecamatan/<name>``
  shows one: its desa and kelurahan with their articles, its articles per year, the offices
  its articles name, its latest articles (``templates/kecamatan.html``).
- **The article page** lists the places and offices the article names, each linked
  (``tuban_article_places`` in ``row.html``).

Archives from before the tables (until opened by this version) show none of it.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote, urlencode

from datasette import hookimpl
from datasette.filters import FilterArguments
from datasette.utils import tilde_encode
from datasette.utils.asgi import NotFound, Response

from tuban_crawler.places import kecamatan_list, offices
from tuban_crawler.web.datasette.facets import ArrayValuesFacet, _facet
from tuban_crawler.web.datasette.scope import has_table, is_archive

logger = logging.getLogger(__name__)

PLACES_TABLE, OFFICES_TABLE = "article_places", "article_offices"
#: Query-string argument → (table, column it selects on, how the filter describes itself).
FILTERS = {
    "_kecamatan": (PLACES_TABLE, "kecamatan", "kecamatan"),
    "_desa": (PLACES_TABLE, "code", "desa"),
    "_office": (OFFICES_TABLE, "office_id", "office"),
}
#: Facet (its config value) → (argument it toggles, SQL of (value, label, count) over the narrow rows).
FACETS = {
    "kecamatan": (
        "_kecamatan",
        f"select kecamatan as value, kecamatan as label, count(distinct article_rowid) as count"
        f" from {PLACES_TABLE} where {{where}} group by kecamatan",
    ),
    "desa": (
        "_desa",
        f"select code as value, min(name) || ' (' || min(kecamatan) || ')' as label,"
        f" count(distinct article_rowid) as count from {PLACES_TABLE}"
        f" where kind != 'kecamatan' and {{where}} group by code",
    ),
    "office": (
        "_office",
        f"select office_id as value, min(name) as label, count(distinct article_rowid) as count"
        f" from {OFFICES_TABLE} where {{where}} group by office_id",
    ),
}


def has_places(datasette: Any, database: str | None) -> bool:
    """Return whether DATABASE is an archive with ``article_places`` (m014)."""
    return has_table(datasette, database, PLACES_TABLE)


@functools.cache
def _names() -> dict[str, dict[str, str]]:
    """Return filter argument → value → the words the page shows for it (desa codes and office ids named)."""
    desa = {d.code: f"{d.name} ({k.name})" for k in kecamatan_list() for d in k.desa}
    return {
        "_kecamatan": {},
        "_desa": desa,
        "_office": {o.office_id: o.name for o in offices()},
    }


def place_filter(request: Any) -> FilterArguments | None:
    """Return the clauses of REQUEST's ``_kecamatan``, ``_desa`` and ``_office`` arguments, or None without any."""
    clauses, params, descriptions = [], {}, []
    for arg, (table, column, words) in FILTERS.items():
        for n, value in enumerate(request.args.getlist(arg)):
            key = f"tuban{arg}_{n}"
            # A test on the rowid, as the category filter: the page walks its own index.
            clauses.append(f"+rowid in (select article_rowid from {table} where {column} = :{key})")
            params[key] = value
            descriptions.append(f'{words} is "{_names()[arg].get(value, value)}"')
    return FilterArguments(clauses, params, descriptions) if clauses else None


class PlacesFacet(ArrayValuesFacet):
    """The articles of the page counted per kecamatan, desa or office, over the narrow rows."""

    type = "places"

    async def suggest(self) -> list[dict[str, Any]]:
        """Return no suggestions (the facets are configured in the metadata)."""
        return []

    async def facet_results(self) -> tuple[list[dict[str, Any]], list[str]]:
        """Return (the facets with their most frequent values and counts, the facets that timed out)."""
        if self.table != "articles" or not has_places(self.ds, self.database):
            return [], []
        narrow = await self._narrow_rows()
        if narrow is None:
            return [], []
        where = narrow.removeprefix(" where ") or "1"
        results, timed_out = [], []
        for entry in self.get_configs():
            which = entry["config"].get("column") or entry["config"]["simple"]
            if which not in FACETS:
                continue
            arg, sql = FACETS[which]
            result = await _facet(
                self, entry, which, f"{sql.format(where=where)} order by count desc, label", arg
            )
            if result is None:
                timed_out.append(which)
            else:
                results.append(result)
        return results, timed_out


def _articles_href(datasette: Any, database: str, **args: Any) -> str:
    return f"{datasette.urls.table(database, 'articles')}?{urlencode(args)}"


def kecamatan_href(datasette: Any, database: str, name: str | None = None) -> str:
    """Return the path of the kecamatan index of DATABASE, or of kecamatan NAME's page."""
    base = f"{datasette.urls.database(database)}/-/kecamatan"
    return f"{base}/{quote(name)}" if name else base


def article_places(datasette: Any, database: str) -> Callable[[str], Awaitable[dict[str, list]]]:
    """Return the row page's helper: an article URL → its places and offices, each with its link."""

    async def places_of(url: str) -> dict[str, list]:
        if not has_places(datasette, database):
            return {"places": [], "offices": []}
        db = datasette.databases[database]
        places = await db.execute(
            f"select kind, name, kecamatan, code, group_concat(distinct matched) as matched"
            f" from {PLACES_TABLE} where article_url = ? group by kind, name, kecamatan, code"
            " order by min(field = 'body'), min(start_char)",
            [url],
        )
        found = await db.execute(
            f"select office_id, name, abbreviation, group_concat(distinct matched) as matched"
            f" from {OFFICES_TABLE} where article_url = ? group by office_id, name, abbreviation"
            " order by min(field = 'body'), min(start_char)",
            [url],
        )
        return {
            "places": [
                {
                    "kind": row["kind"],
                    "name": row["name"],
                    "kecamatan": row["kecamatan"],
                    "matched": row["matched"],
                    "href": kecamatan_href(datasette, database, row["kecamatan"])
                    if row["kind"] == "kecamatan"
                    else _articles_href(datasette, database, _desa=row["code"]),
                    "kecamatan_href": kecamatan_href(datasette, database, row["kecamatan"]),
                }
                for row in places.rows
            ],
            "offices": [
                {
                    "name": row["name"],
                    "abbreviation": row["abbreviation"],
                    "matched": row["matched"],
                    "href": _articles_href(datasette, database, _office=row["office_id"]),
                }
                for row in found.rows
            ],
        }

    return places_of


def _database(datasette: Any, request: Any) -> str:
    database = request.url_vars["database"]
    if database not in datasette.databases or not has_places(datasette, database):
        raise NotFound(f"{database} is not an archive with places (open it with tuban-crawler)")
    return database


async def kecamatan_index(datasette: Any, request: Any) -> Response:
    """Return the page listing Tuban's twenty kecamatan, each with its articles."""
    database = _database(datasette, request)
    counts = {
        row["kecamatan"]: row["articles"]
        for row in (
            await datasette.databases[database].execute(
                f"select kecamatan, count(distinct article_rowid) as articles from {PLACES_TABLE} group by kecamatan"
            )
        ).rows
    }
    rows = [
        {
            "name": k.name,
            "code": k.code,
            "desa": len(k.desa),
            "articles": counts.get(k.name, 0),
            "href": kecamatan_href(datasette, database, k.name),
        }
        for k in kecamatan_list()
    ]
    return Response.html(
        await datasette.render_template(
            "kecamatan.html",
            {"database": database, "kecamatan": None, "all_kecamatan": rows},
            request=request,
        )
    )


async def kecamatan_page(datasette: Any, request: Any) -> Response:
    """Return the page of one kecamatan: its desa, its articles per year, the offices they name, its latest."""
    database = _database(datasette, request)
    wanted = request.url_vars["name"].lower()
    kecamatan = next((k for k in kecamatan_list() if k.name.lower() == wanted), None)
    if kecamatan is None:
        raise NotFound(f"Tuban has no kecamatan {request.url_vars['name']!r}")
    db = datasette.databases[database]
    mine = f"select article_rowid from {PLACES_TABLE} where kecamatan = :name"
    params = {"name": kecamatan.name}
    per_desa = {
        row["code"]: row["articles"]
        for row in (
            await db.execute(
                f"select code, count(distinct article_rowid) as articles from {PLACES_TABLE}"
                " where kecamatan = :name and kind != 'kecamatan' group by code",
                params,
            )
        ).rows
    }
    years = (
        await db.execute(
            "select published_year as year, count(*) as articles from articles"
            f" where rowid in ({mine}) group by published_year order by published_year desc",
            params,
        )
    ).rows
    found = (
        await db.execute(
            f"select office_id, min(name) as name, count(distinct article_rowid) as articles"
            f" from {OFFICES_TABLE} where article_rowid in ({mine})"
            " group by office_id order by articles desc, name limit 30",
            params,
        )
    ).rows
    latest = (
        await db.execute(
            f"select url, title, published_date from articles where rowid in ({mine})"
            " order by published_at desc limit 10",
            params,
        )
    ).rows
    most = max([row["articles"] for row in years] or [1])
    context = {
        "database": database,
        "kecamatan": {
            "name": kecamatan.name,
            "code": kecamatan.code,
            "href": _articles_href(datasette, database, _kecamatan=kecamatan.name),
            "articles": sum(row["articles"] for row in years),  # one year each: distinct
        },
        "index_href": kecamatan_href(datasette, database),
        "desa": [
            {
                "name": d.name,
                "kind": d.kind,
                "code": d.code,
                "postal_code": d.postal_code,
                "articles": per_desa.get(d.code, 0),
                "href": _articles_href(datasette, database, _desa=d.code),
            }
            for d in kecamatan.desa
        ],
        "years": [
            {
                "year": row["year"],
                "articles": row["articles"],
                "width": round(100 * row["articles"] / most),
                "href": _articles_href(
                    datasette, database, _kecamatan=kecamatan.name, published_year=row["year"]
                )
                if row["year"] is not None
                else None,
            }
            for row in years
        ],
        "offices": [
            {
                "name": row["name"],
                "articles": row["articles"],
                "href": _articles_href(
                    datasette, database, _kecamatan=kecamatan.name, _office=row["office_id"]
                ),
            }
            for row in found
        ],
        "latest": [
            {
                "title": row["title"],
                "day": row["published_date"],
                "href": datasette.urls.row(database, "articles", tilde_encode(row["url"])),
            }
            for row in latest
        ],
    }
    return Response.html(
        await datasette.render_template("kecamatan.html", context, request=request)
    )


# -- hooks (registered by the plugin module, which imports them) --------------------------
@hookimpl(specname="filters_from_request")
def places_filters_from_request(request: Any, database: str, table: str, datasette: Any) -> Any:
    """Return the ``_kecamatan``, ``_desa`` and ``_office`` filters of an archive's articles page, or None."""
    if table != "articles" or not has_places(datasette, database):
        return None
    return place_filter(request)


@hookimpl(specname="register_facet_classes")
def places_facet_classes() -> list[type]:
    """Return the facet counting articles per kecamatan, desa and office."""
    return [PlacesFacet]


@hookimpl(specname="register_routes")
def places_routes() -> list[tuple[str, Callable[..., Any]]]:
    """Return the kecamatan pages' routes."""
    return [
        (r"^/(?P<database>[^/]+)/-/kecamatan$", kecamatan_index),
        (r"^/(?P<database>[^/]+)/-/kecamatan/(?P<name>[^/]+)$", kecamatan_page),
    ]


@hookimpl(specname="extra_template_vars")
def places_template_vars(database: str | None, datasette: Any) -> dict[str, Any]:
    """Return ``tuban_article_places`` (an article URL → its places and offices, linked) on an archive's pages."""
    if database is None or not is_archive(datasette, database):
        return {}
    return {
        "tuban_article_places": article_places(datasette, database),
        "tuban_kecamatan_href": kecamatan_href(datasette, database),
    }
