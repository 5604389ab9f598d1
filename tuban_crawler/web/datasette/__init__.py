"""The archive's Datasette plugin: readable and safe article pages, a monthly chart, a stylesheet.

A Datasette plugin package (hooks here, ``templates/`` beside them, which Datasette adds to
its template path), registered as a ``datasette`` entry point: plain ``datasette any.db``
loads it. It acts only on archive databases (``scope``): their metadata (``metadata.json``
beside it, whatever the file is called), the article pages, the chart, the stylesheet,
the stemmed search; a database that is not an archive is left as Datasette shows it.

Safety: article HTML came from the web. It was sanitised when stored
(``tuban_crawler.normalize.sanitize.clean_html``) and is sanitised again here before it is shown, in
case a row was written by something else; every other value is escaped by Jinja. A
Content-Security-Policy header stops anything loading from another origin.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.utils import tilde_decode, tilde_encode
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from tuban_crawler import search
from tuban_crawler.normalize.sanitize import clean_html
from tuban_crawler.web.datasette import changes, search_page
from tuban_crawler.web.datasette.article import (
    DEFAULT_REPLAY_URL,
    article_view,
    highlighted_snippet,
    json_list,
    replay_href,
)
from tuban_crawler.web.datasette.articles_view import reader_table
from tuban_crawler.web.datasette.chart import monthly_bar_chart, monthly_counts
from tuban_crawler.web.datasette.citation import citation
from tuban_crawler.web.datasette.facets import ArrayValuesFacet, NewestFacet
from tuban_crawler.web.datasette.filters import CATEGORY_ARG, category_filter, indexed_search
from tuban_crawler.web.datasette.places import (  # noqa: F401 (its hooks: pluggy finds them here)
    places_facet_classes,
    places_filters_from_request,
    places_routes,
    places_template_vars,
)
from tuban_crawler.web.datasette.reposts import (  # noqa: F401 (its hook: pluggy finds it here)
    reposts_template_vars,
)
from tuban_crawler.web.datasette.sametext import same_text_lister
from tuban_crawler.web.datasette.scope import (
    archive_names,
    has_category_table,
    is_archive,
    is_stemmed,
    plugin_metadata,
    site_of,
)
from tuban_crawler.web.datasette.sites import sites_facet_classes  # noqa: F401 (its hook)

logger = logging.getLogger(__name__)

HERE = Path(__file__).parent
METADATA_PATH = HERE / "metadata.json"
STYLESHEET_PATH = HERE / "archive.css"
STYLESHEET_ROUTE = "/-/tuban-archive.css"
#: Tables whose rows are articles (the row page shows them as an article).
ARTICLE_TABLES = frozenset({"articles", "article_versions"})
#: Long values shown in a small scrollable box on table pages (in full on row pages).
BOXED_COLUMNS = frozenset({"images", "field_sources", "date_warnings", "report", "reason"})
#: Fingerprints shown shortened on table pages (in full on row pages).
HASH_COLUMNS = frozenset({"content_hash", "payload_digest", "warc_record_id", "etag"})
#: The columns render_cell shows its own way (any other cell is Datasette's).
RENDERED_COLUMNS = (
    frozenset({"title", "body_html", "body_text", "categories", "snippet"})
    | BOXED_COLUMNS
    | HASH_COLUMNS
)
#: Datasette's own pages use inline scripts, so 'unsafe-inline' stays; what this adds is that
#: nothing loads from, posts to or frames another origin (images excepted: article photos).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: http: https:; connect-src 'self'; object-src 'none'; frame-src 'none'; "
    "frame-ancestors 'self'; base-uri 'self'; form-action 'self'"
)


def _filter_href(datasette: Any, database: str, table: str) -> Callable[[str, str], str]:
    base = datasette.urls.table(database, table)
    # The narrow category filter where the archive has it (articles); Datasette's own elsewhere.
    narrow = table == "articles" and has_category_table(datasette, database)

    def href(column: str, value: str) -> str:
        if column == CATEGORY_ARG and not narrow:
            column = "categories__arraycontains"
        return f"{base}?{urlencode({column: value})}"

    return href


@hookimpl
def render_cell(
    row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any
) -> Markup | None:
    """Return how an article cell shows (sanitised body, category links, highlighted snippet), or None."""
    # Called for every cell of a page (1,550 on the articles table): the column decides first.
    if (
        column not in RENDERED_COLUMNS
        or not isinstance(value, str)
        or not value
        or not is_archive(datasette, database)
    ):
        return None
    url = row["url"] if column == "title" and "url" in row.keys() else None
    if table in (None, "articles") and isinstance(url, str):
        # An article's title (a query's, the articles page's) links to its page in the archive.
        href = datasette.urls.row(database, "articles", tilde_encode(url))
        return Markup('<a class="tuban-title-link" href="{}">{}</a>').format(href, value)
    if table in ARTICLE_TABLES or table is None:
        # Joined, not Markup.format: a body is long, and format escapes through string.Formatter.
        if column == "body_html":
            return Markup(f'<div class="tuban-body tuban-html">{clean_html(value)}</div>')
        if column == "body_text":
            return Markup(f'<div class="tuban-body tuban-text">{escape(value)}</div>')
    if table is not None and column in BOXED_COLUMNS:
        return Markup(f'<div class="tuban-box">{escape(value)}</div>')
    if table is not None and column in HASH_COLUMNS:
        return Markup('<span class="tuban-hash" title="{}">{}</span>').format(value, value)
    if table in ARTICLE_TABLES and column == "categories":
        names = json_list(value)
        href = _filter_href(datasette, database, table)
        links = (Markup('<a href="{}">{}</a>').format(href(CATEGORY_ARG, n), n) for n in names)
        return (
            Markup('<span class="tuban-categories">{}</span>').format(Markup(", ").join(links))
            if names
            else None
        )
    if table is None and column == "snippet":
        return highlighted_snippet(value)
    return None


@hookimpl
def extra_template_vars(database: str | None, datasette: Any) -> dict[str, Any]:
    """Return the helpers the project's templates call: the article view and the monthly chart."""
    if database is None or not is_archive(datasette, database):
        return {}

    def tuban_article(row: Mapping[str, Any], table: str = "articles") -> dict[str, Any]:
        view = article_view(row, _filter_href(datasette, database, table))
        replay_base = (datasette.plugin_config("tuban-crawler") or {}).get(
            "replay_url"
        ) or DEFAULT_REPLAY_URL
        cited = {"citation": citation(dict(row))}  # issue 23: cite this version
        return {**view, **cited, "replay_href": replay_href(dict(row), replay_base)}

    def tuban_monthly_chart(rows: Iterable[Mapping[str, Any]]) -> Markup:
        articles = datasette.urls.table(database, "articles")
        month_href = lambda month: f"{articles}?{urlencode({'published_month': month})}"  # noqa: E731
        return Markup(monthly_bar_chart(monthly_counts(rows), month_href))

    site = site_of(datasette, database)
    return {
        "tuban_article": tuban_article,
        "tuban_monthly_chart": tuban_monthly_chart,
        "tuban_reader_table": reader_table(datasette, database),
        "tuban_site": site[0] if site else database,
        "tuban_licence": datasette.metadata(),
        **changes.template_vars(datasette, database),
        "tuban_same_text": same_text_lister(datasette, database),
    }


@hookimpl
def extra_css_urls(datasette: Any, database: str | None) -> list[str]:
    """Return the archive's stylesheet on an archive's pages (and the instance's, when it serves one)."""
    if is_archive(datasette, database) or (database is None and archive_names(datasette)):
        return [datasette.urls.path(STYLESHEET_ROUTE)]
    return []


@hookimpl
def get_metadata(
    datasette: Any, key: str | None, database: str | None, table: str | None
) -> dict[str, Any]:
    """Return the archives' metadata (descriptions, facets, search, canned queries), whatever their files are called."""
    return plugin_metadata(datasette, database)


@hookimpl(trylast=True)
def prepare_connection(conn: Any, database: str, datasette: Any) -> None:
    """Register the search functions on an archive's connections, ``escape_fts`` stemming included.

    Datasette's search box runs ``match escape_fts(:search)`` against the table's
    ``fts_table``, the stemmed index for ``articles``: its words must be stemmed too (as
    written for an older archive without it), and any input must give a valid query.
    ``trylast`` so this replaces Datasette's own.
    """
    if is_archive(datasette, database):
        roots = search.register_functions(conn)
        stemmed = is_stemmed(datasette, database)
        conn.create_function(
            "escape_fts",
            1,
            (lambda text: search.fts_query(text, expand=roots))
            if stemmed
            else search.exact_fts_query,
            deterministic=True,
        )


@hookimpl
def filters_from_request(request: Any, database: str, table: str, datasette: Any) -> Any:
    """Return the ``_category`` filter of an archive's articles page (``filters``), or None."""
    if table != "articles" or not is_archive(datasette, database):
        return None
    return category_filter(request, narrow=has_category_table(datasette, database))


@hookimpl(hookwrapper=True, specname="filters_from_request")
def filters_from_request_search(request: Any, database: str, table: str, datasette: Any) -> Any:
    """Wrap the filters of an archive's articles page: its search clause is written as a test (``filters``)."""
    outcome = yield
    if table != "articles" or "_search" not in request.args or not is_archive(datasette, database):
        return
    fts_table = (datasette.table_metadata(database, table) or {}).get("fts_table")
    if fts_table and not request.args.get("_fts_table"):
        outcome.force_result([indexed_search(result, fts_table) for result in outcome.get_result()])


@hookimpl
def register_facet_classes() -> list[type]:
    """Return the facets listing newest values first and counting array values over narrow rows."""
    return [NewestFacet, ArrayValuesFacet]


def serves_archive(datasette: Any, path: str) -> bool:
    """Return whether PATH is a page of an archive database, or an instance page of an instance serving one."""
    first = path.lstrip("/").split("/", 1)[0]
    if first in ("", "-"):
        return bool(archive_names(datasette))
    return is_archive(datasette, tilde_decode(first.split(".", 1)[0]))


async def stylesheet() -> Response:
    """Return the archive's stylesheet (served by the plugin so it needs no ``--static``)."""
    return Response(
        STYLESHEET_PATH.read_text(encoding="utf-8"),
        content_type="text/css; charset=utf-8",
        headers={"cache-control": "max-age=3600"},
    )


@hookimpl
def register_routes() -> list[tuple[str, Callable[..., Any]]]:
    """Return the plugin's routes: the stylesheet, the search page, the changes pages."""
    return [
        (r"^/-/tuban-archive\.css$", stylesheet),
        (search_page.ROUTE, search_page.search_page),
        *changes.routes(),
    ]


@hookimpl
def asgi_wrapper(datasette: Any) -> Callable[[Any], Any]:
    """Return a wrapper that adds the Content-Security-Policy header to every HTTP response of an archive's pages."""

    def wrap(app: Any) -> Any:
        async def with_policy(scope: dict, receive: Any, send: Any) -> None:
            if scope["type"] != "http" or not serves_archive(datasette, scope.get("path", "/")):
                await app(scope, receive, send)
                return

            async def send_with_policy(event: dict) -> None:
                if event["type"] == "http.response.start":
                    headers = [
                        h
                        for h in event.get("headers", [])
                        if h[0].lower() != b"content-security-policy"
                    ]
                    headers.append((b"content-security-policy", CONTENT_SECURITY_POLICY.encode()))
                    event = {**event, "headers": headers}
                await send(event)

            # The articles page's search box leads to the search page (best matches first).
            target = search_page.search_redirect(
                scope["path"], scope.get("query_string", b"").decode()
            )
            if target is not None:
                await Response.redirect(target).asgi_send(send_with_policy)
                return
            await app(scope, receive, send_with_policy)

        return with_policy

    return wrap
