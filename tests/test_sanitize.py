import pytest

from tuban_crawler.normalize.sanitize import clean_html


@pytest.mark.parametrize(
    "html, forbidden",
    [
        ("<p>a<script>alert(1)</script></p>", "script"),
        ('<img src="x.jpg" onerror="alert(1)">', "onerror"),
        ('<a href="javascript:alert(1)">x</a>', "javascript:"),
        ('<a href="JaVaScRiPt:alert(1)">x</a>', "alert"),
        ('<p style="background:url(javascript:alert(1))">x</p>', "style"),
        ('<iframe src="https://evil.example"></iframe>', "iframe"),
        ("<style>p{}</style><p>x</p>", "<style"),
        ("<svg><script>alert(1)</script></svg>", "alert"),
        ('<form action="/x"><input name="q"></form>', "<input"),
        ("<p>a<!-- <script>x</script> --></p>", "<!--"),
    ],
)
def test_nothing_that_runs_survives(html, forbidden):
    assert forbidden.lower() not in clean_html(html).lower()


def test_article_markup_is_kept():
    html = '<p>Satu <strong>dua</strong></p><figure><img src="https://t.id/a.jpg" alt="A"><figcaption>Foto</figcaption></figure>'
    assert clean_html(html) == html
    assert (
        clean_html('<a href="https://t.id/x">x</a>')
        == '<a href="https://t.id/x" rel="noopener noreferrer nofollow">x</a>'
    )
    assert clean_html(None) == ""
