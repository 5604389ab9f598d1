"""The author's validator: a person or a desk, or nothing, each refusal with its reason."""

import lxml.html
import pytest

from tuban_crawler.extract.authors import (
    author_verdict,
    byline_fields,
    json_ld_names,
    page_context,
)


@pytest.mark.parametrize(
    ("value", "verdict"),
    [
        # -- people and desks
        ("Heri S", "ok"),
        ("Tim Redaksi", "ok"),
        ("Humas Dinkes", "ok"),
        ("Benjamin Fischer und Marcus Theurer", "ok"),
        ("Ana Putri, Budi Santoso", "ok"),
        ("김민수", "ok"),
        ("Ursula von der Leyen", "ok"),
        ("Juan de la Cruz", "ok"),
        ("de Vries", "ok"),
        ("Muhammad bin Salman", "ok"),
        # -- furniture, in the languages pages are written in
        ("komentar", "rejected: a user-interface word"),
        ("A- A+", "rejected: a user-interface word"),
        ("Video", "rejected: a user-interface word"),
        ("Publikacja", "rejected: a user-interface word"),
        ("발행", "rejected: a user-interface word"),
        ("ログイン", "rejected: a user-interface word"),
        ("Bagikan", "rejected: a user-interface word"),
        ("Penulis", "rejected: a user-interface word"),
        ("Login untuk berkomentar", "rejected: a user-interface word"),
        ("You must be logged in to post a comment.", "rejected: a user-interface word"),
        ("Unknown", "rejected: a placeholder"),
        ("Super User", "rejected: a placeholder"),
        ("Letzte Aktualisierung", "rejected: a user-interface word"),
        # -- sentences, dates, counts, addresses
        ("Silakan masuk dulu untuk menulis tanggapan Anda di sini.", "rejected: a sentence"),
        ("Rabu, 6 Maret 2024", "rejected: a date"),
        ("2024-03-06", "rejected: not a name"),
        ("57 views", "rejected: a count"),
        ("3 Komentar", "rejected: a user-interface word"),
        ("https://example.id/penulis/heri", "rejected: a URL"),
        # -- pieces of the sentence beside a date, taken for the name after it
        ("in Köln, Deutschland", "rejected: a piece of a sentence"),
        ("providing a", "rejected: a piece of a sentence"),
        ("parte de la defensa de", "rejected: a piece of a sentence"),
        ("dan warga desa", "rejected: a piece of a sentence"),
        ("of", "rejected: a piece of a sentence"),
        ("", "rejected: empty"),
    ],
)
def test_author_verdict(value, verdict):
    assert author_verdict(value).startswith(verdict)


PAGE = lxml.html.fromstring(
    """<html><body><a href="/">Warta Desa</a><a href="#komentar">Tulis Tanggapan</a>
    <a href="/penulis/siti">Siti Rahma</a><a href="/login?next=/a">Masuk Akun</a></body></html>"""
)


@pytest.mark.parametrize(
    ("value", "verdict"),
    [
        ("Siti Rahma", "ok"),
        ("Warta Desa", "rejected: the site's own name"),
        ("warta-desa.id", "rejected: the site's own name"),
        ("Tulis Tanggapan", "rejected: the text of a link to no author's page"),
        ("Masuk Akun", "rejected: the text of a link to no author's page"),
    ],
)
def test_author_verdict_knows_the_page(value, verdict):
    context = page_context(PAGE, ("Warta Desa",), "https://warta-desa.id/a")
    assert author_verdict(value, context).startswith(verdict)


def test_a_byline_outside_the_comments_is_read_without_its_label():
    page = lxml.html.fromstring(
        """<html><body><div class="comment-author">Budi</div>
        <p class="byline">Oleh: <a href="/p/rina">Rina W</a> | 6 Maret 2024</p></body></html>"""
    )
    assert byline_fields(page, page) == {"author": "Rina W"}


def test_every_author_of_json_ld_is_kept():
    assert (
        json_ld_names([{"@type": "Person", "name": "Ana"}, "Budi", {"name": "Ana"}]) == "Ana, Budi"
    )


@pytest.mark.parametrize(
    ("byline", "name"),
    [
        ("Von Anna Schmidt", "Anna Schmidt"),
        ("Par Jeanne Martin", "Jeanne Martin"),
        ("Por Lucía Gómez | 6 de marzo de 2024", "Lucía Gómez"),
        ("Autor: Jan Kowalski", "Jan Kowalski"),
        ("Pewarta: Ahmad Rifai", "Ahmad Rifai"),
    ],
)
def test_a_byline_label_in_the_pages_language_is_not_the_name(byline, name):
    page = lxml.html.fromstring(f'<html><body><p class="byline">{byline}</p></body></html>')
    assert byline_fields(page, page) == {"author": name}
