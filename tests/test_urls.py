import pytest

from tuban_crawler.discover.urls import bare_host, canonical_url, in_scope, is_entry_url, scope_of

BASE = "https://tubankab.go.id"


@pytest.mark.parametrize(
    "url, expected",
    [
        # every alias of one article is one row
        ("https://tubankab.go.id/entry/asn-dituntut", f"{BASE}/entry/asn-dituntut"),
        ("http://tubankab.go.id/entry/asn-dituntut", f"{BASE}/entry/asn-dituntut"),
        ("https://www.tubankab.go.id/entry/asn-dituntut", f"{BASE}/entry/asn-dituntut"),
        ("http://WWW.TUBANKAB.GO.ID/entry/asn-dituntut/", f"{BASE}/entry/asn-dituntut"),
        (
            "https://tubankab.go.id/entry/asn-dituntut?utm_source=facebook&utm_medium=social",
            f"{BASE}/entry/asn-dituntut",
        ),
        ("https://tubankab.go.id/entry/asn-dituntut?fbclid=IwAR0x", f"{BASE}/entry/asn-dituntut"),
        ("https://tubankab.go.id/entry/asn-dituntut#komentar", f"{BASE}/entry/asn-dituntut"),
        ("https://tubankab.go.id:443/entry/asn-dituntut", f"{BASE}/entry/asn-dituntut"),
        ("https://tubankab.go.id//entry//asn-dituntut", f"{BASE}/entry/asn-dituntut"),
        # issue 9: dot segments, session ids, percent-encoding, case and trailing-space variants
        ("https://tubankab.go.id/entry/./asn-dituntut", f"{BASE}/entry/asn-dituntut"),
        ("https://tubankab.go.id/entry/lain/../asn-dituntut", f"{BASE}/entry/asn-dituntut"),
        ("https://tubankab.go.id/entry/%2e/asn-dituntut", f"{BASE}/entry/asn-dituntut"),
        (
            "https://tubankab.go.id/entry/asn-dituntut;jsessionid=A1B2C3",
            f"{BASE}/entry/asn-dituntut",
        ),
        (
            "https://tubankab.go.id/entry/asn-dituntut;JSESSIONID=A1B2C3?x=1",
            f"{BASE}/entry/asn-dituntut",
        ),
        ("https://tubankab.go.id/entry/caf%C3%A9-tuban", f"{BASE}/entry/caf%C3%A9-tuban"),
        ("https://tubankab.go.id/entry/caf%c3%a9-tuban", f"{BASE}/entry/caf%C3%A9-tuban"),
        ("https://tubankab.go.id/entry/café-tuban", f"{BASE}/entry/caf%C3%A9-tuban"),
        ("https://tubankab.go.id/entry/CAF%C3%89-Tuban", f"{BASE}/entry/caf%C3%A9-tuban"),
        ("https://tubankab.go.id/entry/ASN-Dituntut", f"{BASE}/entry/asn-dituntut"),
        ("https://tubankab.go.id/entry/asn-dituntut%20", f"{BASE}/entry/asn-dituntut"),
        ("https://tubankab.go.id/entry/asn%2Ddituntut", f"{BASE}/entry/asn-dituntut"),
        # listings keep what matters (pagination), drop tracking, sort the rest
        ("https://tubankab.go.id/berita?page=2&utm_source=x", f"{BASE}/berita?page=2"),
        (
            "https://tubankab.go.id/kategori/umum?page=3&sort=new",
            f"{BASE}/kategori/umum?page=3&sort=new",
        ),
        (
            "https://tubankab.go.id/kategori/umum?sort=new&page=3",
            f"{BASE}/kategori/umum?page=3&sort=new",
        ),
        ("https://tubankab.go.id", f"{BASE}/"),
        # another host keeps its own scheme and port
        ("http://127.0.0.1:8123/entry/x/?utm_campaign=y", "http://127.0.0.1:8123/entry/x"),
        ("http://diskominfo.tubankab.go.id/entry/x", "http://diskominfo.tubankab.go.id/entry/x"),
    ],
)
def test_canonical_url(url, expected):
    assert canonical_url(url, BASE) == expected


def test_canonical_url_takes_the_base_urls_scheme_and_port():
    assert (
        canonical_url("http://www.localhost:8000/entry/a/", "http://localhost:8000")
        == "http://localhost:8000/entry/a"
    )
    assert (
        canonical_url("https://localhost:8000/entry/a", "http://localhost:8000")
        == "http://localhost:8000/entry/a"
    )


def test_the_same_host_on_another_port_is_another_site():
    # issue 9: it was fetched from that port and stored under the portal's own URL
    assert (
        canonical_url("http://localhost:8001/entry/a", "http://localhost:8000")
        == "http://localhost:8001/entry/a"
    )
    assert not in_scope("http://localhost:8001/entry/a", scope_of("http://localhost:8000"))
    assert in_scope("https://www.tubankab.go.id:443/entry/a", scope_of("http://tubankab.go.id"))
    assert not in_scope("http://tubankab.go.id:8080/entry/a", scope_of("https://tubankab.go.id"))
    assert in_scope(
        "http://diskominfo.tubankab.go.id/x", scope_of(BASE, ["diskominfo.tubankab.go.id"])
    )
    assert not in_scope("http://[::1/x", scope_of(BASE)) and not in_scope(
        "http://h:P:80/x", scope_of(BASE)
    )


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://tubankab.go.id/entry/a", True),
        ("https://tubankab.go.id/entry/a/", True),
        ("https://tubankab.go.id/entry/", False),
        ("https://tubankab.go.id/entry", False),
        ("https://tubankab.go.id/berita?page=2", False),
        ("https://tubankab.go.id/entrypoint/a", False),
    ],
)
def test_is_entry_url(url, expected):
    assert is_entry_url(url) is expected


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://tubankab.go.id/x", True),
        ("http://www.tubankab.go.id/x", True),
        ("https://diskominfo.tubankab.go.id/x", False),  # subdomains are a setting
        ("https://example.org/entry/x", False),
        ("ftp://tubankab.go.id/x", False),
        ("javascript:alert(1)", False),
        ("https://tubankab.go.id.evil.example/x", False),
    ],
)
def test_in_scope(url, expected):
    assert in_scope(url, {"tubankab.go.id"}) is expected


def test_bare_host():
    assert bare_host("www.Tubankab.go.id.") == "tubankab.go.id"
