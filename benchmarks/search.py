"""Benchmark the stemmed search: stemmer accuracy, index size, write cost, search latency.

Run by hand (not a test)::

    python benchmarks/search.py                  # 1,500 articles of the test portal
    python benchmarks/search.py --articles 5000

- accuracy: a word list of our own (Indonesian affixes over roots, and look-alikes that
  must stay apart), Sastrawi's root against the expected one; "no stemming" for contrast;
- recall and precision on the portal's text: for each root, the articles with a form of it
  (a regular expression over the manifest's text, independent of the stemmer) against
  what the stemmed and the exact index find;
- size: the pages of ``articles_fts`` and ``articles_stem_fts`` (dbstat);
- write cost: ``save_article`` per article, and the stemming part of it (cold and warm cache);
- latency: ``tuban_crawler.search.search`` per query (median of 20).
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from tuban_crawler import search
from tuban_crawler.portal import PortalServer
from tuban_crawler.store import stems
from tuban_crawler.store.archive import ArchiveStore

#: (word, expected root): forms of roots, and words that must keep their own root.
WORDS = [
    ("disiplin", "disiplin"),
    ("berdisiplin", "disiplin"),
    ("kedisiplinan", "disiplin"),
    ("mendisiplinkan", "disiplin"),
    ("bangun", "bangun"),
    ("pembangunan", "bangun"),
    ("membangun", "bangun"),
    ("dibangun", "bangun"),
    ("bangunan", "bangun"),
    ("membangunkan", "bangun"),
    ("giat", "giat"),
    ("kegiatan", "giat"),
    ("kegiatannya", "giat"),
    ("bergiat", "giat"),
    ("menggiatkan", "giat"),
    ("layan", "layan"),
    ("pelayanan", "layan"),
    ("layanan", "layan"),
    ("melayani", "layan"),
    ("dilayani", "layan"),
    ("layang", "layang"),
    ("melayang", "layang"),
    ("layang-layang", "layang"),
    ("pemerintah", "perintah"),
    ("pemerintahan", "perintah"),
    ("memerintahkan", "perintah"),
    ("pendidikan", "didik"),
    ("mendidik", "didik"),
    ("kesehatan", "sehat"),
    ("menyehatkan", "sehat"),
    ("penyerahan", "serah"),
    ("diserahkan", "serah"),
    ("kepegawaian", "pegawai"),
    ("pegawai", "pegawai"),
    ("perwakilan", "wakil"),
    ("mewakili", "wakil"),
    ("peresmian", "resmi"),
    ("meresmikan", "resmi"),
    ("diresmikan", "resmi"),
    ("penanganan", "tangan"),
    ("pertanian", "tani"),
    ("petani", "tani"),
    ("perikanan", "ikan"),
    ("nelayan", "nelayan"),
    ("kecamatan", "camat"),
    ("kabupaten", "kabupaten"),
    ("pelaksanaan", "laksana"),
    ("melaksanakan", "laksana"),
    ("peningkatan", "tingkat"),
    ("meningkatkan", "tingkat"),
    ("pembinaan", "bina"),
    ("pembina", "bina"),
    ("perbaikan", "baik"),
    ("kebersihan", "bersih"),
    ("membersihkan", "bersih"),
    ("keamanan", "aman"),
    ("masing-masing", "masing-masing"),
    ("sehari-hari", "hari"),
    ("bupati", "bupati"),
    ("tuban", "tuban"),
]
FORMS = {
    "disiplin": r"(ber|ke|men|di)?disiplin(an|kan|nya)?",
    "bangun": r"(pem|mem|di|ter|ber)?bangun(an|kan|nya)?",
    "giat": r"(ke|ber|meng|di)?giat(an|kan|nya)?",
    "layan": r"(pe|me|di)?layan(an|i|kan|nya)?",
}
QUERIES = [
    "disiplin",
    "pembangunan",
    "kegiatan desa",
    '"masing-masing"',
    "layan*",
    "bupati OR wakil",
]


def accuracy() -> None:
    stemmed = sum(stems.stem_word(w) == root for w, root in WORDS)
    unstemmed = sum(w == root for w, root in WORDS)
    wrong = [(w, stems.stem_word(w), root) for w, root in WORDS if stems.stem_word(w) != root]
    print(
        f"word list: Sastrawi {stemmed}/{len(WORDS)} roots right; no stemming {unstemmed}/{len(WORDS)}"
    )
    for word, got, root in wrong:
        print(f"  {word}: {got} (expected {root})")


def index_size(connection: sqlite3.Connection, prefix: str) -> int:
    (size,) = connection.execute(
        "select sum(pgsize) from dbstat where name like ?", [prefix + "%"]
    ).fetchone()
    return size or 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1500)
    args = parser.parse_args()
    accuracy()
    with PortalServer(articles=args.articles, seed=1, edition=1) as portal:
        with urllib.request.urlopen(
            f"{portal.base_url}/_portal/manifest.json?body=1", timeout=60
        ) as response:
            entries = [
                e for e in json.load(response)["entries"] if e.get("body") and not e["withdrawn"]
            ]
    texts = {e["path"]: " ".join([e["title"] or "", *e["body"]]) for e in entries}
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "archive.db"
        stems.stem_word.cache_clear()
        started = time.perf_counter()
        for entry in entries:
            stems.stem_text(entry["title"]), stems.stem_text("\n\n".join(entry["body"]))
        cold = (time.perf_counter() - started) / len(entries)
        started = time.perf_counter()
        for entry in entries:
            stems.stem_text(entry["title"]), stems.stem_text("\n\n".join(entry["body"]))
        warm = (time.perf_counter() - started) / len(entries)
        stems.stem_word.cache_clear()
        with ArchiveStore(db_path) as store:
            started = time.perf_counter()
            for i, entry in enumerate(entries):
                record = {
                    "url": f"https://tubankab.go.id{entry['path']}",
                    "kind": "article",
                    "title": entry["title"],
                    "published_at": entry["published_iso"],
                    "author": entry["author"],
                    "body_text": "\n\n".join(entry["body"]),
                    "content_hash": str(i),
                }
                store.save_article(
                    record,
                    {
                        "fetched_url": record["url"],
                        "fetched_at": "2026-01-01T00:00:00+00:00",
                        "status": 200,
                    },
                    "bench",
                )
            saved = (time.perf_counter() - started) / len(entries)
        print(
            f"\n{len(entries)} articles; words per article {statistics.mean(len(t.split()) for t in texts.values()):.0f}"
        )
        print(
            f"stemming per article: {cold * 1000:.2f} ms (cold cache), {warm * 1000:.3f} ms (warm)"
        )
        print(f"save_article per article (everything, stems included): {saved * 1000:.2f} ms")
        connection = sqlite3.connect(db_path)
        search.register_functions(connection)
        exact, stemmed, total = (
            index_size(connection, "articles_fts"),
            index_size(connection, "articles_stem_fts"),
            db_path.stat().st_size,
        )
        print(
            f"index size: exact {exact / 1e6:.2f} MB, stemmed {stemmed / 1e6:.2f} MB "
            f"({stemmed / exact:.2f}x), file {total / 1e6:.2f} MB"
        )
        print("\nrecall/precision on the portal's text (articles with a form of the root):")
        for root, pattern in FORMS.items():
            truth = {p for p, t in texts.items() if re.search(rf"\b{pattern}\b", t, re.I)}
            for exact_mode in (False, True):
                _, rows = search.search(connection, root, exact_mode, limit=100_000)
                found = {urlsplit(r["url"]).path for r in rows}
                print(
                    f"  {root:<9} {'exact  ' if exact_mode else 'stemmed'} {len(found & truth):>5}/{len(truth):<5}"
                    f" found, {len(found - truth)} wrong"
                )
        print("\nsearch latency (median of 20, best 20 with snippets):")
        for query in QUERIES:
            times = []
            for _ in range(20):
                started = time.perf_counter()
                total_found, _ = search.search(connection, query)
                times.append(time.perf_counter() - started)
            print(
                f"  {query:<18} {statistics.median(times) * 1000:6.1f} ms  ({total_found} articles)"
            )
        connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
