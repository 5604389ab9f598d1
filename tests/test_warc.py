"""Tests for tuban_crawler.warc: writing, revisits, rotation, crash repair, reading back."""

from __future__ import annotations

import gzip
import io
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tuban_crawler.warc import (
    INDEX_NAME,
    CaptureRef,
    WarcWriter,
    check_directory,
    iter_captures,
    reconstruct,
    repair_directory,
)
from tuban_crawler.warc import index as index_module
from tuban_crawler.warc.index import index_lines as warc_index_lines

UA = "tuban-crawler-test/0.1 (+https://example.org/bot)"
FETCHED_AT = datetime(2026, 11, 28, 4, 1, 2, 345678, tzinfo=timezone.utc)
HTML_HEADERS = [("Content-Type", "text/html; charset=utf-8")]


def make_writer(directory: Path, run_id: str = "run1", **options: object) -> WarcWriter:
    options.setdefault(
        "extra_info", {"isPartOf": "tuban", "operator": "https://x.test/", "description": ""}
    )
    return WarcWriter(directory, run_id, "tuban-crawler/0.1.0", UA, "obey", **options)


def exchange(writer: WarcWriter, url: str, body: bytes, **options: object) -> CaptureRef:
    arguments = {
        "url": url,
        "method": "GET",
        "request_headers": [("User-Agent", UA)],
        "status": 200,
        "reason": "OK",
        "response_headers": HTML_HEADERS,
        "body": body,
        "fetched_at": FETCHED_AT,
    }
    arguments.update(options)
    return writer.write_exchange(**arguments)


def records(path: Path) -> list[dict]:
    """Every record of PATH as a dict of its WARC headers plus type, offset and length."""
    result = []
    with open(path, "rb") as fh:
        iterator = ArchiveIterator(fh)
        for record in iterator:
            http = record.http_headers
            body = record.content_stream().read()
            result.append(
                {
                    **dict(record.rec_headers.headers),
                    "type": record.rec_type,
                    "offset": iterator.get_record_offset(),
                    "length": iterator.get_record_length(),
                    "http": dict(http.headers) if http else {},
                    "statusline": http.statusline if http else None,
                    "body": body,
                }
            )
    return result


def index_lines(directory: Path) -> list[dict]:
    """The CDXJ index of DIRECTORY, one dict per line (its JSON plus urlkey and timestamp)."""
    result = []
    for line in (directory / INDEX_NAME).read_text().splitlines():
        urlkey, timestamp, data = line.split(" ", 2)
        fields = json.loads(data)
        result.append(
            {**fields, "urlkey": urlkey, "timestamp": timestamp, "offset": int(fields["offset"])}
        )
    return result


FILE_NAME = re.compile(r"tuban-\d{17}-(\d{5})-[A-Za-z0-9.-]+\.warc\.gz")


def warc_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.warc.gz"))


# --- writing ---------------------------------------------------------------------------


def test_file_opens_with_warcinfo_then_request_response_pairs(tmp_path: Path) -> None:
    with make_writer(tmp_path) as writer:
        first = exchange(writer, "https://tubankab.go.id/entry/a?x=1", b"<p>a</p>")
        second = exchange(writer, "https://tubankab.go.id/entry/b", b"<p>b</p>")

    [path] = warc_files(tmp_path)
    assert FILE_NAME.fullmatch(path.name) and FILE_NAME.fullmatch(path.name)[1] == "00000"
    warcinfo, response, request, *_ = found = records(path)
    assert [r["type"] for r in found] == ["warcinfo", "response", "request", "response", "request"]
    assert all(r["WARC-Warcinfo-ID"] == warcinfo["WARC-Record-ID"] for r in found[1:])
    info = warcinfo["body"].decode()
    for expected in (
        "software: tuban-crawler/0.1.0",
        f"http-header-user-agent: {UA}",
        "robots: obey",
        "run-id: run1",
        "format: WARC File Format 1.1",
        f"hostname: {socket.gethostname()}",
        "isPartOf: tuban",
        "operator: https://x.test/",
    ):
        assert expected in info
    assert warcinfo["WARC-Filename"] == path.name
    assert response["WARC-Payload-Digest"] == first.payload_digest
    assert response["WARC-Block-Digest"].startswith("sha1:")
    assert response["WARC-Date"] == "2026-11-28T04:01:02.345678Z"
    assert response["statusline"] == "200 OK" and response["body"] == b"<p>a</p>"
    assert request["WARC-Concurrent-To"] == response["WARC-Record-ID"] == first.record_id
    assert request["statusline"] == "/entry/a?x=1 HTTP/1.1"
    assert request["http"] == {"Host": "tubankab.go.id", "User-Agent": UA}
    assert (first.offset, first.length) == (response["offset"], response["length"])
    assert (second.filename, second.record_type) == (path.name, "response")
    assert "description:" not in info  # empty fields are left out
    assert [
        (line["urlkey"], line["offset"], line["mime"], line["status"], line["filename"])
        for line in index_lines(tmp_path)
    ] == [
        ("id,go,tubankab)/entry/a?x=1", first.offset, "text/html", "200", path.name),
        ("id,go,tubankab)/entry/b", second.offset, "text/html", "200", path.name),
    ]


def test_write_before_open_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError):
        exchange(make_writer(tmp_path), "https://tubankab.go.id/", b"")
    assert not tmp_path.joinpath("run1").exists() and list(tmp_path.iterdir()) == []


def test_headers_are_made_consistent_with_the_stored_body(tmp_path: Path) -> None:
    page = b"<html>decoded by the client</html>"
    with make_writer(tmp_path) as writer:
        exchange(
            writer,
            "https://tubankab.go.id/",
            page,
            content_decoded=True,
            response_headers=[
                ("Content-Type", "text/html"),
                ("Content-Encoding", "gzip"),
                ("Content-Length", "17"),
                ("Transfer-Encoding", "chunked"),
            ],
        )
    response = records(warc_files(tmp_path)[0])[1]
    assert response["http"] == {
        "Content-Type": "text/html",
        "X-Archive-Orig-Content-Encoding": "gzip",
        "X-Archive-Orig-Content-Length": "17",
        "X-Archive-Orig-Transfer-Encoding": "chunked",
    }
    assert response["body"] == page
    assert check_directory(tmp_path) == []


def test_truncated_body_is_marked_and_never_a_revisit(tmp_path: Path) -> None:
    with make_writer(tmp_path) as writer:
        exchange(writer, "https://tubankab.go.id/", b"partial")
        ref = exchange(writer, "https://tubankab.go.id/", b"partial", truncated="disconnect")
    assert ref.record_type == "response"
    assert records(warc_files(tmp_path)[0])[3]["WARC-Truncated"] == "disconnect"


# --- checking --------------------------------------------------------------------------


def test_warcio_check_passes_through_api_and_command_line(tmp_path: Path) -> None:
    with make_writer(tmp_path) as writer:
        exchange(writer, "https://tubankab.go.id/", b"<p>home</p>")
        exchange(writer, "https://tubankab.go.id/", b"<p>home</p>")  # a revisit
        exchange(writer, "https://tubankab.go.id/robots.txt", b"", status=404, reason="Not Found")

    assert check_directory(tmp_path) == []
    result = subprocess.run(
        [sys.executable, "-m", "warcio.cli", "check", "-v", *map(str, warc_files(tmp_path))],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "digest pass" in result.stdout and "failed" not in result.stdout


def test_check_directory_reports_damaged_and_unfinished_files(tmp_path: Path) -> None:
    with make_writer(tmp_path) as writer:
        exchange(writer, "https://tubankab.go.id/", b"<p>home</p>" * 100)
    [path] = warc_files(tmp_path)
    data = bytearray(path.read_bytes())
    data[-30] ^= 0xFF  # inside the deflate stream or CRC of the last record
    path.write_bytes(bytes(data))
    tmp_path.joinpath("tuban-x-00000.warc.gz.open").write_bytes(b"")

    problems = check_directory(tmp_path)
    assert len(problems) == 2
    assert problems[0].startswith("tuban-x-00000.warc.gz.open: unfinished")
    assert problems[1].startswith(path.name)


# --- revisits --------------------------------------------------------------------------


def test_identical_payload_in_a_later_run_is_a_revisit(tmp_path: Path) -> None:
    with make_writer(tmp_path, "run1") as writer:
        original = exchange(writer, "https://tubankab.go.id/entry/a", b"same")
        exchange(writer, "https://tubankab.go.id/entry/b", b"old")
    later = FETCHED_AT + timedelta(days=1)
    with make_writer(tmp_path, "run2") as writer:
        revisit = exchange(
            writer,
            "https://tubankab.go.id/entry/a",
            b"same",
            fetched_at=later,
            response_headers=[*HTML_HEADERS, ("ETag", '"2"')],
        )
        changed = exchange(writer, "https://tubankab.go.id/entry/b", b"new", fetched_at=later)

    assert (revisit.record_type, changed.record_type) == ("revisit", "response")
    assert revisit.payload_digest == original.payload_digest
    record = records(tmp_path / revisit.filename)[1]
    assert record["WARC-Profile"] == (
        "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
    )
    assert record["WARC-Refers-To"] == original.record_id
    assert record["WARC-Refers-To-Target-URI"] == "https://tubankab.go.id/entry/a"
    assert record["WARC-Refers-To-Date"] == "2026-11-28T04:01:02.345678Z"
    assert record["http"] == {"Content-Type": "text/html; charset=utf-8", "ETag": '"2"'}
    assert record["body"] == b""
    assert check_directory(tmp_path) == []


def test_revisit_of_a_revisit_refers_to_the_original_response(tmp_path: Path) -> None:
    for run in ("run1", "run2", "run3"):
        with make_writer(tmp_path, run) as writer:
            refs = [
                exchange(writer, "https://tubankab.go.id/", b"same"),
                exchange(writer, "https://tubankab.go.id/", b"same"),
            ]  # a retry
            if run == "run1":
                original = refs[0]
    revisits = [c for c in iter_captures(tmp_path) if c.record_type == "revisit"]
    assert len(revisits) == 5
    assert {c.refers_to for c in revisits} == {original.record_id}


def test_changed_payload_is_a_response_and_becomes_the_new_original(tmp_path: Path) -> None:
    bodies = [b"v1", b"v2", b"v2", b"v1"]
    with make_writer(tmp_path) as writer:
        refs = [exchange(writer, "https://tubankab.go.id/", body) for body in bodies]
    assert [ref.record_type for ref in refs] == ["response", "response", "revisit", "response"]


@pytest.mark.parametrize(
    "sort_run_lines", [index_module.SORT_RUN_LINES, 2]
)  # 2: merged from many sorted runs
def test_the_writers_index_is_the_one_cdxj_indexer_makes_of_its_files(
    tmp_path: Path, monkeypatch, sort_run_lines: int
) -> None:
    monkeypatch.setattr(index_module, "SORT_RUN_LINES", sort_run_lines)
    url = "https://tubankab.go.id/entry/a"
    with make_writer(tmp_path, "run1") as writer:
        exchange(
            writer, url, b"<p>full article</p>", response_headers=[*HTML_HEADERS, ("ETag", '"1"')]
        )
        exchange(
            writer, "https://tubankab.go.id/entry/copy", b"<p>full article</p>"
        )  # same payload elsewhere
        exchange(writer, "https://tubankab.go.id/missing", b"gone", status=404, reason="Not Found")
        exchange(
            writer,
            "https://tubankab.go.id/x.png",
            b"\x89PNG",
            response_headers=[("Content-Type", "image/png")],
        )
        exchange(writer, "https://tubankab.go.id/bare", b"no type", response_headers=[])
        exchange(writer, "https://tubankab.go.id/cut", b"half", truncated="length")
        exchange(writer, "https://tubankab.go.id/?q=Tuban%20Bumi%20Wali&a=1", b"listing")
    with make_writer(tmp_path, "run2") as writer:
        exchange(
            writer, url, b"<p>full article</p>", fetched_at=FETCHED_AT + timedelta(days=1)
        )  # a revisit
        exchange(
            writer,
            url,
            b"",
            status=304,
            reason="Not Modified",
            response_headers=[("ETag", '"1"')],
            fetched_at=FETCHED_AT + timedelta(days=2),
        )
        # a 304 for a URL never captured in full: a response with no page, left out of the index
        exchange(
            writer,
            url + "/",
            b"",
            status=304,
            reason="Not Modified",
            response_headers=[("ETag", '"1"')],
        )
    written = (tmp_path / INDEX_NAME).read_text().splitlines(keepends=True)
    assert len(written) == 9
    assert written == sorted(warc_index_lines(warc_files(tmp_path)))


# --- files -----------------------------------------------------------------------------


def test_rotation_starts_a_new_file_with_its_own_warcinfo(tmp_path: Path) -> None:
    with make_writer(tmp_path, max_file_bytes=1) as writer:
        refs = [exchange(writer, f"https://tubankab.go.id/{n}", b"x%d" % n) for n in range(3)]

    paths = warc_files(tmp_path)
    assert [FILE_NAME.fullmatch(p.name)[1] for p in paths] == ["00000", "00001", "00002"]
    assert [ref.filename for ref in refs] == [p.name for p in paths]
    for path in paths:
        found = records(path)
        assert [r["type"] for r in found] == ["warcinfo", "response", "request"]
        assert found[0]["WARC-Filename"] == path.name
    assert check_directory(tmp_path) == []


def test_a_reused_run_id_never_overwrites_a_file(tmp_path: Path) -> None:
    for _ in range(2):
        with make_writer(tmp_path, "nightly") as writer:
            exchange(writer, "https://tubankab.go.id/", b"x")
    assert len(warc_files(tmp_path)) == 2


# --- repair after a kill ---------------------------------------------------------------


def _written_file(directory: Path) -> Path:
    """A finished file of 6 exchanges with bodies of various sizes."""
    rng = random.Random(7)
    with make_writer(directory, "killed") as writer:
        for n in range(6):
            body = bytes(rng.getrandbits(8) for _ in range(rng.choice([0, 40, 3000])))
            exchange(writer, f"https://tubankab.go.id/entry/{n}", body)
    return warc_files(directory)[0]


@pytest.mark.parametrize("cut", [0.0, 0.01, 0.2, 0.37, 0.5, 0.63, 0.81, 0.999, 1.0])
def test_repair_keeps_every_complete_record_of_a_cut_file(tmp_path: Path, cut: float) -> None:
    source = _written_file(tmp_path / "source")
    original = records(source)
    size = source.stat().st_size
    cut_at = int(size * cut)
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    unfinished = crashed / (source.name + ".open")
    unfinished.write_bytes(source.read_bytes()[:cut_at])
    shutil.copy(tmp_path / "source" / INDEX_NAME, crashed / INDEX_NAME)
    expected = [r for r in original if r["offset"] + r["length"] <= cut_at]

    with make_writer(crashed, "next"):
        pass

    assert not list(crashed.glob("*.open"))
    assert check_directory(crashed) == []
    repaired = crashed / source.name
    if not expected:
        assert not repaired.exists()
    else:
        assert [r["WARC-Record-ID"] for r in records(repaired)] == [
            r["WARC-Record-ID"] for r in expected
        ]
        assert repaired.stat().st_size == expected[-1]["offset"] + expected[-1]["length"]
    assert sorted(line["offset"] for line in index_lines(crashed)) == [
        r["offset"] for r in expected if r["type"] == "response"
    ]


def test_an_index_torn_while_a_file_is_written_is_rebuilt_when_it_is_finished(
    tmp_path: Path,
) -> None:
    with make_writer(tmp_path, "run1") as writer:
        exchange(writer, "https://tubankab.go.id/", b"x")
    with make_writer(tmp_path, "run2") as writer:
        exchange(writer, "https://tubankab.go.id/entry/a", b"y")
        with open(tmp_path / INDEX_NAME, "a") as fh:
            fh.write("com,example)/ 2026")  # no CDXJ line: which file's it was is unknown
    written = (tmp_path / INDEX_NAME).read_text().splitlines(keepends=True)
    assert written == sorted(warc_index_lines(warc_files(tmp_path))) and len(written) == 2


def test_open_rebuilds_a_torn_index(tmp_path: Path) -> None:
    with make_writer(tmp_path) as writer:
        exchange(writer, "https://tubankab.go.id/", b"x")
    with open(tmp_path / INDEX_NAME, "a") as fh:
        fh.write("com,example)/ 2026")
    assert repair_directory(tmp_path) == []
    with make_writer(tmp_path, "next"):
        pass
    assert [line["url"] for line in index_lines(tmp_path)] == ["https://tubankab.go.id/"]


_KILLED_WRITER = textwrap.dedent("""
    import sys
    from datetime import datetime, timezone
    from pathlib import Path
    from tuban_crawler.warc import WarcWriter

    writer = WarcWriter(Path(sys.argv[1]), "killed", "tuban-crawler/0.1.0", "ua", "obey",
                        max_file_bytes=200_000)
    writer.open()
    n = 0
    while True:
        body = (b"%d " % n) * (n % 5000)
        writer.write_exchange(f"https://tubankab.go.id/{n % 50}", "GET", [], 200, "OK",
                              [], body, datetime.now(timezone.utc))
        n += 1
""")


def test_sigkill_mid_write_loses_no_indexed_capture(tmp_path: Path) -> None:
    process = subprocess.Popen([sys.executable, "-c", _KILLED_WRITER, str(tmp_path)])
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            index = tmp_path / INDEX_NAME
            if index.exists() and index.stat().st_size > 100_000:
                break
            time.sleep(0.01)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    complete_before = index_lines(tmp_path)

    with make_writer(tmp_path, "next") as writer:
        exchange(writer, "https://tubankab.go.id/after", b"after the kill")

    assert check_directory(tmp_path) == []
    on_disk = {(c.filename, c.offset): c.payload_digest for c in iter_captures(tmp_path)}
    for entry in complete_before:
        assert on_disk[(entry["filename"], entry["offset"])] == entry["digest"]
    assert {(e["filename"], e["offset"]): e["digest"] for e in index_lines(tmp_path)} == on_disk


# --- reading back ----------------------------------------------------------------------


def test_reconstruct_follows_a_revisit_and_decodes_the_body(tmp_path: Path) -> None:
    page = b"<html><h1>Bupati Tuban</h1></html>"
    encoded = gzip.compress(page, mtime=0)
    headers = [("Content-Type", "text/html"), ("Content-Encoding", "gzip")]
    with make_writer(tmp_path, "run1") as writer:
        original = exchange(
            writer, "https://tubankab.go.id/entry/1", encoded, response_headers=headers
        )
    with make_writer(tmp_path, "run2") as writer:
        revisit = exchange(
            writer,
            "https://tubankab.go.id/entry/1",
            encoded,
            response_headers=[*headers, ("X-Run", "2")],
            fetched_at=FETCHED_AT + timedelta(days=1),
        )

    rebuilt = reconstruct(tmp_path, "https://tubankab.go.id/entry/1")
    assert rebuilt.body == page
    assert rebuilt.status == 200
    assert ("X-Run", "2") in rebuilt.headers
    assert rebuilt.record_id == revisit.record_id
    assert rebuilt.payload_record_id == original.record_id


def test_reconstruct_reads_the_warc_files_not_the_index(tmp_path: Path) -> None:
    with make_writer(tmp_path) as writer:
        exchange(writer, "https://tubankab.go.id/", b"home")
    (tmp_path / INDEX_NAME).unlink()
    assert reconstruct(tmp_path, "https://tubankab.go.id/").body == b"home"


def test_reconstruct_unknown_url_raises_key_error(tmp_path: Path) -> None:
    with make_writer(tmp_path) as writer:
        exchange(writer, "https://tubankab.go.id/", b"home")
    with pytest.raises(KeyError):
        reconstruct(tmp_path, "https://tubankab.go.id/never")


def test_two_writers_cannot_share_a_directory(tmp_path: Path) -> None:
    with make_writer(tmp_path, "first"):
        with pytest.raises(RuntimeError, match="another crawl"):
            make_writer(tmp_path, "second").open()
    with make_writer(tmp_path, "third") as writer:  # the lock went with the first writer
        exchange(writer, "https://tubankab.go.id/", b"x")
    assert not list(tmp_path.glob("*.open"))


def test_a_failed_write_leaves_earlier_records_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer = make_writer(tmp_path)
    writer.open()
    kept = exchange(writer, "https://tubankab.go.id/1", b"one")
    real_write_record = WARCWriter.write_record

    def torn_write(self: WARCWriter, record: object, params: object = None) -> None:
        self.out.write(b"\x1f\x8b\x08\x00 torn")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(WARCWriter, "write_record", torn_write)
    with pytest.raises(OSError):
        exchange(writer, "https://tubankab.go.id/2", b"two")
    monkeypatch.setattr(WARCWriter, "write_record", real_write_record)
    after = exchange(writer, "https://tubankab.go.id/3", b"three")
    writer.close()
    assert after.filename != kept.filename

    with make_writer(tmp_path, "next"):
        pass
    assert check_directory(tmp_path) == []
    assert [c.url for c in iter_captures(tmp_path)] == [
        "https://tubankab.go.id/1",
        "https://tubankab.go.id/3",
    ]


# --- 304 and archives from before the CDXJ index ---------------------------------------


def test_not_modified_is_a_revisit_that_rebuilds_the_full_page(tmp_path: Path) -> None:
    url = "https://tubankab.go.id/entry/a"
    with make_writer(tmp_path, "run1") as writer:
        original = exchange(
            writer, url, b"<p>full article</p>", response_headers=[*HTML_HEADERS, ("ETag", '"1"')]
        )
    for day in (1, 2):
        with make_writer(tmp_path, f"run{day + 1}") as writer:
            not_modified = exchange(
                writer,
                url,
                b"",
                status=304,
                reason="Not Modified",
                response_headers=[("ETag", '"1"')],
                fetched_at=FETCHED_AT + timedelta(days=day),
            )

    assert not_modified.record_type == "revisit"
    assert not_modified.payload_digest == original.payload_digest
    record = records(tmp_path / not_modified.filename)[1]
    assert record["WARC-Profile"] == "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
    assert record["WARC-Refers-To"] == original.record_id
    assert record["WARC-Refers-To-Date"] == "2026-11-28T04:01:02.345678Z"
    assert record["statusline"] is None and record["body"] == b""
    rebuilt = reconstruct(tmp_path, url)
    assert (rebuilt.status, rebuilt.body) == (200, b"<p>full article</p>")
    assert ("ETag", '"1"') in rebuilt.headers
    assert (
        rebuilt.record_id == not_modified.record_id
        and rebuilt.payload_record_id == original.record_id
    )
    assert check_directory(tmp_path) == []


def _legacy_archive(directory: Path) -> Path:
    """A file as archives before issue 11 hold them: a 304 as an empty response, a JSON index."""
    directory.mkdir()
    path = directory / "tuban-20261128T040000-00000.warc.gz"
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True, warc_version="1.1")
        for day, status, body in ((0, "200 OK", b"<p>old page</p>"), (1, "304 Not Modified", b"")):
            http = StatusAndHeaders(status, [("Content-Type", "text/html")], protocol="HTTP/1.1")
            date = (FETCHED_AT + timedelta(days=day)).strftime("%Y-%m-%dT%H:%M:%SZ")
            writer.write_record(
                writer.create_warc_record(
                    "https://tubankab.go.id/entry/old",
                    "response",
                    payload=io.BytesIO(body),
                    length=len(body),
                    http_headers=http,
                    warc_headers_dict={"WARC-Date": date},
                )
            )
    (directory / INDEX_NAME).write_text(
        '{"url": "https://tubankab.go.id/entry/old", "filename": "x"}\n'
    )
    return path


def test_archive_from_before_the_cdxj_index_keeps_working(tmp_path: Path) -> None:
    legacy = _legacy_archive(tmp_path / "warc")
    assert (
        reconstruct(tmp_path / "warc", "https://tubankab.go.id/entry/old").body
        == b"<p>old page</p>"
    )
    with make_writer(tmp_path / "warc", "next") as writer:
        exchange(
            writer,
            "https://tubankab.go.id/entry/old",
            b"<p>old page</p>",
            fetched_at=FETCHED_AT + timedelta(days=2),
        )
    assert legacy.exists()  # read, not renamed
    lines = index_lines(tmp_path / "warc")
    assert [(line["filename"], line["mime"]) for line in lines] == [
        (legacy.name, "text/html"),
        (warc_files(tmp_path / "warc")[1].name, "warc/revisit"),
    ]
