from tuban_crawler.discover.feeds import feed_entries, sitemap_entries

SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://tubankab.go.id/entry/a</loc><lastmod>2017-07-26</lastmod></url>
  <url><loc>
    https://tubankab.go.id/entry/b
  </loc></url>
</urlset>"""
SITEMAP_INDEX = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://tubankab.go.id/sitemap-1.xml</loc></sitemap>
</sitemapindex>"""
RSS = b"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Tuban</title>
<link>https://tubankab.go.id/</link>
<item><title>ASN</title><link>https://tubankab.go.id/entry/a</link><pubDate>Wed, 26 Jul 2017 13:24:00 +0700</pubDate></item>
<item><title>Tanpa tanggal</title><link>https://tubankab.go.id/entry/b</link></item>
</channel></rss>"""
ATOM = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="https://tubankab.go.id/entry/c"/>
<published>2021-01-04T09:15:00+07:00</published></entry></feed>"""
ENTITY_BOMB = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>
<urlset><url><loc>https://tubankab.go.id/entry/&b;</loc></url></urlset>"""


def test_sitemap_lists_pages_and_index_lists_sitemaps():
    assert sitemap_entries(SITEMAP) == (
        ["https://tubankab.go.id/entry/a", "https://tubankab.go.id/entry/b"],
        [],
    )
    assert sitemap_entries(SITEMAP_INDEX) == ([], ["https://tubankab.go.id/sitemap-1.xml"])


def test_rss_and_atom_give_links_with_their_dates():
    assert feed_entries(RSS) == {
        "https://tubankab.go.id/entry/a": "Wed, 26 Jul 2017 13:24:00 +0700",
        "https://tubankab.go.id/entry/b": None,
    }
    assert feed_entries(ATOM) == {"https://tubankab.go.id/entry/c": "2021-01-04T09:15:00+07:00"}


def test_bad_xml_gives_nothing_and_entities_are_not_expanded():
    assert sitemap_entries(b"") == ([], [])
    assert feed_entries(b"<html>not a feed") == {}
    pages, _ = sitemap_entries(ENTITY_BOMB)
    assert all("aaaaaaaaaa" not in page for page in pages)


# -- every sitemap form (issue 8) ---------------------------------------------------------
def test_gzip_sitemaps_and_lastmod():
    import gzip

    from tuban_crawler.discover.feeds import sitemap_urls

    pages, sitemaps = sitemap_urls(gzip.compress(SITEMAP))
    assert pages == {
        "https://tubankab.go.id/entry/a": "2017-07-26",
        "https://tubankab.go.id/entry/b": None,
    }
    assert sitemap_urls(SITEMAP_INDEX) == ({}, ["https://tubankab.go.id/sitemap-1.xml"])


def test_a_gzip_bomb_or_corrupt_gzip_gives_nothing():
    import gzip

    from tuban_crawler.discover.feeds import unpack

    assert unpack(gzip.compress(b" " * 5000), limit=1000) == b""
    assert unpack(b"\x1f\x8b not gzip") == b""


def test_robots_txt_sitemap_lines():
    from tuban_crawler.discover.feeds import robots_sitemaps

    robots = b"User-agent: *\r\nDisallow: /admin/\r\nsitemap:https://t.id/a.xml\nSITEMAP: https://t.id/b.xml.gz # x\n"
    assert robots_sitemaps(robots) == ["https://t.id/a.xml", "https://t.id/b.xml.gz"]
