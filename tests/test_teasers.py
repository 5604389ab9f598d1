"""Teasers: a short text announcing the full article elsewhere (issue 22)."""

from __future__ import annotations

import pytest

from tuban_crawler.normalize.teasers import TEASER_MAX_WORDS, announcement, is_short

OFFICE = "https://diskominfo.tubankab.go.id/entry/pasar-baru-merakurak"
LEAD = "Bupati Tuban meresmikan Pasar Baru Merakurak yang menampung dua ratus pedagang."
LONG = " ".join(["Pasar baru ini dibangun dengan anggaran daerah dan menampung pedagang."] * 8)


@pytest.mark.parametrize(
    ("text", "html", "expected", "how"),
    [
        # The office sites' own pointer: the host only, the story under the same slug.
        (
            f"{LEAD} Selengkapnya di : www.tubankab.go.id",
            None,
            "https://tubankab.go.id/entry/pasar-baru-merakurak",
            "named site",
        ),
        # A loopback portal named with its port.
        (
            f"{LEAD}\n\nSelengkapnya di: 127.0.0.1:8123",
            None,
            "https://127.0.0.1:8123/entry/pasar-baru-merakurak",
            "named site",
        ),
        # The pointer and the host as two paragraphs.
        (
            f"{LEAD}\n\nSelengkapnya di :\n\nwww.tubankab.go.id",
            None,
            "https://tubankab.go.id/entry/pasar-baru-merakurak",
            "named site",
        ),
        # A few words between the cue and the site.
        (
            f"{LEAD} Informasi selengkapnya silakan kunjungi website resmi www.tubankab.go.id.",
            None,
            "https://tubankab.go.id/entry/pasar-baru-merakurak",
            "named site",
        ),
        # A URL written out, with a path of its own.
        (
            f"{LEAD} Baca selengkapnya di http://tubankab.go.id/entry/pasar-merakurak.",
            None,
            "http://tubankab.go.id/entry/pasar-merakurak",
            "named site",
        ),
        # A link in the body to the same slug on another site, no cue needed.
        (
            LEAD,
            f'<p>{LEAD} <a href="https://tubankab.go.id/entry/pasar-baru-merakurak">Tuban</a></p>',
            "https://tubankab.go.id/entry/pasar-baru-merakurak",
            "link",
        ),
        # The cue and a link: the link is what it announces, whatever its slug.
        (
            f"{LEAD} Berita selengkapnya klik di sini.",
            f'<p>{LEAD} <a href="/entry/pasar-merakurak-diresmikan">di sini</a></p>',
            "https://diskominfo.tubankab.go.id/entry/pasar-merakurak-diresmikan",
            "link",
        ),
    ],
)
def test_a_teaser_names_the_article_it_announces(text, html, expected, how):
    found = announcement(OFFICE, text, html)
    assert found is not None and (found.url, found.how) == (expected, how)


@pytest.mark.parametrize(
    ("text", "html"),
    [
        # A long article that says "selengkapnya" (and names a site) is an article.
        (f"{LONG} Informasi selengkapnya di www.tubankab.go.id", None),
        # A short article without a pointer.
        (LEAD, f"<p>{LEAD}</p>"),
        # A short article with a related link ("baca juga") to another story.
        (
            f"{LEAD} Baca juga: Bupati tinjau pasar",
            '<p><a href="https://tubankab.go.id/entry/lain">lain</a></p>',
        ),
        # The cue with a telephone number, not a site.
        (f"{LEAD} Informasi selengkapnya hubungi 0356-321 123.", None),
        # "Selengkapnya" naming its own site with no path: itself, not a teaser.
        (f"{LEAD} Selengkapnya di : diskominfo.tubankab.go.id", None),
        # The cue and a link to a file (a form to download) announce no article.
        (f"{LEAD} Formulir selengkapnya.", '<p><a href="/files/formulir.pdf">unduh</a></p>'),
    ],
)
def test_what_is_not_a_teaser(text, html):
    assert announcement(OFFICE, text, html) is None


def test_the_threshold_is_counted_in_words():
    assert is_short(" ".join(["kata"] * (TEASER_MAX_WORDS - 1)))
    assert not is_short(" ".join(["kata"] * TEASER_MAX_WORDS))
