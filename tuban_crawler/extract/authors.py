"""Who wrote the page: a person or a desk, or nothing.

Candidates come from every source that names one (the layouts, the metadata list by label
and shape, bylines: ``rel=author`` links and ``byline``/``author`` markup, JSON-LD
``author``, ``itemprop=author``, ``<meta name=author>``, RDFa) and, last, the editor
(JSON-LD ``editor``, a visible ``Editor:``/``Redaktur:`` label): the writer beats the editor;
an editor wins only when no writer is named, and the field's source says so
(``json-ld (editor)``). ``author_verdict`` then refuses what is no name, each refusal with its
reason in ``ExtractedEntry.candidates``: a user-interface or navigation word in the languages
pages are written in (``komentar``, ``A- A+``, ``Video``, ``Publikacja``, ``발행``,
``ログイン``), a sentence (``Login to comment``), the site's own name, a date, a count, a URL,
and the text of a link that leads to no author's page (``#comments``, a login or share link,
the home page). For an archive a wrong author is worse than none: it gets cited (issue 18).
trafilatura's blacklist of boilerplate authors is the model.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml import etree

from tuban_crawler.dates import parse_date
from tuban_crawler.extract import metaxpaths
from tuban_crawler.extract.markup import text_of

logger = logging.getLogger(__name__)

MAX_AUTHOR_LENGTH = 80
#: More words than this in one name (between separators) make a sentence.
MAX_NAME_WORDS = 6
#: Words of page furniture (a text made of nothing else is no name), folded, in the languages pages are written in.
UI_WORDS = frozenset(
    """
    komentar komentari tulis komentar beri komentar lihat komentar komentar anda
    comment comments leave a comment leave a reply reply balas no comments
    kommentar kommentare commentaire commentaires comentario comentarios comentários commenti
    reacties komentarze komentář 댓글 コメント 评论 評論 комментарии yorum yorumlar
    bình luận ความคิดเห็น
    login log in logout log out sign in sign up register masuk keluar daftar
    anmelden einloggen connexion se connecter iniciar sesión entrar accedi inloggen zaloguj
    로그인 ログイン 登录 登錄 войти giriş yap đăng nhập
    share bagikan teilen partager compartir compartilhar condividi delen udostępnij 공유 シェア 分享
    print cetak drucken imprimer imprimir stampa email e-mail kirim simpan save
    facebook twitter x whatsapp telegram line linkedin pinterest instagram youtube tiktok
    video videos foto photo photos galeri gallery audio podcast listen dengarkan play live
    baca juga read more selengkapnya baca selengkapnya weiterlesen lire la suite leer más
    more mehr next previous sebelumnya selanjutnya berikutnya home beranda menu search cari
    berita terkini terbaru terpopuler populer trending headline news
    tag tags kategori category categories topik rubrik
    subscribe langganan newsletter follow ikuti rss iklan advertisement sponsored anzeige
    publikacja publicación publicado publié veröffentlicht published diterbitkan
    발행 발행일 입력 수정 公開 更新 投稿
    a- a+ a a font ukuran huruf text size zoom
    penulis reporter pewarta editor redaktur author autor auteur by oleh posted by
    wartawan kontributor contributor writer
    unknown letzte aktualisierung kontakt kontaktdaten impressum
    """.split()
)
#: Placeholders a CMS writes where no one is named (Blogger's, Joomla's).
PLACEHOLDER_NAMES = frozenset({"unknown", "super user", "anonymous", "anonim"})
#: Lower-case words a name never starts with (name particles such as ``de``, ``van``, ``von``,
#: ``da`` or ``bin`` are not here): text starting so is a piece of a sentence beside a date.
FRAGMENT_STARTS = frozenset(
    {"of", "a", "an", "the", "and", "in", "on", "at", "for", "im", "am", "für", "und", "der", "die"}
    | {"das", "mit", "pada", "yang", "dan", "di", "ke", "untuk", "por", "para", "en", "el", "y"}
)
#: Lower-case words a name never ends with: text ending so was cut off mid-sentence.
FRAGMENT_ENDS = frozenset(
    {"of", "a", "an", "the", "and", "de", "la", "und", "für", "y", "et", "dan"}
)
#: Each of these, alone or inside a longer text, says it is furniture (``Login to comment``).
UI_TOKENS = frozenset(
    """login logout komentar comment comments kommentar kommentare commentaires comentarios
    commenti zaloguj 로그인 ログイン 登录 댓글 コメント 评论 subscribe anmelden""".split()
)
#: What separates several names in one byline.
NAME_SEPARATORS = re.compile(r"\s*(?:[,;&/]|\band\b|\bdan\b|\bund\b|\bet\b|\by\b|\bi\b)\s*", re.I)
#: Link targets that are nobody's page.
NOT_AUTHOR_HREF = re.compile(
    r"^(?:#|javascript:)|[/?#&=](?:login|log-in|signin|sign-in|register|daftar|masuk|comments?|"
    r"komentar|respond|share|sharer|intent/tweet|print)\b",
    re.I,
)
#: ``class``/``id`` words of byline markup, in any theme (trafilatura's author XPaths use the same).
BYLINE = etree.XPath(
    ".//*[not(self::meta or self::link or self::script)]"
    "[@rel='author' or @itemprop='author' or contains(@class, 'author') or contains(@class, 'Author')"
    " or contains(@class, 'byline') or contains(@class, 'Byline') or contains(@id, 'author')"
    " or contains(@id, 'byline')]"
)
# (Not "widget": Blogger wraps the post itself in ``<div class="widget Blog">``.)
_COMMENT_MARKUP = re.compile(r"comment|respon|reply|related|sidebar|site-footer", re.I)
_STRIP = " \t\n-–—•·|»►▪●:;,.()[]{}\"'“”‘’«»"


def fold(text: str) -> str:
    """Return TEXT folded for comparison (NFKC, case, white space, outer punctuation).

    >>> fold("  Tim  REDAKSI. ")
    'tim redaksi'
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(text.split()).strip(_STRIP)


#: The targets of the links whose text is $text (a value is looked up as the page writes it).
LINKS_SHOWING = etree.XPath("//a[normalize-space(.)=$text]/@href")


@dataclass
class AuthorContext:
    """What the validator knows of the page: its site's names and host, and its links."""

    site_names: set[str] = field(default_factory=set)
    host: str = ""
    doc: etree._Element | None = None

    def link_targets(self, value: str) -> list[str]:
        """Return the targets of the page's links that show VALUE."""
        if self.doc is None:
            return []
        return [str(h).strip() for h in LINKS_SHOWING(self.doc, text=" ".join(value.split()))]


def page_context(doc: etree._Element, site_names: tuple[str, ...], url: str) -> AuthorContext:
    """Return the AuthorContext of DOC (fetched from URL), whose site calls itself SITE_NAMES."""
    host = urlsplit(url).hostname or ""
    return AuthorContext({fold(n) for n in site_names} - {""}, host.removeprefix("www."), doc)


def _is_home(href: str, host: str) -> bool:
    parts = urlsplit(href)
    return (
        parts.path in ("", "/")
        and not parts.query
        and (parts.hostname or host) in (host, f"www.{host}")
    )


def author_verdict(value: object, context: AuthorContext | None = None) -> str:
    """Return ``ok`` when VALUE names a person or a desk, else ``rejected: <why>``.

    Without CONTEXT the verdict depends on VALUE alone, and is remembered.

    >>> author_verdict("Heri S"), author_verdict("Tim Redaksi")
    ('ok', 'ok')
    >>> author_verdict("komentar"), author_verdict("A- A+")
    ('rejected: a user-interface word, not a name', 'rejected: a user-interface word, not a name')
    >>> author_verdict("Silakan masuk dulu untuk menulis tanggapan Anda di sini.")
    'rejected: a sentence, not a name'
    >>> author_verdict("You must be logged in to post a comment.")
    'rejected: a user-interface word, not a name'
    >>> author_verdict("26 Juli 2017"), author_verdict("57 views")
    ('rejected: a date, not a name', 'rejected: a count, not a name')
    """
    if not isinstance(value, str) or not value.strip():
        return "rejected: empty"
    said = _verdict_alone(value)
    if said != "ok" or context is None:
        return said
    folded = fold(value)
    if folded in context.site_names or (context.host and folded == context.host):
        return "rejected: the site's own name"
    hrefs = context.link_targets(value)
    if hrefs and all(NOT_AUTHOR_HREF.search(h) or _is_home(h, context.host) for h in hrefs):
        return "rejected: the text of a link to no author's page"
    return "ok"


@functools.lru_cache(maxsize=4096)
def _verdict_alone(value: str) -> str:
    """Return the verdict on VALUE that needs no page."""
    if value.startswith(("http://", "https://", "/", "www.")):
        return "rejected: a URL, not a name"
    if len(value) > MAX_AUTHOR_LENGTH or not any(c.isalpha() for c in value):
        return "rejected: not a name"
    folded = fold(value)
    words = re.findall(r"[\w+\-]+", folded)
    if folded in PLACEHOLDER_NAMES:
        return "rejected: a placeholder, not a name"
    if folded in UI_WORDS or not folded or all(w in UI_WORDS for w in words):
        return "rejected: a user-interface word, not a name"
    if any(w in UI_TOKENS for w in words) or "log in" in folded or "sign in" in folded:
        return "rejected: a user-interface word, not a name"
    if re.match(r"^\W*\d[\d.,]*\s*[^\W\d]{0,12}\W*$", folded):
        return "rejected: a count, not a name"
    if metaxpaths.DATE_HINT.search(value) or (
        any(c.isdigit() for c in value) and parse_date(value)
    ):
        return "rejected: a date, not a name"
    tokens = value.strip(_STRIP).split()
    if tokens and (tokens[0] in FRAGMENT_STARTS or tokens[-1] in FRAGMENT_ENDS):
        return "rejected: a piece of a sentence, not a name"
    names = [n for n in NAME_SEPARATORS.split(value) if n.strip(_STRIP)]
    if any(len(n.split()) > MAX_NAME_WORDS for n in names) or re.search(
        r"[^\W\d_]{3,}[.!?]\s+\S|[!?]\s*$", value
    ):
        return "rejected: a sentence, not a name"
    return "ok"


_EMAIL = re.compile(r"\S+@\S+\.\w+")


def clean_name(value: object) -> object:
    """Return the author VALUE without a leading label, an e-mail address or a footnote mark.

    >>> clean_name("Von Vanessa Franke"), clean_name("Marwan H. Adwan1"), clean_name("Oleh: Heri S")
    ('Vanessa Franke', 'Marwan H. Adwan', 'Heri S')
    """
    if not isinstance(value, str):
        return value
    text = _EMAIL.sub(" ", text_of(value)).strip(_STRIP)
    for field_name, pattern in metaxpaths.META_LABELS:
        match = pattern.match(text)
        if match and field_name == "author" and match.group("value").strip(_STRIP):
            text = match.group("value").strip(_STRIP)
            break
    return re.sub(r"(?<=[^\W\d_])[\d*†]+$", "", text)


def _byline_value(element: etree._Element) -> str | None:
    """Return the name in byline ELEMENT: the text after its label, cut at the first separator."""
    text = text_of(element)
    if not text or len(text) > 2 * MAX_AUTHOR_LENGTH:
        return None
    for field_name, pattern in metaxpaths.META_LABELS:
        match = pattern.match(text)
        if match and field_name == "author":
            text = match.group("value")
            break
        if match and field_name != "author" and match.group("value"):
            return None  # ``Editor: X``, ``Tanggal: ...``: not the writer
    first = metaxpaths.META_SEPARATORS.split(text.strip(_STRIP))[0].strip(_STRIP)
    return first or None


def byline_fields(doc: etree._Element, scope: etree._Element) -> dict[str, str]:
    """Return ``{"author": name}`` from SCOPE's (else DOC's) ``rel=author`` links and byline markup."""
    for where in (scope, doc) if scope is not doc else (doc,):
        for element in BYLINE(where):
            if any(
                _COMMENT_MARKUP.search(f"{e.get('class', '')} {e.get('id', '')}")
                for e in (element, *element.iterancestors())
            ):
                continue  # a commenter's name, or the authors of other articles
            value = _byline_value(element)
            if value and author_verdict(value) == "ok":
                return {"author": value}
    return {}


def json_ld_names(value: object) -> str | None:
    """Return the names in a JSON-LD ``author``/``editor`` VALUE, joined by ``, ``.

    >>> json_ld_names([{"@type": "Person", "name": "Ana"}, {"name": "Budi"}]), json_ld_names("Cici")
    ('Ana, Budi', 'Cici')
    """
    values = value if isinstance(value, list) else [value]
    names = []
    for item in values:
        if isinstance(item, dict):
            item = item.get("name") or item.get("@value")
        if isinstance(item, str) and text_of(item) and text_of(item) not in names:
            names.append(text_of(item))
    return ", ".join(names) or None
