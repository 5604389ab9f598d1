"""Sites of an archive: origins, entry patterns, and URLs judged by their own site (discover/sites.py, discover/scope.py)."""

from __future__ import annotations

import pytest

from tuban_crawler.discover.scope import SiteScope
from tuban_crawler.discover.sites import (
    DEFAULT_ENTRY,
    EntryPattern,
    Site,
    SiteError,
    new_site,
    same_site,
    site_of,
)
from tuban_crawler.discover.urls import canonical_url, is_entry_url


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://tubankab.go.id", "https://tubankab.go.id"),
        ("https://www.TUBANKAB.go.id/entry/x?y=1#z", "https://tubankab.go.id"),
        ("http://127.0.0.1:8123/", "http://127.0.0.1:8123"),
        ("https://tubankab.go.id:443/", "https://tubankab.go.id"),
        ("http://tubankab.go.id:80", "http://tubankab.go.id"),
        ("https://tubankab.go.id:8443/x", "https://tubankab.go.id:8443"),
        ("http://[::1]:8000/x", "http://[::1]:8000"),
        # not a site
        ("ftp://tubankab.go.id/", ""),
        ("tubankab.go.id", ""),
        ("/entry/abc", ""),
        ("http://[::1", ""),
    ],
)
def test_a_site_is_an_origin(url, origin):
    assert site_of(url) == origin


@pytest.mark.parametrize(
    ("pattern", "url", "canonical"),
    [
        # the portal's CMS, as before issue 22
        (
            "/entry/<slug>",
            "https://t.go.id/entry/ABC%20/?utm_source=x",
            "https://t.go.id/entry/abc",
        ),
        ("/entry/<slug>", "https://t.go.id/entry/abc;jsessionid=1", "https://t.go.id/entry/abc"),
        ("/entry/<slug>", "https://t.go.id/entry/", None),
        ("/entry/<slug>", "https://t.go.id/berita", None),
        # numbered pages (ppid.)
        ("/page/<id>", "https://ppid.t.go.id/page/12?ref=fb", "https://ppid.t.go.id/page/12"),
        ("/page/<id>", "https://ppid.t.go.id/page/12/", "https://ppid.t.go.id/page/12"),
        ("/page/<id>", "https://ppid.t.go.id/page/profil", None),
        ("/page/<id>", "https://ppid.t.go.id/entry/abc", None),
        # a blog (ayoningtuban.)
        (
            "/blog/<slug>",
            "https://ayo.t.go.id/blog/Pantai-Boom",
            "https://ayo.t.go.id/blog/pantai-boom",
        ),
        ("/blog/<slug>", "https://ayo.t.go.id/blog", None),
        # a template with a suffix: one segment
        ("/p/<id>.html", "https://x.go.id/p/7.html", "https://x.go.id/p/7.html"),
        ("/p/<slug>.html", "https://x.go.id/p/a/b.html", None),
        # a regular expression: the query is the entry's identity
        (
            "re:^/berita\\.php\\?id=[0-9]+$",
            "https://x.go.id/berita.php?id=3&utm_source=a",
            "https://x.go.id/berita.php?id=3",
        ),
        ("re:^/berita\\.php\\?id=[0-9]+$", "https://x.go.id/berita.php", None),
    ],
)
def test_an_entry_is_recognised_and_canonicalised_by_its_pattern(pattern, url, canonical):
    entry = EntryPattern.parse(pattern)
    assert is_entry_url(url, entry) is (canonical is not None)
    if canonical:
        assert canonical_url(url, site_of(url), entry) == canonical


@pytest.mark.parametrize(
    ("pattern", "says"),
    [
        ("/berita", "has no <slug> or <id>"),
        ("/entry/<slug>/<id>", "more than one"),
        ("entry/<slug>", "must be a path starting with /"),
        ("re:(", "is not a regular expression"),
        ("re:", "needs a regular expression"),
        ("/x/<name>", "has no <slug> or <id>"),
    ],
)
def test_a_pattern_that_cant_be_one_says_why(pattern, says):
    with pytest.raises(SiteError, match=says.replace("(", r"\(")):
        EntryPattern.parse(pattern)


def test_a_new_site_keeps_its_origin_and_its_paths_as_paths():
    site = new_site(
        "https://www.Diskominfo.tubankab.go.id/berita?x=1",
        "/page/<id>",
        ["berita", "/", ""],
        ["https://diskominfo.tubankab.go.id/sitemap.xml"],
        ["/rss"],
    )
    assert site.origin == "https://diskominfo.tubankab.go.id"
    assert site.entry.text == "/page/<id>"
    assert site.start_paths == ("/berita", "/")
    assert site.url(site.feeds[0]) == "https://diskominfo.tubankab.go.id/rss"
    assert Site.from_row(site.row()) == site


def test_a_row_whose_pattern_no_longer_parses_falls_back_to_the_default():
    row = {**new_site("http://h:1").row(), "entry_pattern": "/nothing"}
    assert Site.from_row(row).entry == DEFAULT_ENTRY


def test_http_and_https_of_one_host_are_one_site_and_ports_are_not():
    assert same_site("https://tubankab.go.id", "http://www.tubankab.go.id/berita")
    assert not same_site("http://127.0.0.1:8000", "http://127.0.0.1:8001")
    assert not same_site("", "")


def test_each_url_is_judged_by_its_own_sites_pattern_and_scheme():
    scope = SiteScope.of(
        "https://tubankab.go.id",
        [new_site("http://ppid.tubankab.go.id", "/page/<id>"), new_site("http://127.0.0.1:9")],
        ["selaras.tubankab.go.id"],
    )
    assert [s.origin for s in scope.sites] == [
        "https://tubankab.go.id",
        "http://ppid.tubankab.go.id",
        "http://127.0.0.1:9",
    ]
    assert scope.is_entry("https://ppid.tubankab.go.id/page/3")
    assert not scope.is_entry("https://ppid.tubankab.go.id/entry/abc")
    assert scope.canonical("https://www.ppid.tubankab.go.id/page/3?a=1") == (
        "http://ppid.tubankab.go.id/page/3"
    )
    # the portal keeps its rules; an extra host is scope with the portal's pattern
    assert (
        scope.canonical("http://www.tubankab.go.id/entry/ABC") == "https://tubankab.go.id/entry/abc"
    )
    assert scope.is_entry("https://selaras.tubankab.go.id/entry/x")
    assert scope.in_scope("https://selaras.tubankab.go.id/x")
    assert not scope.in_scope("http://127.0.0.1:10/entry/x")
    assert scope.site_name("http://127.0.0.1:9/entry/a") == "http://127.0.0.1:9"
    assert scope.site_name("https://selaras.tubankab.go.id/x") == "https://selaras.tubankab.go.id"


def test_the_archives_row_of_the_base_site_gives_it_its_pattern_at_the_base_urls_scheme():
    scope = SiteScope.of("https://a.go.id", [new_site("http://a.go.id", "/page/<id>", ["/x"])])
    assert scope.base.origin == "https://a.go.id"
    assert scope.base.entry.text == "/page/<id>"
    assert scope.base.start_paths == ("/x",)
    assert len(scope.sites) == 1
