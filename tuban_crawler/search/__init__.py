"""Indonesian-aware search: word stems (Sastrawi), FTS5 queries that are always valid, snippets.

FTS5's ``unicode61`` tokenizer matches whole words, and Indonesian builds its words with
affixes: ``disiplin``, ``berdisiplin``, ``kedisiplinan``; ``bangun``, ``pembangunan``,
``membangun``; ``giat``, ``kegiatan``. The archive keeps a second index, ``articles_stem_fts``,
over the same title and text with every word replaced by its root (Sastrawi's stemmer, which
looks roots up in a dictionary, so ``pelayanan`` → ``layan`` stays apart from ``layang``).
A query's words are stemmed the same way (``store.stems``), so any form finds every form; the exact index
``articles_fts`` still answers exact words and phrases.

A prefix (``pemba*``, ``disip*``) is never stemmed: a stem of a word's beginning is no word
(``disip`` → ``sip``). Over the stemmed index it stands for every word of the archive that
begins with it, as written (the exact index's vocabulary: ``pemba*`` → ``pembangunan``,
``pembahasan``) and, as any word there, in every form (their roots ``bangun``, ``bahas``);
and for every root that begins with it (``disip*`` → ``disiplin``). With ``--exact`` it
matches the words as written only.

Queries are what people type: ``"`` alone, ``masing-masing``, ``AND``, ``*``, ``(``. They are
turned into FTS5 syntax here (every word quoted, operators kept only where FTS5 accepts
them), so no input is an FTS5 syntax error: at worst it matches nothing.

``tuban-crawler search`` (:mod:`tuban_crawler.cli.archive`) prints the best matches; Datasette uses the same functions
through ``register_functions`` (the plugin registers them on archive connections).
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Callable, Iterable
from typing import Any

from tuban_crawler.store.stems import WORD, stem_word

logger = logging.getLogger(__name__)

#: A query item: a quoted phrase (an unclosed quote runs to the end) or anything up to a space.
QUERY_ITEM = re.compile(r'"([^"]*)"?|([^\s"]+)')
OPERATORS = frozenset({"AND", "OR", "NOT"})
#: Matches nothing, without an error: what an empty query (or ``"``, ``*``) becomes.
MATCH_NOTHING = '""'
SNIPPET_WORDS = 32
DEFAULT_LIMIT = 20


#: The roots of the archive's words that begin with a prefix (``ArchiveWords.roots``).
Expand = Callable[[str], Iterable[str]]
#: The exact index's vocabulary, as a temporary table of each connection (fts5vocab).
WORDS_TABLE = "temp.tuban_words"


def _terms(text: str, stemmed: bool, prefix: bool = False) -> list[str]:
    words = [w.lower() for w in WORD.findall(text)]
    if not stemmed:
        return words
    # A prefix is no word: its stem means nothing (disip -> sip), so its last word stays as typed.
    return [stem_word(w) for w in words[:-1]] + (
        words[-1:] if prefix else [stem_word(w) for w in words[-1:]]
    )


def parse_query(text: str | None, stemmed: bool = True) -> list[tuple[str, list[str], bool]]:
    """Return the items of a typed query: (kind, words, prefix), kind ``phrase`` or ``operator``.

    Parameters:
        text: what the user typed; ``"a b"`` is a phrase, ``word*`` a prefix, AND/OR/NOT operators.
        stemmed: give each word as its root (for ``articles_stem_fts``) or as written,
            lower-cased; a prefix (the last word of a ``word*`` item) is always as written.
    """
    items: list[tuple[str, list[str], bool]] = []
    for match in QUERY_ITEM.finditer(text or ""):
        quoted, bare = match.group(1), match.group(2)
        if bare in OPERATORS:
            items.append(("operator", [bare], False))
            continue
        prefix = bare is not None and bare.endswith("*")
        words = _terms(quoted if quoted is not None else bare, stemmed, prefix)
        if words:
            items.append(("phrase", words, prefix))
    return items


def _phrase(words: Iterable[str]) -> str:
    return '"' + " ".join(words).replace('"', '""') + '"'


def _match_item(words: list[str], prefix: bool, expand: Expand | None) -> str:
    if not prefix:
        return _phrase(words)
    alternatives = [_phrase(words) + "*"]
    if expand is not None:
        # The words that begin with the prefix, each in every form: their roots as whole words.
        alternatives += [_phrase([*words[:-1], root]) for root in sorted(set(expand(words[-1])))]
    return alternatives[0] if len(alternatives) == 1 else "(" + " OR ".join(alternatives) + ")"


def fts_query(text: str | None, stemmed: bool = True, expand: Expand | None = None) -> str:
    """Return an FTS5 MATCH expression for a typed query that FTS5 always accepts.

    Every word is quoted; AND/OR/NOT are kept only between two terms; ``word*`` stays a
    prefix, as typed. A query without words gives MATCH_NOTHING.

    Parameters:
        text: what the user typed.
        stemmed: for the stemmed index (words as roots) or the exact one (words as written).
        expand: the roots of the archive's words beginning with a prefix (``ArchiveWords.roots``),
            which a prefix also stands for over the stemmed index.

    >>> fts_query('kegiatan "masing-masing desa" OR bangun*')
    '"giat" "masing-masing desa" OR "bangun"*'
    >>> fts_query("disip* giat", expand=lambda prefix: ["disiplin"])
    '("disip"* OR "disiplin") AND "giat"'
    >>> fts_query('"'), fts_query("AND * ("), fts_query("NOT Kedisiplinan AND", stemmed=False)
    ('""', '""', '"kedisiplinan"')
    """
    parts: list[str] = []
    pending_operator: str | None = None
    for kind, words, prefix in parse_query(text, stemmed):
        if kind == "operator":
            pending_operator = pending_operator or words[0] if parts else None
            continue
        part = _match_item(words, prefix, expand if stemmed else None)
        if parts and not pending_operator and (part[0] == "(" or parts[-1][0] == "("):
            # FTS5 reads two phrases side by side as AND, but not a phrase beside a group.
            pending_operator = "AND"
        if pending_operator:
            parts.append(pending_operator)
            pending_operator = None
        parts.append(part)
    return " ".join(parts) or MATCH_NOTHING


class ArchiveWords:
    """The words of one archive connection as written (its exact index's vocabulary), for prefixes."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection
        self._cache: dict[str, frozenset[str]] = {}
        self._version: object = None
        # A temporary table (fts5vocab): nothing is written to the archive, read-only or not.
        try:
            connection.execute(
                f"create virtual table if not exists {WORDS_TABLE} using fts5vocab(main, articles_fts, row)"
            )
            connection.execute(f"select term from {WORDS_TABLE} limit 1").fetchall()
            self.available = True
        except sqlite3.Error as error:
            # No exact index to read words from (not an archive): prefixes match roots only.
            logger.debug("no word list for prefixes: %s", error)
            self.available = False

    def roots(self, prefix: str) -> frozenset[str]:
        """Return the roots of the archive's words that begin with PREFIX (as written, lower-cased)."""
        if not self.available:
            return frozenset()
        # Asked once a snippet: cached until another connection writes (a crawl adds words).
        (version,) = self.connection.execute("pragma data_version").fetchone()
        if version != self._version:
            self._cache.clear()
            self._version = version
        if prefix not in self._cache:
            words = self.connection.execute(
                f"select term from {WORDS_TABLE} where term >= ? and term < ?",
                [prefix, prefix + "\U0010ffff"],
            )
            self._cache[prefix] = frozenset(stem_word(word) for (word,) in words)
        return self._cache[prefix]


def exact_fts_query(text: str | None) -> str:
    """Return the FTS5 expression of a typed query for the exact index (words as written)."""
    return fts_query(text, stemmed=False)


def snippet(
    text: str | None,
    query: str | None,
    stemmed: bool = True,
    words: int = SNIPPET_WORDS,
    expand: Expand | None = None,
) -> str:
    """Return the stretch of TEXT (about WORDS words) with the most words of QUERY, each in ``<mark>``.

    Parameters:
        text: the article's text (plain text; the result is plain text with ``<mark>`` tags).
        query: what the user typed.
        stemmed: a word matches when its root is a query word's root (else: the same word).
        expand: as for ``fts_query``: a prefix also marks the forms of the words it begins.

    >>> snippet("Para pegawai harus berdisiplin dan giat bekerja.", "disiplin", words=4)
    '… harus <mark>berdisiplin</mark> dan giat …'
    """
    text = text or ""
    wanted, prefixes = set(), []
    for kind, terms, prefix in parse_query(query, stemmed):
        if kind == "phrase":
            wanted.update(terms[:-1] if prefix else terms)
            if prefix:
                prefixes.append(terms[-1])
                if stemmed and expand is not None:
                    wanted.update(expand(terms[-1]))
    tokens = list(WORD.finditer(text))

    def hit(token: re.Match[str]) -> bool:
        # A hyphenated word also matches through its parts, as FTS5 splits it.
        forms = [token.group()] + token.group().split("-")
        written = {f.lower() for f in forms}
        keys = {stem_word(f) for f in forms} if stemmed else written
        # A prefix marks the words it begins as written, and (stemmed) those whose root it begins.
        return bool(keys & wanted) or any(k.startswith(p) for k in keys | written for p in prefixes)

    hits = [hit(token) for token in tokens]
    if not tokens:
        return ""

    def score(start: int) -> tuple[int, int, int]:
        # Most matches first; then the first match about a third in, with words before it.
        window = hits[start : start + words]
        first = window.index(True) if True in window else 0
        return sum(window), -abs(first - words // 3), -start

    best = max(range(max(len(tokens) - words, 0) + 1), key=score)
    window = range(best, min(best + words, len(tokens)))
    out = ["… " if best > 0 else ""]
    position = tokens[best].start()
    for i in window:
        token = tokens[i]
        out.append(text[position : token.start()])
        out.append(f"<mark>{token.group()}</mark>" if hits[i] else token.group())
        position = token.end()
    out.append(" …" if window.stop < len(tokens) else text[position:])
    return re.sub(r"\s+", " ", "".join(out)).strip()


def article_snippet(
    title: str | None,
    body: str | None,
    query: str | None,
    stemmed: bool = True,
    expand: Expand | None = None,
) -> str:
    """Return the snippet of an article's BODY for QUERY, or of its TITLE when only the title matches."""
    cut = snippet(body, query, stemmed, expand=expand)
    if "<mark>" not in cut and "<mark>" in (
        title_cut := snippet(title, query, stemmed, expand=expand)
    ):
        return title_cut
    return cut


def register_functions(connection: sqlite3.Connection) -> Expand:
    """Return the prefix expansion of CONNECTION's archive, having registered on it the SQL functions the search queries use (``tuban_*``)."""
    roots = ArchiveWords(connection).roots
    connection.create_function(
        "tuban_fts_query", 1, lambda text: fts_query(text, expand=roots), deterministic=True
    )
    connection.create_function("tuban_exact_fts_query", 1, exact_fts_query, deterministic=True)
    connection.create_function(
        "tuban_snippet",
        3,
        lambda title, body, text: article_snippet(title, body, text, expand=roots),
        deterministic=True,
    )
    connection.create_function(
        "tuban_exact_snippet",
        3,
        lambda title, body, query: article_snippet(title, body, query, stemmed=False),
        deterministic=True,
    )
    return roots


def search_sql(
    exact: bool = False, limit: int = 200, stored_day: bool = True, offset: int = 0
) -> str:
    """Return the SQL of a ranked search for ``:text`` (title matches weigh 5×), at most LIMIT rows after the best OFFSET.

    The Datasette canned queries and ``tuban-crawler search`` run this same SQL. STORED_DAY:
    the archive has ``published_date`` (m002 on; every archive this crawler writes), read as
    stored; else it is derived as m002 derives it.
    """
    day = (
        "articles.published_date"
        if stored_day
        else "substr(articles.published_at, 1, 10) as published_date"
    )
    index, query, cut = (
        ("articles_fts", "tuban_exact_fts_query", "tuban_exact_snippet")
        if exact
        else ("articles_stem_fts", "tuban_fts_query", "tuban_snippet")
    )
    # Rank and cut in the index first: the snippets (Python) are made for the rows shown only.
    # Ties go by rowid, the same in the cut and the order, so that pages never overlap.
    return (
        f"with hits as (\n  select rowid, bm25({index}, 5.0, 1.0) as score from {index}\n"
        f"  where {index} match {query}(:text)\n  order by score, rowid\n  limit {int(limit)}"
        f"{f' offset {int(offset)}' if offset else ''}\n)\n"
        f"select\n  articles.url,\n  articles.title,\n  {day},\n"
        "  articles.author,\n"
        f"  {cut}(articles.title, articles.body_text, :text) as snippet\n"
        "from hits\njoin articles on articles.rowid = hits.rowid\n"
        "order by hits.score, hits.rowid"
    )


def search(
    connection: sqlite3.Connection,
    text: str,
    exact: bool = False,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
) -> tuple[int, list[dict[str, Any]]]:
    """Return (how many articles match TEXT, the best LIMIT of them after OFFSET as dicts with a ``snippet``).

    Parameters:
        connection: an archive connection with ``register_functions`` applied.
        text: the query as typed; exact: match words as written (``articles_fts``).
        limit, offset: the page of the ranked matches.
    """
    index, query = (
        ("articles_fts", "tuban_exact_fts_query")
        if exact
        else ("articles_stem_fts", "tuban_fts_query")
    )
    (total,) = connection.execute(
        f"select count(*) from {index} where {index} match {query}(?)", [text]
    ).fetchone()
    stored_day = any(
        column[1] == "published_date"
        for column in connection.execute("pragma table_info(articles)")
    )
    cursor = connection.execute(search_sql(exact, limit, stored_day, offset), {"text": text})
    names = [column[0] for column in cursor.description]
    return total, [dict(zip(names, row, strict=False)) for row in cursor]
