"""What changed between two versions, in words, and the word-level diff (pure)."""

import pytest

from tuban_crawler.store.diff import body_diff, classify, diff_counts, removal

BODY = (
    "Demi meningkatkan budaya kinerja.\n\nSebanyak 120 orang hadir.\n\n(chusnul huda/hei) selesai."
)


def old(**changes):
    return {
        "title": "ASN Dituntut Disiplin",
        "body_text": BODY,
        "author": "Yolency",
        "published_at": "2017-07-26T13:24:00+07:00",
        "categories": '["Umum"]',
        **changes,
    }


@pytest.mark.parametrize(
    ("new", "kinds", "line", "added", "removed"),
    [
        # a figure corrected in place: one paragraph edited, one word each way
        (
            old(body_text=BODY.replace("120", "125")),
            ("edited",),
            "body: 1 paragraph edited, 1 word added, 1 removed",
            1,
            1,
        ),
        # a correction note added as its own paragraph
        (
            old(
                body_text=BODY.replace(
                    "\n\n(chusnul", "\n\nRalat: yang benar 125 orang.\n\n(chusnul"
                )
            ),
            ("edited",),
            "body: 1 paragraph added, 5 words added",
            5,
            0,
        ),
        # a paragraph removed and a name dropped
        (
            old(body_text="Demi meningkatkan kinerja.\n\n(chusnul huda/hei) selesai."),
            ("edited",),
            "body: 1 paragraph edited, 1 removed, 5 words removed",
            0,
            5,
        ),
        # the title alone, softened
        (old(title="ASN Diminta Disiplin"), ("retitled",), "title changed", 0, 0),
        # title and body at once: both kinds
        (
            old(title="ASN Diminta Disiplin", body_text=BODY + " Tambahan."),
            ("retitled", "edited"),
            "title changed; body: 1 paragraph edited, 1 word added",
            1,
            0,
        ),
        # the other fields, each in its words
        (old(author="Heri S"), ("edited",), "author changed", 0, 0),
        (old(published_at="2017-07-27T08:00:00+07:00"), ("edited",), "date moved", 0, 0),
        (old(categories=["Umum", "Kesehatan"]), ("edited",), "categories changed", 0, 0),
    ],
)
def test_a_change_is_classified_in_words_with_its_counts(new, kinds, line, added, removed):
    change = classify(old(), new)
    assert change is not None
    assert (change.kinds, change.line) == (kinds, line)
    assert (change.words_added, change.words_removed) == (added, removed)


@pytest.mark.parametrize(
    "new",
    [
        old(body_text=BODY.replace(" ", "  ").replace("\n\n", "\n\n\n")),  # whitespace only
        old(title=" ASN Dituntut  Disiplin "),
        old(categories=["Umum"]),  # the same list, decoded
        old(views=9999),  # not a field a reader's change is made of
    ],
)
def test_whitespace_markup_and_view_counts_are_not_a_change(new):
    assert classify(old(), new) is None


def test_the_diff_marks_what_was_inserted_and_deleted_and_counts_the_same():
    diff = body_diff(BODY, BODY.replace("120 orang", "125 orang pegawai"))
    assert diff[1] == [
        ("equal", "Sebanyak"),
        ("delete", "120"),
        ("insert", "125"),
        ("equal", "orang"),
        ("insert", "pegawai"),
        ("equal", "hadir."),
    ]
    assert diff_counts(diff)["words_added"] == 2


def test_an_unrelated_paragraph_in_place_of_another_is_a_removal_and_an_addition():
    diff = body_diff("a b c d", "w x y z")
    assert diff == [[("delete", "a b c d")], [("insert", "w x y z")]]


def test_a_removal_says_how_the_portal_answered():
    assert removal(410).line == "removed from the portal (HTTP 410)"
    assert removal(None).kinds == ("removed",)
