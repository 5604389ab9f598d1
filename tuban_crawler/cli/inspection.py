"""The commands that look without crawling: ``stats`` (the archive), ``extract`` (a page), ``dates`` (text)."""

from __future__ import annotations

import argparse
import json
import sys
import urllib.error
import urllib.request
from pathlib import Path

from tuban_crawler import ExitCode
from tuban_crawler.cli.common import AddCommand, CommandError, add_db_argument


def cmd_stats(args: argparse.Namespace) -> int:
    """Print what the archive holds and how the last run went."""
    from tuban_crawler.store.archive import ArchiveStore

    # Read-only: a read command never writes (nor migrates, nor switches a file to WAL).
    with ArchiveStore(args.db).open_read_only() as store:
        print(json.dumps(store.summary(), indent=2, ensure_ascii=False, default=str))
    return ExitCode.OK


def _read_page(target: str) -> str:
    """Return the HTML of TARGET (a saved file or an http(s) URL) as text; raise CommandError saying why not.

    Bytes are read as the crawl reads them (``markup.decode_html``): the byte-order mark, the
    server's charset, else the page's ``<meta charset>`` / ``http-equiv`` (issue 18: a saved
    GB2312 page came out as mojibake when read as UTF-8).
    """
    from tuban_crawler.extract.markup import decode_html

    if target.startswith(("http://", "https://")):
        from tuban_crawler.settings import USER_AGENT

        request = urllib.request.Request(target, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (http(s) only, checked above)
                return decode_html(response.read(), response.headers.get_content_charset())
        except urllib.error.HTTPError as error:
            raise CommandError(
                f"{target} answered HTTP {error.code} {error.reason}: nothing to extract"
            ) from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", None) or error
            raise CommandError(
                f"can't fetch {target} ({reason}): check the address and the network"
            ) from None
    try:
        return decode_html(Path(target).read_bytes())
    except FileNotFoundError:
        raise CommandError(f"no file {target} (give a saved HTML file or an http(s) URL)") from None
    except IsADirectoryError:
        raise CommandError(
            f"{target} is a folder: give a saved HTML file or an http(s) URL"
        ) from None
    except PermissionError:
        raise CommandError(
            f"{target} is not readable by this user (check its permissions)"
        ) from None


def cmd_extract(args: argparse.Namespace) -> int:
    """Print as JSON the fields extracted from one saved or live page, each with its source."""
    from tuban_crawler.discover.urls import canonical_url
    from tuban_crawler.extract import extract_entry
    from tuban_crawler.items import ArticleItem
    from tuban_crawler.normalize.article import normalize_article
    from tuban_crawler.normalize.columns import EXTRACT_SOURCES
    from tuban_crawler.normalize.published import settle_published

    target = args.page
    html = _read_page(target)
    url = args.url or (
        target if target.startswith(("http://", "https://")) else Path(target).resolve().as_uri()
    )
    raw = extract_entry(html, url)
    item = ArticleItem(url=canonical_url(url), fetch={"fetched_url": url}, raw=raw)
    normalize_article(item)
    settle_published(item)  # the validate step's date
    record = item.record
    assert record is not None  # the normalise step always fills it
    fields = {
        name: {"value": record[name], "source": record["field_sources"].get(source)}
        for name, source in EXTRACT_SOURCES.items()
    }
    # What every other source said, beside the column it would have filled.
    for name in ("title", "published_at", "author", "categories", "views", "body_text"):
        others = [
            c
            for c in raw.candidates.get(EXTRACT_SOURCES[name], [])
            if not c["verdict"].startswith("won")
        ]
        if others:
            fields[name]["others"] = others
    summary = {
        "url": url,
        "kind": record["kind"],
        "layout": raw.layout,
        "fields": fields,
        "selectors_drifted": raw.drifted,
        "mentioned_dates": item.mentioned,
    }
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    return ExitCode.OK


def cmd_dates(args: argparse.Namespace) -> int:
    """Read ``text<TAB>reference`` lines on stdin; write one ISO value (or an empty line) per line."""
    from tuban_crawler.dates import run_batch

    return run_batch(sys.stdin, sys.stdout)


def add_commands(add: AddCommand) -> None:
    """Add ``stats``, ``extract`` and ``dates`` to the command's parser through ADD."""
    stats = add("stats", cmd_stats, "Print what the archive holds and how the last run went.")
    add_db_argument(stats)

    extract = add(
        "extract",
        cmd_extract,
        "Print as JSON the fields extracted from a saved or live page: "
        "the source that won each field and what the others said.",
    )
    extract.add_argument("page", metavar="FILE_OR_URL", help="a saved HTML file or an http(s) URL")
    extract.add_argument(
        "--url", help="the page's address (for a saved file; resolves relative links)"
    )

    add(
        "dates",
        cmd_dates,
        "Read `text<TAB>reference` lines on stdin; write one ISO date per line (empty: unknown).",
    )
