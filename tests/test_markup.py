import pytest

from tuban_crawler.extract.markup import decode_html, parse_html, text_of

CURLY = (
    "Bupati menyebut program itu \u201cTuban Bersinar\u201d \u2013 caf\u00e9 \u2018hangat\u2019."
)


@pytest.mark.parametrize(
    "body, declared, expected",
    [
        # UTF-8 that decodes is UTF-8, whatever the header says
        (CURLY.encode(), "iso-8859-1", CURLY),
        (CURLY.encode(), None, CURLY),
        # the declared charset, read as browsers read its label (iso-8859-1 is cp1252)
        (CURLY.encode("cp1252"), "iso-8859-1", CURLY),
        (CURLY.encode("cp1252"), "windows-1252", CURLY),
        # issue 9: a cp1252 page declared as UTF-8 keeps its curly quotes (charset-normalizer)
        (("<p>" + CURLY + "</p>").encode("cp1252") * 5, "utf-8", ("<p>" + CURLY + "</p>") * 5),
        # a UTF-8 page with one bad byte stays UTF-8: one character lost, not every curly quote
        (CURLY.encode() + b"\xff" + CURLY.encode(), "iso-8859-1", CURLY + "\ufffd" + CURLY),
        # an unknown label falls through to the bytes
        ("caf\u00e9".encode("cp1252"), "no-such-charset", "caf\u00e9"),
    ],
)
def test_decode_html(body, declared, expected):
    assert decode_html(body, declared) == expected


def _paragraphs(tree):
    return [text_of(p) for p in tree.iter("p")]


@pytest.mark.parametrize(
    "markup",
    [
        '<p><font face="Arial">Paragraf {n}.\n',  # issue 9: lxml kept 125 of 300, or nested them all
        '<font face="Arial"><p>Paragraf {n}.</p>\n',
        "<div><span>Paragraf {n}.<br>\n",
        "<p><b><i>Paragraf {n}.</p>\n",
    ],
)
def test_deep_or_broken_markup_keeps_every_paragraph_once(markup):
    body = "".join(markup.format(n=n) for n in range(300))
    tree = parse_html(f"<html><body><div class='post'>{body}</div><p>Penutup.</p></body></html>")
    text = text_of(tree)
    assert all(text.count(f"Paragraf {n}.") == 1 for n in range(300))
    assert "Penutup." in text
    if markup.startswith("<p>") or "<p>" in markup:
        assert [p for p in _paragraphs(tree) if p.startswith("Paragraf")] == [
            f"Paragraf {n}." for n in range(300)
        ]


@pytest.mark.parametrize(
    "html, expected",
    [
        ("", ""),
        ("<?xml version='1.0' encoding='utf-8'?><html><body><p>a</p></body></html>", "a"),
        ("<p>caf&eacute; &amp; teh</p>", "café & teh"),
        ("<html><body><script>var x = '<p>no</p>';</script><p>ya</p></body></html>", "ya"),
    ],
)
def test_parse_html(html, expected):
    tree = parse_html(html)
    assert " ".join(_paragraphs(tree)) == expected


@pytest.mark.parametrize(
    ("headers", "body"),
    [
        ({}, '<meta charset="gb2312"><title>北京市发布暴雨预警</title>'.encode("gb2312")),
        (
            {"Content-Type": "text/html"},
            b'<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-15">'
            + "<title>Coût de l'énergie : 15 €</title>".encode("iso-8859-15"),
        ),
        ({}, "<title>Harga “cabai” naik</title>".encode("utf-16")),
    ],
    ids=["meta charset", "http-equiv", "byte-order mark"],
)
def test_the_crawl_reads_a_page_in_the_encoding_it_declares(headers, body):
    from scrapy.http import HtmlResponse

    from tuban_crawler.crawl.spiders.discovery import document

    response = HtmlResponse("https://example.id/a", body=body, headers=headers)
    title = text_of(document(response).find(".//title"))
    assert title == body.decode(response.encoding).split("<title>")[1].split("</title>")[0]
    assert "\ufffd" not in title and "Ã" not in title
