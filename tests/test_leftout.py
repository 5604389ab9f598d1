"""What the archive leaves out: which links are to the regency's hosts not in scope, counted with a cap."""

from __future__ import annotations

import pytest

from tuban_crawler.crawl.outcome import CrawlOutcome, format_report, left_out_lines
from tuban_crawler.discover.leftout import LeftOut, families, family, left_out_origin
from tuban_crawler.discover.urls import scope_of

PORTAL = scope_of("https://tubankab.go.id", ["diskominfo.tubankab.go.id"])
LOCAL = scope_of("http://127.0.0.1:8001", ["127.0.0.1:8002", "localhost:8003"])


@pytest.mark.parametrize(
    "url, scope, origin",
    [
        # the real portal: its subdomains are the regency's (go.id is a public suffix)
        ("https://ppid.tubankab.go.id/page/12", PORTAL, "https://ppid.tubankab.go.id"),
        (
            "http://WWW.Ayoningtuban.TubanKab.go.id/blog/x",
            PORTAL,
            "http://ayoningtuban.tubankab.go.id",
        ),
        ("https://selaras.tubankab.go.id:8443/", PORTAL, "https://selaras.tubankab.go.id:8443"),
        ("https://diskominfo.tubankab.go.id/entry/x", PORTAL, None),  # in scope
        ("https://www.tubankab.go.id/entry/x", PORTAL, None),  # in scope (www. dropped)
        ("https://tubankab.go.id:8080/x", PORTAL, "https://tubankab.go.id:8080"),  # another port
        ("https://jatimprov.go.id/berita", PORTAL, None),  # another government: not the regency's
        ("https://go.id/", PORTAL, None),  # a public suffix is nobody's
        ("https://tubankab.go.id.example.com/", PORTAL, None),
        ("mailto:humas@tubankab.go.id", PORTAL, None),
        ("ftp://files.tubankab.go.id/a", PORTAL, None),
        ("http://[::1/x", PORTAL, None),  # malformed
        # the test portal: sites are one address's ports
        ("http://127.0.0.1:8004/entry/x", LOCAL, "http://127.0.0.1:8004"),
        ("http://127.0.0.1/", LOCAL, "http://127.0.0.1"),
        ("http://127.0.0.1:8002/x", LOCAL, None),
        ("http://localhost:8005/x", LOCAL, "http://localhost:8005"),
        ("http://127.0.0.2:8004/x", LOCAL, None),  # another address
        ("http://example.org/", LOCAL, None),
    ],
)
def test_a_link_is_left_out_when_it_is_the_regencys_and_not_in_scope(url, scope, origin):
    assert left_out_origin(url, scope, families(scope)) == origin


def test_a_host_without_a_public_suffix_is_its_own_family():
    assert family("localhost") == "localhost"
    assert family("intranet") == "intranet"
    assert family("[::1]") == "::1"


def test_links_are_counted_per_origin_once_per_page_and_the_hosts_kept_are_capped():
    left = LeftOut(PORTAL, max_hosts=2)
    page = [
        "https://ppid.tubankab.go.id/page/1",
        "https://ppid.tubankab.go.id/page/1",  # the same link twice on one page: once
        "https://ppid.tubankab.go.id/page/2",
        "https://selaras.tubankab.go.id/",
        "https://tubankab.go.id/entry/x",
        "https://example.org/",
    ]
    assert left.count(page) == 3
    assert left.count(page) == 3  # another page linking the same: counted again
    assert left.count(["https://siplah.tubankab.go.id/", "https://ppid.tubankab.go.id/"]) == 2
    assert left.report() == {
        "hosts": {"https://ppid.tubankab.go.id": 5, "https://selaras.tubankab.go.id": 2},
        "more_links": 1,  # siplah. came past the cap of two hosts
    }


def test_the_report_names_each_host_with_its_links_and_the_command_that_adds_it():
    report = {
        "hosts": {f"http://127.0.0.1:80{n:02d}": 20 - n for n in range(7)},
        "more_links": 3,
    }
    lines = left_out_lines(report, "/srv/tuban archive.db")
    assert lines[0] == (
        "  left out: http://127.0.0.1:8000 (20 links): add it with "
        "`tuban-crawler sites add http://127.0.0.1:8000 --db '/srv/tuban archive.db'`"
    )
    assert lines[5:] == [
        "  left out too: 2 more of the regency's hosts (29 links),"
        " listed in the run's report (crawl_runs.report, left_out)",
        "  left out too: 3 links to hosts past the 7 counted by name",
    ]
    outcome = CrawlOutcome(
        "r1", "ok", 0, {"finish_reason": "finished", "left_out": report}, db_path="a.db"
    )
    assert "left out: http://127.0.0.1:8001 (19 links)" in format_report(outcome)
    assert "left out" not in format_report(
        CrawlOutcome("r1", "ok", 0, {"finish_reason": "finished"})
    )
