"""robots.txt per RFC 9309: the rules (pure), and crawls of a portal whose robots.txt fails."""

from __future__ import annotations

import pytest
from protego import Protego
from scrapy.http import Request, TextResponse

from tests.e2e import crawl, rows
from tuban_crawler.discover.robots import RobotsRules, rules_from, url_forms
from tuban_crawler.portal import PortalServer
from tuban_crawler.warc.reader import iter_captures

ROBOTS = (
    "User-agent: otherbot\nDisallow: /\n\n"
    "User-agent: tuban-crawler\nDisallow: /admin/\nDisallow: /entry/rahasia-\n\n"
    "User-agent: *\nDisallow: /\n"
)
H = "https://tubankab.go.id"


def _response(status: int, body: str = "") -> TextResponse:
    return TextResponse(
        f"{H}/robots.txt", status=status, body=body.encode(), request=Request(f"{H}/robots.txt")
    )


@pytest.mark.parametrize(
    "path, allowed",
    [
        ("/entry/asn-dituntut", True),  # our group, not the "*" one that disallows everything
        ("/entry/rahasia-1", False),
        # issue 9: aliases of a disallowed path are disallowed too
        ("/entry//rahasia-2", False),
        ("/entry/../entry/rahasia-3", False),
        ("/entry/./rahasia-3", False),
        ("/entry/%72ahasia-4", False),
        ("/entry/%2e%2e/admin/", False),
        (
            "/entry/RAHASIA-5",
            False,
        ),  # the CMS finds the same page: its canonical form is checked too
        ("/admin", True),
    ],
)
def test_rules_are_matched_against_every_form_of_the_path(path, allowed):
    rules = rules_from(_response(200, ROBOTS))
    assert rules.allows(H + path, "tuban-crawler") is allowed


@pytest.mark.parametrize(
    "status, allows_anything",
    [
        (404, True),  # RFC 9309 2.3.1.3: unavailable, no rules
        (403, True),
        (410, True),
        (500, False),  # 2.3.1.4: unreachable, disallow everything
        (503, False),
        (429, False),
    ],
)
def test_a_robots_txt_that_is_not_there_allows_one_that_fails_disallows(status, allows_anything):
    rules = rules_from(_response(status, "<h1>error</h1>"))
    assert rules.allows(f"{H}/entry/x", "tuban-crawler") is allows_anything


def test_the_forms_checked():
    assert url_forms(f"{H}/entry/../entry//x;jsessionid=1") == [
        f"{H}/entry/../entry//x;jsessionid=1",
        f"{H}/entry/x;jsessionid=1",
        f"{H}/entry/x",
    ]
    assert RobotsRules(Protego.parse(ROBOTS)).allows("http://[::1/x", "tuban-crawler") in (
        True,
        False,
    )


# -- a portal whose robots.txt fails ----------------------------------------------------------


def test_a_robots_txt_answering_500_is_asked_again_and_nothing_is_fetched_before(tmp_path):
    # The first 6 answers are 500: Scrapy's retries use 4, the second reading gets the rules.
    with PortalServer(articles=20, faults="robots5xx") as portal:
        result = crawl(tmp_path / "a.db", portal.base_url, "-s", "TUBAN_ROBOTS_RETRY_DELAY=0.5")
        assert result.returncode == 0, result.stdout + result.stderr[-2000:]
        # 7 readings by the robots middleware; the spider reads it once more, for its Sitemap: lines,
        # and may carry the items of undated pages through one more request when idle (discovery).
        assert 7 <= portal.hits["/robots.txt"] <= 9
    order = [c.url.rsplit("/", 1)[-1] for c in iter_captures(tmp_path / "warc")]
    assert order[:7] == ["robots.txt"] * 7  # nothing else was fetched before the rules were read
    assert rows(tmp_path / "a.db", "select count(*) n from articles")[0]["n"] >= 20


@pytest.mark.parametrize("faults", ["robotsdown", "robots5xx"])
def test_a_robots_txt_that_never_answers_means_nothing_is_fetched(tmp_path, faults):
    with PortalServer(articles=20, faults=faults) as portal:
        result = crawl(
            tmp_path / "a.db",
            portal.base_url,
            "-s",
            "TUBAN_ROBOTS_RETRIES=1",
            "-s",
            "TUBAN_ROBOTS_RETRY_DELAY=0.2",
        )
        assert set(portal.hits) == {"/robots.txt"}
    assert (
        result.returncode == 3 and "robots.txt could not be read" in result.stdout + result.stderr
    )
    reasons = {r["reason"] for r in rows(tmp_path / "a.db", "select reason from failures")}
    assert reasons and all(r.startswith("robots.txt unavailable") for r in reasons)
