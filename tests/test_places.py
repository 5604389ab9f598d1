"""The tagger's policy (tuban_crawler/places/__init__.py), one row per rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from tuban_crawler.places import kecamatan_list, offices, tag_article
from tuban_crawler.places.evaluation import load_rows, score

LABELLED = Path(__file__).parent / "data" / "places_sentences.jsonl"


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


def test_the_labelled_sentences_score_at_least_97_percent_precision_and_90_percent_recall():
    # tests/data/places_sentences.jsonl: real sentences of public Tuban news, each with its
    # source URL and what a careful reader resolves from it (evaluation.py says how refusals
    # count); benchmarks/places.py prints the same figures with every error
    rows = load_rows(LABELLED)
    assert len(rows) >= 150
    assert all(row["url"].startswith("http") for row in rows)
    scores = score(rows)
    for tally in (scores.places, scores.offices):
        assert tally.precision >= 0.97, tally.wrong
        assert tally.recall >= 0.90, tally.missed
