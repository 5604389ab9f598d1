"""One story on two sites: the re-post rule, its fingerprint and the original of a group (issue 22)."""

from __future__ import annotations

import pytest

from tuban_crawler.normalize.reposts import (
    Copy,
    is_repost,
    original_of,
    shared_share,
    slug_of,
    story_hash,
)

STORY = "\n\n".join(
    [
        "Bupati Tuban Aditya Halindra Faridzky meresmikan Pasar Baru Merakurak yang dibangun"
        " dengan anggaran daerah tahun ini, didampingi Forkopimda dan camat se-Kabupaten Tuban.",
        "Dalam sambutannya bupati berharap pasar yang baru ini memberi ruang yang lebih layak"
        " bagi para pedagang serta meningkatkan perputaran ekonomi warga di wilayah Merakurak.",
        "Pasar ini menampung lebih dari dua ratus pedagang yang sebelumnya berjualan di tepi jalan"
        " dan kini mendapatkan kios serta los yang tertata dengan baik dan bersih.",
        "Pemerintah daerah juga menyiapkan lahan parkir dan saluran air agar pasar tidak banjir.",
    ]
)
OTHER = "\n\n".join(
    [
        "Dinas Kesehatan Kabupaten Tuban menggelar vaksinasi massal bagi pelajar sekolah dasar"
        " di tujuh kecamatan, dimulai pekan ini hingga akhir bulan depan.",
        "Kepala dinas menyampaikan bahwa vaksin yang diberikan aman dan telah melalui uji klinis,"
        " orang tua diminta mendampingi anak pada hari pelaksanaan.",
    ]
)
PORTAL, OFFICE, PPID = (
    "https://tubankab.go.id",
    "https://diskominfo.tubankab.go.id",
    "https://ppid.tubankab.go.id",
)


def test_slugs_are_compared_after_canonicalisation():
    assert slug_of(f"{PORTAL}/entry/Pasar-Baru%20/") == slug_of(f"{OFFICE}/entry/pasar-baru")
    assert slug_of(f"{PPID}/page/17") == "17"


@pytest.mark.parametrize(
    "trailer",
    [
        "\n\nSumber : tubankab.go.id\n\n#dulurtuban #tubanbumiwali",  # diskominfo's re-posts
        " Sumber : tubankab.go.id",
        "\n\n(rah)\n\nKomentar",  # disbudporapar's credit and comments heading
    ],
)
def test_an_office_sites_trailer_leaves_the_story_hash_alone(trailer):
    assert story_hash(STORY + trailer) == story_hash(STORY)


def test_what_another_template_changes_leaves_the_story_hash_alone():
    dressed = (
        "TUBAN - " + STORY.replace(" yang ", "  yang ").upper() + "\n\nSumber: www.tubankab.go.id"
    )
    assert story_hash(dressed) == story_hash(STORY)
    assert story_hash(STORY + " Satu kalimat lagi.") != story_hash(STORY)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        # The portal's story re-posted by an office under its slug: one story.
        (
            Copy(f"{PORTAL}/entry/pasar-baru", STORY),
            Copy(f"{OFFICE}/entry/pasar-baru", STORY),
            True,
        ),
        # ... with the office template's own closing line: still one story.
        (
            Copy(f"{PORTAL}/entry/pasar-baru", STORY),
            Copy(f"{OFFICE}/entry/pasar-baru", STORY + "\n\nDiskominfo Tuban"),
            True,
        ),
        # ... with an editor's sentence added on one side: same slug, most of the words.
        (
            Copy(f"{PORTAL}/entry/pasar-baru", STORY),
            Copy(f"{OFFICE}/entry/pasar-baru", STORY + " Acara ditutup dengan doa bersama."),
            True,
        ),
        # The same slug on two sites for two unrelated stories: no re-post.
        (Copy(f"{PORTAL}/entry/kegiatan", STORY), Copy(f"{OFFICE}/entry/kegiatan", OTHER), False),
        # A /page/<id> site cannot keep the slug: the identical long text is the re-post.
        (Copy(f"{PORTAL}/entry/pasar-baru", STORY), Copy(f"{PPID}/page/17", STORY), True),
        # ... but a short identical text under another address is not enough,
        (Copy(f"{PORTAL}/entry/a", OTHER), Copy(f"{PPID}/page/18", OTHER), False),
        # ... unless the title is the same too (the re-post kept it).
        (
            Copy(f"{PORTAL}/entry/a", OTHER, title="Vaksinasi Pelajar"),
            Copy(f"{PPID}/page/18", OTHER, title="VAKSINASI  PELAJAR"),
            True,
        ),
        (
            Copy(f"{PORTAL}/entry/a", OTHER, title="Vaksinasi Pelajar"),
            Copy(f"{PPID}/page/18", OTHER, title="Vaksinasi Pelajar SD"),
            False,
        ),
        # ... or the title and most words: another template read a photo's caption into the text.
        (
            Copy(f"{PORTAL}/entry/a", STORY, title="Pasar Baru"),
            Copy(
                f"{PPID}/page/19", "Warga antusias mengikuti acara\n\n" + STORY, title="PASAR BARU"
            ),
            True,
        ),
        (
            Copy(f"{PORTAL}/entry/a", STORY, title="Pasar Baru"),
            Copy(f"{PPID}/page/19", OTHER + STORY[:80], title="Pasar Baru"),
            False,
        ),
        # One site twice is sametext's series, not a re-post.
        (
            Copy(f"{PORTAL}/entry/pasar-baru", STORY),
            Copy(f"{PORTAL}/entry/pasar-baru-2", STORY),
            False,
        ),
        # A teaser is not the story it announces, whatever its slug.
        (
            Copy(f"{PORTAL}/entry/pasar-baru", STORY),
            Copy(f"{OFFICE}/entry/pasar-baru", STORY, is_teaser=True),
            False,
        ),
        # Two photo pages under one slug: too few words to call them one story.
        (
            Copy(f"{PORTAL}/entry/foto", "Foto kegiatan."),
            Copy(f"{OFFICE}/entry/foto", "Foto kegiatan."),
            False,
        ),
    ],
)
def test_the_repost_rule(a, b, expected):
    assert is_repost(a, b) is expected
    assert is_repost(b, a) is expected  # the order of arrival does not matter


def test_shared_share_is_the_shorter_texts_share():
    assert shared_share(STORY, STORY + " tambahan kalimat.") == 1.0
    assert shared_share(STORY, OTHER) < 0.1


def test_the_original_is_published_first_then_the_portals_then_archived_first():
    portal = Copy(f"{PORTAL}/entry/x", STORY, "2024-05-02T09:00:00+07:00", "2026-11-03")
    office = Copy(f"{OFFICE}/entry/x", STORY, "2024-05-02T09:00:00+07:00", "2026-11-01")
    earlier = Copy(f"{PPID}/page/3", STORY, "2024-05-01T08:00:00+07:00", "2026-11-05")
    undated = Copy(f"{PPID}/page/4", STORY, None, "2026-10-01")
    assert original_of([office, portal], "tubankab.go.id") == portal
    assert original_of([office, portal], None) == office  # no portal known: archived first
    assert original_of([office, portal, earlier, undated], "tubankab.go.id") == earlier
