"""Deterministic Indonesian news text: fills, titles, paragraphs and in-place edits.

The portal writes its own dates in the running text (``Rabu (26/7)``-style day mentions and
``28 Juli 2017``-style dates); it never borrows a date helper from the crawler.
"""

from __future__ import annotations

import logging
import random
from datetime import datetime, timedelta

from . import vocab

logger = logging.getLogger(__name__)

WEEKDAYS_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
# The CMS printed English month names whatever the site language (see the seed article).
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
TITLE_PLACES = (
    "Alun-alun Tuban",
    "Pantai Boom Tuban",
    "GOR Rangga Jaya Anoraga",
    "Pendopo Krido Manunggal",
)
# Tuban dates its founding to 1293; the anniversary number shows up in titles.
FOUNDING_YEAR = 1293


def page_date(when: datetime) -> str:
    """Return the date as the CMS prints it on pages, e.g. ``26 July 2017 13:24``."""
    return (
        f"{when.day:02d} {MONTHS_EN[when.month - 1]} {when.year} {when.hour:02d}:{when.minute:02d}"
    )


def parse_page_date(value: str) -> datetime:
    """Return the datetime of a page date such as ``26 July 2017 13:24`` (locale-independent)."""
    day, month, year, clock = value.split()
    hour, minute = clock.split(":")
    return datetime(int(year), MONTHS_EN.index(month) + 1, int(day), int(hour), int(minute))


def day_mention(when: datetime) -> str:
    """Return the in-text day mention the portal's reporters write, e.g. ``Rabu (26/07)``."""
    return f"{WEEKDAYS_ID[when.weekday()]} ({when.day}/{when.month:02d})"


def long_date_id(when: datetime) -> str:
    """Return an Indonesian long date without weekday, e.g. ``28 Juli 2017``."""
    return f"{when.day} {MONTHS_ID[when.month - 1]} {when.year}"


def _person(rng: random.Random) -> str:
    return f"{rng.choice(vocab.TITLES_BEFORE)}{rng.choice(vocab.FIRST_NAMES)}{rng.choice(vocab.TITLES_AFTER)}"


def choose_fills(rng: random.Random, published: datetime) -> dict[str, str]:
    """Return every template value for one article, drawn from RNG in a fixed order."""
    kec, kec2 = rng.sample(vocab.KECAMATAN, 2)
    opd, opd_short = rng.choice(vocab.OPD)
    n_big = rng.randint(1000, 9999)
    desa_draw = rng.randrange(vocab.DESA_DRAWS)  # drawn where the dict below drew it before
    base = {
        "kec": kec,
        "kec2": kec2,
        "desa": vocab.DESA_BY_KECAMATAN[kec][desa_draw % len(vocab.DESA_BY_KECAMATAN[kec])],
        "opd": opd,
        "opd_short": opd_short,
        "year": str(published.year),
        "year_next": str(published.year + 1),
        "hj": str(published.year - FOUNDING_YEAR),
        "n": str(rng.randint(20, 480)),
        "n_dotted": f"{n_big:,}".replace(",", "."),
        "m": str(rng.randint(3, 20)),
        "pct": f"{rng.randint(61, 99)},{rng.randint(1, 9)}",
    }
    fills = dict(base)
    fills.update(
        place=rng.choice(vocab.PLACES).format(**base),
        place_title=rng.choice(TITLE_PLACES),
        official=rng.choice(vocab.OFFICIALS),
        person=_person(rng),
        person2=_person(rng),
        role=rng.choice(vocab.ROLES).format(**base),
        role2=rng.choice(vocab.ROLES).format(**base),
        facility=rng.choice(vocab.FACILITIES),
        project=rng.choice(vocab.PROJECTS),
        training=rng.choice(vocab.TRAININGS),
        participants=rng.choice(vocab.PARTICIPANTS),
        health=rng.choice(vocab.HEALTH),
        event=rng.choice(vocab.EVENTS),
        occasion=rng.choice(vocab.OCCASIONS).format(**base),
        competition=rng.choice(vocab.COMPETITIONS),
        festival=rng.choice(vocab.FESTIVALS),
        budget=rng.choice(vocab.BUDGETS),
        cooperation=rng.choice(vocab.COOPERATIONS),
        slogan=rng.choice(vocab.SLOGANS),
        goal=rng.choice(vocab.GOALS),
        guests=rng.choice(vocab.GUESTS),
        day=day_mention(published),
        future=long_date_id(published + timedelta(days=rng.randint(1, 5))),
    )
    fills["quote"], fills["quote2"] = rng.sample(vocab.QUOTES, 2)
    fills["clause"], fills["clause2"], fills["clause3"] = (
        c.format(**base) for c in rng.sample(vocab.CLAUSES, 3)
    )
    return fills


def caption(rng: random.Random, fills: dict[str, str]) -> str:
    """Return a photo caption body (without the ``Foto :`` prefix or the photographer)."""
    return rng.choice(vocab.CAPTIONS).format(**fills)


def paragraphs(rng: random.Random, topic: vocab.Topic, fills: dict[str, str]) -> list[str]:
    """Return 3 to 9 body paragraphs (no dateline, no credit) for one article."""
    count = rng.randint(3, 9)
    pool = [s for s in vocab.SENTENCES if not s.startswith("\u201c{quote},")]
    rng.shuffle(pool)
    # Nearly every story quotes someone; it also guarantees non-ASCII text on every page.
    pool.insert(rng.randint(0, 2), vocab.SENTENCES[2])
    if rng.random() < 0.6:
        pool.insert(rng.randint(0, len(pool)), rng.choice(vocab.FUTURE_SENTENCES))
    rest = count - 1
    chosen = pool[: rng.randint(rest, min(len(pool), 2 * rest))]
    sizes = [1] * rest
    for _ in range(len(chosen) - rest):
        sizes[rng.randrange(rest)] += 1
    result = [rng.choice(topic.leads).format(**fills)]
    position = 0
    for size in sizes:
        result.append(" ".join(s.format(**fills) for s in chosen[position : position + size]))
        position += size
    return result


def apply_edit(
    paras: list[str], rng: random.Random, edited_at: datetime
) -> tuple[list[str], dict[str, int]]:
    """Return PARAS changed the way an editor did in place (a correction or an updated sentence), and what the edit did.

    What it did, as the manifest states it: paragraphs added and edited, words added and
    removed (words are whitespace-separated).
    """
    changed = list(paras)
    if rng.random() < 0.5 or len(changed) < 3:
        wrong = rng.randint(20, 300)
        note = (
            f"Ralat: pada berita sebelumnya tertulis jumlah peserta {wrong} orang, yang benar "
            f"{wrong + rng.randint(1, 40)} orang. Redaksi mohon maaf atas kekeliruan tersebut."
        )
        changed.insert(len(changed) - 1, note)
        counts = {"paragraphs_added": 1, "paragraphs_edited": 0, "words_added": len(note.split())}
    else:
        update = (
            f"Data tersebut diperbarui pada {long_date_id(edited_at)} "
            "sesuai laporan terbaru dari OPD terkait."
        )
        changed[1] = f"{changed[1]} {update}"
        counts = {"paragraphs_added": 0, "paragraphs_edited": 1, "words_added": len(update.split())}
    return changed, {**counts, "words_removed": 0}
