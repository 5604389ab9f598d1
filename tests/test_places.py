"""The tagger's policy (tuban_crawler/places/__init__.py), one row per rule."""

from __future__ import annotations

import pytest

from tuban_crawler.places import kecamatan_list, offices, tag_article


def _places(title: str, body: str = "") -> list[tuple[str, str, str]]:
    return [(p.kind, p.name, p.kecamatan) for p in tag_article(title, body).places]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the word before says what a name is
        (
            "Banjir di Desa Sugihwaras, Kecamatan Jenu",
            [("desa", "Sugihwaras", "Jenu"), ("kecamatan", "Jenu", "Jenu")],
        ),
        ("Camat Jenu meninjau lokasi", [("kecamatan", "Jenu", "Jenu")]),
        # Tuban is the regency unless Kecamatan stands before it
        ("Pemkab Tuban dan Kabupaten Tuban", []),
        (
            "Kelurahan Kingking, Kecamatan Tuban",
            [("kelurahan", "Kingking", "Tuban"), ("kecamatan", "Tuban", "Tuban")],
        ),
    ],
)
def test_a_place_is_resolved_by_its_context(text, expected):
    assert _places(text) == expected


def test_a_desa_shared_by_two_kecamatan_without_one_beside_it_is_refused():
    tags = tag_article("", "Warga Desa Sugihwaras mengungsi.")
    assert tags.places == ()
    assert [r.matched for r in tags.refused] == ["Sugihwaras"]


def test_the_gazetteer_has_twenty_kecamatan_and_unique_office_ids():
    assert len(kecamatan_list()) == 20
    ids = [o.office_id for o in offices()]
    assert len(ids) == len(set(ids))
