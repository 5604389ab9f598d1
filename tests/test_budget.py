import pytest

from tuban_crawler.discover.budget import Caps, FrontierBudget, same_listing, url_shape

H = "http://tubankab.go.id"


@pytest.mark.parametrize(
    "url, expected",
    [
        (f"{H}/agenda?bulan=2024-01", "tubankab.go.id/agenda?bulan=#-#"),
        (f"{H}/entry/agenda-2024-01-05#x", "tubankab.go.id/entry/agenda-#-#-#"),
        ("https://TubanKab.go.id:8080/berita/page/12", "tubankab.go.id:#/berita/page/#"),
        (f"{H}/entry/asn-dituntut", "tubankab.go.id/entry/asn-dituntut"),
    ],
)
def test_url_shape(url, expected):
    assert url_shape(url) == expected


@pytest.mark.parametrize(
    "url, other, expected",
    [
        (f"{H}/kategori/a?page=3&v=abc", f"{H}/kategori/a?page=2&v=ab", True),  # fan-out: same path
        (f"{H}/berita/page/3", f"{H}/berita/page/2", True),  # same shape
        (f"{H}/kategori/umum", f"{H}/berita?page=2", False),
        (f"{H}/kategori/umum", f"{H}/kategori/ekonomi", False),
    ],
)
def test_same_listing(url, other, expected):
    assert same_listing(url, other) is expected


def _admit_all(budget, requests):
    return [budget.admit(*request) for request in requests]


@pytest.mark.parametrize(
    "caps, requests, expected",
    [
        # per hub: every branch of one listing counts against it, other hubs have their own
        (
            Caps(pages_per_hub=2),
            [(f"{H}/k?p={n}", "listing", f"{H}/k") for n in range(3)]
            + [(f"{H}/b", "listing", f"{H}/b")],
            [None, None, "pages_per_hub", None],
        ),
        # all listings of a run
        (
            Caps(listing_pages=2),
            [(f"{H}/k{n}", "listing", f"{H}/k{n}") for n in range(3)],
            [None, None, "listing_pages"],
        ),
        # all entries of a run; an entry admitted once passes again (the request after its announcement)
        (
            Caps(entries=2),
            [
                (f"{H}/entry/a", "entry"),
                (f"{H}/entry/b", "entry"),
                (f"{H}/entry/a", "entry"),
                (f"{H}/entry/c", "entry"),
            ],
            [None, None, None, "entries"],
        ),
        # one host
        (
            Caps(requests_per_host=2),
            [
                (f"{H}/entry/a", "entry"),
                (f"{H}/k", "listing"),
                (f"{H}/rss", "feed"),
                ("http://diskominfo.tubankab.go.id/rss", "feed"),
            ],
            [None, None, "requests_per_host", None],
        ),
        # a calendar of entries: URLs that differ only in digits
        (
            Caps(per_shape=2),
            [(f"{H}/entry/agenda-2024-01-0{d}", "entry") for d in range(1, 4)]
            + [(f"{H}/entry/x-1", "entry")],
            [None, None, "per_shape", None],
        ),
        # ...but pages of one hub are its hub's business (pagination has one shape)
        (
            Caps(per_shape=2),
            [(f"{H}/berita?page={n}", "listing", f"{H}/berita") for n in range(2, 6)],
            [None] * 4,
        ),
    ],
)
def test_each_cap_cuts_what_exceeds_it(caps, requests, expected):
    assert _admit_all(FrontierBudget(caps), requests) == expected


def test_depth_cap_and_the_summary_of_cuts():
    budget = FrontierBudget(Caps(listing_depth=3, per_shape=1))
    assert budget.admit(f"{H}/k", "listing", f"{H}/k", depth=3) is None
    assert budget.admit(f"{H}/k2", "listing", f"{H}/k2", depth=4) == "listing_depth"
    budget.admit(f"{H}/entry/a-1", "entry")
    budget.admit(f"{H}/entry/a-2", "entry")
    assert budget.summary() == {
        "by_cap": {"listing_depth": 1, "per_shape": 1},
        "shapes": {"tubankab.go.id/entry/a-#": 1},
    }


def test_caps_are_read_from_the_settings():
    from scrapy.settings import Settings

    caps = Caps.from_settings(
        Settings({"TUBAN_MAX_LISTING_PAGES": 7, "TUBAN_MAX_URLS_PER_SHAPE": 3})
    )
    assert (caps.pages_per_hub, caps.per_shape, caps.entries) == (7, 3, Caps.entries)


def test_the_per_run_caps_count_each_site_apart():
    budget = FrontierBudget(Caps(entries=2, listing_pages=1))
    portal, office = "http://127.0.0.1:8000", "http://127.0.0.1:8001"
    entries = [
        budget.admit(f"{site}/entry/{n}", "entry") for site in (portal, office) for n in "abc"
    ]
    assert entries == [None, None, "entries", None, None, "entries"]
    assert budget.admit(f"{office}/berita", "listing") is None  # the portal's trap is its own
    assert budget.admit(f"{portal}/berita", "listing") is None
    assert budget.admit(f"{portal}/kategori", "listing") == "listing_pages"
