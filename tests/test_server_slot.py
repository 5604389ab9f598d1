"""One server, one budget: three sites on one address crawled as one, measured from the server's own log.

One crawl (module-scoped) of three sites on 127.0.0.1 (one of them addressed as ``localhost``,
a name that resolves to that address) with ``CONCURRENT_REQUESTS_PER_IP=1`` semantics (slots
per address, ``TUBAN_SLOTS_PER_ADDRESS``, one request at a time), AutoThrottle on and a delay, each answer taking longer than the shortest delay Scrapy's jitter allows: two requests
in flight at once, or two requests closer than the delay, would show in the log.
"""

from __future__ import annotations

import asyncio
import json
from itertools import pairwise

import pytest
from scrapy.http import Request
from scrapy.settings import default_settings
from scrapy.utils.test import get_crawler

from tests.e2e import crawl, rows
from tests.logged_sites import FLAKY, RETRY_AFTER, LoggedSites, story
from tuban_crawler.crawl.downloadermiddlewares.retry_after import jitter_of, set_jitter
from tuban_crawler.crawl.downloadermiddlewares.server_slot import (
    ServerSlotMiddleware,
    literal_address,
)
from tuban_crawler.crawl.runner import per_ip_as_per_address, project_settings

DELAY = 0.1
#: Scrapy varies each delay by +-DOWNLOAD_DELAY_JITTER (core/downloader: ``Slot.download_delay``);
#: AutoThrottle never takes a slot's delay below DOWNLOAD_DELAY (extensions/throttle: mindelay).
#: (Scrapy before 2.19: RANDOMIZE_DOWNLOAD_DELAY, the same +-50%.)
SHORTEST_GAP = DELAY * (1 - getattr(default_settings, "DOWNLOAD_DELAY_JITTER", 0.5))
#: Arrivals are stamped by the server, requests started by the crawler: connection set-up differs.
SLACK = 0.01


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    folder = tmp_path_factory.mktemp("shared")
    with LoggedSites(4, hosts=("127.0.0.1", "localhost")) as sites:
        extra = f"{sites.origin(1).split('//')[1]},{sites.origin(2).split('//')[1]}"
        result = crawl(
            folder / "a.db",
            sites.origin(0),
            "-s",
            f"TUBAN_EXTRA_HOSTS={extra}",
            "-s",
            # Scrapy's own name, as an archivist would write it (deprecated by Scrapy 2.19,
            # refused by its default queue): here, slots per address, one request at a time.
            "CONCURRENT_REQUESTS_PER_IP=1",
            "-s",
            f"DOWNLOAD_DELAY={DELAY}",
            "-s",
            "AUTOTHROTTLE_ENABLED=True",
            "-s",
            f"AUTOTHROTTLE_START_DELAY={DELAY}",
            timeout=60,
        )
        hits = sorted(sites.hits, key=lambda h: h.arrived)
    assert result.returncode in (0, 3), result.stdout + result.stderr[-3000:]
    assert "Traceback" not in result.stderr and "PER_IP setting is deprecated" not in result.stderr
    return sites, hits, result, folder / "a.db"


def test_the_three_sites_were_crawled(shared):
    sites, hits, _, db = shared
    fetched = {(h.site, h.path) for h in hits}
    assert {(i, "/robots.txt") for i in range(3)} <= fetched  # robots.txt per host and port
    assert {(i, story(i, k)) for i in range(3) for k in range(3)} <= fetched
    titles = {r["title"] for r in rows(db, "select title from articles")}
    assert {f"Berita story-{i}-0 situs {i}" for i in range(3)} <= titles


def test_never_two_requests_in_flight_to_the_shared_address(shared):
    _, hits, _, _ = shared
    assert len(hits) > 15
    overlaps = [(a, b) for a, b in pairwise(hits) if b.arrived < a.done]
    assert not overlaps


def test_the_delay_is_honoured_between_requests_to_any_of_the_sites(shared):
    _, hits, _, _ = shared
    gaps = [(b.arrived - a.arrived, a, b) for a, b in pairwise(hits)]
    assert min(gaps, key=lambda g: g[0])[0] >= SHORTEST_GAP - SLACK, min(gaps, key=lambda g: g[0])
    # Consecutive requests went to different sites too: the delay is the address's, not a site's.
    assert any(a.site != b.site for _, a, b in gaps)


def test_a_retry_after_from_one_site_slows_all_three(shared):
    _, hits, _, _ = shared
    busy = [i for i, h in enumerate(hits) if h.path == FLAKY and h.status == 503]
    assert len(busy) == 1
    answered, following = hits[busy[0]], hits[busy[0] + 1]
    assert following.arrived - answered.done >= RETRY_AFTER - SLACK, following
    assert any(h.path == FLAKY and h.status == 200 for h in hits)  # retried after the pause


def test_robots_txt_is_read_and_applied_per_host(shared):
    _, hits, _, _ = shared
    fetched = {(h.site, h.path) for h in hits}
    # The second site's robots.txt disallows /entry/secret-; the first site's does not.
    assert (0, "/entry/secret-0") in fetched
    assert (1, "/entry/secret-1") not in fetched
    assert sum(h.path == "/robots.txt" and h.site == 1 for h in hits) == 1


def test_a_site_linked_and_not_added_is_named_with_its_links_and_nothing_of_it_is_fetched(shared):
    sites, hits, result, db = shared
    assert not [h for h in hits if h.site == 3]
    # The first site's home page links the fourth site four times (three stories and its home).
    homes = sum(h.site == 0 and h.path == "/" and h.status == 200 for h in hits)
    left_out = sites.origin(3)
    (report,) = [json.loads(r["report"]) for r in rows(db, "select report from crawl_runs")]
    assert report["left_out"] == {"hosts": {left_out: 4 * homes}, "more_links": 0}
    assert (
        f"left out: {left_out} ({4 * homes} links): add it with "
        f"`tuban-crawler sites add {left_out} --db {db}`"
    ) in result.stdout
    # The sites in scope, on the same address, are not "left out".
    assert (
        sites.origin(1) not in result.stdout and f"left out: {sites.origin(2)}" not in result.stdout
    )


def test_an_address_is_its_own_slot_a_name_is_not():
    assert literal_address("127.0.0.1") == "127.0.0.1"
    assert literal_address("localhost") is None
    assert json.dumps(literal_address("::1")) == '"::1"'


class _SlotBefore219:
    """A download slot as Scrapy before 2.19 made it: a yes/no ``randomize_delay`` (+-50%), no ``jitter``."""

    __slots__ = ("delay", "lastseen", "randomize_delay")

    def __init__(self) -> None:
        self.delay, self.lastseen, self.randomize_delay = 1.0, 0.0, True


def test_a_pause_switches_the_jitter_off_on_scrapy_before_2_19_too():
    old = _SlotBefore219()
    assert jitter_of(old) == 0.5
    set_jitter(old, 0.0)
    assert old.randomize_delay is False and jitter_of(old) == 0.0
    set_jitter(old, 0.5)
    assert old.randomize_delay is True


@pytest.mark.parametrize(
    "given, per_server, per_address",
    [
        ({"CONCURRENT_REQUESTS_PER_IP": "3"}, 3, True),
        ({}, 2, True),
        ({"TUBAN_SLOTS_PER_ADDRESS": "False"}, 2, False),
    ],
)
def test_scrapys_per_ip_setting_means_slots_per_address(given, per_server, per_address):
    settings = project_settings(given)
    per_ip_as_per_address(settings)
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == per_server
    assert settings.getbool("TUBAN_SLOTS_PER_ADDRESS") is per_address
    assert not settings["CONCURRENT_REQUESTS_PER_IP"]  # Scrapy's queue refuses anything else


@pytest.mark.parametrize(
    "meta, placed",
    [
        ({}, "127.0.0.1"),
        ({"proxy": "http://proxy.example:3128"}, None),  # the proxy resolves: Scrapy's key
        ({"download_slot": "mine"}, "mine"),  # someone else's choice is kept
        (
            {"download_slot": "10.0.0.9", "tuban_slot_host": "elsewhere.example"},
            "127.0.0.1",
        ),  # redirected
    ],
)
def test_each_request_is_placed_in_its_hosts_address_slot(meta, placed):
    middleware = ServerSlotMiddleware(get_crawler(settings_dict={"TUBAN_SLOTS_PER_ADDRESS": True}))
    middleware.proxies = {}
    request = Request("http://127.0.0.1:8001/entry/x", meta=dict(meta))
    asyncio.run(middleware.process_request(request))
    assert request.meta.get("download_slot") == placed
