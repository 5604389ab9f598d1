"""Indonesian-aware search: stems, safe queries, the stemmed index kept in sync, the CLI and Datasette on a real crawl."""

from __future__ import annotations

import asyncio
import doctest
import json
import re
import sqlite3
import subprocess
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from tests.conftest import run_cli
from tests.demo_archive import older_archive
from tests.e2e import crawl
from tuban_crawler import search
from tuban_crawler.cli import main
from tuban_crawler.portal import PortalServer
from tuban_crawler.search import fts_query, snippet
from tuban_crawler.store.archive import ArchiveStore
from tuban_crawler.store.stems import stem_text, stem_word

ARTICLES = 150
#: Roots and, independent of the stemmer, the forms of each that Indonesian builds (affixes).
FORMS = {
    "disiplin": r"(ber|ke|men|di)?disiplin(an|kan|nya)?",
    "bangun": r"(pem|mem|di|ter|ber)?bangun(an|kan|nya)?",
    "giat": r"(ke|ber|meng|di)?giat(an|kan|nya)?",
    "layan": r"(pe|me|di)?layan(an|i|kan|nya)?",
}
#: What people type that is not a plain word.
ODD_QUERIES = [
    '"',
    '""',
    '"pembangunan',
    "masing-masing",
    "AND",
    "OR",
    "NOT",
    "*",
    "disiplin*",
    "(",
    ")",
    "a:b",
    "^x",
    "NEAR(a b)",
    "giat AND",
    "NOT giat",
    "giat OR OR bangun",
    "'",
    "-",
    "\\",
    "%",
]


def test_doctests():
    assert doctest.testmod(search).failed == 0


# -- the stemmer: a word list of our own --------------------------------------------------
@pytest.mark.parametrize(
    ("word", "root"),
    [
        # disiplin
        ("disiplin", "disiplin"),
        ("berdisiplin", "disiplin"),
        ("kedisiplinan", "disiplin"),
        ("mendisiplinkan", "disiplin"),
        # bangun
        ("bangun", "bangun"),
        ("pembangunan", "bangun"),
        ("membangun", "bangun"),
        ("dibangun", "bangun"),
        ("bangunan", "bangun"),
        # giat
        ("giat", "giat"),
        ("kegiatan", "giat"),
        ("kegiatannya", "giat"),
        ("bergiat", "giat"),
        # layan stays apart from layang
        ("pelayanan", "layan"),
        ("layanan", "layan"),
        ("melayani", "layan"),
        ("layang", "layang"),
        ("melayang", "layang"),
        ("layang-layang", "layang"),
        # others of the portal's vocabulary
        ("pemerintahan", "perintah"),
        ("kesehatan", "sehat"),
        ("pendidikan", "didik"),
        ("peresmian", "resmi"),
        ("perwakilan", "wakil"),
        ("kabupaten", "kabupaten"),
        ("masing-masing", "masing-masing"),
        ("Tuban", "tuban"),
        ("2017", "2017"),
    ],
)
def test_stem_word(word, root):
    assert stem_word(word) == root


def test_stem_text_keeps_one_root_per_word():
    assert (
        stem_text("Kegiatan PEMBANGUNAN: jalan-jalan desa, 2017.") == "giat bangun jalan desa 2017"
    )
    assert stem_text(None) == stem_text("") == ""


# -- queries: any input is valid FTS5 ------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "stemmed", "exact"),
    [
        ("kedisiplinan", '"disiplin"', '"kedisiplinan"'),
        ("kegiatan pembangunan", '"giat" "bangun"', '"kegiatan" "pembangunan"'),
        ('"kegiatan pembangunan"', '"giat bangun"', '"kegiatan pembangunan"'),
        ("masing-masing", '"masing-masing"', '"masing-masing"'),
        ("bangun*", '"bangun"*', '"bangun"*'),
        # a prefix is never stemmed (disip -> sip was issue 19), in a phrase neither
        ("Disip*", '"disip"*', '"disip"*'),
        ("pemba*", '"pemba"*', '"pemba"*'),
        ("kegiatan pemb*", '"giat" "pemb"*', '"kegiatan" "pemb"*'),
        ("giat OR bangun", '"giat" OR "bangun"', '"giat" OR "bangun"'),
        ("giat NOT bangun", '"giat" NOT "bangun"', '"giat" NOT "bangun"'),
        ("and", '"and"', '"and"'),  # lower case: a word
        # operators with nothing on one side are dropped
        ("AND", '""', '""'),
        ("NOT giat", '"giat"', '"giat"'),
        ("giat OR", '"giat"', '"giat"'),
        ("giat OR AND bangun", '"giat" OR "bangun"', '"giat" OR "bangun"'),
        # no words at all: a query that matches nothing
        ('"', '""', '""'),
        ("*", '""', '""'),
        ("( )", '""', '""'),
        ("", '""', '""'),
        # FTS5 syntax becomes words
        ("title:giat", '"title giat"', '"title giat"'),
        ("NEAR(giat bangun)", '"near giat" "bangun"', '"near giat" "bangun"'),
        ('"unclosed phrase', '"unclosed phrase"', '"unclosed phrase"'),
    ],
)
def test_fts_query(typed, stemmed, exact):
    assert (fts_query(typed), fts_query(typed, stemmed=False)) == (stemmed, exact)


@pytest.mark.parametrize("typed", ODD_QUERIES)
def test_no_typed_query_is_an_fts5_error(typed):
    connection = sqlite3.connect(":memory:")
    connection.execute("create virtual table t using fts5 (title, body_text)")
    connection.execute("insert into t values ('Kegiatan', 'pembangunan masing-masing desa')")
    for stemmed in (True, False):
        connection.execute(
            "select count(*) from t where t match ?", [fts_query(typed, stemmed)]
        ).fetchone()


@pytest.mark.parametrize(
    ("text", "typed", "stemmed", "expected"),
    [
        (
            "Pegawai harus berdisiplin.",
            "kedisiplinan",
            True,
            "Pegawai harus <mark>berdisiplin</mark>.",
        ),
        ("Pegawai harus berdisiplin.", "kedisiplinan", False, "Pegawai harus berdisiplin."),
        (
            "Kegiatan di masing-masing desa",
            "masing",
            True,
            "Kegiatan di <mark>masing-masing</mark> desa",
        ),
        ("Pelayanan dan layang-layang", "layan", True, "<mark>Pelayanan</mark> dan layang-layang"),
        ("Pembangunan jalan", "bangun*", False, "Pembangunan jalan"),
        ("Pembangunan jalan", "pemb*", False, "<mark>Pembangunan</mark> jalan"),
        ("", "giat", True, ""),
    ],
)
def test_snippet(text, typed, stemmed, expected):
    assert snippet(text, typed, stemmed) == expected


def test_a_long_text_is_cut_around_the_matches():
    text = " ".join(["kata"] * 100 + ["kegiatan"] + ["kata"] * 100)
    cut = snippet(text, "giat", words=10)
    assert cut.startswith("… ") and cut.endswith(" …") and "<mark>kegiatan</mark>" in cut
    assert len(cut.split()) == 12


# -- the stemmed index kept in sync ----------------------------------------------------------
def _record(
    url: str, title: str, body: str, published_at: str = "2020-03-01T00:30:00+07:00"
) -> dict:
    return {
        "url": url,
        "kind": "article",
        "title": title,
        "published_at": published_at,
        "author": "Yolency",
        "body_text": body,
        "content_hash": f"{title}|{body}",
    }


def _fetch(at: str = "2026-01-01T00:00:00+00:00") -> dict:
    return {"fetched_url": "https://tubankab.go.id/x", "fetched_at": at, "status": 200}


def _found(db_path: Path, *roots: str) -> dict[str, set[str]]:
    """Return {root: the URLs whose title or text the stemmed index matches with ROOT}."""
    connection = sqlite3.connect(db_path)
    try:
        return {
            root: {
                url
                for (url,) in connection.execute(
                    "select a.url from articles_stem_fts s join articles a on a.rowid = s.rowid where articles_stem_fts match ?",
                    [f'"{root}"'],
                )
            }
            for root in roots
        }
    finally:
        connection.close()


def test_the_store_keeps_the_stemmed_index_in_sync(tmp_path):
    db_path = tmp_path / "archive.db"
    url, other = "https://tubankab.go.id/entry/a", "https://tubankab.go.id/entry/b"
    roots = ("giat", "bangun", "disiplin", "layan", "rapat")
    with ArchiveStore(db_path) as store:
        store.save_article(
            _record(url, "Kegiatan Pembangunan", "Pegawai berdisiplin."), _fetch(), "r1"
        )
        assert _found(db_path, *roots) == {
            "giat": {url},
            "bangun": {url},
            "disiplin": {url},
            "layan": set(),
            "rapat": set(),
        }
        store.save_article(
            _record(url, "Pelayanan Kesehatan", "Pegawai berdisiplin."), _fetch("2026-01-02"), "r2"
        )
        assert _found(db_path, *roots) == {
            "giat": set(),
            "bangun": set(),
            "disiplin": {url},
            "layan": {url},
            "rapat": set(),
        }
    # Another writer (sqlite3) changes the text: queued, and indexed by the store's next write.
    with sqlite3.connect(db_path) as connection:
        connection.execute("update articles set body_text = 'Membangun desa.' where url = ?", [url])
        connection.execute(
            "update articles set body_text = 'Merapatkan barisan.' where url = ?", [url]
        )
    connection.close()
    with ArchiveStore(db_path) as store:
        store.save_article(_record(other, "Rapat", "Merapatkan barisan."), _fetch(), "r3")
        assert _found(db_path, *roots) == {
            "giat": set(),
            "bangun": set(),
            "disiplin": set(),
            "layan": {url},
            "rapat": {url, other},
        }
        store.db.execute("delete from articles where url = ?", [other])
        store.save_article(_record(url, "Rapat", "Kegiatan."), _fetch("2026-01-03"), "r4")
        assert _found(db_path, *roots) == {
            "giat": {url},
            "bangun": set(),
            "disiplin": set(),
            "layan": set(),
            "rapat": {url},
        }
        assert store.db.execute("select count(*) from articles_stem_queue").fetchone() == (0,)


def test_a_new_stemmer_reindexes_every_article(tmp_path):
    db_path = tmp_path / "archive.db"
    url = "https://tubankab.go.id/entry/a"
    with ArchiveStore(db_path) as store:
        store.save_article(_record(url, "Kegiatan", "Teks."), _fetch(), "r1")
        store.set_state("stemmer", "PySastrawi 0.1")  # as if indexed by another version
        store.save_article(_record(url, "Pembangunan", "Teks."), _fetch("2026-01-02"), "r2")
        assert store.get_state("stemmer").startswith("PySastrawi 1.")
    assert _found(db_path, "giat", "bangun") == {"giat": set(), "bangun": {url}}


def test_an_existing_archive_gets_published_date_and_the_stemmed_index_by_migration(tmp_path):
    db_path = older_archive(tmp_path / "archive.db")
    with ArchiveStore(db_path) as store:
        dates = dict(store.db.execute("select url, published_date from articles").fetchall())
    article, page = "https://tubankab.go.id/entry/a", "https://tubankab.go.id/entry/b"
    assert dates == {article: "2020-03-01", page: None}
    assert _found(db_path, "giat", "bangun", "museum") == {
        "giat": {article},
        "bangun": {article},
        "museum": {page},
    }


def test_the_cli_searches_an_older_archive_by_exact_words(tmp_path):
    done = run_search(older_archive(tmp_path / "old.db"), "kegiatan")
    assert done.returncode == 0 and "1 article match" in done.stdout
    assert "no stemmed index yet" in done.stderr and len(done.stderr.splitlines()) == 1


def test_search_reads_the_stored_day_and_derives_it_on_an_archive_older_than_it(tmp_path):
    assert "  articles.published_date,\n" in search.search_sql()
    assert "substr(articles.published_at, 1, 10)" in search.search_sql(stored_day=False)
    connection = sqlite3.connect(older_archive(tmp_path / "old.db"))  # before m002
    search.register_functions(connection)
    with connection:
        _, rows = search.search(connection, "kegiatan", exact=True)
    connection.close()
    assert [row["published_date"] for row in rows] == ["2020-03-01"]


# -- a real crawl of the test portal, searched with the real CLI and plain Datasette ------
@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """Return (the archive of a crawl of the portal, {path: the entry's title and text from its manifest})."""
    with PortalServer(articles=ARTICLES, seed=1, edition=1) as portal:
        db = tmp_path_factory.mktemp("search") / "crawled.db"
        result = crawl(db, portal.base_url, "--no-warc")
        assert result.returncode == 0, result.stderr[-3000:]
        with urllib.request.urlopen(
            f"{portal.base_url}/_portal/manifest.json?body=1", timeout=30
        ) as response:
            entries = json.load(response)["entries"]
    texts = {
        e["path"]: " ".join([e["title"] or "", *(e.get("body") or [])])
        for e in entries
        if not e["withdrawn"]
    }
    return db, texts


def containing(texts: dict[str, str], pattern: str) -> set[str]:
    """Return the paths whose text has a word matching PATTERN (case-insensitive)."""
    return {path for path, text in texts.items() if re.search(rf"\b{pattern}\b", text, re.I)}


def run_search(db: Path, *args: str) -> subprocess.CompletedProcess:
    """Return the finished ``tuban-crawler search`` with ARGS on DB (run in this process)."""
    return run_cli("search", "--db", str(db), *args)


def printed_paths(output: str) -> set[str]:
    """Return the URL paths listed by ``tuban-crawler search``."""
    return {
        urlsplit(line.strip()).path
        for line in output.splitlines()
        if line.strip().startswith("http")
    }


@pytest.mark.parametrize("root", sorted(FORMS))
def test_the_cli_finds_every_article_with_a_form_of_the_word(crawled, root):
    db, texts = crawled
    truth = containing(texts, FORMS[root])
    assert truth, root
    done = run_search(db, root, "--limit", "1000")
    assert done.returncode == 0, done.stderr
    assert printed_paths(done.stdout) == truth
    assert f"{len(truth)} article" in done.stdout.splitlines()[-1]


def test_the_cli_exact_search_finds_only_the_form_as_written(crawled):
    db, texts = crawled
    done = run_search(db, "kedisiplinan", "--exact", "--limit", "1000")
    assert done.returncode == 0, done.stderr
    assert (
        printed_paths(done.stdout)
        == containing(texts, "kedisiplinan")
        != containing(texts, FORMS["disiplin"])
    )
    assert "[kedisiplinan]" in done.stdout.lower()


@pytest.mark.parametrize("typed", ['"', "masing-masing", "AND", "*", "NOT giat", "(", "--limit=0"])
def test_the_cli_answers_any_input_in_a_line(crawled, typed, capsys):
    # main() as the command runs it (tests/test_cli.py runs the entry points as processes).
    args = [
        "search",
        "--db",
        str(crawled[0]),
        *([typed] if typed.startswith("-") else ["--", typed]),
    ]
    status = main(args + (["giat"] if typed.startswith("-") else []))
    err = capsys.readouterr().err
    assert len(err.splitlines()) <= 1, err
    # The README: a query is never an error (at worst nothing matches); a bad option is.
    assert status == 0 if not typed.startswith("-") else (status, err) == (2, err)
    assert status == 0 or "--limit must be 1 or more" in err


def test_the_cli_says_what_is_wrong_with_the_archive(tmp_path):
    (tmp_path / "text.db").write_text("not a database")
    missing, garbage = (
        run_search(tmp_path / "none.db", "giat"),
        run_search(tmp_path / "text.db", "giat"),
    )
    assert (missing.returncode, garbage.returncode) == (1, 1)
    assert "no archive at" in missing.stderr and "not a SQLite database" in garbage.stderr
    assert "Traceback" not in missing.stderr + garbage.stderr


@pytest.fixture(scope="module")
def plain_datasette(crawled):
    """Return a plain Datasette on the crawled archive: no metadata, no settings, the plugin from its entry point."""
    from datasette.app import Datasette

    return Datasette([str(crawled[0])])


def get(datasette, *paths: str) -> list:
    """Return the responses of DATASETTE to PATHS (in-process; redirects followed)."""

    async def requests() -> list:
        await datasette.invoke_startup()
        return [await datasette.client.get(path, follow_redirects=True) for path in paths]

    return asyncio.run(requests())


@pytest.mark.parametrize("root", sorted(FORMS))
def test_datasettes_search_box_and_canned_query_find_every_form(crawled, plain_datasette, root):
    db, texts = crawled
    truth = containing(texts, FORMS[root])
    box, canned = get(
        plain_datasette,
        f"/crawled/articles.json?_search={root}&_shape=objects&_size=max&_col=url",
        f"/crawled/search_articles.json?text={root}&_shape=objects&_size=max",
    )
    assert box.status_code == canned.status_code == 200
    assert {urlsplit(row["url"]).path for row in box.json()["rows"]} == truth
    rows = canned.json()["rows"]
    assert {urlsplit(row["url"]).path for row in rows} == truth
    assert all("<mark>" in row["snippet"] for row in rows)


def test_datasettes_exact_query_finds_only_the_form_as_written(crawled, plain_datasette):
    db, texts = crawled
    (exact,) = get(
        plain_datasette, "/crawled/search_exact.json?text=kedisiplinan&_shape=objects&_size=max"
    )
    assert {urlsplit(row["url"]).path for row in exact.json()["rows"]} == containing(
        texts, "kedisiplinan"
    )


@pytest.mark.parametrize("typed", ODD_QUERIES)
def test_no_search_box_input_is_an_error_page(plain_datasette, typed):
    q = quote(typed)
    responses = get(
        plain_datasette,
        f"/crawled/articles?_search={q}",
        f"/crawled/articles?_search_title={q}",
        f"/crawled/search_articles?text={q}",
        f"/crawled/search_exact?text={q}",
    )
    assert [r.status_code for r in responses] == [200] * 4, typed


# -- every query form, counted from the crawled bodies, in the CLI, the canned query and the box
def tokens(text: str) -> list[str]:
    """Return TEXT's words as FTS5's unicode61 reads them (lower-cased, hyphens split)."""
    return re.findall(r"[^\W_]+", text.lower())


def roots(text: str) -> list[str]:
    """Return the tokens of TEXT's stemmed form (what articles_stem_fts holds)."""
    return tokens(stem_text(text))


def with_prefix(texts: dict[str, str], prefix: str, exact: bool) -> set[str]:
    """Return the paths a PREFIX query finds: words as written that begin with it (exact), or
    also every form of those words and every word whose root begins with it (stemmed)."""
    if exact:
        return {
            path for path, text in texts.items() if any(w.startswith(prefix) for w in tokens(text))
        }
    begun = {stem_word(w) for text in texts.values() for w in tokens(text) if w.startswith(prefix)}
    return {
        path
        for path, text in texts.items()
        if any(r in begun or r.startswith(prefix) for r in roots(text))
    }


def with_phrase(texts: dict[str, str], phrase: str, exact: bool) -> set[str]:
    """Return the paths whose words (as written, or as roots) hold PHRASE's words in a row."""
    split = tokens if exact else roots
    wanted = split(phrase)
    return {
        path
        for path, text in texts.items()
        if any(split(text)[i : i + len(wanted)] == wanted for i in range(len(split(text))))
    }


def expected(texts: dict[str, str], form: str, exact: bool) -> set[str]:
    """Return the paths the query FORM (a key of QUERY_FORMS) must find."""
    kind, *args = QUERY_FORMS[form]
    if kind == "prefix":
        return with_prefix(texts, args[0], exact)
    if kind == "phrase":
        return with_phrase(texts, args[0], exact)
    if kind == "none":
        return set()
    sets = [containing(texts, FORMS[root] if not exact else root) for root in args]
    return {
        "word": lambda: sets[0],
        "and": lambda: sets[0] & sets[1],
        "or": lambda: sets[0] | sets[1],
        "not": lambda: sets[0] - sets[1],
    }[kind]()


#: Each query form as typed: (kind, what expected() reads).
QUERY_FORMS = {
    "disiplin": ("word", "disiplin"),
    "pemba*": ("prefix", "pemba"),
    "disip*": ("prefix", "disip"),
    "kedis*": ("prefix", "kedis"),
    '"evaluasi pembangunan"': ("phrase", "evaluasi pembangunan"),
    '"pola pikir"': ("phrase", "pola pikir"),
    "disiplin AND giat": ("and", "disiplin", "giat"),
    "disiplin OR layan": ("or", "disiplin", "layan"),
    "giat NOT bangun": ("not", "giat", "bangun"),
    "*": ("none",),
    "(": ("none",),
    "AND": ("none",),
}


@pytest.mark.parametrize("form", sorted(QUERY_FORMS))
@pytest.mark.parametrize("exact", [False, True], ids=["stemmed", "exact"])
def test_the_cli_finds_what_each_query_form_says(crawled, form, exact):
    db, texts = crawled
    truth = expected(texts, form, exact)
    done = run_search(db, *(["--exact"] if exact else []), "--limit", "1000", "--", form)
    assert done.returncode == 0, done.stderr
    assert printed_paths(done.stdout) == truth
    assert done.stdout.splitlines()[-1].startswith(f"{len(truth)} article")


@pytest.mark.parametrize("form", sorted(QUERY_FORMS))
def test_datasettes_search_box_and_canned_queries_find_what_each_query_form_says(
    crawled, plain_datasette, form
):
    db, texts = crawled
    q = quote(form)
    box, canned, exact = get(
        plain_datasette,
        f"/crawled/articles.json?_search={q}&_shape=objects&_size=max&_col=url",
        f"/crawled/search_articles.json?text={q}&_shape=objects&_size=max",
        f"/crawled/search_exact.json?text={q}&_shape=objects&_size=max",
    )
    truth = expected(texts, form, exact=False)
    assert {urlsplit(row["url"]).path for row in box.json()["rows"]} == truth
    assert {urlsplit(row["url"]).path for row in canned.json()["rows"]} == truth
    assert all("<mark>" in row["snippet"] for row in canned.json()["rows"])
    exact_truth = expected(texts, form, exact=True)
    assert {urlsplit(row["url"]).path for row in exact.json()["rows"]} == exact_truth


def test_a_prefix_finds_the_seed_first_and_marks_the_words_it_begins(crawled):
    db, _ = crawled
    done = run_search(db, "disip*", "--limit", "1")
    assert "asn-dituntut-disiplin" in done.stdout
    marked = set(re.findall(r"\[([^\]]+)\]", done.stdout))
    assert marked and all(stem_word(word) == "disiplin" for word in marked), marked


def test_a_prefix_stands_for_the_roots_of_the_archives_words_it_begins(tmp_path):
    writer = sqlite3.connect(tmp_path / "words.db", isolation_level=None)
    writer.execute("create virtual table articles_fts using fts5 (title, body_text)")
    writer.execute(
        "insert into articles_fts values ('Pembangunan jalan', 'Pembahasan anggaran dan pembinaan')"
    )
    reader = sqlite3.connect(tmp_path / "words.db")
    words = search.ArchiveWords(reader)
    assert words.roots("pemba") == {"bangun", "bahas"}
    assert words.roots("zzz") == frozenset()
    assert fts_query("pemba*", expand=words.roots) == '("pemba"* OR "bahas" OR "bangun")'
    # A word another connection (a crawl) adds is found: the cache follows data_version.
    writer.execute("insert into articles_fts values ('Pembatasan', '')")
    assert words.roots("pemba") == {"bangun", "bahas", "batas"}
    reader.close(), writer.close()
    # No exact index to read words from: a prefix stands for the roots it begins only.
    assert search.ArchiveWords(sqlite3.connect(":memory:")).roots("pemba") == frozenset()


def test_a_prefix_marks_the_words_it_begins_and_their_forms():
    roots = {"pemba": {"bangun"}}.get
    assert (
        snippet("Pembangunan dan membangun, bukan bangunan baru", "pemba*", expand=roots)
        == "<mark>Pembangunan</mark> dan <mark>membangun</mark>, bukan <mark>bangunan</mark> baru"
    )
