"""``tuban-crawler verify``: a crawl passes, each kind of damage is named once, nothing is changed on disk."""

from __future__ import annotations

import asyncio
import hashlib
import html
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import zlib
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import bagit
import pytest
from datasette.utils import tilde_encode

from tests.e2e import REPO, CrawlResult, crawl, crawl_command
from tuban_crawler import ExitCode, __version__
from tuban_crawler.cli import main
from tuban_crawler.crawl.fixity import repair_events
from tuban_crawler.portal import PortalServer
from tuban_crawler.store import fixity
from tuban_crawler.warc import WarcWriter, verify
from tuban_crawler.warc.verify import scan_file
from tuban_crawler.web import serve

#: The crawl's operator (its TUBAN_CONTACT_URL), named by every event as their agent.
OPERATOR = "https://arsip.example.org/kontak"


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, CrawlResult]]:
    """Return the archive of a small crawl whose WARC files rotate every 20 kB (several files)."""
    db = tmp_path_factory.mktemp("fixity") / "archive.db"
    with PortalServer(articles=12, seed=5, edition=1) as portal:
        result = crawl(
            db,
            portal.base_url,
            "-s",
            "WARC_MAX_FILE_BYTES=20000",
            "-s",
            f"TUBAN_CONTACT_URL={OPERATOR}",
        )
    yield db, result


def _copy(crawled: tuple[Path, CrawlResult], tmp_path: Path) -> Path:
    db, result = crawled
    assert result.returncode == 0, result.stderr[-3000:]
    shutil.copytree(db.parent, tmp_path / "copy")
    return tmp_path / "copy" / "archive.db"


def _verify(db: Path, *args: str) -> int:
    return main(["verify", "--db", str(db), "--warc-dir", str(db.parent / "warc"), *args])


def _checks(db: Path) -> list[dict]:
    connection = sqlite3.connect(db)
    connection.row_factory = sqlite3.Row
    try:
        rows = connection.execute(
            "select * from fixity_events where event_type = ? order by id", [fixity.FIXITY_CHECK]
        )
        return [dict(row) for row in rows]
    finally:
        connection.close()


def _digests(folder: Path) -> dict[str, str]:
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.iterdir())
        if path.is_file()
    }


def test_after_a_crawl_verify_passes_and_logs_one_event_per_object_checked(
    crawled, tmp_path, capsys
):
    db = _copy(crawled, tmp_path)
    files = sorted((db.parent / "warc").glob("*.warc.gz"))
    assert len(files) >= 4
    assert _verify(db) == ExitCode.OK
    out = capsys.readouterr().out
    assert f"verified {len(files)} WARC files" in out and "OK" in out
    events = _checks(db)
    # Each WARC file, the index and the database: one success each.
    assert sorted(event["object"] for event in events if event["object_type"] == "file") == [
        path.name for path in files
    ]
    assert [event["object_type"] for event in events].count("index") == 1
    assert [event["object_type"] for event in events].count("database") == 1
    assert len(events) == len(files) + 2
    assert {event["outcome"] for event in events} == {fixity.SUCCESS}
    # The agent: the software, its version and the operator the crawl named.
    assert {event["agent"] for event in events} == {
        f"tuban-crawler {__version__}; operator {OPERATOR}"
    }


def test_the_crawl_logs_a_capture_per_file_and_per_version_and_each_article_cites_its_payload(
    crawled,
):
    db, _ = crawled
    connection = sqlite3.connect(db)
    try:
        files = {path.name for path in (db.parent / "warc").glob("*.warc.gz")}
        captured = {
            name: digest
            for name, digest in connection.execute(
                "select object, digest from fixity_events where object_type = 'file' and event_type = 'capture'"
            )
        }
        articles = connection.execute(
            """select articles.url, articles.payload_sha256, fetches.payload_sha256
               from articles left join fetches on fetches.warc_record_id = articles.warc_record_id"""
        ).fetchall()
        versions = connection.execute(
            "select count(*) from fixity_events where object_type = 'article' and event_type = 'capture'"
        ).fetchone()[0]
    finally:
        connection.close()
    assert set(captured) == files
    for name, digest in captured.items():  # computed as written, equal to the file read back
        assert (
            digest
            == "sha256:" + hashlib.sha256((db.parent / "warc" / name).read_bytes()).hexdigest()
        )
    assert articles and versions == len(articles)
    assert all(len(cited or "") == 64 and cited == fetched for _, cited, fetched in articles)


def _flip_a_payload_byte(path: Path) -> None:
    """Flip one byte inside the compressed payload of the file's second record (its first response)."""
    data = bytearray(path.read_bytes())
    first = zlib.decompressobj(31)
    first.decompress(bytes(data))
    start = len(data) - len(first.unused_data)
    second = zlib.decompressobj(31)
    second.decompress(bytes(data[start:]))
    end = len(data) - len(second.unused_data)
    data[(start + end) // 2 + 40] ^= 0x01
    path.write_bytes(bytes(data))


def test_verify_names_exactly_four_damages_logs_four_failures_and_changes_nothing(
    crawled, tmp_path, capsys
):
    db = _copy(crawled, tmp_path)
    warc_dir = db.parent / "warc"
    flipped, truncated, deleted, pointed = sorted(warc_dir.glob("*.warc.gz"))[:4]
    _flip_a_payload_byte(flipped)
    with open(truncated, "r+b") as fh:
        fh.truncate(truncated.stat().st_size - 100)
    deleted.unlink()
    connection = sqlite3.connect(db)
    with connection:
        row_id = connection.execute(
            "select id from fetches where warc_filename = ? order by id limit 1", [pointed.name]
        ).fetchone()[0]
        connection.execute(
            "update fetches set payload_digest = 'sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' where id = ?",
            [row_id],
        )
    connection.close()
    before = _digests(warc_dir)

    assert _verify(db) == ExitCode.DAMAGED

    err = capsys.readouterr().err
    failures = [event for event in _checks(db) if event["outcome"] == fixity.FAILURE]
    assert sorted((event["object_type"], event["object"]) for event in failures) == sorted(
        [
            ("file", flipped.name),
            ("file", truncated.name),
            ("file", deleted.name),
            ("row", f"fetches {row_id}"),
        ]
    )
    assert "4 failed" in err
    for name in (flipped.name, truncated.name, deleted.name, f"fetches {row_id}"):
        assert name in err
    assert "corrupt" in err and "cut short" in err and "missing" in err
    assert _digests(warc_dir) == before  # nothing repaired, nothing rewritten
    # A slice checks again the files that failed, whenever they were checked.
    assert _verify(db, "--since-days", "1") == ExitCode.DAMAGED
    again = capsys.readouterr().err
    assert all(path.name in again for path in (flipped, truncated, deleted)), again
    assert "3 failed" in again
    connection = sqlite3.connect(db)
    digest = connection.execute("select payload_digest from fetches where id = ?", [row_id])
    assert digest.fetchone()[0] == "sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    connection.close()


def test_a_warc_file_added_outside_a_crawl_is_named_alone(crawled, tmp_path, capsys):
    db = _copy(crawled, tmp_path)
    elsewhere = tmp_path / "elsewhere"
    options = {"run_id": "not-ours", "software": "t", "user_agent": "ua", "robots_policy": "obey"}
    with WarcWriter(elsewhere, **options) as writer:
        writer.write_exchange(
            "http://x.test/a", "GET", [], 200, "OK", [], b"hello", datetime.now(timezone.utc)
        )
    [added] = elsewhere.glob("*.warc.gz")
    shutil.copy(added, db.parent / "warc" / added.name)
    assert _verify(db) == ExitCode.DAMAGED
    assert "added outside a crawl" in capsys.readouterr().err
    failures = [event for event in _checks(db) if event["outcome"] == fixity.FAILURE]
    assert [(event["object_type"], event["object"]) for event in failures] == [("file", added.name)]


def test_a_slice_checks_only_the_files_not_checked_for_n_days(crawled, tmp_path, capsys):
    db = _copy(crawled, tmp_path)
    assert _verify(db) == ExitCode.OK
    capsys.readouterr()
    assert _verify(db, "--since-days", "1") == ExitCode.OK
    assert "verified 0 WARC files" in capsys.readouterr().out
    assert _verify(db, "--since-days", "0") == ExitCode.OK
    assert "verified 0 WARC files" not in capsys.readouterr().out


def test_a_record_whose_payload_changed_under_a_valid_gzip_member_fails_its_digests(
    crawled, tmp_path
):
    db, _ = crawled
    source = sorted((db.parent / "warc").glob("*.warc.gz"))[0]
    data = source.read_bytes()
    first = zlib.decompressobj(31)
    first.decompress(data)
    start = len(data) - len(first.unused_data)
    second = zlib.decompressobj(31)
    record = bytearray(second.decompress(data[start:]))
    end = len(data) - len(second.unused_data)
    record[-10] ^= 0x01  # inside the payload: the member is made again, so gzip holds
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)
    member = compressor.compress(bytes(record)) + compressor.flush()
    damaged = tmp_path / source.name
    damaged.write_bytes(data[:start] + member + data[end:])
    problems = scan_file(damaged).problems
    assert any("block digest differs" in problem for problem in problems), problems
    assert any("payload digest differs" in problem for problem in problems), problems
    assert scan_file(source).problems == []


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--warc-dir", "{tmp}/nowhere"], "no WARC folder at"),
        (["--db", "{tmp}/none.db"], "no archive at"),
        (["--db", "{tmp}/text.db"], "not a SQLite database"),
        (["--warc-dir", "{tmp}/other"], "holds the WARC files of another archive"),
        (["--db", "{tmp}/old.db"], "no fixity log yet"),
    ],
)
def test_bad_input_is_one_line(crawled, tmp_path, capsys, args, expected):
    db = _copy(crawled, tmp_path)
    (tmp_path / "text.db").write_text("hello", encoding="utf-8")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "tuban-archive-id").write_text("someone-else\n", encoding="ascii")
    old = sqlite3.connect(tmp_path / "old.db")  # an archive from before m013
    old.executescript(
        "create table articles (url); create table crawl_runs (run_id); create table crawl_state (key, value);"
    )
    old.close()
    given = ["--db", str(db), "--warc-dir", str(db.parent / "warc")]
    given += [arg.format(tmp=tmp_path) for arg in args]
    assert main(["verify", *given]) == ExitCode.ERROR
    err = capsys.readouterr().err
    assert expected in err and len(err.strip().splitlines()) == 1, err


def test_a_repaired_file_gets_a_repair_event_with_its_new_digest(tmp_path):
    options = {"run_id": "r1", "software": "t", "user_agent": "ua", "robots_policy": "obey"}
    writer = WarcWriter(tmp_path, **options)
    writer.open()
    writer.write_exchange(
        "http://x.test/a", "GET", [], 200, "OK", [], b"hello", datetime.now(timezone.utc)
    )
    assert writer._fh is not None  # noqa: SLF001 (a kill: the file is left .open)
    writer._fh.write(b"\x1f\x8b torn")  # noqa: SLF001
    writer._fh.close()  # noqa: SLF001
    writer._close_index()  # noqa: SLF001
    writer._lock.close()  # noqa: SLF001 (the kernel drops a dead process's lock)
    again = WarcWriter(tmp_path, **{**options, "run_id": "r2"})
    again.open()
    again.close()
    events = repair_events(tmp_path, again.repairs, "r2", fixity.agent())
    assert len(events) == 1 and events[0].event_type == fixity.REPAIR
    repaired = tmp_path / events[0].object
    assert events[0].digest == "sha256:" + hashlib.sha256(repaired.read_bytes()).hexdigest()
    assert "kept 3 records" in events[0].detail


def _wacz_validate() -> list[str] | None:
    """Return py-wacz's ``wacz`` beside pywb (TUBAN_PYWB), or the replay environment's, or None."""
    wayback = os.environ.get("TUBAN_PYWB")
    for candidate in (
        Path(wayback).with_name("wacz") if wayback else None,
        REPO / ".venv-replay" / "bin" / "wacz",
    ):
        if candidate is not None and candidate.is_file():
            return [str(candidate), "validate", "-f"]
    return None


def _assert_valid_bag(bag_dir: Path) -> None:
    bagit.Bag(str(bag_dir)).validate()  # the library's own validator: raises if not
    done = subprocess.run(
        [str(Path(sys.executable).with_name("bagit.py")), "--validate", str(bag_dir)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and "is valid" in done.stderr, done.stderr[-2000:]
    copy = sqlite3.connect(bag_dir / "data" / "archive.db")
    assert copy.execute("pragma integrity_check").fetchone()[0] == "ok"
    copy.close()
    wacz = _wacz_validate()
    if wacz is not None:
        done = subprocess.run(
            [*wacz, str(bag_dir / "data" / "archive.wacz")], capture_output=True, text=True
        )
        assert done.returncode == 0 and "valid" in done.stdout, done.stdout + done.stderr


def test_a_bag_validates_with_bagit_and_its_wacz_with_wacz_validate(crawled, tmp_path, capsys):
    db = _copy(crawled, tmp_path)
    warcs = sorted(path.name for path in (db.parent / "warc").glob("*.warc.gz"))
    bag_dir = tmp_path / "bag"
    given = ["--db", str(db), "--warc-dir", str(db.parent / "warc"), "--output", str(bag_dir)]
    assert main(["bag", *given, "--operator", "arsip@example.org"]) == ExitCode.OK
    assert "a valid BagIt bag" in capsys.readouterr().out
    _assert_valid_bag(bag_dir)
    assert sorted(path.name for path in (bag_dir / "data" / "warc").glob("*.warc.gz")) == warcs
    info = bagit.Bag(str(bag_dir)).info
    assert info["Operator"] == "arsip@example.org" and info["Site"].startswith("127.0.0.1:")
    assert main(["bag", *given[:4], "--output", str(tmp_path / "b3")]) == ExitCode.OK
    assert bagit.Bag(str(tmp_path / "b3")).info["Operator"] == OPERATOR  # the crawl's, by default
    assert info["Software"].startswith("tuban-crawler ") and info["Runs"].startswith("1 run, ")
    assert {"manifest-sha256.txt", "manifest-sha512.txt"} <= {p.name for p in bag_dir.iterdir()}
    events = (bag_dir / "data" / "fixity_events.csv").read_text(encoding="utf-8")
    assert "capture" in events and "event_type" in events.splitlines()[0]
    # Again into the same folder: refused, one line.
    assert main(["bag", *given]) == ExitCode.ERROR
    assert "not an empty folder" in capsys.readouterr().err
    assert main(["bag", *given[:4], "--output", str(tmp_path / "b2"), "--since", "2999-01-01"]) == 0
    assert not list((tmp_path / "b2" / "data" / "warc").glob("*.warc.gz"))


def test_verify_and_bag_beside_a_running_crawl_block_nothing_and_stay_valid(tmp_path):
    db = tmp_path / "live" / "archive.db"
    db.parent.mkdir()
    warc_dir = db.parent / "warc"
    with PortalServer(articles=12, seed=6, edition=1) as portal:
        command = crawl_command(
            db, portal.base_url, "-s", "WARC_MAX_FILE_BYTES=20000", "-s", "DOWNLOAD_DELAY=0.15"
        )
        process = subprocess.Popen(
            command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not (
                list(warc_dir.glob("*.warc.gz")) and list(warc_dir.glob("*.open"))
            ):
                time.sleep(0.1)
            assert process.poll() is None, "the crawl ended before it could be watched"
            assert main(["verify", "--db", str(db), "--warc-dir", str(warc_dir)]) == ExitCode.OK
            bag_dir = tmp_path / "bag"
            given = ["--db", str(db), "--warc-dir", str(warc_dir), "--output", str(bag_dir)]
            assert main(["bag", *given]) == ExitCode.OK
            assert process.poll() is None, "the crawl ended before the bag was made"
            # Not blocked: the crawl goes on archiving (then it is stopped, to keep the test short).
            fetched = _fetches(db)
            deadline = time.monotonic() + 60
            while process.poll() is None and _fetches(db) == fetched:
                assert time.monotonic() < deadline, "the crawl stopped archiving"
                time.sleep(0.1)
        finally:
            if process.poll() is None:
                process.terminate()  # SIGTERM: Scrapy closes cleanly, the run is recorded
            _, err = process.communicate(timeout=180)
    assert process.returncode in (ExitCode.OK, ExitCode.INTERRUPTED), err.decode()[-3000:]
    assert "Traceback" not in err.decode()
    _assert_valid_bag(bag_dir)


def _fetches(db: Path) -> int:
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return connection.execute("select count(*) from fetches").fetchone()[0]
    finally:
        connection.close()


def test_the_article_page_cites_its_version_and_the_log_is_faceted_on_outcome_and_type(
    crawled, tmp_path
):
    db = _copy(crawled, tmp_path)
    _verify(db)
    connection = sqlite3.connect(db)
    url, record_id, sha256 = connection.execute(
        "select url, warc_record_id, payload_sha256 from articles where kind = 'article' limit 1"
    ).fetchone()
    connection.close()
    datasette = serve.build_datasette(db)

    async def pages() -> list:
        await datasette.invoke_startup()
        return [
            await datasette.client.get(path)
            for path in (
                f"/archive/articles/{urllib.parse.quote(tilde_encode(url), safe='')}",
                "/archive/fixity_events.json?_shape=objects",
            )
        ]

    article, events = asyncio.run(pages())
    assert article.status_code == 200
    cite = article.text[article.text.index("Cite this version") :][:1000]
    assert html.escape(record_id) in cite and f"sha256:{sha256}" in cite
    facets = events.json()["facet_results"]
    assert {"outcome", "event_type"} <= set(facets)
    assert {row["value"] for row in facets["outcome"]["results"]} == {fixity.SUCCESS}


def test_a_file_read_in_parallel_slices_reports_what_one_pass_does(crawled, tmp_path, monkeypatch):
    db, _ = crawled
    joined = tmp_path / "joined.warc.gz"  # gzip members concatenated: still one WARC file
    joined.write_bytes(b"".join(path.read_bytes() for path in sorted(db.parent.glob("warc/*.gz"))))
    monkeypatch.setattr(verify, "_PARALLEL_MIN", 0)  # the crawl's files are small
    one_pass = scan_file(joined, sha256_at={0})
    starts = sorted(one_pass.records)
    assert len(starts) > 20 and one_pass.problems == []
    thirds = [0, starts[len(starts) // 3], starts[2 * len(starts) // 3], one_pass.size]
    sliced = verify._scan_parallel(joined, {0}, thirds, None)  # no second pass
    assert sliced is not None
    assert (sliced.records, sliced.sha256, sliced.size) == (
        one_pass.records,
        one_pass.sha256,
        one_pass.size,
    )
    assert sliced.warcinfo == one_pass.warcinfo and sliced.warcinfo
    # A start that is no member's (a row's wrong offset): the file is read again in one pass.
    middle = starts[len(starts) // 2] + 7
    assert verify._scan_parallel(joined, (), [0, middle, one_pass.size], None) is None
    assert scan_file(joined, (), [middle], workers=2).records == scan_file(joined).records
    # A damaged member in the second slice: the same problems as one pass, at the same offsets.
    data = bytearray(joined.read_bytes())
    data[starts[-3] + 30] ^= 0xFF
    joined.write_bytes(bytes(data))
    damaged = scan_file(joined, (), starts, workers=2)
    assert damaged.problems and damaged.problems == scan_file(joined).problems
    assert damaged.sha256 == hashlib.sha256(data).hexdigest()
