"""The tagger's policy (tuban_crawler/places/__init__.py), one row per rule, and its gazetteer."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from tuban_crawler.places import kecamatan_list, offices, offices_source, tag_article
from tuban_crawler.places.evaluation import load_rows, score

LABELLED = Path(__file__).parent / "data" / "places_sentences.jsonl"
ROOT = Path(__file__).resolve().parents[1]


def _places(text: str) -> list[tuple[str, str, str]]:
    return [(p.kind, p.name, p.kecamatan) for p in tag_article("", text).places]


def _offices(text: str) -> list[str]:
    return [o.office_id for o in tag_article("", text).offices]


def _refused(text: str) -> list[str]:
    return [r.matched for r in tag_article("", text).refused]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the word before says what a name is
        (
            "Banjir di Desa Sugihwaras, Kecamatan Jenu",
            [("desa", "Sugihwaras", "Jenu"), ("kecamatan", "Jenu", "Jenu")],
        ),
        ("Camat Jenu meninjau lokasi", [("kecamatan", "Jenu", "Jenu")]),
        ("Kanit Intel Polsek Kerek Aiptu Mustain", [("kecamatan", "Kerek", "Kerek")]),
        (
            "warga Kelurahan Sendangharjo, Kecamatan Tuban",
            [("kelurahan", "Sendangharjo", "Tuban"), ("kecamatan", "Tuban", "Tuban")],
        ),
        ("Kades Sumurgeneng, Gihanto", [("desa", "Sumurgeneng", "Jenu")]),
        (
            "di kelurahan perbon, kecamatan tuban",
            [("kelurahan", "Perbon", "Tuban"), ("kecamatan", "Tuban", "Tuban")],
        ),
        # the kecamatan beside a desa, with or without the word
        (
            "Pantai Socorejo, Jenu, Tuban",
            [("desa", "Socorejo", "Jenu"), ("kecamatan", "Jenu", "Jenu")],
        ),
        (
            "daerah Jadi, Semanding",
            [("desa", "Jadi", "Semanding"), ("kecamatan", "Semanding", "Semanding")],
        ),
        (
            "Desa Bogorejo, Kecamatan Bancar",
            [("desa", "Bogorejo", "Bancar"), ("kecamatan", "Bancar", "Bancar")],
        ),
        # a shared desa settled by the kecamatan its sentence names
        (
            "Desa Wadung di Kecamatan Jenu",
            [("desa", "Wadung", "Jenu"), ("kecamatan", "Jenu", "Jenu")],
        ),
        # Tuban is the regency, unless Kecamatan stands before it or a list of kecamatan holds it
        ("Pemkab Tuban dan Kabupaten Tuban", []),
        (
            "NAZ asal Jenu, Tuban, dan MK dari Grabagan, Tuban",
            [("kecamatan", "Jenu", "Jenu"), ("kecamatan", "Grabagan", "Grabagan")],
        ),
        (
            "di Kecamatan Soko dan Tuban",
            [("kecamatan", "Soko", "Soko"), ("kecamatan", "Tuban", "Tuban")],
        ),
        (
            "Plumpang, Semanding, Tuban, Kerek",
            [("kecamatan", n, n) for n in ("Plumpang", "Semanding", "Tuban", "Kerek")],
        ),
        # a list gives its kind to the names in it
        (
            # Wadung is Jenu's and Soko's: refused; the others are one desa each
            "Desa Wadung, Sumurgeneng, Mentoso dan Kaliuntu",
            [("desa", n, "Jenu") for n in ("Sumurgeneng", "Mentoso", "Kaliuntu")],
        ),
        (
            "Desa Ngandong, Grabagan, Gesikan di Kecamatan Grabagan",
            [
                ("desa", "Ngandong", "Grabagan"),
                ("desa", "Grabagan", "Grabagan"),
                ("desa", "Gesikan", "Grabagan"),
                ("kecamatan", "Grabagan", "Grabagan"),
            ],
        ),
        (
            "jalan tembus Merakurak-Jenu",
            [("kecamatan", "Merakurak", "Merakurak"), ("kecamatan", "Jenu", "Jenu")],
        ),
        # a title in capitals
        (
            "BANJIR DI DESA KEBOMLATI KECAMATAN PLUMPANG",
            [("desa", "Kebomlati", "Plumpang"), ("kecamatan", "Plumpang", "Plumpang")],
        ),
        # spellings apart or together
        (
            "Desa Tuwirikulon dan Desa Soko Grenjeng",
            [("desa", "Tuwiri Kulon", "Merakurak"), ("desa", "Sokogrenjeng", "Kenduruan")],
        ),
        # what is not a place
        ("Palang Merah Indonesia (PMI) Tuban", []),
        ("kawasan Jati Peteng", []),
        (
            "wilayah Dasin Desa Sugihwaras, Kecamatan Jenu",
            [("desa", "Sugihwaras", "Jenu"), ("kecamatan", "Jenu", "Jenu")],
        ),
        ("Dusun Jarum, Desa Prunggahan Kulon", [("desa", "Prunggahan Kulon", "Semanding")]),
        ("gaji pegawai dan sumber dana", []),
        ("BUPATI TUBAN: ASN HARUS JADI PELAYAN MASYARAKAT", []),
    ],
)
def test_a_place_is_resolved_by_its_context(text, expected):
    assert _places(text) == expected


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("Warga Desa Sugihwaras mengungsi.", ["Sugihwaras"]),  # Jenu and Parengan
        ("Jumlah terbanyak berada di Desa Ngadirejo.", ["Ngadirejo"]),  # Rengel and Widang
        ("Desa Dasin, Kecamatan Jenu", ["Dasin"]),  # Dasin is Tambakboyo's
        ("Desa Sumberjo, Kecamatan Kalitidu", ["Sumberjo"]),  # not a kecamatan of Tuban
        ("Jati dan Gaji naik.", ["Jati", "Gaji"]),  # common words, no place word beside them
        ("Kepala Dinkes Jatim dan BPBD Provinsi Jawa Timur", ["Dinkes", "BPBD"]),
        ("data Dukcapil Kemendagri", ["Dukcapil"]),
    ],
)
def test_a_name_that_cannot_be_settled_is_refused_with_a_reason(text, refused):
    tags = tag_article("", text)
    assert [r.matched for r in tags.refused] == refused
    assert all(r.reason for r in tags.refused)
    resolved = {p.matched for p in tags.places} | {o.matched for o in tags.offices}
    assert not resolved & set(refused)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Dinas Kesehatan, Pengendalian Penduduk dan Keluarga Berencana (Dinkes P2KB) Tuban",
            ["dinkes-p2kb", "dinkes-p2kb"],
        ),
        ("Kepala Dinkes Tuban", ["dinkes-p2kb"]),  # a former abbreviation
        ("Kasi Kesbangpol Chusnul", ["bakesbangpol"]),  # an alias
        ("Mantan Kabag Humas Pemkab", ["bagian-prokopim"]),  # a bagian's head, a former name
        ("Camat Rengel, Eko Wardono", ["kecamatan-rengel"]),
        ("Kantor Kecamatan Kenduruan", ["kecamatan-kenduruan"]),
        ("RSUD dr. Koesma dan RSUD Ali Manshur", ["rsud-koesma", "rsud-ali-manshur"]),
        ("Satpol PP dan Damkar Tuban", ["satpol-pp-damkar"]),
        # an abbreviation in another case is a word; a ministry's unit is not the regency's
        ("bpbd dan dinkes", []),
        ("Kementerian PUPR dan Dinas PUPR", ["dpupr-prkp"]),
    ],
)
def test_an_office_is_found_by_its_name_abbreviation_former_name_or_head(text, expected):
    assert _offices(text) == expected


def test_mentions_carry_their_field_position_and_matched_text():
    title, body = "Banjir di Jenu", "BPBD Tuban ke Desa Temaji."
    tags = tag_article(title, body)
    for mention in (*tags.places, *tags.offices):
        text = title if mention.field == "title" else body
        assert text[mention.start : mention.end] == mention.matched
    assert [(p.field, p.code) for p in tags.places] == [
        ("title", "35.23.12"),
        ("body", "35.23.12.2003"),
    ]


def test_the_gazetteer_has_tubans_20_kecamatan_and_328_desa_with_their_codes():
    kecamatan = kecamatan_list()
    assert len(kecamatan) == 20
    desa = [d for k in kecamatan for d in k.desa]
    assert len(desa) == 328 and sum(d.kind == "kelurahan" for d in desa) == 17
    for k in kecamatan:
        assert re.fullmatch(r"35\.23\.\d\d", k.code)
        for d in k.desa:
            assert d.code.startswith(k.code + ".") and d.kecamatan == k.name
            assert d.kind == ("kelurahan" if d.code[-4] == "1" else "desa")
            assert d.postal_code and re.fullmatch(r"623\d\d", d.postal_code)
    assert len({d.code for d in desa}) == 328


def test_every_office_has_a_unique_id_a_kind_and_a_source():
    listed = offices()
    assert len({o.office_id for o in listed}) == len(listed)
    assert sum(o.kind == "kecamatan" for o in listed) == 20
    assert all(o.name and o.kind for o in listed)
    assert offices_source()


def test_a_refusal_counts_as_a_miss_not_as_a_wrong_guess():
    rows = [
        {
            "id": 1,
            "text": "Warga Desa Sugihwaras mengungsi.",
            "places": [],
            "offices": [],
            "ambiguous": ["Sugihwaras"],
        },
        {
            "id": 2,
            "text": "Desa Ngadirejo banjir.",
            "places": [{"kind": "desa", "name": "Ngadirejo", "kecamatan": "Rengel"}],
            "offices": [],
        },
        {"id": 3, "text": "Kades Temaji hadir.", "places": [], "offices": ["bpbd"]},
    ]
    scores = score(rows)
    assert (scores.places.tp, scores.places.fp, scores.places.fn) == (0, 1, 1)  # Temaji unlabelled
    assert (scores.offices.tp, scores.offices.fn) == (0, 1)
    assert (scores.refused, scores.refused_as_labelled) == (2, 1)


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


def test_the_gazetteer_script_says_in_one_line_what_it_misses(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location(
        "places_gazetteer", ROOT / "scripts" / "places_gazetteer.py"
    )
    assert spec and spec.loader
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.main(["--idn-area-data", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"error: no data/villages.csv under {tmp_path}\n"
