import unicodedata

import pytest

from tuban_crawler.normalize.fields import (
    body_text,
    clean_text,
    content_hash,
    normalize_categories,
    normalize_views,
    split_body,
    split_credit,
    split_dateline,
)


@pytest.mark.parametrize(
    "paragraph, dateline, rest",
    [
        # every dateline variant seen on the portal (PORTAL.md)
        ("Tubankab - Demi meningkatkan", "Tubankab", "Demi meningkatkan"),
        ("Tubankab – Demi meningkatkan", "Tubankab", "Demi meningkatkan"),
        ("Tubankab — Demi meningkatkan", "Tubankab", "Demi meningkatkan"),
        ("Tubankab-Demi meningkatkan", "Tubankab", "Demi meningkatkan"),
        ("Tubankab- Demi meningkatkan", "Tubankab", "Demi meningkatkan"),
        ("Tubankab .- Demi meningkatkan", "Tubankab", "Demi meningkatkan"),
        ("Tubankab.- Demi meningkatkan", "Tubankab", "Demi meningkatkan"),
        ("TUBAN - Bupati meresmikan", "TUBAN", "Bupati meresmikan"),
        # no dateline: text stays whole
        ("Tuban adalah kota tua", None, "Tuban adalah kota tua"),
        ("Tubankab menggelar lomba", None, "Tubankab menggelar lomba"),
        ("Bupati - Wakil Bupati hadir", None, "Bupati - Wakil Bupati hadir"),
    ],
)
def test_split_dateline(paragraph, dateline, rest):
    assert split_dateline(paragraph) == (dateline, rest)


@pytest.mark.parametrize(
    "paragraph, rest, credit",
    [
        ("tugas sehari-hari. (chusnul huda/hei)", "tugas sehari-hari.", "chusnul huda/hei"),
        ("pelayanan publik. (nanang wibowo/hei)", "pelayanan publik.", "nanang wibowo/hei"),
        ("warga terdampak. (rah)", "warga terdampak.", "rah"),
        ("warga terdampak (rah).", "warga terdampak", "rah"),
        ("(chusnul huda/hei)", "", "chusnul huda/hei"),
        # acronyms and in-text parentheses are not credits
        ("Kelompok Budaya Kinerja (KBK)", "Kelompok Budaya Kinerja (KBK)", None),
        ("digelar Rabu (26/07)", "digelar Rabu (26/07)", None),
        (
            "kata (dalam kurung) di tengah kalimat ini",
            "kata (dalam kurung) di tengah kalimat ini",
            None,
        ),
    ],
)
def test_split_credit(paragraph, rest, credit):
    assert split_credit(paragraph) == (rest, credit)


def test_split_body_moves_dateline_and_credit_and_drops_emptied_paragraphs():
    paragraphs = ["Tubankab - Satu.", "Dua.", "(chusnul huda/hei)"]
    assert split_body(paragraphs) == (["Satu.", "Dua."], "Tubankab", "chusnul huda/hei")
    assert split_body([]) == ([], None, None)
    assert split_body(["  ", "Hanya satu (rah)"]) == (["Hanya satu"], None, "rah")


def test_clean_text_folds_space_and_composes_unicode():
    decomposed = "Bupati Tuban Ade\u0301"
    assert clean_text(decomposed) == unicodedata.normalize("NFC", decomposed)
    assert clean_text(" a\u200b b\n\tc\xa0") == "a b c"
    assert clean_text(None) == ""


def test_body_text_joins_with_one_blank_line():
    assert body_text(["a", "b"]) == "a\n\nb"


@pytest.mark.parametrize(
    "names, expected",
    [
        (["Kegiatan Pemerintahan,"], ["Kegiatan Pemerintahan"]),
        (["MTQ 2019,", "Umum,"], ["MTQ 2019", "Umum"]),
        (["Umum, Kegiatan Bupati dan Wakil Bupati,"], ["Umum", "Kegiatan Bupati dan Wakil Bupati"]),
        (["Umum", "Umum,"], ["Umum"]),
        ([",", ""], []),
    ],
)
def test_normalize_categories(names, expected):
    assert normalize_categories(names) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("628", 628),
        ("1.204", 1204),
        ("1,204", 1204),
        ("9", 9),
        ("1.234 kali dilihat", 1234),
        ("Dilihat 55x", 55),
        ("", None),
        (None, None),
        ("belum ada", None),
    ],
)
def test_normalize_views(raw, expected):
    assert normalize_views(raw) == expected


def test_content_hash_depends_on_content_only():
    a = content_hash({"title": "A", "categories": ["x"]})
    assert a == content_hash({"categories": ["x"], "title": "A"})
    assert a != content_hash({"title": "A", "categories": ["y"]})
